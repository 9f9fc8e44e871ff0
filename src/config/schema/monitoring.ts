/** The `monitoring` section: metrics and staleness alerts. */
import * as z from 'zod';
import { pathString, timespan } from './common.js';

export const monitoringSection = z
  .strictObject({
    prometheus: z
      .strictObject({
        textfileDir: pathString.default('/var/lib/prometheus-node-exporter').describe('node_exporter textfile collector directory.'),
        staleAfter: timespan.default('26h').describe('Alert when a job has not succeeded for this long (systemd time span).'),
      })
      .optional(),
  })
  .default({})
  .describe('Metrics and staleness alerts.');
