/**
 * A study folder on disk, read with Node's file system: the CLI's host, and what the language
 * server's start-up scan lists and reads. Which paths are study files is decided in studyFiles.ts;
 * this module walks the disk by those rules and reads what it finds.
 */
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileKind } from '../core/ids';
import { mergeSettings, readSettingsFile, SETTINGS_FILE, type SettingsFile } from './settings';
import { excludeMatcher, isSkippedFolder, withoutBom } from './studyFiles';
import type { ReadResult, StudyHost, StudySettings } from './studyHost';

export { excludeMatcher, inSkippedFolder, withoutBom } from './studyFiles';

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
        if (isSkippedFolder(e.name) || excluded(childRel)) continue;
        walk(path.join(dir, e.name), childRel);
      } else if ((e.isFile() || (e.isSymbolicLink() && linksToFile(path.join(dir, e.name)))) && fileKind(e.name) && !excluded(childRel)) {
        out.push(childRel);
      }
    }
  };
  walk(root, '');
  return out.sort();
}

/**
 * Whether a link named as a study file stands for one. A link whose target is missing is listed
 * too, so that reading it reports the file instead of passing over it without a word; a link to a
 * folder (or anything else that is not a file) is not.
 */
function linksToFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return true;
  }
}

/** Why a file could not be read, in words for a researcher. */
export function unreadableReason(err: unknown, file?: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' && file !== undefined && isLink(file)) return 'it is a link to a file that does not exist';
  return code === 'EACCES' || code === 'EPERM' ? 'you do not have permission to read it'
    : code === 'ENOENT' ? 'it was removed while the study was being read'
      : code === 'EISDIR' ? 'it is a folder'
        : code === 'ELOOP' ? 'it is a link that leads back to itself'
          : (err as Error).message;
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** A study file's text (UTF-8, byte-order mark removed), or why it cannot be read. */
export function readTextFile(file: string): ReadResult {
  try {
    return { text: withoutBom(readFileSync(file, 'utf8')) };
  } catch (err) {
    return { error: unreadableReason(err, file) };
  }
}

/** The folder's `.vscode/settings.json`, read and checked; undefined when it has none. */
function folderSettingsFile(root: string): SettingsFile | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(root, ...SETTINGS_FILE.split('/')), 'utf8');
  } catch {
    return undefined;
  }
  return readSettingsFile(text);
}

/** The `transcriptCoder.*` settings of `<root>/.vscode/settings.json`; a missing or broken file sets nothing. */
export function folderSettings(root: string): Partial<StudySettings> {
  return folderSettingsFile(root)?.settings ?? {};
}

/** What is wrong with `<root>/.vscode/settings.json`'s `transcriptCoder.*` settings, in plain words. */
export function folderSettingsProblems(root: string): string[] {
  return folderSettingsFile(root)?.problems ?? [];
}

/**
 * A study folder on disk. Settings: each field from those given (by an editor), else from the
 * folder's `.vscode/settings.json`, else the default.
 */
export class NodeStudyHost implements StudyHost {
  readonly name: string;
  private readonly resolved: StudySettings;
  private readonly problems: string[];

  constructor(readonly root: string, given: Partial<StudySettings> = {}) {
    this.name = path.basename(root);
    const file = folderSettingsFile(root);
    this.resolved = mergeSettings(given, file?.settings ?? {});
    this.problems = file?.problems ?? [];
  }

  settings(): StudySettings {
    return this.resolved;
  }

  /** What is wrong with the folder's `.vscode/settings.json`, in plain words (empty when nothing is). */
  settingsProblems(): string[] {
    return this.problems;
  }

  listFiles(): string[] {
    return findStudyFiles(this.root, this.resolved.exclude);
  }

  readText(rel: string): ReadResult {
    return readTextFile(path.join(this.root, ...rel.split('/')));
  }
}
