/**
 * rclone options that need special handling when the planner wires secrets into a remote.
 *
 * OBSCURED: options rclone keeps obscured in its config ("**NB** Input to this must be
 * obscured" in `rclone help backend <type>`). The entries for backends in the installed
 * rclone are checked against that output in test/plan/rclone-options.test.ts; mega and
 * protondrive come from newer rclone releases' documentation.
 */
const OBSCURED: Readonly<Record<string, readonly string[]>> = {
  cache: ['plex_password'],
  crypt: ['password', 'password2'],
  fichier: ['file_password', 'folder_password'],
  ftp: ['pass'],
  koofr: ['password'],
  mailru: ['pass'],
  mega: ['pass'],
  netstorage: ['secret'],
  opendrive: ['password'],
  pcloud: ['password'],
  protondrive: ['password', 'mailbox_password'],
  seafile: ['pass', 'library_key'],
  sftp: ['pass', 'key_file_pass'],
  sia: ['api_password'],
  smb: ['pass'],
  webdav: ['pass'],
};

export function obscuredOptions(): Readonly<Record<string, readonly string[]>> {
  return OBSCURED;
}

export function isObscured(remoteType: string, option: string): boolean {
  return OBSCURED[remoteType]?.includes(option) ?? false;
}

/** OAuth tokens: rclone refreshes them and writes the new value back to its config. */
export function isRefreshedByRclone(option: string): boolean {
  return option === 'token';
}
