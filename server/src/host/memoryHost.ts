/**
 * A study held in memory, for tests: files given as relative path → text, read by the same rules
 * as a folder on disk (study file names, `node_modules`/`.git` and excluded paths left out, the
 * byte-order mark removed, `.vscode/settings.json` applied), so a test can build the study a user's
 * folder would give without touching the disk.
 */
import { mergeSettings, readSettingsFile, SETTINGS_FILE } from './settings';
import { excludeMatcher, isStudyPath, withoutBom } from './studyFiles';
import type { ReadResult, StudyHost, StudySettings } from './studyHost';

/** A file's text, or `{ error }` for a file that exists but cannot be read (the reason given). */
export type MemoryFile = string | { error: string };

export class MemoryStudyHost implements StudyHost {
  private readonly files: Map<string, MemoryFile>;

  /**
   * `files` by `/`-separated path relative to the study; `given` settings win, field by field, over
   * those of a `.vscode/settings.json` among `files`.
   */
  constructor(
    files: Record<string, MemoryFile> | Iterable<[string, MemoryFile]>,
    private readonly given: Partial<StudySettings> = {},
    readonly name = 'study',
  ) {
    this.files = new Map(Symbol.iterator in files ? files as Iterable<[string, MemoryFile]> : Object.entries(files));
  }

  /** Adds or replaces a file. */
  set(path: string, file: MemoryFile): void {
    this.files.set(path, file);
  }

  /** Removes a file. */
  delete(path: string): void {
    this.files.delete(path);
  }

  settings(): StudySettings {
    return mergeSettings(this.given, this.settingsFile()?.settings ?? {});
  }

  /** What is wrong with `.vscode/settings.json`, in plain words, as a folder on disk reports it. */
  settingsProblems(): string[] {
    return this.settingsFile()?.problems ?? [];
  }

  listFiles(): string[] {
    const excluded = excludeMatcher(this.settings().exclude);
    return [...this.files.keys()].filter((p) => isStudyPath(p, excluded)).sort();
  }

  readText(path: string): ReadResult {
    const file = this.files.get(path);
    if (file === undefined) return { error: 'it was removed while the study was being read' };
    return typeof file === 'string' ? { text: withoutBom(file) } : { error: file.error };
  }

  private settingsFile(): ReturnType<typeof readSettingsFile> | undefined {
    const file = this.files.get(SETTINGS_FILE);
    return typeof file === 'string' ? readSettingsFile(file) : undefined;
  }
}
