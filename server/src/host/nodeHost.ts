/**
 * A study folder on disk, read with Node's file system: the CLI's host, and what the language
 * server's start-up scan lists and reads. The only place that knows how study files are found
 * (`node_modules`, `.git` and `transcriptCoder.exclude` left out) and how a file's text is read.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import picomatch from 'picomatch';
import { fileKind } from '../core/ids';
import { mergeSettings, settingsFrom, settingsProblems } from './settings';
import type { ReadResult, StudyHost, StudySettings } from './studyHost';

/** Folders never searched for study files. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

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

/** Study files below `root` (relative, `/`-separated paths, sorted), honouring exclusions. */
export function findStudyFiles(root: string, exclude: readonly string[] = []): string[] {
  const excluded = excludeMatcher(exclude);
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // An unreadable folder is skipped, as an editor would.
    }
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (SKIPPED_FOLDERS.has(e.name) || excluded(childRel)) continue;
        walk(path.join(dir, e.name), childRel);
      } else if ((e.isFile() || (e.isSymbolicLink() && isFile(path.join(dir, e.name)))) && fileKind(e.name) && !excluded(childRel)) {
        out.push(childRel);
      }
    }
  };
  walk(root, '');
  return out.sort();
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Text as an editor presents it: a UTF-8 byte-order mark removed. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Why a file could not be read, in words for a researcher. */
export function unreadableReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' ? 'you do not have permission to read it'
    : code === 'ENOENT' ? 'it was removed while the study was being read'
      : code === 'EISDIR' ? 'it is a folder'
        : (err as Error).message;
}

/** A study file's text (UTF-8, byte-order mark removed), or why it cannot be read. */
export function readTextFile(file: string): ReadResult {
  try {
    return { text: withoutBom(readFileSync(file, 'utf8')) };
  } catch (err) {
    return { error: unreadableReason(err) };
  }
}

const SETTINGS_FILE = path.join('.vscode', 'settings.json');

/** The folder's `.vscode/settings.json` as parsed JSON (comments and trailing commas allowed), and whether it parsed cleanly. */
function readSettingsFile(root: string): { value: unknown; syntaxError?: number } | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(root, SETTINGS_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: true }) as unknown;
  return { value, syntaxError: errors.length ? text.slice(0, errors[0].offset).split('\n').length : undefined };
}

/** The `transcriptCoder.*` settings of `<root>/.vscode/settings.json`; a missing or broken file sets nothing. */
export function folderSettings(root: string): Partial<StudySettings> {
  return settingsFrom(readSettingsFile(root)?.value);
}

/** What is wrong with `<root>/.vscode/settings.json`'s `transcriptCoder.*` settings, in plain words. */
export function folderSettingsProblems(root: string): string[] {
  const file = readSettingsFile(root);
  if (!file) return [];
  const problems = file.syntaxError !== undefined
    ? [`${SETTINGS_FILE} is not valid JSON (line ${file.syntaxError}), so some of its settings may not be read`]
    : [];
  return [...problems, ...settingsProblems(file.value, SETTINGS_FILE)];
}

/** A study folder on disk. Settings: those given (by an editor), else the folder's `.vscode/settings.json`. */
export class NodeStudyHost implements StudyHost {
  readonly name: string;
  private readonly resolved: StudySettings;

  constructor(readonly root: string, given: Partial<StudySettings> = {}) {
    this.name = path.basename(root);
    this.resolved = mergeSettings(given, folderSettings(root));
  }

  settings(): StudySettings {
    return this.resolved;
  }

  listFiles(): string[] {
    return findStudyFiles(this.root, this.resolved.exclude);
  }

  readText(rel: string): ReadResult {
    return readTextFile(path.join(this.root, ...rel.split('/')));
  }
}
