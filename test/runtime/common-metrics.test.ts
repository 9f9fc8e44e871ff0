/**
 * Prometheus textfile metrics of the common runtime (templates/scripts/partials/
 * common-metrics.sh.hbs), run for real: the .prom file a run leaves is parsed by a strict
 * parser of the text exposition format here, linted by `promtool check metrics`, and read by
 * a real node_exporter's textfile collector over HTTP.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { execa } from 'execa';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { JobCommon, Plan } from '../../src/plan/model.js';
import { snapshotJob } from '../support/plan-builders.js';
import { renderHarness, renderJob } from './support/render.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';
import { shellcheck } from './support/shellcheck.js';

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const METRICS = [
  'backupgen_last_run_timestamp_seconds',
  'backupgen_last_run_success',
  'backupgen_last_success_timestamp_seconds',
  'backupgen_last_run_duration_seconds',
  'backupgen_last_run_bytes',
  'backupgen_last_run_files',
];

/**
 * The text exposition format (prometheus.io "Exposition formats"), strictly: every family
 * has exactly one HELP and one TYPE line before its samples, label values are double-quoted
 * with only `\\`, `\"` and `\n` escapes, the file ends with a newline. Throws on anything else.
 */
function parseProm(text: string): Sample[] {
  if (!text.endsWith('\n')) throw new Error('no final newline');
  const samples: Sample[] = [];
  const help = new Set<string>();
  const type = new Set<string>();
  for (const line of text.slice(0, -1).split('\n')) {
    let m = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (m) {
      if (help.has(m[1]!) || samples.some((s) => s.name === m![1])) throw new Error(`misplaced HELP: ${line}`);
      help.add(m[1]!);
      continue;
    }
    m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (m) {
      if (type.has(m[1]!) || samples.some((s) => s.name === m![1])) throw new Error(`misplaced TYPE: ${line}`);
      type.add(m[1]!);
      continue;
    }
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const [, name, labelText, valueText] = m;
    if (!help.has(name!) || !type.has(name!)) throw new Error(`sample before HELP/TYPE: ${line}`);
    const labels: Record<string, string> = {};
    const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
    while (label.lastIndex < labelText!.length) {
      const l = label.exec(labelText!);
      if (!l) throw new Error(`bad label set: ${labelText}`);
      labels[l[1]!] = l[2]!.replace(/\\([\\"n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    if (!/^-?\d+(\.\d+)?$/.test(valueText!)) throw new Error(`bad value: ${line}`);
    samples.push({ name: name!, labels, value: Number(valueText) });
  }
  return samples;
}

function valuesOf(samples: readonly Sample[]): Record<string, number> {
  return Object.fromEntries(samples.map((s) => [s.name, s.value]));
}

async function promtoolCheck(text: string): Promise<{ exitCode: number | undefined; output: string }> {
  const r = await execa('promtool', ['check', 'metrics'], { input: text, reject: false });
  return { exitCode: r.exitCode, output: `${r.stdout}${r.stderr}` };
}

interface World {
  readonly sb: Sandbox;
  readonly textfileDir: string;
  readonly monitoring: Partial<Plan>;
  run(body: string, now: string, job?: Partial<JobCommon>): ReturnType<Sandbox['run']>;
  prom(job?: string): Promise<string>;
}

async function world(): Promise<World> {
  const sb = await createSandbox();
  onTestFinished(() => sb.cleanup());
  const textfileDir = sb.path('textfile');
  await mkdir(textfileDir);
  const monitoring: Partial<Plan> = { monitoring: { prometheus: { textfileDir, staleAfter: '26h' } } };
  return {
    sb,
    textfileDir,
    monitoring,
    async run(body, now, job = {}) {
      const script = await sb.writeScript('job', renderHarness(snapshotJob(job), body, monitoring));
      return sb.run(script, { env: { BACKUPGEN_NOW: now } });
    },
    prom: (job = 'home') => readFile(join(textfileDir, `backupgen-${job}.prom`), 'utf8'),
  };
}

const epoch = (iso: string) => Date.parse(iso) / 1000;

describe('common runtime: Prometheus textfile metrics', () => {
  it('success, then failure: values, lastSuccess kept, labels, valid for promtool', async () => {
    const w = await world();
    // UMask=0077 as in the unit: the file must still be readable by node_exporter's user.
    const ok = await w.run('umask 077\nbg_begin\nBG_FILES=12\nBG_BYTES=3456\nbg_finish', '2025-01-15 02:00:00');
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.lastLine).toMatch(/^backupgen-home: ok: /);
    const first = await w.prom();
    const okSamples = parseProm(first);
    expect(okSamples.map((s) => s.name)).toEqual(METRICS);
    for (const s of okSamples) expect(s.labels).toEqual({ backup_job: 'home', host: 'laptop' });
    const status = await w.sb.readStatus('home');
    expect(valuesOf(okSamples)).toEqual({
      backupgen_last_run_timestamp_seconds: epoch(String(status['lastSuccess'])),
      backupgen_last_run_success: 1,
      backupgen_last_success_timestamp_seconds: epoch(String(status['lastSuccess'])),
      backupgen_last_run_duration_seconds: status['durationSeconds'],
      backupgen_last_run_bytes: 3456,
      backupgen_last_run_files: 12,
    });
    expect((await stat(join(w.textfileDir, 'backupgen-home.prom'))).mode & 0o777).toBe(0o644);
    expect(await promtoolCheck(first)).toEqual({ exitCode: 0, output: '' });

    const fail = await w.run('bg_begin\nBG_FILES=1\nbg_fail "disk on fire"', '2025-01-16 02:00:00');
    expect(fail.exitCode).toBe(1);
    expect(fail.lastLine).toBe('backupgen-home: FAILED: disk on fire');
    const second = await w.prom();
    const failed = valuesOf(parseProm(second));
    expect(failed).toMatchObject({
      backupgen_last_run_success: 0,
      backupgen_last_success_timestamp_seconds: epoch(String(status['lastSuccess'])),
      backupgen_last_run_bytes: 0,
      backupgen_last_run_files: 1,
    });
    expect(failed['backupgen_last_run_timestamp_seconds']).toBeGreaterThanOrEqual(epoch('2025-01-16T02:00:00Z'));
    expect(await promtoolCheck(second)).toEqual({ exitCode: 0, output: '' });
    // Only the final file: the temp files (not *.prom, so never read) were renamed away.
    expect(await readdir(w.textfileDir)).toEqual(['backupgen-home.prom']);
  });

  it('a job that never succeeded reports last success 0; set -e failures write metrics too', async () => {
    const w = await world();
    const r = await w.run('bg_begin\nfalse\nbg_finish', '2025-01-16 02:00:00');
    expect(r.exitCode).toBe(1);
    expect(valuesOf(parseProm(await w.prom()))).toMatchObject({
      backupgen_last_run_success: 0,
      backupgen_last_success_timestamp_seconds: 0,
    });
  });

  it('escapes label values (\\, ", newline) as the format requires', async () => {
    const w = await world();
    const hostName = 'we"ird\\host\nx';
    const script = await w.sb.writeScript(
      'job',
      renderHarness(snapshotJob({ host: hostName }, hostName), 'bg_begin\nbg_finish', w.monitoring),
    );
    const r = await w.sb.run(script);
    expect(r.exitCode, r.stderr).toBe(0);
    const text = await w.prom();
    expect(text).toContain('host="we\\"ird\\\\host\\nx"');
    for (const s of parseProm(text)) expect(s.labels).toEqual({ backup_job: 'home', host: hostName });
    expect((await promtoolCheck(text)).exitCode).toBe(0);
  });

  it('a metrics write failure is logged and never fails the job', async () => {
    const w = await world();
    await chmod(w.textfileDir, 0o500);
    const missing = { monitoring: { prometheus: { textfileDir: w.sb.path('nope'), staleAfter: '26h' } } };
    const unwritable = await w.run('bg_begin\nbg_finish', '2025-01-16 02:00:00');
    const script = await w.sb.writeScript('job2', renderHarness(snapshotJob(), 'bg_begin\nbg_fail boom', missing));
    const absent = await w.sb.run(script);
    if (process.getuid?.() !== 0) {
      // root ignores the directory's mode; the missing directory covers that case.
      expect(unwritable.exitCode).toBe(0);
      expect(unwritable.stderrLines).toContain(`backupgen-home: could not write metrics file ${w.textfileDir}/backupgen-home.prom`);
      expect(unwritable.lastLine).toMatch(/^backupgen-home: ok: /);
    }
    expect(unwritable.exitCode).toBe(0);
    expect(absent.exitCode).toBe(1);
    expect(absent.stderrLines).toContain(`backupgen-home: could not write metrics: ${w.sb.path('nope')} is not a directory`);
    expect(absent.lastLine).toBe('backupgen-home: FAILED: boom');
    expect(absent.stderr).not.toMatch(/No such file|Permission denied/);
  });

  it('user jobs, and jobs of a config without monitoring, write no metrics', async () => {
    const w = await world();
    const userJob = snapshotJob({ runAs: { scope: 'user', user: 'alice' } });
    const cases = [
      ['user', renderHarness(userJob, 'bg_begin\nbg_finish', w.monitoring)],
      ['unmonitored', renderHarness(snapshotJob(), 'bg_begin\nbg_fail boom')],
      // The control: the same system job with monitoring does write the file.
      ['monitored', renderHarness(snapshotJob(), 'bg_begin\nbg_finish', w.monitoring)],
    ] as const;
    for (const [name, text] of cases) {
      const r = await w.sb.run(await w.sb.writeScript(name, text), { env: { HOME: w.sb.path('home') } });
      expect(r.stderr).not.toMatch(/metrics/);
      expect(await readdir(w.textfileDir), name).toEqual(name === 'monitored' ? ['backupgen-home.prom'] : []);
    }
  });

  it('the real snapshot engine writes metrics on success and failure; shellcheck-clean', async () => {
    const w = await world();
    const src = w.sb.path('src');
    await mkdir(src);
    await writeFile(join(src, 'a.txt'), 'hello');
    const job = snapshotJob({
      sources: [src],
      destination: { path: w.sb.path('backup'), requireMountpoint: false, minFreeGB: 0 },
      retention: { daily: 3, weekly: 0, monthly: 0 },
    });
    const rendered = renderJob(job, w.monitoring);
    expect(await shellcheck(rendered.text)).toEqual([]);
    const script = await w.sb.writeScript('snap', rendered.text);
    const ok = await w.sb.run(script);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(valuesOf(parseProm(await w.prom()))).toMatchObject({ backupgen_last_run_success: 1, backupgen_last_run_files: 1, backupgen_last_run_bytes: 5 });

    const broken = renderJob({ ...job, sources: [w.sb.path('gone')] }, w.monitoring);
    const fail = await w.sb.run(await w.sb.writeScript('snap', broken.text));
    expect(fail.exitCode).toBe(1);
    const after = valuesOf(parseProm(await w.prom()));
    expect(after['backupgen_last_run_success']).toBe(0);
    expect(after['backupgen_last_success_timestamp_seconds']).toBeGreaterThan(0);
  });

  it('node_exporter reads the file: no scrape error, our series exposed', async () => {
    const w = await world();
    expect((await w.run('bg_begin\nBG_BYTES=7\nbg_finish', '2025-01-16 02:00:00')).exitCode).toBe(0);
    expect((await w.run('bg_begin\nbg_finish', '2025-01-16 02:00:00', { name: 'other' })).exitCode).toBe(0);
    const port = await freePort();
    const exporter = execa(
      'prometheus-node-exporter',
      ['--collector.disable-defaults', '--collector.textfile', `--collector.textfile.directory=${w.textfileDir}`, `--web.listen-address=127.0.0.1:${port}`],
      { reject: false },
    );
    onTestFinished(() => {
      exporter.kill('SIGTERM');
    });
    const body = await scrape(`http://127.0.0.1:${port}/metrics`);
    expect(body).toMatch(/^node_textfile_scrape_error 0$/m);
    expect(body).toContain('backupgen_last_run_bytes{backup_job="home",host="laptop"} 7');
    expect(body).toContain('backupgen_last_run_success{backup_job="other",host="laptop"} 1');
    expect(body).toContain('# HELP backupgen_last_run_success 1 if the last run succeeded, 0 if it failed.');
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function scrape(url: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) return await res.text();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`node_exporter did not answer at ${url}`);
}
