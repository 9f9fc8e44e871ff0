import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/report-error.js';
import { cli, fixtureCopy, removeScratch, scratchDir, snapshotTree } from './cli-harness.js';

afterAll(removeScratch);

const STACK_LINE = /^\s+at /;

/** Two snapshot jobs on host a, one on host b; `withoutB` drops host b. */
function twoHosts(withoutB = false): string {
  const job = (name: string) => `      ${name}: { engine: snapshot, sources: [/srv/${name}], destination: { path: /mnt/backup/${name} } }\n`;
  return `version: 1\nhosts:\n  a:\n    jobs:\n${job('one')}${job('two')}` + (withoutB ? '' : `  b:\n    jobs:\n${job('three')}`);
}

describe('build', () => {
  it('reports every config problem on one positioned line each, exits 2, prints no stack, writes nothing', async () => {
    const dir = await scratchDir();
    await writeFile(
      join(dir, 'backupgen.yaml'),
      'version: 1\nhosts:\n  a:\n    jobs:\n      j:\n        engine: snapshot\n        sources: [/x]\n        destination: { path: /y }\n        retention: { daily: -1, weekly: many }\n',
    );
    const run = await cli(dir, 'build');
    expect(run.status).toBe(2);
    expect(run.stderr).toEqual([
      expect.stringMatching(/^backupgen\.yaml:9:\d+ hosts\.a\.jobs\.j\.retention\.daily: /),
      expect.stringMatching(/^backupgen\.yaml:9:\d+ hosts\.a\.jobs\.j\.retention\.weekly: /),
    ]);
    expect(run.stderr.some((line) => STACK_LINE.test(line))).toBe(false);
    expect(run.stdout).toEqual([]);
    expect(existsSync(join(dir, 'backupgen'))).toBe(false);
  });

  it('is deterministic: two builds are byte-identical and the second writes nothing', async () => {
    const dir = await fixtureCopy('offsite');
    const first = await cli(dir, 'build', '--out', 'one');
    const second = await cli(dir, 'build', '--out', 'two');
    expect(first.status).toBe(0);
    expect(second.status).toBe(0);
    expect(await snapshotTree(join(dir, 'two'))).toEqual(await snapshotTree(join(dir, 'one')));
    const again = await cli(dir, 'build', '--out', 'one');
    expect(again.stdout).toEqual([expect.stringMatching(/^0 files written, \d+ unchanged, 0 removed/)]);
    expect(first.stdout).toEqual([expect.stringMatching(/^\d+ files written, 0 unchanged, 0 removed \(one\)$/)]);
  });

  it('removes files an earlier build generated, and their emptied folders, but not the user\'s files', async () => {
    const dir = await scratchDir();
    await writeFile(join(dir, 'backupgen.yaml'), twoHosts());
    expect((await cli(dir, 'build')).status).toBe(0);
    expect(existsSync(join(dir, 'backupgen/hosts/b/scripts/three.sh'))).toBe(true);
    await mkdir(join(dir, 'backupgen/notes'));
    await writeFile(join(dir, 'backupgen/notes/README'), 'mine');

    await writeFile(join(dir, 'backupgen.yaml'), twoHosts(true));
    const run = await cli(dir, 'build');
    expect(run.status).toBe(0);
    expect(run.stdout[0]).toMatch(/ written, \d+ unchanged, [1-9]\d* removed/);
    expect(existsSync(join(dir, 'backupgen/hosts/b'))).toBe(false);
    expect(existsSync(join(dir, 'backupgen/hosts/a/scripts/one.sh'))).toBe(true);
    expect(await readFile(join(dir, 'backupgen/notes/README'), 'utf8')).toBe('mine');
  });

  it('--check exits 1 listing missing, changed and stale files, and changes nothing', async () => {
    const dir = await scratchDir();
    await writeFile(join(dir, 'backupgen.yaml'), twoHosts());
    const fresh = await cli(dir, 'build', '--check');
    expect(fresh.status).toBe(1);
    expect(fresh.stderr).toContainEqual(expect.stringMatching(/^missing +backupgen\/hosts\/a\/scripts\/one\.sh$/));
    expect(existsSync(join(dir, 'backupgen'))).toBe(false);

    await cli(dir, 'build');
    expect(await cli(dir, 'build', '--check')).toMatchObject({ status: 0, stderr: [] });

    await writeFile(join(dir, 'backupgen/hosts/a/scripts/one.sh'), 'edited\n');
    await writeFile(join(dir, 'backupgen.yaml'), twoHosts(true));
    const before = await snapshotTree(join(dir, 'backupgen'));
    const stale = await cli(dir, 'build', '--check');
    expect(stale.status).toBe(1);
    expect(stale.stderr).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^changed +backupgen\/hosts\/a\/scripts\/one\.sh$/),
        expect.stringMatching(/^stale +backupgen\/hosts\/b\/scripts\/three\.sh$/),
        expect.stringMatching(/out of date; run `backupgen build`/),
      ]),
    );
    expect(await snapshotTree(join(dir, 'backupgen'))).toEqual(before);
  });

  it('exits 2 with a hint when there is no config in the folder', async () => {
    const run = await cli(await scratchDir(), 'build');
    expect(run.status).toBe(2);
    expect(run.stderr).toEqual([expect.stringMatching(/^no config file in .*backupgen init/)]);
  });
});

describe('init, validate, schema', () => {
  it('init writes a starter config that validates and builds, and refuses to overwrite it', async () => {
    const dir = await scratchDir();
    expect((await cli(dir, 'init')).status).toBe(0);
    const validate = await cli(dir, 'validate');
    expect(validate).toMatchObject({ status: 0, stderr: [] });
    expect(validate.stdout).toEqual([expect.stringMatching(/^backupgen\.yaml: ok \(/)]);

    await writeFile(join(dir, 'backupgen.yaml'), '# mine\nversion: 1\n');
    const again = await cli(dir, 'init');
    expect(again).toMatchObject({ status: 2, stderr: [expect.stringMatching(/already exists; pass --force/)] });
    expect(await readFile(join(dir, 'backupgen.yaml'), 'utf8')).toBe('# mine\nversion: 1\n');
    expect((await cli(dir, 'init', '--force')).status).toBe(0);
    expect(await readFile(join(dir, 'backupgen.yaml'), 'utf8')).not.toContain('# mine');
  });

  it('validate reports problems like build does', async () => {
    const dir = await scratchDir();
    await writeFile(join(dir, 'backupgen.yaml'), 'version: 2\n');
    const run = await cli(dir, 'validate');
    expect(run.status).toBe(2);
    expect(run.stderr).toEqual([expect.stringMatching(/^backupgen\.yaml:1:\d+ version: /)]);
  });

  it('schema prints the JSON Schema as valid JSON', async () => {
    const run = await cli(await scratchDir(), 'schema');
    expect(run.status).toBe(0);
    const schema = JSON.parse(run.stdout.join('\n')) as { type: string; properties: Record<string, unknown> };
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['version', 'secrets', 'remotes', 'hosts']));
  });
});

describe('the command line itself', () => {
  it('--version prints package.json\'s version', async () => {
    const { version } = JSON.parse(await readFile(join(import.meta.dirname, '../../package.json'), 'utf8'));
    expect(await cli(await scratchDir(), '--version')).toMatchObject({ status: 0, stdout: [version] });
  });

  it('--help lists the commands and exits 0', async () => {
    const run = await cli(await scratchDir(), '--help');
    expect(run.status).toBe(0);
    expect(run.stdout.join('\n')).toMatch(/build[\s\S]*validate[\s\S]*schema[\s\S]*init/);
  });

  it('unknown commands and options are usage errors (exit 2)', async () => {
    expect((await cli(await scratchDir(), 'frobnicate')).status).toBe(2);
    expect((await cli(await scratchDir(), 'build', '--bogus')).status).toBe(2);
  });

  it('an unexpected error is reported as a bug with its stack (exit 70)', () => {
    const lines: string[] = [];
    const status = reportError(new TypeError('boom'), { cwd: '/', out: () => {}, err: (line) => lines.push(line) });
    expect(status).toBe(70);
    expect(lines.join('\n')).toMatch(/TypeError: boom\n\s+at /);
    expect(lines.at(-1)).toMatch(/this is a bug in backupgen/);
  });
});
