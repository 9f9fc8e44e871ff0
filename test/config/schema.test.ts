import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { parseYamlSource } from '../../src/config/load/yaml.js';
import { configJsonSchema, configSchema } from '../../src/config/schema/config.js';
import { starterConfig } from '../../src/config/starter.js';
import { validateConfig } from '../../src/config/validate.js';
import { validConfig } from './valid-config.js';

function problems(data: unknown): string[] {
  try {
    validateConfig(data, 'c.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error.lines();
    throw error;
  }
  return [];
}

describe('config schema', () => {
  it('accepts the config using every section', () => {
    expect(problems(validConfig())).toEqual([]);
  });

  it('fills documented defaults', () => {
    const config = configSchema.parse({
      version: 1,
      hosts: { h: { jobs: { j: { engine: 'rclone', mode: 'copy', source: '/a', target: { remote: 'r' } } } } },
    });
    const host = config.hosts.h!;
    const job = host.jobs.j!;
    expect(host.kind).toBe('nixos');
    expect(host.users).toEqual({});
    expect(job.engine === 'rclone' && [job.verify, job.backupDir, job.target.path]).toEqual(['none', false, '']);
    // Inheritable fields stay unset so the planner can tell "unset" from "set to the default".
    expect(job.schedule).toBeUndefined();
    expect(config.monitoring).toEqual({});
  });

  it.each([
    [{ maxDelete: 10 }, []],
    [{ maxDelete: '12.5%' }, []],
    [{ maxDelete: 'ten' }, ['c.yaml hosts.h.jobs.j.maxDelete: expected a count or a percentage like "10%", got "ten"']],
    [{ maxDelete: -1 }, ['c.yaml hosts.h.jobs.j.maxDelete: expected at least 0, got -1']],
    [{ transfers: 0 }, ['c.yaml hosts.h.jobs.j.transfers: expected at least 1, got 0']],
    [{ verify: 'md5' }, ['c.yaml hosts.h.jobs.j.verify: expected one of none, size, checksum, got "md5"']],
    [{ source: { job: 'a', remote: 'b' } }, ['c.yaml hosts.h.jobs.j.source: expected exactly one of `job` or `remote`']],
    [{ source: { jb: 'a' } }, ['c.yaml hosts.h.jobs.j.source.jb: unknown key `jb` (did you mean `job`?)', 'c.yaml hosts.h.jobs.j.source: expected exactly one of `job` or `remote`']],
    [{ engine: undefined }, ['c.yaml hosts.h.jobs.j.engine: required, but missing (one of snapshot, rclone, archive)']],
  ])('rclone job field %j', (patch, expected) => {
    const job = { engine: 'rclone', mode: 'copy', source: '/a', target: { remote: 'r' }, ...patch };
    const config = { version: 1, remotes: { r: { type: 'local' } }, hosts: { h: { jobs: { j: job } } } };
    expect(problems(config)).toEqual(expected);
  });

  it.each([
    [{ version: 2 }, 'c.yaml version: expected 1, got 2'],
    [{ hosts: [] }, 'c.yaml hosts: expected a mapping, got a list'],
    [{ secrets: { provider: 'vault' } }, 'c.yaml secrets.provider: expected one of sops, agenix, file, got "vault"'],
    [{ notifiers: { x: { type: 'webhook' } } }, 'c.yaml notifiers.x.url: required, but missing (a string or `{ secret: NAME }`)'],
    [{ notifiers: { x: { type: 'webhook', url: { secrt: 'a' } } } }, 'c.yaml notifiers.x.url.secrt: unknown key `secrt` (did you mean `secret`?)'],
  ])('top-level %j', (patch, expected) => {
    expect(problems({ version: 1, ...patch })).toContain(expected);
  });

  it('publishes a JSON Schema with descriptions and strict objects', () => {
    const schema = configJsonSchema() as { properties: Record<string, { description?: string }>; additionalProperties: boolean };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['version', 'secrets', 'remotes', 'defaults', 'notifiers', 'monitoring', 'hosts']));
    expect(JSON.stringify(schema)).toContain('Skip while on battery');
  });

  it('ships a starter config that is valid', () => {
    const source = parseYamlSource(starterConfig());
    const config = validateConfig(source.data, 'backupgen.yaml', source.locate);
    expect(Object.keys(config.hosts.laptop!.jobs)).toEqual(['home', 'offsite']);
  });
});
