/**
 * A systemd unit as plain data: per section an ordered list of `[key, value]` directives.
 * The unit's semantics (sandbox, timer, ordering, runAfter chaining, directories) are decided
 * once, in this folder; each target only prints them: the NixOS module as nixpkgs options
 * (src/emit/nixos/unit-attrs.ts), `kind: systemd` hosts as unit files (src/emit/systemd/).
 *
 * String values are unit-file text already (escaped for systemd where they hold user data,
 * src/print/systemd/escape.ts); a list is one directive per item, as nixpkgs writes a list
 * (systemd-lib.nix attrsToSection) and as systemd merges repeated list settings.
 */
import type { SecretRef } from '../../plan/model.js';

/** A command only the target can spell: its script, or a tool from a package. */
export type UnitCommand =
  /** The unit's own script: NixOS `lib.getExe scripts.<name>`, plain hosts its installed path. */
  | { readonly kind: 'script' }
  /**
   * `<package>/<executable> <args>`: NixOS `${pkgs.<package>}/<executable>`, plain hosts
   * `/usr/<executable>` (Debian's merged /usr). `args` is Exec= text, already escaped.
   */
  | {
      readonly kind: 'tool';
      readonly package: string;
      readonly executable: string;
      readonly args: string;
      /**
       * The `+` prefix (systemd.service(5) "Command lines"): runs with full privileges,
       * outside the unit's sandbox (ProtectSystem=, CapabilityBoundingSet=, ...).
       */
      readonly privileged?: boolean;
    }
  /**
   * `<host tool> <args>` (src/emit/tools/): NixOS and home-manager run it from the module's
   * `tools` package set, plain hosts from its installed path. `args` is Exec= text, escaped.
   */
  | { readonly kind: 'host-tool'; readonly tool: string; readonly args: string };

/**
 * Where `Environment=BACKUPGEN_SECRET_<NAME>=<path>` goes for each of the unit's `secrets`
 * (NixOS: the service's `environment`; conventions.md "Names").
 */
export interface SecretPaths {
  readonly kind: 'secret-paths';
}

export type DirectiveValue = string | number | boolean | readonly string[] | UnitCommand | SecretPaths;

export type Directive = readonly [key: string, value: DirectiveValue];

export interface ServiceUnit {
  /** [Unit]: Description, Wants, After, OnSuccess, Condition*. */
  readonly unit: readonly Directive[];
  /**
   * `BACKUPGEN_SECRET_<NAME>=<path>` per secret (a path, never a value), at the
   * `['Environment', { kind: 'secret-paths' }]` directive of `service`.
   */
  readonly secrets: readonly SecretRef[];
  /** The account the service runs as (resolves a `~/` secret path). */
  readonly user: string;
  readonly service: readonly Directive[];
  /** [Install]: WantedBy. */
  readonly install: readonly Directive[];
}

export interface TimerUnit {
  readonly unit: readonly Directive[];
  readonly timer: readonly Directive[];
  readonly install: readonly Directive[];
}

/** `[key, value]` when `when`, else nothing: for optional directives in a list. */
export function optional(when: boolean, key: string, value: DirectiveValue): Directive[] {
  return when ? [[key, value]] : [];
}

/** The `Environment=` of a unit's secret paths, when it reads any. */
export function secretPaths(secrets: readonly SecretRef[]): Directive[] {
  return optional(secrets.length > 0, 'Environment', { kind: 'secret-paths' });
}
