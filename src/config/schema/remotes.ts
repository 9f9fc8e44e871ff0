/** The `remotes` section: named rclone remotes shared by every host. */
import * as z from 'zod';
import { expectedForms, secretName, text } from './common.js';

const optionValue = z.union([text(), z.number(), z.boolean()], {
  error: expectedForms('a string, number or boolean'),
});

// rclone's config is line-based INI (rclone docs, "Configuration file"): `[name]` opens a
// section and `key = value` sets an option, so `[`, `]` and `=` in a name would end it early
// or start another. The names below are what rclone itself accepts.

/** rclone's remote names (rclone config: letters, digits, `_`, `.`, `+`, `@`, `-`; not first `-`). */
const remoteName = text().regex(/^[A-Za-z0-9_.+@][A-Za-z0-9_.+@-]*$/, 'is not a remote name: expected letters, digits, `_`, `.`, `+`, `@` and `-`, not starting with `-`');

/** A backend option's name as the config file spells it (`access_key_id`, `filename_encryption`). */
const optionName = text().regex(/^[A-Za-z0-9_-]+$/, 'is not an rclone option name: expected letters, digits, `_` and `-`');

/** A backend type (`drive`, `s3`, `google cloud storage`). */
const backendType = text().regex(/^[A-Za-z0-9][A-Za-z0-9 _-]*$/, 'expected an rclone backend type (`drive`, `s3`, `sftp`, ...)');

export const remote = z
  .strictObject({
    type: backendType.describe('rclone backend type: drive, b2, s3, sftp, webdav, crypt, local, ...'),
    options: z.record(optionName, optionValue).default({}).describe('Non-secret rclone options (`provider`, `endpoint`, `remote` for crypt, ...).'),
    secrets: z.record(optionName, secretName).default({}).describe('rclone option -> secret name (`token: rclone_token`).'),
  })
  .describe('An rclone remote.');

export const remotesSection = z.record(remoteName, remote).describe('Named rclone remotes, shared by every host.');

export type RemoteConfig = z.output<typeof remote>;
