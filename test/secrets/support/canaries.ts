/**
 * Canary values and the scanner that looks for them. A canary is a unique string a secret
 * file holds (`CANARY-<name>-<random hex>`); finding it anywhere it must not be is a leak.
 *
 * Besides the literal bytes, the scanner decodes every base64-looking token and looks inside:
 * plain base64 (what a careless Kubernetes Secret or data: URL would hold) and rclone's
 * "obscured" form. `rclone obscure` is randomized (AES-256-CTR under a fixed, public key with
 * a random IV, base64url encoded), so an obscured canary cannot be searched for; it can be
 * revealed, which is what `revealObscured` does (checked against the real rclone in the
 * self-checks of canary.test.ts).
 */
import { createDecipheriv, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, lstatSync } from 'node:fs';
import { join, relative } from 'node:path';

/** `CANARY-<name>-<12 hex digits>`: unique per test run, easy to spot in a failure message. */
export function canary(name: string): string {
  return `CANARY-${name}-${randomBytes(6).toString('hex')}`;
}

/** Canaries written into the committed dummy sops/age files of fixtures/canary. */
export const FIXTURE_BLOB_CANARIES: readonly string[] = [
  'CANARY-sopsfile-comment-6c1f0b9e27d4',
  'CANARY-sopsfile-sftp_pass-a83e51d0c7f2',
  'CANARY-sopsfile-hc_url-3b9d04e6f815',
  'CANARY-sopsfile-drive_token-f4a2c8e1b907',
  'CANARY-sopsfile-mac-0d7e3a92c5b1',
  'CANARY-agefile-webdav_pass-91c5e7a3d046',
  'CANARY-agefile-crypt_password-27e9b4f1a6c3',
];

/** rclone's fixed obscure key (rclone fs/config/obscure/obscure.go, `cryptKey`). */
const OBSCURE_KEY = Buffer.from('9c935b48730a554d6bfd7c63c886a92bd390198eb8128afbf4de162b8b95f638', 'hex');

/** `rclone reveal` of `token`, or undefined when it is not an obscured value. */
export function revealObscured(token: string): string | undefined {
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length < 17) return undefined;
  const decipher = createDecipheriv('aes-256-ctr', OBSCURE_KEY, bytes.subarray(0, 16));
  return Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString('latin1');
}

export type LeakForm = 'literal' | 'base64' | 'rclone-obscured';

export interface Leak {
  readonly canary: string;
  readonly form: LeakForm;
  /** Where it was found (a file, "stderr", a pid's argv, ...). */
  readonly where: string;
}

const TOKEN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;

/** Every canary found in `data`, literally or in an encoded form. */
export function findCanaries(data: string | Buffer, canaries: readonly string[], where: string): Leak[] {
  const text = typeof data === 'string' ? data : data.toString('latin1');
  const leaks: Leak[] = [];
  const add = (canary: string, form: LeakForm) => {
    if (!leaks.some((l) => l.canary === canary && l.form === form)) leaks.push({ canary, form, where });
  };
  for (const c of canaries) if (text.includes(c)) add(c, 'literal');
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    // Node's base64 decoder takes both alphabets (+/ and -_) and ignores a missing padding.
    const decoded = Buffer.from(token, 'base64').toString('latin1');
    const revealed = revealObscured(token.replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_'));
    for (const c of canaries) {
      if (decoded.includes(c)) add(c, 'base64');
      if (revealed?.includes(c)) add(c, 'rclone-obscured');
    }
  }
  return leaks;
}

/** Every regular file under `root` (symlinks not followed), relative paths. */
export function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = lstatSync(path);
      if (st.isDirectory()) walk(path);
      else if (st.isFile()) out.push(relative(root, path));
    }
  };
  walk(root);
  return out;
}

/** Canaries in any byte of any file under `root`. */
export function scanTree(root: string, canaries: readonly string[]): Leak[] {
  return filesUnder(root).flatMap((file) => findCanaries(readFileSync(join(root, file)), canaries, join(root, file)));
}

/** Files under `root` that are group- or world-readable (`find -perm /044`), absolute paths. */
export function groupOrWorldReadable(root: string): string[] {
  return filesUnder(root)
    .map((file) => join(root, file))
    .filter((path) => (lstatSync(path).mode & 0o044) !== 0);
}

/** Human-readable list for an assertion message. */
export function describeLeaks(leaks: readonly Leak[]): string {
  return leaks.map((l) => `${l.canary} (${l.form}) in ${l.where}`).join('\n');
}
