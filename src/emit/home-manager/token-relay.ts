/**
 * Keeping the OAuth tokens rclone refreshes across logins and activations (the issue's
 * requirement: "a refreshed token may not be thrown away on the next run or activation").
 *
 * Why it is needed: home-manager's programs.rclone writes ~/.config/rclone/rclone.conf from
 * scratch in `rclone-config.service` (WantedBy=default.target, so at every login, and again
 * on every activation that changes it): it installs the secret-less config into a staging
 * file, injects each `secrets.<option>` with `rclone config update ... <option>="$(cat
 * FILE)"` and `mv -f`s the result over rclone.conf (modules/programs/rclone.nix,
 * rcloneConfigScript). A mount (or the user's own `rclone`) that refreshed the token has
 * written the new one into rclone.conf; the next rclone-config run replaces it with the stale
 * token from the secret. For providers that rotate refresh tokens the stale one is then
 * dead and the mount fails; test/emit/home-manager/token-relay.test.ts shows both with a
 * real rclone and a local OAuth token endpoint.
 *
 * What backupgen does: for every option with `refreshedByRclone`, programs.rclone reads the
 * value not from the secret but from a relayed copy in the state directory, which the
 * `backupgen-rclone-tokens` user service updates just before rclone-config.service runs
 * (`programs.rclone.requiresUnit`): the copy is (re)seeded from the secret only when the
 * secret's content changed since it was last seeded (a re-authorization), otherwise it takes
 * the token rclone last wrote into rclone.conf. These are the same seed-only-when-changed
 * semantics the job scripts apply to their own configs (rclone-config.sh.hbs), so jobs do
 * not use rclone.conf at all.
 */
import type { RemotePlan, SecretRef, UserPlan } from '../../plan/model.js';
import { apply, attrs, bind, interp, list, sel, str, v, type AttrEntry, type NixExpr } from '../../print/nix/ast.js';
import { generatedHeader } from '../header.js';
import { nixRelativePath } from '../nix-common/module-path.js';
import { shellArray } from '../../print/shell/quote.js';
import { providerUnits, secretEnvironmentLine } from './home-secrets.js';
import { escapeShellDoubleQuoted, escapeSystemdQuotedValue } from './systemd-escape.js';

export const TOKEN_RELAY_UNIT = 'backupgen-rclone-tokens';

export interface TokenRelay {
  readonly remote: string;
  readonly option: string;
  readonly secret: SecretRef;
}

/** Every (remote, option) whose value rclone refreshes, in the remotes' (sorted) order. */
export function tokenRelays(remotes: readonly RemotePlan[]): TokenRelay[] {
  return remotes.flatMap((remote) =>
    remote.secrets.filter((s) => s.refreshedByRclone).map((s) => ({ remote: remote.name, option: s.option, secret: s.secret })),
  );
}

const stateHome: NixExpr = sel(v('config'), 'xdg', 'stateHome');
const configHome: NixExpr = sel(v('config'), 'xdg', 'configHome');
/** Relative to `config.xdg.stateHome`; the same directory StateDirectory=backupgen gives. */
const RELAY_DIR = '/backupgen/rclone-tokens';

/** File name of a relayed value: remote and option names cannot hold `/` (rclone config keys). */
const relayFile = (remote: string, option: string): string => `${remote}.${option}`;

/** `"${config.xdg.stateHome}/backupgen/rclone-tokens/<remote>.<option>"` for programs.rclone. */
export function relayedTokenPath(remote: string, option: string): NixExpr {
  return interp(stateHome, escapeShellDoubleQuoted(`${RELAY_DIR}/${relayFile(remote, option)}`));
}

/** File name of the relay script beside the user's module (hosts/<host>/home/). */
export const relayScriptName = (user: string): string => `${user}.rclone-tokens.sh`;

/** The relay script; the (remote, option, env var) triples are its only varying part. */
export function renderTokenRelayScript(sourceFile: string, relays: readonly TokenRelay[]): string {
  const triples = relays.flatMap((r) => [r.remote, r.option, r.secret.envVar]);
  return `#!/usr/bin/env bash
${generatedHeader('#', sourceFile)}
# Relays OAuth tokens rclone refreshes into the files programs.rclone's rclone-config.service
# injects into ~/.config/rclone/rclone.conf (see src/emit/home-manager/token-relay.ts).
# For each (remote, option, variable): the secret file named by the variable seeds the
# relayed value only when its content changed since the last seed; otherwise the value
# rclone last wrote into rclone.conf is kept, so a refreshed token survives.
set -euo pipefail

conf=\${BACKUPGEN_RCLONE_CONF:?BACKUPGEN_RCLONE_CONF is not set}
dir=\${BACKUPGEN_TOKEN_DIR:?BACKUPGEN_TOKEN_DIR is not set}
relays=(${shellArray(triples)})

fail() {
  printf '%s\\n' "${TOKEN_RELAY_UNIT}: FAILED: $*" >&2
  exit 1
}

# kept_option FILE SECTION OPTION: OPTION of [SECTION] in an rclone config (empty if absent).
kept_option() {
  [[ -f $1 ]] || return 0
  LC_ALL=C awk -v section="[$2]" -v key="$3" '
    /^\\[/ { inside = ($0 == section); next }
    inside && index($0, "=") > 0 {
      name = substr($0, 1, index($0, "=") - 1); sub(/[ \\t]+$/, "", name)
      if (name == key) { value = substr($0, index($0, "=") + 1); sub(/^[ \\t]+/, "", value); print value; exit }
    }' "$1"
}

# write_file PATH TEXT: replace PATH atomically, readable by the user only.
write_file() {
  (umask 077 && printf '%s' "$2" >"$1.new") || fail "cannot write $1.new"
  mv -f -- "$1.new" "$1"
}

(umask 077 && mkdir -p -- "$dir") || fail "cannot create $dir"
for ((i = 0; i < \${#relays[@]}; i += 3)); do
  remote=\${relays[i]}
  option=\${relays[i + 1]}
  var=\${relays[i + 2]}
  secret=\${!var:-}
  [[ -n $secret && -r $secret ]] || fail "secret for $remote.$option is not readable ($var=$secret)"
  live="$dir/$remote.$option"
  sum=$(sha256sum <"$secret") || fail "cannot read $secret"
  sum=\${sum%% *}
  if [[ -f $live.seeded-sha256 && $(<"$live.seeded-sha256") == "$sum" ]]; then
    # The secret did not change since it seeded the relayed value: keep what rclone wrote.
    kept=$(kept_option "$conf" "$remote" "$option") || fail "cannot read $conf"
    if [[ -n $kept ]]; then
      write_file "$live" "$kept"
    elif [[ ! -f $live ]]; then
      write_file "$live" "$(<"$secret")"
    fi
  else
    # New or changed secret (a re-authorization): it seeds the relayed value.
    write_file "$live" "$(<"$secret")"
    write_file "$live.seeded-sha256" "$sum"
  fi
done
echo "${TOKEN_RELAY_UNIT}: ok: $((\${#relays[@]} / 3)) value(s) relayed"
`;
}

/**
 * `systemd.user.services.backupgen-rclone-tokens`: runs before rclone-config.service (which
 * Requires= it through requiresUnit) and after the secret providers.
 */
export function tokenRelayService(user: UserPlan, relays: readonly TokenRelay[]): AttrEntry {
  if (user.jobs.some((job) => job.unitName === TOKEN_RELAY_UNIT)) {
    throw new Error(`user ${user.name}: a job's unit is named ${TOKEN_RELAY_UNIT}, which backupgen uses for token relaying`);
  }
  const providers = providerUnits(relays.map((r) => r.secret));
  const pkg = apply(
    sel(v('pkgs'), 'writeShellApplication'),
    attrs([
      bind('name', str(TOKEN_RELAY_UNIT)),
      bind('runtimeInputs', list([sel(v('pkgs'), 'coreutils'), sel(v('pkgs'), 'gawk')])),
      bind('text', apply(sel(v('builtins'), 'readFile'), nixRelativePath(`./${relayScriptName(user.name)}`))),
    ]),
  );
  const secrets = [...new Map(relays.map((r) => [r.secret.name, r.secret])).values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const environment = list([
    // The same paths programs.rclone uses: `${config.xdg.configHome}/rclone/rclone.conf`.
    interp('"BACKUPGEN_RCLONE_CONF=', configHome, escapeSystemdQuotedValue('/rclone/rclone.conf'), '"'),
    interp('"BACKUPGEN_TOKEN_DIR=', stateHome, escapeSystemdQuotedValue(RELAY_DIR), '"'),
    ...secrets.map(secretEnvironmentLine),
  ]);
  const unit: AttrEntry[] = [
    bind('Description', str('backupgen: keep OAuth tokens rclone refreshed across rclone-config runs')),
    bind('Before', list([str('rclone-config.service')])),
  ];
  if (providers.length > 0) unit.push(bind('Wants', list(providers.map(str))), bind('After', list(providers.map(str))));
  return bind(
    ['systemd', 'user', 'services', TOKEN_RELAY_UNIT],
    attrs([
      bind('Unit', attrs(unit)),
      bind(
        'Service',
        attrs([
          bind('Type', str('oneshot')),
          bind('ExecStart', apply(v('lib.getExe'), pkg)),
          bind('Environment', environment),
        ]),
      ),
      bind('Install', attrs([bind('WantedBy', list([str('default.target')]))])),
    ]),
  );
}
