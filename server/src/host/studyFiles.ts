/**
 * Which paths are study files, and how a study file's text is presented: the rules every study
 * host applies, whatever its files live in. Pure (no file system), so the in-memory host applies
 * exactly the rules the disk host does.
 */
import picomatch from 'picomatch';
import { fileKind } from '../core/ids';

/** Folders never searched for study files. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** Whether a folder of this name is never searched. */
export function isSkippedFolder(name: string): boolean {
  return SKIPPED_FOLDERS.has(name);
}

/** Whether a relative path lies in a folder that is never searched. */
export function inSkippedFolder(rel: string): boolean {
  return rel.split('/').some((s) => SKIPPED_FOLDERS.has(s));
}

/** A matcher for `transcriptCoder.exclude` globs, relative to the study folder. */
export function excludeMatcher(globs: readonly string[]): (relPath: string) => boolean {
  const valid = globs.filter((g) => typeof g === 'string' && g.trim() !== '');
  if (valid.length === 0) return () => false;
  const isMatch = picomatch(valid, { dot: true });
  // `drafts` and `drafts/` exclude the folder and all below it, as in VS Code's files.exclude.
  const folderGlobs = picomatch(valid.map((g) => g.replace(/\/+$/, '')).map((g) => `${g}/**`), { dot: true });
  return (rel) => isMatch(rel) || folderGlobs(rel);
}

/**
 * Whether the `/`-separated relative path `rel` is a study file: named as one, in no skipped
 * folder, and neither it nor a folder above it excluded (a walk of the disk never enters an
 * excluded folder, so a file below one is out whatever its own name).
 */
export function isStudyPath(rel: string, excluded: (relPath: string) => boolean): boolean {
  if (!fileKind(rel)) return false;
  const parts = rel.split('/');
  for (let i = 0; i < parts.length; i++) {
    if (i < parts.length - 1 && SKIPPED_FOLDERS.has(parts[i])) return false;
    if (excluded(parts.slice(0, i + 1).join('/'))) return false;
  }
  return true;
}

/** Text as an editor presents it: a UTF-8 byte-order mark removed (line ends are kept as they are). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
