/** Engine `snapshot`: rsync hard-link snapshots. */
import * as z from 'zod';
import { pathString, wholeNumber } from './common.js';
import { jobCommonFields } from './job-common.js';
import { maxShrink, sourceEntry } from './job-source-guard.js';

export const snapshotJob = z
  .strictObject({
    engine: z.literal('snapshot'),
    ...jobCommonFields,
    sources: z.array(sourceEntry).min(1, 'expected at least one source').describe('Directories to back up.'),
    maxShrink,
    destination: z
      .strictObject({
        path: pathString.describe('Snapshots go to `<path>/<host>/{daily,weekly,monthly}/`.'),
        requireMountpoint: z.boolean().default(false).describe('Write nothing unless `path` is a mount point. Default: false.'),
        minFreeGB: z.number().min(0).default(0).describe('Refuse to run with less free space (GB); 0 = no check.'),
      })
      .describe('Where snapshots are written.'),
    retention: z
      .strictObject({
        daily: wholeNumber.default(7).describe('Daily snapshots kept. Default: 7.'),
        weekly: wholeNumber.default(4).describe('Weekly snapshots kept. Default: 4.'),
        monthly: wholeNumber.default(6).describe('Monthly snapshots kept. Default: 6.'),
      })
      .default({ daily: 7, weekly: 4, monthly: 6 }),
    preserve: z
      .array(z.enum(['hardlinks', 'acls', 'xattrs']))
      .default([])
      .describe(
        'What rsync -a does not keep and this job should (rsync -H, -A, -X): hard links between source files, ' +
          'POSIX ACLs, extended attributes. Each costs time on every file. Default: none, as rsnapshot.',
      ),
  })
  .describe('rsync hard-link snapshots.');
