/** The `notifiers` section: named notification channels. */
import * as z from 'zod';
import { secretOrValue, text } from './common.js';

const events = z
  .array(z.enum(['start', 'success', 'failure']))
  .default(['failure'])
  .describe('Events that notify. Default: [failure].');

const webhook = z.strictObject({ type: z.literal('webhook'), url: secretOrValue.describe('URL to POST to.'), on: events });
const desktop = z.strictObject({ type: z.literal('desktop'), on: events });
const email = z.strictObject({ type: z.literal('email'), to: text().min(1).describe('Recipient address.'), on: events });
const healthchecks = z.strictObject({
  type: z.literal('healthchecks'),
  url: secretOrValue.describe('Ping URL; /start and /fail are appended.'),
  on: z.array(z.enum(['start', 'success', 'failure'])).default(['start', 'success', 'failure'])
    .describe('Events that ping. Default: all.'),
});

export const notifier = z.discriminatedUnion('type', [webhook, desktop, email, healthchecks]).describe('A notification channel.');
export const notifiersSection = z.record(text(), notifier).describe('Named notification channels.');

export type NotifierConfig = z.output<typeof notifier>;
