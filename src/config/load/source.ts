/** What each format's reader hands to validation: the data and a way back to positions. */
import type { IssuePath } from '../errors.js';

export interface Position {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

/** Best-effort position of a path in the source; undefined when the format cannot tell. */
export type Locator = (path: IssuePath) => Position | undefined;

export interface ParsedSource {
  readonly data: unknown;
  readonly locate: Locator;
}

export interface SyntaxProblem {
  readonly message: string;
  readonly position: Position | undefined;
}

/** Thrown by a reader when the file cannot even be parsed; load.ts turns it into a ConfigError. */
export class SyntaxProblems extends Error {
  constructor(readonly problems: readonly SyntaxProblem[]) {
    super(problems.map((p) => p.message).join('\n'));
    this.name = 'SyntaxProblems';
  }
}
