/**
 * A real rclone network remote for runtime tests: `rclone serve sftp` (or webdav) on
 * 127.0.0.1 with a random free port and user/password auth, serving a temp directory.
 * The password is written to a secret file so scripts exercise the `rclone obscure` path.
 */
import { execa, type ResultPromise } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RemotePlan } from '../../../src/plan/model.js';
import { fileSecret, remote } from '../../support/plan-builders.js';

export interface RcloneServer {
  /** Directory served; what the remote's paths resolve to. */
  readonly root: string;
  readonly port: number;
  /** File holding the (hostile) password, for the `pass` secret. */
  readonly passwordFile: string;
  readonly password: string;
  /** A plan remote (`type` sftp or webdav) pointing at this server, pass from passwordFile. */
  remote(name: string): RemotePlan;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function waitForPort(port: number, child: ResultPromise, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`rclone serve exited early: ${String(child.exitCode)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.end(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`rclone serve did not listen on ${port}`);
}

export async function startRcloneServer(kind: 'sftp' | 'webdav'): Promise<RcloneServer> {
  const base = await mkdtemp(join(tmpdir(), `backupgen-${kind}-`));
  const root = join(base, 'served');
  const passwordFile = join(base, 'password');
  const password = `p$ss 'w"ord\`x`;
  await execa('mkdir', ['-p', root]);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  const port = await freePort();
  // --config '' : the server must not read the developer's rclone config either.
  // --dir-cache-time 1ms: tests change served files behind the server's back (tampering);
  // the VFS must not answer from cached listings or cached hashes.
  const child = execa(
    'rclone',
    ['serve', kind, root, '--addr', `127.0.0.1:${port}`, '--user', 'backup', '--pass', password, '--config', '', '--dir-cache-time', '1ms'],
    { reject: false, stdin: 'ignore', env: { HOME: base, XDG_CACHE_HOME: join(base, 'cache') } },
  );
  await waitForPort(port, child);
  return {
    root,
    port,
    passwordFile,
    password,
    remote(name) {
      const options: [string, string][] =
        kind === 'sftp'
          ? [['host', '127.0.0.1'], ['port', String(port)], ['user', 'backup']]
          : [['url', `http://127.0.0.1:${port}`], ['user', 'backup'], ['vendor', 'other']];
      return remote({
        name,
        type: kind,
        options,
        secrets: [{ option: 'pass', secret: fileSecret(`${name}_pass`, passwordFile), obscure: true, refreshedByRclone: false }],
      });
    },
    async stop() {
      child.kill('SIGTERM');
      await child;
      await rm(base, { recursive: true, force: true });
    },
  };
}
