/** "1 file", "2 files": the summaries are read by people first. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
