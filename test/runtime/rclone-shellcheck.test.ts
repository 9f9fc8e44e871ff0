/** shellcheck has no findings on any rendered variant of the rclone engine. */
import { describe, expect, it } from 'vitest';
import type { RcloneJob } from '../../src/plan/model.js';
import { renderRcloneScript } from '../../src/emit/scripts/rclone-script.js';
import { fileSecret, host, plan, rcloneJob, remote } from '../support/plan-builders.js';
import { renderJob } from './support/render.js';
import { shellcheck } from './support/shellcheck.js';

const secret = (option: string, obscure: boolean, refreshedByRclone: boolean) => ({
  option,
  secret: fileSecret(`s_${option}`, `/run/secrets/${option}`),
  obscure,
  refreshedByRclone,
});
const nas = remote({ name: 'nas', type: 'local' });
const sftp = remote({ name: 'box', type: 'sftp', options: [['host', 'h']], secrets: [secret('pass', true, false)] });
const drive = remote({ name: 'gdrive', type: 'drive', options: [['scope', 'drive']], secrets: [secret('token', false, true)] });
const b2 = remote({ name: 'b2', type: 'b2', secrets: [secret('account', false, false), secret('key', false, false)] });
const vault = remote({ name: 'vault', type: 'crypt', options: [['remote', 'b2:bucket']], secrets: [secret('password', true, false)] });

const variants: [string, Partial<RcloneJob>][] = [
  ['plain local sync', {}],
  ['sftp, every option', {
    target: { remote: sftp, path: "it's $here" }, remotes: [sftp], verify: 'checksum', maxDelete: { kind: 'percent', value: 12.5 },
    backupDir: true, bwlimit: '01:00,off 06:00,10M', transfers: 4, checkers: 8, exclude: ['*.tmp', '.DS_Store'],
  }],
  ['copy with size verify and count', { mode: 'copy', verify: 'size', maxDelete: { kind: 'count', value: 3 } }],
  ['move from a remote, OAuth token', { mode: 'move', source: { kind: 'remote', remote: drive, path: 'x' }, remotes: [drive, nas] }],
  ['crypt target over b2', { target: { remote: vault, path: 'p' }, remotes: [b2, vault], verify: 'checksum' }],
  ['user job with ~/ source', { source: { kind: 'path', path: '~/Documents' }, runAs: { scope: 'user', user: 'mads' } }],
];

describe('rclone engine scripts pass shellcheck', () => {
  it.each(variants)('%s', async (_name, overrides) => {
    const script = renderJob(rcloneJob(overrides));
    expect(await shellcheck(script.text)).toEqual([]);
    expect(script.runtimeInputs).toContain('rclone');
  });

  it('refuses to render a config value that would inject config lines', () => {
    const evil = remote({ name: 'nas', type: 'local', options: [['links', 'true\n[other]']] });
    const job = rcloneJob({ target: { remote: evil, path: '/x' }, remotes: [evil] });
    const h = host({ name: 'laptop', jobs: [job] });
    expect(() => renderRcloneScript(plan([h]), h, job)).toThrow(/cannot be written to an rclone config line/);
  });
});
