/**
 * What snapshot and archive jobs share to refuse a backup of data that is not there: a
 * source entry that may demand a mount point, and `maxShrink`, the largest drop in the file
 * count from the last successful run that a run accepts (rsnapshot issue #351: an unmounted
 * disk, an empty directory where it should be, rotated the good snapshots away).
 */
import * as z from 'zod';
import { expectedForms, pathString } from './common.js';

export const sourceEntry = z
  .union(
    [
      pathString,
      z.strictObject({
        path: pathString,
        requireMountpoint: z.boolean().default(false).describe('Refuse the run unless this source is a mount point (an unmounted disk or NFS share). Default: false.'),
      }),
    ],
    { error: expectedForms('a path or `{ path, requireMountpoint }`') },
  )
  .describe('A path, or `{ path, requireMountpoint: true }` for a source that must be a mount point.');

const FORMS = 'a count, a percentage like "50%", or false / "off"';

export const maxShrink = z
  .union([z.int().min(0), z.string().regex(/^\d+(\.\d+)?%$/, { error: expectedForms(FORMS) }), z.literal(false), z.literal('off')], { error: expectedForms(FORMS) })
  .default('50%')
  .describe(
    'Refuse a run whose sources hold fewer files than the last successful run by more than this (a count, or a share ' +
      'like "50%"), and one where a source that had files is now empty. false or "off" disables both. ' +
      'BACKUPGEN_ALLOW_SHRINK=1 accepts a real shrink for one run. Default: "50%".',
  );
