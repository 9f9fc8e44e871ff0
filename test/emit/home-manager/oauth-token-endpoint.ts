/**
 * A local OAuth2 token endpoint for tests with a real rclone: every refresh answers with a
 * new access token AND a new refresh token (rotation, as Box or OneDrive do), so a stale
 * refresh token is visible. rclone's drive backend uses it through its `token_url` option.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenEndpoint {
  readonly url: string;
  /** The refresh_token of every refresh request, in order. */
  readonly refreshTokensSeen: string[];
  close(): Promise<void>;
}

export async function startTokenEndpoint(): Promise<TokenEndpoint> {
  const seen: string[] = [];
  let issued = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push(new URLSearchParams(body).get('refresh_token') ?? '');
      issued++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: `access-r${issued}`, refresh_token: `refresh-r${issued}`, token_type: 'Bearer', expires_in: 3600 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/token`,
    refreshTokensSeen: seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An rclone token whose access token has expired, so the next rclone use refreshes it. */
export const expiredToken = (refreshToken: string): string =>
  JSON.stringify({ access_token: 'stale', token_type: 'Bearer', refresh_token: refreshToken, expiry: '2020-01-01T00:00:00Z' });
