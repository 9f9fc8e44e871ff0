/** Runs the real shellcheck on a rendered script; returns its findings (empty = clean). */
import { execa } from 'execa';

export async function shellcheck(scriptText: string): Promise<string[]> {
  // -s bash: what writeShellApplication checks the script as; -x is not needed (no sourcing).
  const r = await execa('shellcheck', ['-s', 'bash', '-f', 'gcc', '-'], { input: scriptText, reject: false });
  if (r.exitCode !== 0 && r.stdout === '') throw new Error(`shellcheck could not run: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '');
}
