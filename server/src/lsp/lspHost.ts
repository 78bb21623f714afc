/**
 * A study as the language server sees it, behind the `StudyHost` interface that the CLI's
 * `NodeStudyHost` also implements: the study files on disk (found by host/nodeHost.ts, with the
 * folder's exclusions, leaving out the files of a workspace folder nested in it), plus open
 * documents of the study that are not saved yet; a file's text is the open document's when the
 * editor has it open, else the file's, read by host/nodeHost.ts. Settings are the folder's, as the
 * server merged them. For a lone document outside every folder, the study is that document.
 */
import * as path from 'node:path';
import { readNamesOnDisk } from '../host/names';
import { readTextFile } from '../host/nodeHost';
import type { NamesSource, ReadResult, StudyHost, StudySettings } from '../host/studyHost';
import { fileKey, type LspWorkspace, type StudyFolder } from './workspace';

export class LspStudyHost implements StudyHost {
  constructor(private readonly folder: StudyFolder, private readonly workspace: LspWorkspace) {}

  /** The folder's name on disk, as the CLI names a study (so that exports name it alike), else the client's name for it. */
  get name(): string {
    return this.folder.root ? path.basename(this.folder.root) : this.folder.name;
  }

  settings(): StudySettings {
    return this.folder.settings;
  }

  listFiles(): string[] {
    const onDisk = this.workspace.listFiles(this.folder);
    const known = new Set(onDisk);
    const unsaved = this.workspace.openKeysOf(this.folder)
      .map((key) => this.folder.study.get(key)!.path)
      .filter((rel) => !known.has(rel));
    return unsaved.length === 0 ? onDisk : [...onDisk, ...unsaved].sort();
  }

  readText(rel: string): ReadResult {
    const key = this.keyOf(rel);
    const open = key !== undefined ? this.workspace.openText(key) : undefined;
    if (open !== undefined) return { text: open };
    if (!this.folder.root) return { error: 'it is not open in the editor any more' };
    return readTextFile(path.join(this.folder.root, ...rel.split('/')));
  }

  namesSource(): NamesSource {
    return this.folder.root ? readNamesOnDisk(this.folder.root, this.folder.settings) : { kind: 'none' };
  }

  private keyOf(rel: string): string | undefined {
    if (this.folder.root) return fileKey(this.folder.root, rel);
    return this.folder.single ? this.folder.key : undefined;
  }
}
