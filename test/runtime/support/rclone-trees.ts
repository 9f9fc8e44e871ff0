/**
 * File trees for engine runtime tests: a tree with hostile names (spaces, quotes, `$`,
 * newline, leading dash, unicode), and a byte-exact listing to compare two trees.
 */
import { lstat, mkdir, readFile, readdir, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Names architecture.md guarantee 7 promises to handle, plus a newline where the OS allows. */
export const HOSTILE_NAMES = [
  'plain.txt',
  'with space.txt',
  `quote'single`,
  'quote"double',
  '$HOME and $(date)',
  '-leading-dash',
  'ünïcødé €.txt',
  'new\nline',
  'back\\slash',
];

export async function writeHostileTree(root: string, marker = 'v1'): Promise<void> {
  await mkdir(join(root, 'sub dir', 'déeper'), { recursive: true });
  for (const name of HOSTILE_NAMES) {
    await writeFile(join(root, name), `${marker}:${name}\n`);
  }
  await writeFile(join(root, 'sub dir', 'déeper', 'leaf $x'), `${marker}:leaf\n`);
  await writeFile(join(root, 'sub dir', 'big.bin'), Buffer.alloc(200_000, 7));
}

/** Sorted `path -> content` (files) or `path/` (dirs) or `path -> @link` of a whole tree. */
export async function listTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(dir: string, rel: string): Promise<void> {
    for (const entry of (await readdir(dir)).sort()) {
      const abs = join(dir, entry);
      const r = rel === '' ? entry : `${rel}/${entry}`;
      const st = await lstat(abs);
      if (st.isDirectory()) {
        out[`${r}/`] = '';
        await walk(abs, r);
      } else if (st.isSymbolicLink()) {
        out[r] = `@${await readlink(abs)}`;
      } else {
        out[r] = (await readFile(abs)).toString('base64');
      }
    }
  }
  await walk(root, '');
  return out;
}

/** Only the files of listTree (rclone does not carry empty directories). */
export async function listFiles(root: string): Promise<Record<string, string>> {
  const all = await listTree(root);
  return Object.fromEntries(Object.entries(all).filter(([k]) => !k.endsWith('/')));
}
