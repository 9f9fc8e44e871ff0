/** One file an emitter produces, with its path relative to the output root (posix). */
export interface GeneratedFile {
  readonly path: string;
  readonly contents: string;
  /** Scripts are written executable (0755); everything else 0644. */
  readonly executable?: boolean;
}
