/**
 * User-facing configuration errors: every problem found, each printed as one line
 * `file:line:col path.to.key: message`, sorted by position. The CLI prints
 * `ConfigError.issues` (or `.message`) and exits 2; no stack trace, since these are the
 * user's mistakes, not ours.
 */

export type IssuePath = readonly (string | number)[];

/** A problem before positions are known (from zod or a rule). */
export interface PathIssue {
  readonly path: IssuePath;
  readonly message: string;
}

export interface ConfigIssue extends PathIssue {
  /** The config file as the user named it. */
  readonly file: string;
  /** 1-based; undefined when the position is unknown (TS configs, some TOML paths). */
  readonly line: number | undefined;
  readonly column: number | undefined;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `hosts.laptop.jobs["my job"].sources[0]`: dots between keys, quotes where a key needs them. */
export function formatIssuePath(path: IssuePath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `${text === '' ? '' : '.'}${JSON.stringify(segment)}`;
  }
  return text;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  const path = formatIssuePath(issue.path);
  return path === '' ? `${where} ${issue.message}` : `${where} ${path}: ${issue.message}`;
}

/** By line, then column; issues without a position go last; ties keep their order. */
export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const key = (issue: ConfigIssue): [number, number] => [issue.line ?? Number.MAX_SAFE_INTEGER, issue.column ?? 0];
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => {
      const [la, ca] = key(a.issue);
      const [lb, cb] = key(b.issue);
      return la - lb || ca - cb || a.index - b.index;
    })
    .map(({ issue }) => issue);
}

export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const sorted = sortIssues(issues);
    super(sorted.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
    this.issues = sorted;
  }

  /** One line per problem, as printed to the user. */
  lines(): string[] {
    return this.issues.map(formatIssue);
  }
}
