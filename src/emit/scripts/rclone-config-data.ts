import type { RemotePlan } from '../../plan/model.js';

/** One `[section]` of the run-time rclone config, as the `rclone-config` partial reads it. */
export interface RcloneSectionData {
  readonly name: string;
  readonly type: string;
  readonly options: readonly { readonly key: string; readonly value: string }[];
  readonly secrets: readonly {
    readonly option: string;
    readonly secretName: string;
    readonly envVar: string;
    readonly defaultPath: string;
    readonly obscure: boolean;
    readonly refreshedByRclone: boolean;
  }[];
}

export interface RcloneConfigData {
  readonly remotes: readonly RcloneSectionData[];
  /**
   * A remote has an option rclone rewrites (OAuth token): the config must live in the job's
   * state directory so the refreshed value survives the run (conventions.md, "State").
   */
  readonly inState: boolean;
  /** Some option comes from a secret file. */
  readonly anySecret: boolean;
  /** Some option is stored obscured (the `rclone obscure` helper is rendered). */
  readonly anyObscure: boolean;
}

/**
 * Template data for the run-time rclone config of a job's remotes (crypt bases included:
 * the planner lists them in `job.remotes`). rclone's config is line-based INI (rclone docs,
 * "Configuration file"): a line break in a name or value would end it early and inject
 * other options, so such plans are refused here rather than rendered.
 */
export function rcloneConfigData(remotes: readonly RemotePlan[]): RcloneConfigData {
  const sections = remotes.map((r) => {
    oneLine(`remote name`, r.name);
    oneLine(`remote ${r.name}: type`, r.type);
    return {
      name: r.name,
      type: r.type,
      options: r.options.map(([key, value]) => {
        oneLine(`remote ${r.name}: option name`, key);
        oneLine(`remote ${r.name}: option ${key}`, value);
        return { key, value };
      }),
      secrets: r.secrets.map((s) => {
        oneLine(`remote ${r.name}: option name`, s.option);
        return {
          option: s.option,
          secretName: s.secret.name,
          envVar: s.secret.envVar,
          defaultPath: s.secret.defaultPath,
          obscure: s.obscure,
          refreshedByRclone: s.refreshedByRclone,
        };
      }),
    };
  });
  const anySecret = (test: (s: RemotePlan['secrets'][number]) => boolean) => remotes.some((r) => r.secrets.some(test));
  return { remotes: sections, inState: anySecret((s) => s.refreshedByRclone), anySecret: anySecret(() => true), anyObscure: anySecret((s) => s.obscure) };
}

function oneLine(what: string, value: string): void {
  if (/[\r\n]/.test(value) || (what.endsWith('name') && /[[\]=]/.test(value))) {
    throw new Error(`rclone config: ${what} ${JSON.stringify(value)} cannot be written to an rclone config line`);
  }
}
