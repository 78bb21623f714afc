/**
 * The CLI's side of a study folder and of its output: the folder opened through `NodeStudyHost`
 * (with a warning for each setting it cannot use), what could not be read reported as errors, and
 * everything written to standard output and standard error. All output leaves through here, with
 * terminal control characters taken out: file names, codes and messages come from the study, and an
 * escape sequence in one must not move the cursor, recolour or retitle the researcher's terminal.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { unmatchedCase, type CaseFilter } from '../core/coverage';
import type { Study } from '../core/study';
import type { UnreadableFile } from '../host/loadStudy';
import { NodeStudyHost, skippedReason } from '../host/nodeHost';
import { redactingHost } from '../host/redact';
import type { StudyHost } from '../host/studyHost';
import { UsageError } from './args';

/** The study in `folder`, after warning about the settings of its `.vscode/settings.json` that cannot be used. */
export function openStudy(folder: string): NodeStudyHost {
  const root = path.resolve(folder);
  if (!existsSync(root)) throw new UsageError(`no such folder: ${folder}`);
  if (!statSync(root).isDirectory()) throw new UsageError(`not a folder: ${folder} (give the study folder, not a file)`);
  const host = new NodeStudyHost(root);
  for (const p of host.settingsProblems()) warning(`${p}.`);
  return host;
}

/** The study as `--redact` asks to read it: redacted (SPEC §13), or as it is. */
export function readAs(host: NodeStudyHost, redact: boolean | undefined): StudyHost {
  if (!redact) return host;
  const r = redactingHost(host);
  if ('refused' in r) throw new UsageError(r.refused, 1);
  return r;
}

/** A study file as the user would type it: relative to the current folder, as `check` prints it. */
export function shownPath(host: NodeStudyHost, key: string): string {
  return path.relative(process.cwd(), path.join(host.root, key)) || (key === '.' || key === '' ? '.' : key);
}

/**
 * What the study's reading passed over and could not read, on standard error, once a command has
 * loaded the study: a warning for each link that leads outside the study folder (and each device or
 * pipe named as a study file), a note for each second way to a file read once, and an error for each
 * folder and file that could not be read, saying what became of it (`outcome`: `not checked`,
 * `left out of the report`). Every command treats them alike: work done without a file must not pass
 * for the whole study's, so the status is 1 when anything could not be read. A folder with no study
 * file at all is a mistake in the command (a mistyped folder must not pass in CI): `UsageError`,
 * status 2. Returns the status.
 */
export function reportReading(host: NodeStudyHost, unreadable: readonly UnreadableFile[], outcome: string): number {
  const listing = host.lastListing ?? host.listing();
  const root = listing.unreadableFolders.find((f) => f.path === '.');
  if (root) throw new UsageError(`cannot read the study folder ${shownPath(host, '.')}: ${root.reason}`, 1);
  for (const s of listing.skipped) {
    const line = `${shownPath(host, s.path)}: ${skippedReason(s, (rel) => shownPath(host, rel))}.`;
    if (s.kind === 'outside' || s.kind === 'not-a-file') warning(line);
    else note(line);
  }
  const errors = [
    ...listing.unreadableFolders.map((f) => ({ path: f.path, line: `cannot read the folder ${shownPath(host, f.path)}: ${f.reason}; the study files in it were ${outcome}.` })),
    ...unreadable.map((u) => ({ path: u.path, line: `cannot read ${shownPath(host, u.path)}: ${u.reason}; it was ${outcome}.` })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const e of errors) error(e.line);
  if (errors.length > 0) return 1;
  if (listing.files.length === 0) {
    throw new UsageError(`no study files in ${shownPath(host, '.')} (no *.guide.yaml, *.codebook.yaml or *.transcript): check the folder's name`);
  }
  return 0;
}

/**
 * A `--where` or `--by` that matches no transcript, said on standard error with the nearest keys or values:
 * the command still runs (its table is then empty, or all `(none)`) and the status stays as it was.
 */
export function reportUnmatched(study: Study, filter: CaseFilter | undefined, byKey?: string): void {
  for (const line of unmatchedCase(study, filter, byKey)) warning(line);
}

/** Text on standard output, ending in a line break. */
export function write(s: string): void {
  writeOut(s.endsWith('\n') ? s : `${s}\n`);
}

/** Text or bytes on standard output, as they are but for terminal control characters. */
export function writeOut(data: string | Uint8Array): void {
  process.stdout.write(printable(typeof data === 'string' ? Buffer.from(data, 'utf8') : data));
}

/** A line on standard error, after the tool's name. */
export function writeErr(line: string): void {
  process.stderr.write(printable(Buffer.from(`transcript-coder: ${line}\n`, 'utf8')));
}

/** A note on standard error: something the user should know that is no failure. */
export function note(message: string): void {
  writeErr(`note: ${message}`);
}

/** A warning on standard error: something left undone that does not fail the command. */
export function warning(message: string): void {
  writeErr(`warning: ${message}`);
}

/** An error on standard error: something the command could not do (the caller decides the status). */
export function error(message: string): void {
  writeErr(`error: ${message}`);
}

/**
 * UTF-8 `bytes` without terminal control characters: C0 controls other than tab and line breaks,
 * DEL, C1 controls (U+0080–U+009F, which some terminals obey as escapes), and a carriage return that
 * ends no line (it sends the cursor back to overwrite what was printed). The same bytes when there
 * are none, which is nearly always.
 */
export function printable(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length && !isControlAt(bytes, i)) i++;
  if (i === bytes.length) return bytes;
  const out = new Uint8Array(bytes.length);
  out.set(bytes.subarray(0, i));
  let n = i;
  for (; i < bytes.length; i++) {
    if (isControlAt(bytes, i)) {
      if (bytes[i] === 0xc2) i++; // a C1 control is two bytes in UTF-8
      continue;
    }
    out[n++] = bytes[i];
  }
  return out.subarray(0, n);
}

function isControlAt(b: Uint8Array, i: number): boolean {
  const c = b[i];
  if (c >= 0x20 && c < 0x7f) return false;
  if (c === 0x09 || c === 0x0a) return false;
  if (c === 0x0d) return b[i + 1] !== 0x0a;
  if (c < 0x80) return true; // the other C0 controls and DEL
  return c === 0xc2 && b[i + 1] >= 0x80 && b[i + 1] <= 0x9f;
}
