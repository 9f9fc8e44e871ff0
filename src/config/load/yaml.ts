/**
 * YAML (and JSON, which YAML 1.2 reads) with positions kept for error messages.
 *
 * Two parsers, one answer. `yaml`'s `parseDocument` + `LineCounter` keep the position of
 * every node, so an issue path maps back to `line:col` of the key that holds it, and its
 * syntax errors are precise; building that document costs about five times what js-yaml
 * takes to read the same text (a 280 KB fleet config: ~300 ms against ~70 ms on a cold
 * start). So a config is read by js-yaml first, with YAML 1.2's core schema like `yaml`'s
 * default, and `yaml` only runs when positions are needed: a syntax error (js-yaml failed;
 * the message comes from `yaml`), or a validation issue (`locate` is called). Aliases are
 * left to `yaml` too, which bounds their expansion. test/config/yaml-parsers.test.ts checks
 * with fast-check that whatever js-yaml accepts, `yaml` reads without errors and to the
 * same data.
 */
import { createRequire } from 'node:module';
import { CORE_SCHEMA, load } from 'js-yaml';
import type { Node } from 'yaml';
import type { IssuePath } from '../errors.js';
import { SyntaxProblems, type Locator, type ParsedSource, type Position } from './source.js';

// Keeps a "billion laughs" alias bomb from exhausting memory; real configs use few aliases.
const MAX_ALIAS_COUNT = 100;

// `yaml` is loaded on first use only: a valid config never needs it.
const requireModule = createRequire(import.meta.url);
let yamlModule: typeof import('yaml') | undefined;
const yamlLibrary = (): typeof import('yaml') => (yamlModule ??= requireModule('yaml') as typeof import('yaml'));

export function parseYamlSource(text: string): ParsedSource {
  const fast = readFast(text);
  if (fast === undefined) return parseWithPositions(text);
  let positioned: Locator | undefined;
  return { data: fast.data, locate: (path) => (positioned ??= parseWithPositions(text).locate)(path) };
}

/**
 * js-yaml's reading, or undefined when `yaml` must decide: js-yaml found a problem, the
 * text uses aliases (maxAliases 0), or it holds no document at all (js-yaml says undefined,
 * `yaml` null). Also left to `yaml` is every text using a feature where the two were seen to
 * differ (the property test finds such texts quickly; configs hardly ever use these, and
 * `yaml` reads them correctly, only slower):
 * - a mapping key spelled `null`: a null key (`~: x`) is "null" to js-yaml and "" to `yaml`,
 *   and only `yaml` can tell it from a quoted "null";
 * - control characters (tab, carriage return, ...), BOMs and Unicode line separators, which
 *   the two read differently (YAML 1.2 forbids tabs in indentation; js-yaml accepts them
 *   in places);
 * - document markers (`---`, `...`) and directives (`%YAML`) at the start of a line;
 * - tags (`!`, `!!str`), anchors (`&`), complex keys (`? `) and block scalars with an
 *   explicit indentation (`|2`, `>-1`);
 * - numbers too large for a double (`1e310`: a string to js-yaml, Infinity to `yaml`).
 */
export const LEFT_TO_YAML = /[\0-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]|[!&]|^\s*(?:---|\.\.\.|%)|(?:^|\s)\?(?:\s|$)|[|>][-+]?\d|\d[eE][-+]?\d{3}|\d{300}/m;

export function readFast(text: string): { data: unknown } | undefined {
  if (LEFT_TO_YAML.test(text)) return undefined;
  let data: unknown;
  try {
    data = load(text, { schema: CORE_SCHEMA, maxAliases: 0 });
  } catch {
    return undefined;
  }
  return data === undefined || hasNullKey(data) ? undefined : { data };
}

function hasNullKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasNullKey);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, child]) => key === 'null' || hasNullKey(child));
}

/** The document with positions; a syntax problem throws SyntaxProblems with its line. */
export function parseWithPositions(text: string): ParsedSource {
  const { LineCounter, parseDocument } = yamlLibrary();
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
  const { isMap, isPair, isScalar, isSeq } = yamlLibrary();
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
