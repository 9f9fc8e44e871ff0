/**
 * home-manager's own scripts out of a nixeval home result, made runnable outside Nix: the
 * rclone-config script of programs.rclone (the harness' stub rclone replaced by the rclone
 * on PATH, its pre-secrets config written next to it) and backupgen's token relay.
 * Same preparation as test/nixeval/home-token.test.ts; a candidate for nixeval-home.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HomeResult } from '../../emit/home-manager/nixeval-home.js';

/** The one script nixeval rendered whose text contains `needle`. */
function renderedScript(result: HomeResult, needle: string): string {
  const texts = Object.values(result.scripts).map((s) => s.text).filter((text) => text.includes(needle));
  if (texts.length !== 1) throw new Error(`${texts.length} rendered scripts contain ${needle}, expected one`);
  return texts[0]!;
}

/** Writes `<dir>/rclone-config.sh` and `<dir>/relay.sh`; returns their paths. */
export function writeHomeRcloneScripts(result: HomeResult, dir: string): { rcloneConfig: string; relay: string } {
  const entry = Object.entries(result.generatedFiles).find(([, file]) => file.name === 'rclone.conf@pre-secrets');
  if (entry === undefined) throw new Error('nixeval rendered no rclone.conf@pre-secrets');
  const preSecrets = join(dir, 'pre-secrets.conf');
  writeFileSync(preSecrets, entry[1].text);
  let text = renderedScript(result, 'config_refresh_token=false');
  text = text.replaceAll(/\/nix\/store\/[a-z0-9]+-rclone-stub\/bin\/rclone/g, 'rclone').replaceAll(entry[0], preSecrets);
  const paths = { rcloneConfig: join(dir, 'rclone-config.sh'), relay: join(dir, 'relay.sh') };
  writeFileSync(paths.rcloneConfig, text);
  writeFileSync(paths.relay, renderedScript(result, 'backupgen-rclone-tokens: FAILED'));
  return paths;
}
