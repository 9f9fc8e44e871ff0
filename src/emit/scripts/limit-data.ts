import { createHash } from 'node:crypto';
import type { ArchiveJob, MaxDelete, SnapshotJob } from '../../plan/model.js';

/**
 * A count-or-percentage limit (rclone's maxDelete, snapshot/archive maxShrink) for a script.
 * bash has integer arithmetic only, so a percentage travels in hundredths of a percent
 * (10.5% -> 1050); `label` is for messages.
 */
export function limitData(max: MaxDelete): { kind: string; value: string; label: string } {
  if (max.kind === 'count') return { kind: 'count', value: String(Math.floor(max.value)), label: String(max.value) };
  return { kind: 'percent', value: String(Math.round(max.value * 100)), label: `${max.value}%` };
}

/**
 * The source guard's values (templates/scripts/partials/source-guard.sh.hbs): sources that
 * must be mount points, maxShrink (kind '' = off), and `selection`, a digest of what the job
 * backs up (sources and excludes): when it changes, a smaller count is the user's doing and
 * the run does not compare with the last one.
 */
export function sourceGuardData(job: SnapshotJob | ArchiveJob) {
  const shrink = job.maxShrink === undefined ? { kind: '', value: '', label: '' } : limitData(job.maxShrink);
  const selection = createHash('sha256').update(JSON.stringify([job.sources, job.exclude])).digest('hex').slice(0, 16);
  return { sourceMountpoints: job.sourceMountpoints, shrinkKind: shrink.kind, shrinkValue: shrink.value, shrinkLabel: shrink.label, selection };
}
