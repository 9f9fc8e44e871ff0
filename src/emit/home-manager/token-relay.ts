/**
 * Keeping the OAuth tokens rclone refreshes across logins and activations (the issue's
 * requirement: "a refreshed token may not be thrown away on the next run or activation").
 *
 * Why it is needed: home-manager's programs.rclone writes ~/.config/rclone/rclone.conf from
 * scratch in `rclone-config.service` (WantedBy=default.target, so at every login, and again
 * on every activation that changes it): it installs the config into a staging file and
 * `mv -f`s it over rclone.conf (modules/programs/rclone.nix, rcloneConfigScript). A mount (or
 * the user's own `rclone`) that refreshed the token has written the new one into rclone.conf;
 * re-injecting the token from the secret after that run would bring back the stale one. For
 * providers that rotate refresh tokens the stale one is then dead and the mount fails;
 * test/emit/home-manager/token-relay.test.ts shows both with a real rclone and a local OAuth
 * token endpoint.
 *
 * What backupgen does: rclone-config.service's ExecStartPre (`keep-tokens`, rendered here)
 * runs before home-manager's script replaces the file. For every option with
 * `refreshedByRclone` it updates a relayed copy in the state directory: (re)seeded from the
 * secret only when the secret's content changed since it was last seeded (a
 * re-authorization), otherwise the token rclone last wrote into rclone.conf. The ExecStartPost
 * (`inject`, rclone-secrets.ts) then writes the relayed copy, not the secret, into the new
 * rclone.conf. These are the same seed-only-when-changed semantics the job scripts apply to
 * their own configs (rclone-config.sh.hbs), so jobs do not use rclone.conf at all.
 */
import type { RemotePlan, SecretRef } from '../../plan/model.js';
import { interp, sel, v, type NixExpr } from '../../print/nix/ast.js';
import { escapeSystemdQuotedValue } from '../../print/systemd/escape.js';

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
/** Relative to `config.xdg.stateHome`; the same directory StateDirectory=backupgen gives. */
const RELAY_DIR = '/backupgen/rclone-tokens';

/** `"BACKUPGEN_TOKEN_DIR=${config.xdg.stateHome}/backupgen/rclone-tokens"` for Environment=. */
export const tokenDirEnvironmentLine: NixExpr = interp('"BACKUPGEN_TOKEN_DIR=', stateHome, escapeSystemdQuotedValue(RELAY_DIR), '"');

/**
 * The `keep_tokens` shell function of the rclone-secrets script. It expects `conf`, `dir`,
 * the `secrets` table (remote, option, variable, how; rows with how `refreshed` are relayed),
 * `fail` and `conf_value`. A relayed copy `<dir>/<remote>.<option>` (file names: rclone remote
 * and option names hold no `/`) is written atomically, readable by the user only.
 */
export function keepTokensShell(unit: string): string {
  return `# write_private PATH: stdin -> PATH atomically, readable by the user only.
write_private() {
  rm -f -- "$1.new"
  (umask 077 && cat >"$1.new") || fail "cannot write $1.new"
  mv -f -- "$1.new" "$1" || fail "cannot replace $1"
}

# keep_tokens (ExecStartPre): for each refreshed option, the secret seeds the relayed copy
# only when its content changed since the last seed; otherwise the value rclone last wrote
# into rclone.conf is kept, so a refreshed token survives home-manager's rewrite.
keep_tokens() {
  local i remote option var secret live sum kept count=0
  (umask 077 && mkdir -p -- "$dir") || fail "cannot create $dir"
  for ((i = 0; i < \${#secrets[@]}; i += 4)); do
    [[ \${secrets[i + 3]} == refreshed ]] || continue
    remote=\${secrets[i]}
    option=\${secrets[i + 1]}
    var=\${secrets[i + 2]}
    secret=\${!var:-}
    [[ -n $secret && -r $secret ]] || fail "secret for $remote.$option is not readable ($var=$secret)"
    live="$dir/$remote.$option"
    sum=$(sha256sum <"$secret") || fail "cannot read $secret"
    sum=\${sum%% *}
    if [[ -f $live.seeded-sha256 && $(<"$live.seeded-sha256") == "$sum" ]]; then
      # The secret did not change since it seeded the relayed value: keep what rclone wrote.
      kept=''
      [[ ! -f $conf ]] || conf_value "$remote" "$option" kept
      if [[ -n $kept ]]; then
        printf '%s' "$kept" | write_private "$live"
      elif [[ ! -f $live ]]; then
        write_private "$live" <"$secret"
      fi
    else
      # New or changed secret (a re-authorization): it seeds the relayed value.
      write_private "$live" <"$secret"
      printf '%s' "$sum" | write_private "$live.seeded-sha256"
    fi
    count=$((count + 1))
  done
  kept=''
  echo "${unit}: ok: $count token(s) kept for the next rclone.conf"
}
`;
}
