/**
 * A study held in memory, for tests: files given as relative path → text, read by the same rules
 * as a folder on disk (study file names, `node_modules`/`.git` and excluded paths left out, the
 * byte-order mark removed, `.vscode/settings.json` applied), so a test can build the study a user's
 * folder would give without touching the disk.
 */
import { mergeSettings, readSettingsFile, SETTINGS_FILE } from './settings';
import { decodeStudyText, excludeMatcher, isStudyPath, withoutBom } from './studyFiles';
import { NAMES_FILE } from './names';
import type { NamesSource, ReadResult, StudyHost, StudySettings } from './studyHost';

/**
 * A file's text; or its bytes, read as a file on disk is (so that a file in another encoding is
 * refused alike); or `{ error }` for a file that exists but cannot be read (the reason given).
 */
export type MemoryFile = string | Uint8Array | { error: string };

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
    if (typeof file === 'string') return { text: withoutBom(file) };
    return file instanceof Uint8Array ? decodeStudyText(file) : { error: file.error };
  }

  /** The names list: the file at `transcriptCoder.privacy.namesFile` (a path among `files`), else `names.private.yaml`. */
  namesSource(): NamesSource {
    const given = this.settings().namesFile;
    const where = given ?? NAMES_FILE;
    const file = this.files.get(where);
    if (file === undefined) return given === undefined ? { kind: 'none' } : { kind: 'error', where, inStudy: where, error: 'there is no file there (set by transcriptCoder.privacy.namesFile), so no name is checked' };
    const read = this.readText(where);
    return 'error' in read ? { kind: 'error', where, inStudy: where, error: `${read.error}, so no name is checked` } : { kind: 'text', text: read.text, where, inStudy: where };
  }

  private settingsFile(): ReturnType<typeof readSettingsFile> | undefined {
    const file = this.files.get(SETTINGS_FILE);
    return typeof file === 'string' ? readSettingsFile(file) : undefined;
  }
}
