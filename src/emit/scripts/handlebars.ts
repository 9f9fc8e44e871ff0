import Handlebars from 'handlebars';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../package-root.js';
import { shellArray, shellQuote } from '../../print/shell/quote.js';

/**
 * The one Handlebars environment for shell templates. Compiled with `noEscape` (HTML
 * escaping is meaningless in shell) and `strict` (a missing value is an error, not an empty
 * string). Values reach a script only through the `sh` / `sharray` helpers, so a bare
 * `{{x}}` in a template stands out in review.
 */
export const templatesDir = join(packageRoot(), 'templates', 'scripts');

const hb = Handlebars.create();
hb.registerHelper('sh', (value: unknown) => shellQuote(String(value)));
hb.registerHelper('sharray', (values: unknown) => shellArray((values as unknown[]).map(String)));

const COMPILE_OPTIONS: CompileOptions = { noEscape: true, strict: true };

/**
 * Partials whose text depends on their context object alone (no `@data`, `@root` or `../`
 * above it), rendered once per context object. The four tools of a host share their
 * template data (tool-data.ts), so each rclone job's config section is rendered once, not
 * four times, per host. Handlebars indents a partial's result after it returns, so the cached
 * text holds for every call site.
 */
const CONTEXT_ONLY_PARTIALS = new Set(['rclone-config-write']);

function contextMemoPartial(source: string): Handlebars.Template {
  let compiled: HandlebarsTemplateDelegate | undefined;
  const rendered = new WeakMap<object, string>();
  return (context: unknown, options?: RuntimeOptions) => {
    compiled ??= hb.compile(source, COMPILE_OPTIONS);
    if (typeof context !== 'object' || context === null) return compiled(context, options);
    let text = rendered.get(context);
    if (text === undefined) rendered.set(context, (text = compiled(context, options)));
    return text;
  };
}

// Every `templates/scripts/partials/<name>.sh.hbs` is available as `{{> name}}`.
const partialsDir = join(templatesDir, 'partials');
for (const file of safeReaddir(partialsDir)) {
  if (file.endsWith('.sh.hbs')) {
    const name = file.slice(0, -'.sh.hbs'.length);
    const source = readFileSync(join(partialsDir, file), 'utf8');
    hb.registerPartial(name, CONTEXT_ONLY_PARTIALS.has(name) ? contextMemoPartial(source) : source);
  }
}

const cache = new Map<string, HandlebarsTemplateDelegate>();

/** Render `templates/scripts/<name>.sh.hbs` with `data`. */
export function renderTemplate(name: string, data: object): string {
  let template = cache.get(name);
  if (template === undefined) {
    template = hb.compile(readFileSync(join(templatesDir, `${name}.sh.hbs`), 'utf8'), COMPILE_OPTIONS);
    cache.set(name, template);
  }
  return template(data);
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
