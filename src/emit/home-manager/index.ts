/**
 * The home-manager target: `hosts/<host>/home/<user>.nix` for every user of every NixOS host
 * (plus `<user>.rclone-tokens.sh` beside it when the user's remotes have OAuth tokens rclone
 * refreshes). Job scripts themselves are written by the scripts emitter.
 */
import type { Plan } from '../../plan/model.js';
import { printNixFile } from '../../print/nix/print.js';
import { generatedHeader } from '../header.js';
import type { GeneratedFile } from '../types.js';
import { relayScriptName, renderTokenRelayScript, tokenRelays } from './token-relay.js';
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
      const relays = tokenRelays(user.remotes);
      if (relays.length > 0) {
        files.push({
          path: `hosts/${host.name}/home/${relayScriptName(user.name)}`,
          contents: renderTokenRelayScript(plan.sourceFile, relays),
          executable: true,
        });
      }
    }
  }
  return files;
}
