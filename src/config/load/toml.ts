/**
 * TOML via @iarna/toml. Its syntax errors carry line/col; for validation issues it keeps no
 * positions, so `locateInToml` finds the line of a key path by reading table headers and
 * `key =` lines (best effort: the longest matching prefix of the path wins).
 */
import TOML from '@iarna/toml';
import type { IssuePath } from '../errors.js';
import { SyntaxProblems, type ParsedSource, type Position } from './source.js';

export function parseTomlSource(text: string): ParsedSource {
  let data: unknown;
  try {
    data = TOML.parse(text);
  } catch (error) {
    const { line, col, message } = error as { line?: number; col?: number; message?: string };
    const position = typeof line === 'number' ? { line: line + 1, column: (col ?? 0) + 1 } : undefined;
    const reason = (message ?? String(error)).split('\n')[0]!.replace(/ at row \d+, col \d+, pos \d+:$/, '');
    throw new SyntaxProblems([{ message: reason, position: position }]);
  }
  const keyLines = indexKeyLines(text);
  return { data, locate: (path) => locateInToml(keyLines, path) };
}

interface KeyLine {
  readonly keys: readonly string[];
  readonly position: Position;
}

const HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?/;
const ASSIGNMENT = /^(\s*)([A-Za-z0-9_"'. -]+?)\s*=/;

function indexKeyLines(text: string): KeyLine[] {
  const result: KeyLine[] = [];
  let table: string[] = [];
  text.split('\n').forEach((line, index) => {
    const header = HEADER.exec(line);
    if (header) {
      table = splitDottedKey(header[1]!);
      result.push({ keys: table, position: { line: index + 1, column: line.indexOf('[') + 1 } });
      return;
    }
    const assignment = ASSIGNMENT.exec(line);
    if (assignment) {
      result.push({ keys: [...table, ...splitDottedKey(assignment[2]!)], position: { line: index + 1, column: assignment[1]!.length + 1 } });
    }
  });
  return result;
}

function splitDottedKey(key: string): string[] {
  return (key.match(/"[^"]*"|'[^']*'|[^.]+/g) ?? []).map((part) => part.trim().replace(/^["']|["']$/g, ''));
}

function locateInToml(keyLines: readonly KeyLine[], path: IssuePath): Position | undefined {
  // Array-of-tables indices have no header of their own; match on the named keys only.
  const wanted = path.filter((segment): segment is string => typeof segment === 'string');
  let best: KeyLine | undefined;
  for (const candidate of keyLines) {
    const matches = candidate.keys.length <= wanted.length && candidate.keys.every((key, i) => key === wanted[i]);
    if (matches && (best === undefined || candidate.keys.length > best.keys.length)) best = candidate;
  }
  return best?.position;
}
