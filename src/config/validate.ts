/** Data from any format -> the validated config, or a ConfigError listing every problem. */
import { ConfigError, type ConfigIssue, type PathIssue } from './errors.js';
import type { Locator } from './load/source.js';
import { checkRules } from './rules/index.js';
import { configSchema, type BackupgenConfig } from './schema/config.js';
import { flattenZodIssues, plainMessage } from './zod-issues.js';

export function validateConfig(data: unknown, file: string, locate: Locator = () => undefined): BackupgenConfig {
  const parsed = configSchema.safeParse(data, { error: plainMessage, reportInput: true });
  // Cross-field rules need well-typed data, so they run only once the schema is satisfied.
  const problems: PathIssue[] = parsed.success ? checkRules(parsed.data) : flattenZodIssues(parsed.error.issues);
  if (problems.length > 0) throw new ConfigError(problems.map((problem) => positioned(problem, file, locate)));
  return parsed.data!;
}

function positioned(problem: PathIssue, file: string, locate: Locator): ConfigIssue {
  const position = locate(problem.path);
  return { ...problem, file, line: position?.line, column: position?.column };
}
