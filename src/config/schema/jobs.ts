/** A job is one of the three engines, told apart by `engine`. */
import * as z from 'zod';
import { text } from './common.js';
import { archiveJob } from './job-archive.js';
import { rcloneJob } from './job-rclone.js';
import { snapshotJob } from './job-snapshot.js';

export const job = z.discriminatedUnion('engine', [snapshotJob, rcloneJob, archiveJob]).describe('A backup job.');
export const jobsSection = z.record(text(), job).default({}).describe('Jobs keyed by name (also the unit name `backupgen-<name>`).');

export type JobConfig = z.output<typeof job>;
