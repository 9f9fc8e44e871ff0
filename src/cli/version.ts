/** The version users see: package.json's, read at run time so it cannot drift. */
import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  // src/cli/ and dist/cli/ are both two levels below the package root.
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
