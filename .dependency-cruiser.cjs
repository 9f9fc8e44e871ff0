/**
 * Dependency direction of backupgen's pipeline (architecture.md): each stage may import
 * earlier stages only, never a later one:
 *
 *   config  <-  plan  <-  emit  <-  write  <-  cli        print: a leaf that emit uses
 *
 * report/ (`backupgen plan`'s analysis) is a side branch: it reads the plan, and only the
 * cli reads it.
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
      name: 'report-reads-only-the-plan',
      comment: 'report/ analyses the Plan; it emits, writes and prints nothing',
      severity: 'error',
      from: { path: '^src/report/' },
      to: { path: '^src/(emit|write|cli|print)/' },
    },
    {
      name: 'only-cli-reads-reports',
      comment: 'the pipeline stages never depend on the reporting branch',
      severity: 'error',
      from: { path: '^src/(config|plan|emit|write|print)/' },
      to: { path: '^src/report/' },
    },
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
