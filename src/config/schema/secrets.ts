/** The `secrets` section: how a secret name becomes a file path at run time. */
import * as z from 'zod';
import { pathString, text } from './common.js';

export const secretProvider = z
  .enum(['sops', 'agenix', 'file'])
  .describe('sops (sops-nix), agenix, or file (a path you manage yourself).');

const secretItem = z
  .strictObject({
    provider: secretProvider.optional().describe('Overrides the section-wide provider for this secret.'),
    sopsFile: pathString.optional().describe('sops: the encrypted file, relative to the config file.'),
    key: text().min(1).optional().describe('sops: key path inside the file (`b2/application_key`); default: the secret name.'),
    file: pathString.optional().describe('agenix: the .age file, relative to the config file; default `<ageDir>/<name>.age`.'),
    path: pathString.optional().describe('file: absolute path of the secret file (`~/` allowed for secrets only user jobs read).'),
  })
  .describe('Per-secret overrides.');

export const secretsSection = z
  .strictObject({
    provider: secretProvider.default('sops').describe('Provider for every secret not overridden in `items`. Default: sops.'),
    sopsFile: pathString.optional().describe('sops: the default encrypted file, relative to the config file.'),
    ageDir: pathString.optional().describe('agenix: directory of `<name>.age` files, relative to the config file.'),
    items: z.record(text(), secretItem).default({}).describe('Per-secret overrides, keyed by secret name.'),
  })
  .describe('How a secret name becomes a file path at run time. Values never reach generated files.');

export type SecretsSection = z.output<typeof secretsSection>;
export type SecretItem = z.output<typeof secretItem>;
