/**
 * Shared by the study-host tests: a study written to a temporary folder, and a study file that
 * cannot be read, made the way the machine allows.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const written: string[] = [];

/** Writes `files` (relative path → text) into a new temporary folder and returns it. */
export function writeStudy(files: Record<string, string>, prefix = 'tc-host-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  written.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, ...rel.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

/**
 * Makes `rel` below `dir` a study file that cannot be read, and returns the reason a researcher is
 * given. A file without read permission where permissions hold; as root, which reads everything,
 * a link to a file that does not exist.
 */
export function makeUnreadable(dir: string, rel: string): string {
  const file = path.join(dir, ...rel.split('/'));
  mkdirSync(path.dirname(file), { recursive: true });
  if (process.getuid?.() === 0) {
    symlinkSync(path.join(dir, 'no-such-file.transcript.gone'), file);
    return 'it is a link to a file that does not exist';
  }
  writeFileSync(file, 'I: @q1 Hello?\n');
  chmodSync(file, 0o000);
  return 'you do not have permission to read it';
}

/** Removes every folder `writeStudy` made (call it in `after`). */
export function removeWrittenStudies(): void {
  for (const dir of written.splice(0)) rmSync(dir, { recursive: true, force: true });
}
