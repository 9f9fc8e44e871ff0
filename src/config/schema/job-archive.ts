/** Engine `archive`: tar/zip archives with checksums and a manifest. */
import * as z from 'zod';
import { pathString, text, wholeNumber } from './common.js';
import { jobCommonFields } from './job-common.js';
import { maxShrink, sourceEntry } from './job-source-guard.js';

const destination = z
  .strictObject({
    path: pathString.describe('A local directory, or a path inside `remote`.'),
    remote: text().min(1).optional().describe('A remote name; without it `path` is local.'),
  })
  .describe('One place the archive is written to.');

export const archiveJob = z
  .strictObject({
    engine: z.literal('archive'),
    ...jobCommonFields,
    sources: z.array(sourceEntry).min(1, 'expected at least one source').describe('Files and directories to archive.'),
    maxShrink,
    stopServices: z.array(text()).default([]).describe('systemd units stopped before, always restarted after.'),
    format: z.enum(['tar.gz', 'tar.xz', 'tar.bz2', 'tar.zst', 'zip']).default('tar.zst').describe('Archive format. Default: tar.zst.'),
    destinations: z.array(destination).min(1, 'expected at least one destination'),
    retention: z
      .strictObject({
        keep: wholeNumber.default(10).describe('Archives kept per destination; 0 = no limit. Default: 10.'),
        maxAgeDays: wholeNumber.default(0).describe('Delete archives older than this; 0 = no limit. Default: 0.'),
      })
      .default({ keep: 10, maxAgeDays: 0 }),
    owner: z
      .strictObject({ user: text().min(1), group: text().min(1).optional().describe('Default: the user.') })
      .optional()
      .describe('Owner of the written archives.'),
  })
  .describe('tar/zip archives with checksums and a manifest.');
