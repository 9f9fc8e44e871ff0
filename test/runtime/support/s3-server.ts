/**
 * A real S3-protocol server for runtime tests: s3rver (npm) on 127.0.0.1, a random free port,
 * files in a temporary folder, with the buckets a test names. It knows one account,
 * access key id `S3RVER` (secret `S3RVER`): a request naming another key id is refused
 * (InvalidAccessKeyId); s3rver does not check V4 signatures beyond that.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

/** s3rver ships no types; the part of its API used here. */
interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: object) => S3rverInstance;

export interface S3Server {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** rclone's environment for a remote `name` pointing at this server (test-side reads). */
  rcloneEnv(name: string): Record<string, string>;
  stop(): Promise<void>;
}

export async function startS3Server(buckets: readonly string[]): Promise<S3Server> {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  const directory = await mkdtemp(join(tmpdir(), 'backupgen-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory, silent: true, configureBuckets: buckets.map((name) => ({ name })) });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    rcloneEnv(name) {
      const key = `RCLONE_CONFIG_${name.toUpperCase()}_`;
      return {
        [`${key}TYPE`]: 's3',
        [`${key}PROVIDER`]: 'Other',
        [`${key}ENDPOINT`]: endpoint,
        [`${key}ACCESS_KEY_ID`]: 'S3RVER',
        [`${key}SECRET_ACCESS_KEY`]: 'S3RVER',
      };
    },
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
