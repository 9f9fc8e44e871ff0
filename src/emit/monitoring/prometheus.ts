/** Prometheus rule pieces shared by the rules of every host kind. */

/** One alerting rule of a Prometheus rule group (prometheus.io "Alerting rules"). */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  /**
   * The alert's own labels. `backup_job` and `host` repeat the series' labels: promtool's
   * lint (and Prometheus' own dedup thinking) takes rules with one alert name and equal
   * labels for duplicates; `reason` tells the two stale rules of one job apart.
   */
  readonly labels: { readonly severity: string; readonly backup_job: string; readonly host: string; readonly reason?: string };
  readonly annotations: { readonly summary: string; readonly description: string };
}

export function promqlString(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}

/** A Prometheus duration in its largest exact unit (`26h`, `2d`, `90s`). */
export function promDuration(seconds: number): string {
  const units: readonly (readonly [string, number])[] = [['w', 604_800], ['d', 86_400], ['h', 3_600], ['m', 60]];
  for (const [suffix, size] of units) {
    if (seconds > 0 && seconds % size === 0) return `${seconds / size}${suffix}`;
  }
  return `${seconds}s`;
}
