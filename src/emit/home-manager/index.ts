/**
 * The home-manager target: `hosts/<host>/home/<user>.nix` for every user of every NixOS host
 * (plus `<user>.rclone-secrets.sh` beside it when the user's remotes have secret options;
 * rclone-secrets.ts). Job scripts themselves are written by the scripts emitter.
 */
import type { Plan } from '../../plan/model.js';
import { printNixFile } from '../../print/nix/print.js';
import { generatedHeader } from '../header.js';
import type { GeneratedFile } from '../types.js';
import { hasRcloneSecrets, rcloneSecretsScriptName, renderRcloneSecretsScript } from './rclone-secrets.js';
import { userModule, userModulePath } from './user-module.js';

export function emitHomeManager(plan: Plan): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const host of plan.hosts) {
    if (host.kind !== 'nixos') continue;
    for (const user of host.users) {
      files.push({
        path: userModulePath(host.name, user.name),
        contents: printNixFile(userModule(plan, host, user), generatedHeader('#', plan.sourceFile)),
      });
      if (hasRcloneSecrets(user)) {
        files.push({
          path: `hosts/${host.name}/home/${rcloneSecretsScriptName(user.name)}`,
          contents: renderRcloneSecretsScript(plan.sourceFile, user.remotes),
          executable: true,
        });
      }
    }
  }
  return files;
}
