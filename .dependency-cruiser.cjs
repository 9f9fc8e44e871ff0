/**
 * Dependency direction of backupgen's pipeline (architecture.md): each stage may import
 * earlier stages only, never a later one:
 *
 *   config  <-  plan  <-  emit  <-  write  <-  cli        print: a leaf that emit uses
 *
 * Run through scripts/lint-deps.mjs, which hands dependency-cruiser a JS skeleton of src/
 * (TypeScript 7 has no JS compiler API for dependency-cruiser to read .ts with), type-only
 * imports included: a type from a later stage couples the stages just as much.
 */
const STAGES = ['config', 'plan', 'emit', 'write', 'cli'];

const laterThan = (stage) => STAGES.slice(STAGES.indexOf(stage) + 1);

module.exports = {
  forbidden: [
    ...STAGES.slice(0, -1).map((stage) => ({
      name: `${stage}-imports-a-later-stage`,
      comment: `${stage}/ may not import ${laterThan(stage).join(', ')}: the pipeline only looks forward`,
      severity: 'error',
      from: { path: `^src/${stage}/` },
      to: { path: `^src/(${laterThan(stage).join('|')})/` },
    })),
    {
      name: 'print-is-a-leaf',
      comment: 'print/ turns trees into text; it knows nothing about configs, plans or files',
      severity: 'error',
      from: { path: '^src/print/' },
      to: { path: '^src/(config|plan|emit|write|cli)/' },
    },
    {
      name: 'only-emit-prints',
      comment: 'config and plan produce data, never text; print is used by emit',
      severity: 'error',
      from: { path: '^src/(config|plan)/' },
      to: { path: '^src/print/' },
    },
    {
      name: 'no-circular',
      comment:
        'a cycle makes initialisation order matter; a warning only, because the skeleton cannot tell ' +
        'type-only cycles (a renderer importing its result type from the dispatcher) from real ones',
      severity: 'warn',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
  },
};
