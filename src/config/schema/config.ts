/** The whole configuration file: the single source of truth for config.md. */
import * as z from 'zod';
import { text } from './common.js';
import { defaultsSection } from './job-common.js';
import { hostsSection } from './hosts.js';
import { monitoringSection } from './monitoring.js';
import { notifiersSection } from './notifiers.js';
import { remotesSection } from './remotes.js';
import { secretsSection } from './secrets.js';

export const configSchema = z
  .strictObject({
    $schema: text().optional().describe('Editor hint: path or URL of this JSON Schema.'),
    version: z.literal(1).describe('Config format version: 1.'),
    secrets: secretsSection.optional(),
    remotes: remotesSection.default({}),
    defaults: defaultsSection,
    notifiers: notifiersSection.default({}),
    monitoring: monitoringSection,
    hosts: hostsSection,
  })
  .describe('backupgen configuration: describe your backups once.');

/** The validated config, defaults filled in by the schema. */
export type BackupgenConfig = z.output<typeof configSchema>;
/** What users write (`defineConfig` takes this). */
export type BackupgenConfigInput = z.input<typeof configSchema>;

/** JSON Schema for editors (yaml-language-server, VS Code), generated from the zod schema. */
export function configJsonSchema(): object {
  // io: 'input' describes what users write: fields with defaults are optional.
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
}
