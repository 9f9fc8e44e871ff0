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

// Every `templates/scripts/partials/<name>.sh.hbs` is available as `{{> name}}`.
const partialsDir = join(templatesDir, 'partials');
for (const file of safeReaddir(partialsDir)) {
  if (file.endsWith('.sh.hbs')) {
    hb.registerPartial(file.slice(0, -'.sh.hbs'.length), readFileSync(join(partialsDir, file), 'utf8'));
  }
}

const cache = new Map<string, HandlebarsTemplateDelegate>();

/** Render `templates/scripts/<name>.sh.hbs` with `data`. */
export function renderTemplate(name: string, data: object): string {
  let template = cache.get(name);
  if (template === undefined) {
    template = hb.compile(readFileSync(join(templatesDir, `${name}.sh.hbs`), 'utf8'), { noEscape: true, strict: true });
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
