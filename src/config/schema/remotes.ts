/** The `remotes` section: named rclone remotes shared by every host. */
import * as z from 'zod';
import { expectedForms, secretName } from './common.js';

const optionValue = z.union([z.string(), z.number(), z.boolean()], {
  error: expectedForms('a string, number or boolean'),
});

export const remote = z
  .strictObject({
    type: z.string().min(1).describe('rclone backend type: drive, b2, s3, sftp, webdav, crypt, local, ...'),
    options: z.record(z.string(), optionValue).default({}).describe('Non-secret rclone options (`provider`, `endpoint`, `remote` for crypt, ...).'),
    secrets: z.record(z.string(), secretName).default({}).describe('rclone option -> secret name (`token: rclone_token`).'),
  })
  .describe('An rclone remote.');

export const remotesSection = z.record(z.string(), remote).describe('Named rclone remotes, shared by every host.');

export type RemoteConfig = z.output<typeof remote>;
