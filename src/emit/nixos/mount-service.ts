/** What the NixOS module needs of a system rclone mount's script (its unit: units/mount-service.ts). */
import type { MountPlan, SecretRef } from '../../plan/model.js';
import type { NixExpr } from '../../print/nix/ast.js';

export interface MountScript {
  readonly mount: MountPlan;
  readonly unitName: string;
  /** `pkgs.writeShellApplication { ... }` of the mount's script. */
  readonly package: NixExpr;
  /** Whether rclone keeps its config in the state directory (OAuth token refresh). */
  readonly configInState: boolean;
  readonly secrets: readonly SecretRef[];
}
