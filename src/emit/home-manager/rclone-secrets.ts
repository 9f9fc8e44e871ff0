/**
 * The secret options of a user's remotes in ~/.config/rclone/rclone.conf, without a value in
 * any process' argv.
 *
 * home-manager's programs.rclone could inject them itself (`remotes.<r>.secrets.<option>`),
 * but its rclone-config script does that with `rclone config update <remote>
 * <option>="$(cat FILE)"` (modules/programs/rclone.nix, injectSecret): the password or the
 * whole OAuth token is in rclone's argv, which every local user can read in
 * /proc/<pid>/cmdline, at every login. So backupgen gives programs.rclone only the non-secret
 * config and the mounts, and completes the file itself inside the same unit:
 *
 * - `ExecStartPost=<tool> inject`: after home-manager's ExecStart has written the secret-less
 *   file (staging file + `mv -f`, so nothing of ours is there to be overwritten), every secret
 *   option is read from its file by the shell (`$(<file)`), obscured where rclone requires it
 *   through `rclone obscure -` on stdin, and the file is rewritten by bash alone (temp file
 *   0600 + rename). Values never leave the shell except on a pipe.
 * - `ExecStartPre=<tool> keep-tokens` (token-relay.ts): only with OAuth tokens rclone
 *   refreshes; saves the refreshed token before home-manager replaces the file.
 *
 * Being part of rclone-config.service, not a unit of its own, is what makes this hold in
 * every case: systemd runs ExecStartPre, ExecStart and ExecStartPost of a oneshot in that
 * order and completes its start job only after ExecStartPost (systemd.service(5)), so the
 * `rclone-mount:*` units home-manager orders After=/Requires= rclone-config.service start
 * with the complete file, and every (re)start of rclone-config — a login, or an activation
 * that changed it, which sd-switch restarts — runs all three again. A separate unit would be
 * skipped when an activation restarts rclone-config alone, leaving a secret-less file.
 */
import type { RemotePlan, UserPlan } from '../../plan/model.js';
import { apply, attrs, bind, interp, letIn, list, sel, str, v, type AttrEntry, type NixExpr } from '../../print/nix/ast.js';
import { shellArray } from '../../print/shell/quote.js';
import { generatedHeader } from '../header.js';
import { nixRelativePath } from '../nix-common/module-path.js';
import { providerUnits, secretEnvironmentLine } from './home-secrets.js';
import { escapeSystemdQuotedValue } from '../../print/systemd/escape.js';
import { keepTokensShell, tokenDirEnvironmentLine, tokenRelays } from './token-relay.js';

/** The tool's name: its package, its log prefix. */
export const RCLONE_SECRETS_TOOL = 'backupgen-rclone-secrets';

/** File name of the tool's script beside the user's module (hosts/<host>/home/). */
export const rcloneSecretsScriptName = (user: string): string => `${user}.rclone-secrets.sh`;

/** How a value gets into rclone.conf: as read, obscured, or from the relayed token copy. */
type How = 'plain' | 'obscure' | 'refreshed';

interface SecretRow {
  readonly remote: string;
  readonly option: string;
  readonly envVar: string;
  readonly how: How;
}

function secretRows(remotes: readonly RemotePlan[]): SecretRow[] {
  return remotes.flatMap((remote) =>
    remote.secrets.map((s) => {
      if (s.obscure && s.refreshedByRclone) {
        // rclone writes a refreshed value back as it keeps it; obscuring the kept value again
        // would corrupt it. No rclone backend has such an option.
        throw new Error(`remote ${remote.name}: option ${s.option} cannot be both obscured and refreshed by rclone`);
      }
      const how: How = s.refreshedByRclone ? 'refreshed' : s.obscure ? 'obscure' : 'plain';
      return { remote: remote.name, option: s.option, envVar: s.secret.envVar, how };
    }),
  );
}

/** Whether the user's remotes have secret options at all (otherwise nothing is rendered). */
export const hasRcloneSecrets = (user: UserPlan): boolean => user.remotes.some((r) => r.secrets.length > 0);

/** The tool's script: the (remote, option, variable, how) table is its only varying part. */
export function renderRcloneSecretsScript(sourceFile: string, remotes: readonly RemotePlan[]): string {
  const rows = secretRows(remotes);
  if (rows.length === 0) throw new Error('renderRcloneSecretsScript: no secret options');
  const relays = rows.some((r) => r.how === 'refreshed');
  const obscure = rows.some((r) => r.how === 'obscure');
  const table = rows.flatMap((r) => [r.remote, r.option, r.envVar, r.how]);
  const T = RCLONE_SECRETS_TOOL;
  return `#!/usr/bin/env bash
${generatedHeader('#', sourceFile)}
# Completes ~/.config/rclone/rclone.conf with the secret options of the user's remotes, as
# part of home-manager's rclone-config.service (see src/emit/home-manager/rclone-secrets.ts):
#   inject       (ExecStartPost) every secret option into the file home-manager just wrote
${relays ? '#   keep-tokens  (ExecStartPre)  the OAuth tokens rclone refreshed, before it is replaced\n' : ''}# Secret values are read by the shell and only ever leave it on a pipe: never in a
# command's arguments, which every local user can read in /proc/<pid>/cmdline.
set -euo pipefail

conf=\${BACKUPGEN_RCLONE_CONF:?BACKUPGEN_RCLONE_CONF is not set}
${relays ? 'dir=${BACKUPGEN_TOKEN_DIR:?BACKUPGEN_TOKEN_DIR is not set}\n' : ''}# remote, option, variable naming the secret's file, how (plain | obscure | refreshed)
secrets=(${shellArray(table)})

fail() {
  printf '%s\\n' "${T}: FAILED: $*" >&2
  exit 1
}

# key_of LINE VARNAME: VARNAME := the trimmed key of a \`key = value\` line (empty if none).
key_of() {
  local k=''
  if [[ $1 == *=* ]]; then
    k=\${1%%=*}
    k=\${k#"\${k%%[![:space:]]*}"}
    k=\${k%"\${k##*[![:space:]]}"}
  fi
  printf -v "$2" '%s' "$k"
}

# section_of LINE VARNAME: VARNAME := the name of a \`[section]\` line; status 1 for other lines.
section_of() {
  local re='^\\[(.*)\\][[:space:]]*$'
  [[ $1 =~ $re ]] || return 1
  printf -v "$2" '%s' "\${BASH_REMATCH[1]}"
}
${
  relays
    ? `
# conf_value SECTION KEY VARNAME: VARNAME := KEY's value in [SECTION] of $conf (empty if absent).
conf_value() {
  local line section='' key value=''
  while IFS= read -r line || [[ -n $line ]]; do
    if section_of "$line" section; then continue; fi
    [[ $section == "$1" ]] || continue
    key_of "$line" key
    if [[ $key == "$2" ]]; then
      value=\${line#*=}
      value=\${value#"\${value%%[![:space:]]*}"}
      break
    fi
  done <"$conf" || fail "cannot read $conf"
  printf -v "$3" '%s' "$value"
}

${keepTokensShell(T)}`
    : ''
}
# read_value REMOTE OPTION VARIABLE HOW: value := what goes into rclone.conf for the option.
read_value() {
  local file
${
  relays
    ? `  if [[ $4 == refreshed ]]; then
    file="$dir/$1.$2" # the copy keep-tokens left
  else
    file=\${!3:-}
  fi
`
    : `  file=\${!3:-}
`
}  [[ -n $file && -r $file ]] || fail "secret for $1.$2 is not readable ($3=$file)"
  value=$(<"$file") || fail "cannot read $file"
  # One \`key = value\` line per option: a line break would end the value early and smuggle
  # in other options.
  [[ $value != *$'\\n'* && $value != *$'\\r'* ]] || fail "secret for $1.$2 contains a line break; an rclone option is a single line"
  [[ -n $value ]] || fail "secret for $1.$2 is empty"
${
  obscure
    ? `  if [[ $4 == obscure ]]; then
    # rclone stores these options obscured (rclone docs, \`rclone obscure\`); the value goes in
    # on stdin. The empty RCLONE_CONFIG keeps rclone from reading a config it does not need.
    value=$(printf '%s' "$value" | RCLONE_CONFIG='' rclone obscure -) || fail "rclone obscure failed for $1.$2"
  fi
`
    : ''
}}

# inject (ExecStartPost): rewrite $conf with every secret option in its remote's section
# (replacing a line of the same key), through a 0600 temp file and a rename.
inject() {
  [[ -f $conf ]] || fail "$conf does not exist; home-manager's rclone-config did not write it"
  # All values first: a failing secret leaves the file as it is.
  local values=() placed=() i j line section='' key out='' tmp
  for ((i = 0; i < \${#secrets[@]}; i += 4)); do
    read_value "\${secrets[@]:i:4}"
    values+=("$value")
    placed+=('')
  done
  value=''
  while IFS= read -r line || [[ -n $line ]]; do
    if section_of "$line" section; then
      out+=$line$'\\n'
      for ((j = 0; j < \${#values[@]}; j++)); do
        [[ \${secrets[j * 4]} == "$section" ]] || continue
        out+="\${secrets[j * 4 + 1]} = \${values[j]}"$'\\n'
        placed[j]=1
      done
      continue
    fi
    key_of "$line" key
    if [[ -n $key ]]; then
      for ((j = 0; j < \${#values[@]}; j++)); do
        if [[ \${secrets[j * 4]} == "$section" && \${secrets[j * 4 + 1]} == "$key" ]]; then continue 2; fi
      done
    fi
    out+=$line$'\\n'
  done <"$conf" || fail "cannot read $conf"
  values=()
  for ((j = 0; j < \${#placed[@]}; j++)); do
    [[ -n \${placed[j]} ]] || fail "remote \${secrets[j * 4]} has no section in $conf"
  done
  tmp="$conf.backupgen-new"
  rm -f -- "$tmp"
  (umask 077 && printf '%s' "$out" >"$tmp") || fail "cannot write $tmp"
  out=''
  mv -f -- "$tmp" "$conf" || fail "cannot replace $conf"
  echo "${T}: ok: \${#placed[@]} secret option(s) written to $conf"
}

case \${1:-} in
  inject) inject ;;
${relays ? '  keep-tokens) keep_tokens ;;\n' : ''}  *) fail "usage: $0 inject${relays ? ' | keep-tokens' : ''}" ;;
esac
`;
}

const configHome: NixExpr = sel(v('config'), 'xdg', 'configHome');

/**
 * `systemd.user.services.rclone-config = let tool = ...; in { Unit; Service; };` — added to
 * home-manager's own unit (user units are free-form; its lists merge with ours): the tool as
 * ExecStartPost (and ExecStartPre with refreshed tokens), the secrets' paths in its
 * environment, and Wants=/After= every secret provider the remotes use (programs.rclone's
 * `requiresUnit` names at most one).
 */
export function rcloneConfigSecrets(user: UserPlan): AttrEntry | undefined {
  if (!hasRcloneSecrets(user)) return undefined;
  const rows = secretRows(user.remotes);
  const refs = user.remotes.flatMap((r) => r.secrets.map((s) => s.secret));
  const providers = providerUnits(refs);
  const secrets = [...new Map(refs.map((s) => [s.name, s])).values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const relays = tokenRelays(user.remotes).length > 0;

  const tool = v('tool');
  const runtimeInputs = [sel(v('pkgs'), 'coreutils'), ...(rows.some((r) => r.how === 'obscure') ? [sel(v('pkgs'), 'rclone')] : [])];
  const pkg = apply(
    sel(v('pkgs'), 'writeShellApplication'),
    attrs([
      bind('name', str(RCLONE_SECRETS_TOOL)),
      bind('runtimeInputs', list(runtimeInputs)),
      bind('text', apply(sel(v('builtins'), 'readFile'), nixRelativePath(`./${rcloneSecretsScriptName(user.name)}`))),
    ]),
  );
  const unit: AttrEntry[] = [];
  if (providers.length > 0) unit.push(bind('Wants', list(providers.map(str))), bind('After', list(providers.map(str))));
  const service: AttrEntry[] = [];
  if (relays) service.push(bind('ExecStartPre', list([interp(tool, ' keep-tokens')])));
  service.push(
    bind('ExecStartPost', list([interp(tool, ' inject')])),
    bind(
      'Environment',
      list([
        // The path programs.rclone writes: `${config.xdg.configHome}/rclone/rclone.conf`.
        interp('"BACKUPGEN_RCLONE_CONF=', configHome, escapeSystemdQuotedValue('/rclone/rclone.conf'), '"'),
        ...(relays ? [tokenDirEnvironmentLine] : []),
        ...secrets.map(secretEnvironmentLine),
      ]),
    ),
  );
  const sections: AttrEntry[] = [];
  if (unit.length > 0) sections.push(bind('Unit', attrs(unit)));
  sections.push(bind('Service', attrs(service)));
  return bind(
    ['systemd', 'user', 'services', 'rclone-config'],
    letIn([bind('tool', apply(sel(v('lib'), 'getExe'), pkg))], attrs(sections)),
  );
}
