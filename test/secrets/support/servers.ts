/**
 * `rclone serve sftp|webdav` on 127.0.0.1 whose user and password come from the environment
 * (RCLONE_USER / RCLONE_PASS: rclone reads any flag from RCLONE_<FLAG>), so the server's own
 * argv holds no canary and the system-wide argv watch needs no exceptions.
 */
import { execa, type ResultPromise } from 'execa';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Server {
  readonly root: string;
  stop(): Promise<void>;
}

/** Resolves once rclone logs that it serves (sftp: "listening on", webdav: "Server started"). */
function served(child: ResultPromise, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`rclone serve did not start:\n${log}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (/listening on|Server started/i.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void child.then(() => reject(new Error(`rclone serve exited early:\n${log}`)));
  });
}

export async function serveRclone(kind: 'sftp' | 'webdav', root: string, port: number, password: string): Promise<Server> {
  mkdirSync(root, { recursive: true });
  const child = execa('rclone', ['serve', kind, root, '--addr', `127.0.0.1:${port}`, '--config', '', '--dir-cache-time', '1ms'], {
    reject: false,
    stdin: 'ignore',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', RCLONE_USER: 'backup', RCLONE_PASS: password, HOME: root, XDG_CACHE_HOME: join(root, '..', `${kind}-cache`) },
    extendEnv: false,
  });
  await served(child);
  return {
    root,
    async stop() {
      child.kill('SIGTERM');
      await child;
    },
  };
}
