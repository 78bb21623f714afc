/**
 * Shared by the study-host tests: a study written to a temporary folder, and a study file that
 * cannot be read, made the way the machine allows.
 */
import { spawnSync } from 'node:child_process';
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

/**
 * A folder that the CLI run by `unreadableRun` cannot read: permission taken away. Root reads every
 * folder whatever its permission bits, so as root `unreadableRun` starts the CLI without the two
 * capabilities that let it (setpriv drops them for good, so the kernel refuses the folder as it
 * would refuse any other user). Call the returned function to give the permission back.
 */
export function lockFolder(dir: string): () => void {
  chmodSync(dir, 0o000);
  return () => chmodSync(dir, 0o755);
}

/** The program and first arguments that run `node` as a user whom folder permissions bind (see `lockFolder`). */
export function boundByPermissions(): string[] {
  return process.getuid?.() === 0
    ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', process.execPath]
    : [process.execPath];
}

/**
 * A device node to try to write over: a copy of /dev/null made in `dir` where the machine allows it
 * (as root), else /dev/null itself, which an ordinary user cannot replace whatever a bug would try.
 */
export function deviceNode(dir: string): string {
  if (process.getuid?.() !== 0) return '/dev/null';
  const node = path.join(dir, 'null');
  const r = spawnSync('mknod', [node, 'c', '1', '3']);
  if (r.status !== 0) throw new Error(`mknod failed: ${r.stderr.toString()}`);
  return node;
}
