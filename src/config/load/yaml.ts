/**
 * YAML (and JSON, which YAML 1.2 reads) with positions kept: `parseDocument` + `LineCounter`
 * let every issue path map back to `line:col` of the key that holds it.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { IssuePath } from '../errors.js';
import { SyntaxProblems, type ParsedSource, type Position } from './source.js';

// Keeps a "billion laughs" alias bomb from exhausting memory; real configs use few aliases.
const MAX_ALIAS_COUNT = 100;

export function parseYamlSource(text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const problems = doc.errors.map((error) => {
    const position = error.linePos?.[0];
    return { message: firstLine(error.message), position: position ? { line: position.line, column: position.col } : undefined };
  });
  if (problems.length > 0) throw new SyntaxProblems(problems);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new SyntaxProblems([{ message: firstLine(error instanceof Error ? error.message : String(error)), position: undefined }]);
  }
  const at = (offset: number | undefined): Position | undefined => {
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return { data, locate: (path) => at(offsetOf(doc.contents, path)) };
}

/**
 * Offset of the deepest existing node on `path`: the key of a mapping entry (that is where
 * the eye looks for "retention.daily"), or the item of a list. A path that runs past what
 * exists (a missing key) stops at the nearest parent.
 */
function offsetOf(root: unknown, path: IssuePath): number | undefined {
  let node = root;
  let offset = rangeStart(root);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

/** prettyErrors appends " at line L, column C:" and a source excerpt; we print our own position. */
function firstLine(message: string): string {
  return message.split('\n')[0]!.trim().replace(/ at line \d+, column \d+:?$/, '');
}
