/**
 * Notifiers of the common runtime against a real HTTP server on 127.0.0.1: webhook and
 * healthchecks requests are sent per event, a secret URL is read from its file, and a
 * notifier failure never changes the job's result.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { writeFile } from 'node:fs/promises';
import type { NotifierPlan } from '../../src/plan/model.js';
import { fileSecret, snapshotJob } from '../support/plan-builders.js';
import { startHttpRecorder, type HttpRecorder } from './support/http-recorder.js';
import { renderHarness } from './support/render.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';

async function world(): Promise<{ sb: Sandbox; http: HttpRecorder }> {
  const sb = await createSandbox();
  const http = await startHttpRecorder();
  onTestFinished(async () => {
    await http.close();
    await sb.cleanup();
  });
  return { sb, http };
}

async function runWith(sb: Sandbox, notify: NotifierPlan[], end: string, env: Record<string, string> = {}) {
  const script = await sb.writeScript('job', renderHarness(snapshotJob({ notify }), `bg_begin\n${end}`));
  return sb.run(script, { env });
}

describe('notifiers', () => {
  it('webhook: one JSON POST per subscribed event', async () => {
    const { sb, http } = await world();
    const hook: NotifierPlan = { name: 'ops', type: 'webhook', url: { kind: 'value', value: `${http.url}/hook` }, on: ['start', 'failure'] };
    const ok = await runWith(sb, [hook], 'BG_FILES=2\nbg_finish');
    expect(ok.exitCode).toBe(0);
    const fail = await runWith(sb, [hook], 'bg_fail "it\'s \\"broken\\""');
    expect(fail.exitCode).toBe(1);
    expect(http.requests.map((r) => [r.method, r.path, JSON.parse(r.body).event])).toEqual([
      ['POST', '/hook', 'start'],
      ['POST', '/hook', 'start'],
      ['POST', '/hook', 'failure'],
    ]);
    expect(JSON.parse(http.requests[2]!.body)).toEqual({
      job: 'home',
      host: 'laptop',
      event: 'failure',
      message: 'FAILED: it\'s "broken"',
    });
    expect(http.requests[2]!.headers['content-type']).toBe('application/json');
  });

  it('healthchecks: /start, success ping and /fail, URL read from a secret file', async () => {
    const { sb, http } = await world();
    await writeFile(sb.path('hc-url'), `${http.url}/ping/abc\n`);
    const hc: NotifierPlan = {
      name: 'hc',
      type: 'healthchecks',
      url: { kind: 'secret', secret: fileSecret('hc_url', '/nonexistent/hc') },
      on: ['start', 'success', 'failure'],
    };
    const env = { BACKUPGEN_SECRET_HC_URL: sb.path('hc-url') };
    expect((await runWith(sb, [hc], 'bg_finish', env)).exitCode).toBe(0);
    expect((await runWith(sb, [hc], 'bg_fail nope', env)).exitCode).toBe(1);
    expect(http.requests.map((r) => r.path)).toEqual(['/ping/abc/start', '/ping/abc', '/ping/abc/start', '/ping/abc/fail']);
    expect(http.requests[3]!.body).toBe('FAILED: nope');
  });

  it('a failing or unreachable notifier is logged and never fails the job', async () => {
    const { sb, http } = await world();
    http.respondWith(500);
    const notify: NotifierPlan[] = [
      { name: 'bad', type: 'webhook', url: { kind: 'value', value: `${http.url}/x` }, on: ['success'] },
      { name: 'gone', type: 'healthchecks', url: { kind: 'secret', secret: fileSecret('hc', sb.path('missing')) }, on: ['success'] },
      { name: 'desk', type: 'desktop', on: ['success'] },
      { name: 'mail', type: 'email', to: 'root@localhost', on: ['success'] },
    ];
    const r = await runWith(sb, notify, 'bg_finish', { PATH: `/usr/bin:/bin` });
    expect(r.exitCode).toBe(0);
    expect(r.lastLine).toMatch(/^backupgen-home: ok: /);
    expect(r.stderr).toContain('notifier bad: webhook request failed');
    expect(r.stderr).toContain(`notifier gone: secret hc: file ${sb.path('missing')} does not exist`);
    expect(r.stderr).toContain('notifier desk: notify-send not found; skipped');
    expect(r.stderr).toContain('notifier mail: sendmail not found; skipped');
    // curl(1) --retry repeats a 5xx answer; the job still succeeded.
    expect(http.requests.length).toBeGreaterThanOrEqual(1);
  });
});
