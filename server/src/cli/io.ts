/**
 * The CLI's side of a study folder and of its output: the folder opened through `NodeStudyHost`
 * (with a warning for each setting it cannot use), files that cannot be read reported as errors,
 * and what is written to standard output and standard error.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { UnreadableFile } from '../host/loadStudy';
import { NodeStudyHost } from '../host/nodeHost';
import { UsageError } from './args';

/** The study in `folder`, after warning about the settings of its `.vscode/settings.json` that cannot be used. */
export function openStudy(folder: string): NodeStudyHost {
  const root = path.resolve(folder);
  if (!existsSync(root)) throw new UsageError(`no such folder: ${folder}`);
  if (!statSync(root).isDirectory()) throw new UsageError(`not a folder: ${folder} (give the study folder, not a file)`);
  const host = new NodeStudyHost(root);
  for (const p of host.settingsProblems()) process.stderr.write(`transcript-coder: warning: ${p}.\n`);
  return host;
}

/** A study file as the user would type it: relative to the current folder, as `check` prints it. */
export function shownPath(host: NodeStudyHost, key: string): string {
  return path.relative(process.cwd(), path.join(host.root, key)) || key;
}

/**
 * Each file that could not be read, as an error line saying what became of it (`it was not checked`).
 * Every command treats them alike: work done without a file must not pass for the whole study's, so
 * the command exits with status 1 when there are any. Returns that status.
 */
export function reportUnreadable(host: NodeStudyHost, unreadable: readonly UnreadableFile[], outcome: string): number {
  for (const u of unreadable) process.stderr.write(`transcript-coder: error: cannot read ${shownPath(host, u.path)}: ${u.reason}; ${outcome}.\n`);
  return unreadable.length > 0 ? 1 : 0;
}

/** Text on standard output, ending in a line break. */
export function write(s: string): void {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
}

/** A note on standard error: something the user should know that is no failure. */
export function note(message: string): void {
  process.stderr.write(`transcript-coder: note: ${message}\n`);
}
