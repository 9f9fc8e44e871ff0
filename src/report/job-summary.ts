/**
 * One job in plain words for `backupgen plan`: when it runs (the next runs from its
 * OnCalendar lines), what it reads, where it writes, and what its retention keeps.
 */
import type { JobPlan, MaxDelete } from '../plan/model.js';
import { nextRuns } from './calendar-next.js';

export interface JobWhen {
  /** `timer`, `after` (started by runAfter's success), or `off` (enable: false). */
  readonly trigger: 'timer' | 'after' | 'off';
  /** The schedule as written, and its OnCalendar lines. */
  readonly schedule: string;
  readonly onCalendar: readonly string[];
  /** Next elapses (ISO 8601, UTC) for a timer; empty when it has none. */
  readonly next: readonly string[];
  /** Extra words: the random delay, catching up after downtime, AC power, the job it follows. */
  readonly notes: readonly string[];
}

export interface JobSummary {
  readonly name: string;
  readonly user: string | undefined;
  readonly engine: JobPlan['engine'];
  readonly when: JobWhen;
  readonly what: readonly string[];
  readonly where: readonly string[];
  readonly retention: string;
}

export function summarizeJob(job: JobPlan, user: string | undefined, nowMs: number, count: number): JobSummary {
  return { name: job.name, user, engine: job.engine, when: when(job, nowMs, count), what: what(job), where: where(job), retention: retentionWords(job) };
}

function when(job: JobPlan, nowMs: number, count: number): JobWhen {
  const base = { schedule: job.schedule.source, onCalendar: job.schedule.onCalendar };
  if (!job.enable) return { ...base, trigger: 'off', next: [], notes: ['enable: false, the timer is off'] };
  if (job.runAfter !== undefined) {
    return { ...base, trigger: 'after', next: [], notes: [`starts when ${job.runAfter.job} succeeds`] };
  }
  const runs = nextRuns(job.schedule.onCalendar, nowMs, count);
  const notes: string[] = [];
  if (runs === undefined) notes.push('next runs not computed: `systemd-analyze calendar` shows them');
  if (job.randomDelay !== undefined) notes.push(`each up to ${job.randomDelay} later (randomDelay)`);
  if (job.persistent) notes.push('a run missed while off runs at the next boot');
  if (job.onlyOnAC) notes.push('skipped on battery');
  return { ...base, trigger: 'timer', next: (runs ?? []).map((t) => new Date(t).toISOString()), notes };
}

function what(job: JobPlan): string[] {
  if (job.engine !== 'rclone') return [...job.sources];
  const s = job.source;
  if (s.kind === 'job') return [`${s.path} (the newest snapshot of ${s.job})`];
  return [s.kind === 'remote' ? `${s.remote.name}:${s.path}` : s.path];
}

function where(job: JobPlan): string[] {
  switch (job.engine) {
    case 'snapshot': {
      const dir = `${job.destination.path.replace(/\/+$/, '')}/${job.host}/{daily,weekly,monthly}`;
      return [`${dir}${job.destination.requireMountpoint ? ' (only when mounted)' : ''}`];
    }
    case 'archive':
      return job.destinations.map((d) => `${d.kind === 'local' ? d.path : `${d.remote.name}:${d.path}`} (${job.format})`);
    case 'rclone':
      return [`${job.target.remote.name}:${job.target.path}`];
  }
}

/** Retention (and for rclone what a run does to the target) in plain words. */
export function retentionWords(job: JobPlan): string {
  switch (job.engine) {
    case 'snapshot': {
      const { daily, weekly, monthly } = job.retention;
      const classes = [[daily, 'daily'], [weekly, 'weekly'], [monthly, 'monthly']].filter(([n]) => (n as number) > 0).map(([n, c]) => `${n} ${c}`);
      const reach = monthly > 0 ? `about ${monthly} month${monthly === 1 ? '' : 's'} back` : weekly > 0 ? `about ${weekly} week${weekly === 1 ? '' : 's'} back` : daily > 0 ? `${daily} run${daily === 1 ? '' : 's'} back` : '';
      if (classes.length === 0) return 'only the newest snapshot';
      return `${classes.join(', ')} snapshots (${reach}); the newest is always kept`;
    }
    case 'archive': {
      const { keep, maxAgeDays } = job.retention;
      if (keep === 0 && maxAgeDays === 0) return 'every archive (no limit) in each destination';
      const limits = [keep > 0 ? `the newest ${keep}` : 'archives', maxAgeDays > 0 ? `none older than ${maxAgeDays} day${maxAgeDays === 1 ? '' : 's'}` : ''].filter((s) => s !== '');
      return `${limits.join(', ')} in each destination; the newest is always kept`;
    }
    case 'rclone': {
      const mode = {
        sync: 'a mirror: files deleted at the source are deleted on the target',
        copy: 'a copy: nothing is ever deleted on the target',
        move: 'a move: files leave the source once transferred',
      }[job.mode];
      const extras = [
        job.mode === 'sync' && job.maxDelete !== undefined ? `a run deleting more than ${limitWords(job.maxDelete)} is refused` : '',
        job.backupDir ? `replaced and deleted files kept under ${job.target.path.replace(/\/+$/, '')}-backups/<time> (never pruned)` : '',
      ].filter((s) => s !== '');
      return [mode, ...extras].join('; ');
    }
  }
}

function limitWords(limit: MaxDelete): string {
  return limit.kind === 'count' ? `${limit.value} files` : `${limit.value}% of the files`;
}
