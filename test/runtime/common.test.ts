/**
 * The common runtime partial (templates/scripts/partials/common*.sh.hbs), run for real:
 * each test renders the partial around a small body and runs it with bash in a sandbox.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { JobCommon } from '../../src/plan/model.js';
import { shellQuote } from '../../src/print/shell/quote.js';
import { snapshotJob } from '../support/plan-builders.js';
import { renderHarness } from './support/render.js';
import { createSandbox, toResult, type Sandbox } from './support/sandbox.js';
import { shellcheck } from './support/shellcheck.js';

async function sandbox(): Promise<Sandbox> {
  const sb = await createSandbox();
  onTestFinished(() => sb.cleanup());
  return sb;
}

async function harness(sb: Sandbox, body: string, job: Partial<JobCommon> = {}): Promise<string> {
  return sb.writeScript('job', renderHarness(snapshotJob(job), body));
}

describe('common runtime: exit and log lines', () => {
  it('ends a successful run with the one-line summary and status success', async () => {
    const sb = await sandbox();
    const r = await sb.run(await harness(sb, 'bg_begin\nBG_FILES=12\nBG_BYTES=3456\nbg_finish'));
    expect(r.exitCode).toBe(0);
    expect(r.lastLine).toMatch(/^backupgen-home: ok: 12 files, 3456 bytes, \d+s$/);
    const status = await sb.readStatus('home');
    expect(status).toMatchObject({ lastResult: 'success', lastError: null, files: 12, bytes: 3456 });
    // lastSuccess is the end of the run: the start plus the duration.
    const start = Date.parse(String(status['lastStart']));
    expect(Date.parse(String(status['lastSuccess'])) - start).toBe(Number(status['durationSeconds']) * 1000);
    // Read from bash's clock: within the seconds this test took.
    expect(Math.abs(start - Date.now())).toBeLessThan(60_000);
  });

  it('writes times in UTC whatever the local time zone is', async () => {
    const sb = await sandbox();
    const r = await sb.run(await harness(sb, 'bg_begin\nbg_finish'), { env: { TZ: 'America/New_York', BACKUPGEN_NOW: '@1737000000' } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await sb.readStatus('home'))['lastStart']).toBe('2025-01-16T04:00:00Z');
  });

  it('bg_fail: non-zero exit, FAILED line last, status failure, lastSuccess kept', async () => {
    const sb = await sandbox();
    const ok = await sb.run(await harness(sb, 'bg_begin\nbg_finish'), { env: { BACKUPGEN_NOW: '2025-01-15 02:00:00' } });
    expect(ok.exitCode).toBe(0);
    const r = await sb.run(await harness(sb, 'bg_begin\nbg_fail "disk on fire"\nbg_finish'), {
      env: { BACKUPGEN_NOW: '2025-01-16 02:00:00' },
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.lastLine).toBe('backupgen-home: FAILED: disk on fire');
    expect(await sb.readStatus('home')).toMatchObject({
      lastStart: '2025-01-16T02:00:00Z',
      lastSuccess: expect.stringMatching(/^2025-01-15T02:0\d:\d\dZ$/), // start + duration
      lastResult: 'failure',
      lastError: 'disk on fire',
    });
  });

  it('an unexpected error names the failing command and line', async () => {
    const sb = await sandbox();
    const r = await sb.run(await harness(sb, 'bg_begin\nls /nonexistent-xyz >/dev/null\nbg_finish'));
    expect(r.exitCode).not.toBe(0);
    expect(r.lastLine).toMatch(/^backupgen-home: FAILED: command failed with status 2 at line \d+: ls \/nonexistent-xyz > \/dev\/null$/);
    expect((await sb.readStatus('home'))['lastResult']).toBe('failure');
  });

  it('a body that ends without bg_finish is a failure', async () => {
    const sb = await sandbox();
    const r = await sb.run(await harness(sb, 'bg_begin'));
    expect(r.exitCode).toBe(1);
    expect(r.lastLine).toBe('backupgen-home: FAILED: script ended without bg_finish');
  });

  it('keeps the status file valid JSON whatever the error text holds', async () => {
    const sb = await sandbox();
    const reason = 'quote " backslash \\ tab \t cr \r bell \x07 esc \x1b ünï $HOME `x`\nsecond line';
    await writeFile(sb.path('reason'), reason);
    const r = await sb.run(await harness(sb, `bg_begin\nbg_fail "$(<${JSON.stringify(sb.path('reason'))})"`));
    expect(r.exitCode).toBe(1);
    expect((await sb.readStatus('home'))['lastError']).toBe(reason);
    // The FAILED line stays one line: the newline is shown as \n.
    expect(r.lastLine).toContain('ünï $HOME `x`\\nsecond line');
  });
});

describe('common runtime: hooks', () => {
  it('a failing before hook fails the job before the body runs; after runs only on success', async () => {
    const sb = await sandbox();
    const marks = sb.path('marks');
    const job = { before: `echo before >> '${marks}'; exit 3`, after: `echo after >> '${marks}'` };
    const r = await sb.run(await harness(sb, `bg_begin\necho body >> '${marks}'\nbg_finish`, job));
    expect(r.exitCode).not.toBe(0);
    expect(r.lastLine).toBe('backupgen-home: FAILED: before hook failed with status 3');
    expect(await readFile(marks, 'utf8')).toBe('before\n');

    const ok = await sb.run(await harness(sb, `bg_begin\necho body >> '${marks}'\nbg_finish`, { ...job, before: `echo before >> '${marks}'` }));
    expect(ok.exitCode).toBe(0);
    expect(await readFile(marks, 'utf8')).toBe('before\nbefore\nbody\nafter\n');
  });

  it('a failing after hook fails the job', async () => {
    const sb = await sandbox();
    const r = await sb.run(await harness(sb, 'bg_begin\nbg_finish', { after: 'false' }));
    expect(r.exitCode).not.toBe(0);
    expect(r.lastLine).toBe('backupgen-home: FAILED: after hook failed with status 1');
  });

  it.each([
    ['success', 'bg_finish', 0],
    ['bg_fail', 'bg_fail boom', 1],
    ['set -e error', 'false', 1],
    ['SIGTERM', 'kill -TERM $$; sleep 5', 143],
  ])('bg_on_exit commands run in order on %s, with their words intact', async (_name, end, code) => {
    const sb = await sandbox();
    const marks = sb.path("marks $x 'q'");
    const body = [
      'bg_begin',
      `bg_on_exit bash -c 'printf "%s\\n" "first $1" >> "$2"' hook ${shellQuote("it's $x -n")} ${shellQuote(marks)}`,
      `bg_on_exit bash -c 'echo second >> "$1"' hook ${shellQuote(marks)}`,
      end,
    ].join('\n');
    const r = await sb.run(await harness(sb, body));
    expect(r.exitCode).toBe(code);
    expect(await readFile(marks, 'utf8')).toBe("first it's $x -n\nsecond\n");
  });

  it('a failing exit hook fails an otherwise successful run, and later hooks still run', async () => {
    const sb = await sandbox();
    const marks = sb.path('marks');
    const body = `bg_begin\nbg_on_exit false\nbg_on_exit touch ${shellQuote(marks)}\nbg_finish`;
    const r = await sb.run(await harness(sb, body));
    expect(r.exitCode).toBe(1);
    expect(r.lastLine).toBe('backupgen-home: FAILED: exit hook failed: false');
    expect(existsSync(marks)).toBe(true);
  });
});

describe('common runtime: directories and lock', () => {
  it('falls back to a mktemp runtime dir and removes it on exit, success or failure', async () => {
    const sb = await sandbox();
    for (const end of ['bg_finish', 'bg_fail x']) {
      const r = await sb.run(await harness(sb, `bg_begin\ntouch "$BG_RUNTIME_DIR/scratch"\nprintf '%s' "$BG_RUNTIME_DIR"\n${end}`));
      expect(r.stdout.startsWith(sb.tmpDir)).toBe(true);
      expect(existsSync(r.stdout)).toBe(false);
    }
    expect(readdirSync(sb.tmpDir)).toEqual([]);
  });

  it('uses XDG_STATE_HOME when STATE_DIRECTORY is unset (non-root fallback)', async () => {
    if (process.getuid?.() === 0) return; // root falls back to /var/lib/backupgen, not in a sandbox
    const sb = await sandbox();
    const r = await sb.run(await harness(sb, 'bg_begin\nbg_finish'), {
      env: { STATE_DIRECTORY: undefined, XDG_STATE_HOME: sb.path('xdg') },
    });
    expect(r.exitCode).toBe(0);
    expect(existsSync(sb.path('xdg', 'backupgen', 'home.status.json'))).toBe(true);
  });

  it('a second concurrent run waits for the first: the runs never interleave', async () => {
    const sb = await sandbox();
    const log = sb.path('log');
    const body = `bg_begin\necho "start $$" >> '${log}'\nsleep 1\necho "end $$" >> '${log}'\nbg_finish`;
    const script = await harness(sb, body);
    const runs = [sb.start(script), sb.start(script), sb.start(script)];
    const results = (await Promise.all(runs)).map(toResult);
    expect(results.map((r) => r.exitCode)).toEqual([0, 0, 0]);
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(6);
    for (let i = 0; i < 6; i += 2) {
      expect(lines[i]!.replace('start', 'end')).toBe(lines[i + 1]);
    }
    expect(results.some((r) => r.stderr.includes('holds') && r.stderr.includes('waiting'))).toBe(true);
  });

  it('BACKUPGEN_LOCK_TIMEOUT bounds the wait and leaves the running job\'s status alone', async () => {
    const sb = await sandbox();
    const script = await harness(sb, 'bg_begin\nsleep 3\nbg_finish');
    const first = sb.start(script);
    await waitFor(async () => (await sb.readStatus('home').catch(() => ({}) as Record<string, unknown>))['lastResult'] === 'running');
    const second = await sb.run(script, { env: { BACKUPGEN_LOCK_TIMEOUT: '1' } });
    expect(second.exitCode).toBe(1);
    expect(second.lastLine).toMatch(/FAILED: another run of home still holds .*home\.lock after 1s$/);
    expect((await sb.readStatus('home'))['lastResult']).toBe('running');
    expect(toResult(await first).exitCode).toBe(0);
  });
});

describe('common runtime: secrets', () => {
  it('bg_secret_file: the env var wins over the default path', async () => {
    const sb = await sandbox();
    await writeFile(sb.path('from env'), 's1');
    await writeFile(sb.path('default'), 's2');
    const body = `bg_begin\np=$(bg_secret_file tok BACKUPGEN_SECRET_TOK ${JSON.stringify(sb.path('default'))})\nprintf '%s' "$p"\nbg_finish`;
    const script = await harness(sb, body);
    expect((await sb.run(script, { env: { BACKUPGEN_SECRET_TOK: sb.path('from env') } })).stdout).toBe(sb.path('from env'));
    expect((await sb.run(script)).stdout).toBe(sb.path('default'));
  });

  it('bg_secret_file: a missing secret fails the job naming the file', async () => {
    const sb = await sandbox();
    const body = `bg_begin\np=$(bg_secret_file tok BACKUPGEN_SECRET_TOK '~/secrets/tok')\nbg_finish`;
    const r = await sb.run(await harness(sb, body));
    expect(r.exitCode).not.toBe(0);
    expect(r.lastLine).toBe(
      `backupgen-home: FAILED: secret tok: file ${sb.home}/secrets/tok does not exist (set BACKUPGEN_SECRET_TOK or provide the secret)`,
    );
  });
});

describe('common runtime: shellcheck', () => {
  it('the partial with every notifier type has no findings', async () => {
    const job = snapshotJob({
      before: 'echo "$HOME"',
      after: "echo 'x'",
      notify: [
        { name: 'w', type: 'webhook', url: { kind: 'value', value: 'http://x/$y' }, on: ['failure'] },
        { name: 'd', type: 'desktop', on: ['failure'] },
        { name: 'm', type: 'email', to: 'a@b', on: ['success'] },
      ],
    });
    expect(await shellcheck(renderHarness(job, 'bg_begin\nbg_finish'))).toEqual([]);
    expect(await shellcheck(renderHarness(snapshotJob(), 'bg_begin\nbg_finish'))).toEqual([]);
  });
});

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
