/**
 * A temporary world for fixtures/canary: the fixture directory copied (config, dummy sops and
 * age files), its placeholders rewritten (the /srv/canary and /etc/backupgen-canary paths,
 * the server ports), one file per secret holding a fresh canary (mode 0600), and the output
 * built through the real pipeline: loadConfig -> planConfig -> emitAll -> writeOutput.
 *
 * The secret files exist before the build on purpose: a generator that read a secret's file
 * (a file-provider path, or anything next to the config) would put a canary in the output.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import { emitAll } from '../../../src/emit/index.js';
import type { GeneratedFile } from '../../../src/emit/types.js';
import type { Plan } from '../../../src/plan/model.js';
import { planConfig } from '../../../src/plan/plan.js';
import { writeOutput } from '../../../src/write/write-output.js';
import { canary, FIXTURE_BLOB_CANARIES } from './canaries.js';

export const FIXTURE_DIR = join(import.meta.dirname, '../../../fixtures/canary');

/** Ports written in the fixture; each is replaced by a real one. */
export const PLACEHOLDER_PORTS = { sftp: '62222', webdav: '62280', tokenUrl: '62299' } as const;

export interface WorldOptions {
  readonly ports: { readonly sftp: number; readonly webdav: number; readonly tokenUrl: number };
  /** Base of the notifier URLs (`http://127.0.0.1:<port>`); the secret path holds a canary. */
  readonly notifyBase: string;
}

export interface CanaryWorld {
  readonly root: string;
  /** The copied fixture (config + dummy sops/age files). */
  readonly configDir: string;
  readonly outDir: string;
  /** `<root>/srv`: what /srv/canary became. */
  readonly srv: string;
  /** Secret name -> the file holding its value (what BACKUPGEN_SECRET_<NAME> points at). */
  readonly secretFiles: Readonly<Record<string, string>>;
  /** Secret name -> its value. */
  readonly secretValues: Readonly<Record<string, string>>;
  /** Every canary of this world: the secret files' and the committed sops/age blobs'. */
  readonly canaries: readonly string[];
  /** Canaries only in the secret files (plaintext values). */
  readonly plaintextCanaries: readonly string[];
  readonly plan: Plan;
  readonly files: readonly GeneratedFile[];
  cleanup(): void;
}

function replaceAllChecked(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixtures/canary: placeholder ${from} not found`);
  return text.replaceAll(from, to);
}

export async function createCanaryWorld(options: WorldOptions): Promise<CanaryWorld> {
  const root = mkdtempSync(join(tmpdir(), 'backupgen-canary-'));
  const configDir = join(root, 'config');
  const outDir = join(root, 'out');
  const srv = join(root, 'srv');
  const etc = join(root, 'etc');
  cpSync(FIXTURE_DIR, configDir, { recursive: true });
  mkdirSync(etc, { mode: 0o700 });
  mkdirSync(srv);

  let yaml = readFileSync(join(configDir, 'backupgen.yaml'), 'utf8');
  yaml = replaceAllChecked(yaml, '/srv/canary', srv);
  yaml = replaceAllChecked(yaml, '/etc/backupgen-canary', etc);
  yaml = replaceAllChecked(yaml, PLACEHOLDER_PORTS.sftp, String(options.ports.sftp));
  yaml = replaceAllChecked(yaml, PLACEHOLDER_PORTS.webdav, String(options.ports.webdav));
  yaml = replaceAllChecked(yaml, PLACEHOLDER_PORTS.tokenUrl, String(options.ports.tokenUrl));
  writeFileSync(join(configDir, 'backupgen.yaml'), yaml);

  const accessToken = canary('drive_access_token');
  const refreshToken = canary('drive_refresh_token');
  const secretValues: Record<string, string> = {
    sftp_pass: canary('sftp_pass'),
    webdav_pass: canary('webdav_pass'),
    crypt_password: canary('crypt_password'),
    crypt_salt: canary('crypt_salt'),
    // An expired OAuth token: rclone tries to refresh it at the (dead) token_url.
    drive_token: JSON.stringify({ access_token: accessToken, token_type: 'Bearer', refresh_token: refreshToken, expiry: '2001-01-01T00:00:00Z' }),
    ntfy_url: `${options.notifyBase}/hook/${canary('ntfy_url')}`,
    hc_url: `${options.notifyBase}/ping/${canary('hc_url')}`,
    // The plain systemd host's own file secrets.
    plain_sftp_pass: canary('plain_sftp_pass'),
    plain_crypt_password: canary('plain_crypt_password'),
    plain_drive_token: JSON.stringify({ access_token: canary('plain_access_token'), token_type: 'Bearer', refresh_token: canary('plain_refresh_token'), expiry: '2001-01-01T00:00:00Z' }),
    plain_hc_url: `${options.notifyBase}/ping/${canary('plain_hc_url')}`,
  };
  const plaintextCanaries = Object.values(secretValues).flatMap((v) => [...v.matchAll(/CANARY-[A-Za-z_]+-[0-9a-f]{12}/g)].map((m) => m[0]));
  const secretFiles: Record<string, string> = {};
  for (const [name, value] of Object.entries(secretValues)) {
    // File-provider secrets sit at the path the config names; the others where a provider
    // would decrypt them. Secret files end with a newline, as most do.
    const file = join(etc, name);
    writeFileSync(file, `${value}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    secretFiles[name] = file;
  }

  const { config, file } = await loadConfig(join(configDir, 'backupgen.yaml'));
  const plan = planConfig(config, { configPath: file, outDir });
  const files = emitAll(plan);
  await writeOutput(outDir, files);

  return {
    root,
    configDir,
    outDir,
    srv,
    secretFiles,
    secretValues,
    canaries: [...plaintextCanaries, ...FIXTURE_BLOB_CANARIES],
    plaintextCanaries,
    plan,
    files,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
