/** Engine `rclone`: sync, copy or move to/from a remote. */
import * as z from 'zod';
import { expectedForms, pathString, text } from './common.js';
import { jobCommonFields } from './job-common.js';

const remotePath = text().default('').describe('Path inside the remote; empty for its root.');

const sourceObject = z
  .strictObject({
    job: text().min(1).optional().describe("A snapshot job on this host: its `latest` snapshot."),
    remote: text().min(1).optional().describe('A remote name.'),
    path: text().optional().describe('Path inside the remote.'),
  })
  .superRefine((value, ctx) => {
    // One object instead of a union: a union's errors would name every alternative at once.
    const given = [value.job, value.remote].filter((v) => v !== undefined).length;
    if (given !== 1) ctx.addIssue({ code: 'custom', message: 'expected exactly one of `job` or `remote`', input: value });
    if (value.job !== undefined && value.path !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: '`path` goes with `remote`, not with `job`', input: value.path });
    }
  });

export const rcloneSource = z
  .union([pathString, sourceObject], { error: expectedForms('a path, `{ job: NAME }` or `{ remote: NAME, path: ... }`') })
  .describe('A path, `{ job: NAME }` (that snapshot job\'s latest), or `{ remote, path }`.');

export const maxDelete = z
  .union([z.int().min(0), text().regex(/^\d+(\.\d+)?%$/, { error: expectedForms('a count or a percentage like "10%"') })], {
    error: expectedForms('a count or a percentage like "10%"'),
  })
  .describe('Refuse a sync that would delete more than this many files, or this share ("10%").');

export const rcloneJob = z
  .strictObject({
    engine: z.literal('rclone'),
    ...jobCommonFields,
    mode: z.enum(['sync', 'copy', 'move']).describe('sync (mirror, deletes on the target), copy, or move.'),
    source: rcloneSource,
    target: z.strictObject({ remote: text().min(1).describe('A remote name.'), path: remotePath }).describe('Where to transfer to.'),
    bwlimit: z.union([text(), z.number()]).transform(String).optional().describe('rclone --bwlimit (`10M`, `"01:00,off 06:00,10M"`).'),
    transfers: z.int().min(1).optional().describe('rclone --transfers.'),
    checkers: z.int().min(1).optional().describe('rclone --checkers.'),
    verify: z.enum(['none', 'size', 'checksum']).default('none').describe('Check after the transfer. Default: none.'),
    maxDelete: maxDelete.optional(),
    backupDir: z.boolean().default(false).describe('Keep replaced/deleted files under a dated folder on the target.'),
  })
  .describe('rclone sync, copy or move.');
