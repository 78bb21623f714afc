/**
 * The language server's view of the studies: one `Study` per workspace folder
 * (and one per open document outside every folder), built from the file system
 * and the editor's open documents. This is the server's only IO; the handlers
 * in the server ask it for a document's study and text.
 *
 * Documents are keyed by a canonical `file:` URI, so that a file found on disk
 * and the same file opened by a client that encodes its URI differently are one
 * document. Results go back to the client under the URI it used (`clientUri`).
 */
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fileKind, type FileKind } from '../core/ids';
import type { DocumentModel } from '../core/model';
import { parseDocument, Study } from '../core/study';
import { excludeMatcher, findStudyFiles, folderSettings, withoutBom } from '../host/nodeHost';
import { DEFAULT_SETTINGS, mergeSettings, settingsFrom } from '../host/settings';
import type { StudySettings } from '../host/studyHost';

export { settingsFrom };

/** A study: a workspace folder, or one open document outside every folder. */
export interface StudyFolder {
  /** Canonical URI of the folder (or of the lone document). */
  key: string;
  /** The URI as the client named it (sent back in `indexChanged`). */
  uri: string;
  name: string;
  /** The folder on disk; undefined for a lone document. */
  root: string | undefined;
  /** True for the study of a lone document outside every workspace folder. */
  single: boolean;
  study: Study;
  settings: StudySettings;
  excluded: (relPath: string) => boolean;
  /** False until the first scan of the folder has been built. */
  ready: boolean;
  /** Resolves when the folder's first scan is built (or abandoned). */
  whenReady: Promise<void>;
  /** Resolves `whenReady`. */
  settle: () => void;
  /** Bumped by every scan, so that a scan overtaken by a newer one is dropped. */
  scan: number;
}

export interface Located {
  folder: StudyFolder;
  /** The document's key in the study. */
  key: string;
  /** Path relative to the folder, `/`-separated. */
  path: string;
  kind: FileKind;
}

/** What a change did to a study, so the caller can decide what to re-diagnose. */
export interface StudyChange {
  folder: StudyFolder;
  /** Documents whose own text changed (or that were added). */
  changed: string[];
  /** Documents that left the study. */
  removed: string[];
  /** A guide or codebook changed, appeared or went: every document may be affected. */
  studyWide: boolean;
}

export interface IndexProgress {
  /** Files read so far and in all, over every folder being indexed. */
  done: number;
  total: number;
}

const READ_BATCH = 32;

/** The canonical form of a URI: `file:` URIs re-encoded as Node encodes them; others as they are. */
export function canonicalUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return pathToFileURL(fileURLToPath(uri)).href;
  } catch {
    return uri;
  }
}

function fsPathOf(key: string): string | undefined {
  if (!key.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(key);
  } catch {
    return undefined;
  }
}

/** The key of a file below a folder on disk. */
function fileKey(root: string, rel: string): string {
  return pathToFileURL(path.join(root, ...rel.split('/'))).href;
}

/** A document's path relative to the folder that contains it, `/`-separated. */
function relativePath(folder: StudyFolder, key: string): string {
  const fsPath = fsPathOf(key);
  if (folder.root && fsPath) return path.relative(folder.root, fsPath).split(path.sep).join('/');
  return decodeURIComponent(key.slice(folder.key.length + 1));
}

/** Whether a relative path lies in a folder that is never searched. */
function inSkippedFolder(rel: string): boolean {
  return rel.split('/').some((s) => s === 'node_modules' || s === '.git');
}

/** A file's text as an editor presents it: UTF-8, byte-order mark removed. */
async function readDiskText(file: string): Promise<string> {
  return withoutBom(await readFile(file, 'utf8'));
}

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));


export interface WorkspaceOptions {
  /** The editor's open documents, keyed by the client's URIs. */
  open: { get(uri: string): TextDocument | undefined; all(): TextDocument[] };
  log: (message: string) => void;
}

export class LspWorkspace {
  /** Workspace folders in the client's order. */
  private folders: StudyFolder[] = [];
  /** The same, deepest first: the deepest folder owns a document. */
  private byDepth: StudyFolder[] = [];
  /** Studies of lone documents, by document key. */
  private singles = new Map<string, StudyFolder>();
  /** Key → the URI the client opened it under. */
  private openUris = new Map<string, string>();

  /** Settings of lone documents' studies (they have no folder settings). */
  singleSettings: StudySettings = DEFAULT_SETTINGS;

  constructor(private readonly options: WorkspaceOptions) {}

  /** Every study: the workspace folders', then the lone documents'. */
  studies(): StudyFolder[] {
    return [...this.folders, ...this.singles.values()];
  }

  workspaceFolders(): StudyFolder[] {
    return this.folders;
  }

  /** The URI to send back to the client for a document key. */
  clientUri(key: string): string {
    return this.openUris.get(key) ?? key;
  }

  /** The study with this folder key (a workspace folder's or a lone document's URI). */
  folderByUri(uri: string): StudyFolder | undefined {
    const key = canonicalUri(uri).replace(/\/+$/, '');
    return this.studies().find((f) => f.key.replace(/\/+$/, '') === key);
  }

  /** Adds a workspace folder, not yet scanned. */
  addFolder(uri: string, name: string): StudyFolder {
    const key = canonicalUri(uri).replace(/\/+$/, '');
    const existing = this.folders.find((f) => f.key === key);
    if (existing) return existing;
    let settle = (): void => undefined;
    const whenReady = new Promise<void>((resolve) => { settle = resolve; });
    const folder: StudyFolder = {
      key, uri, name, root: fsPathOf(key), single: false, study: Study.empty(), settings: DEFAULT_SETTINGS,
      excluded: () => false, ready: false, whenReady, settle, scan: 0,
    };
    this.folders.push(folder);
    this.byDepth = [...this.folders].sort((a, b) => b.key.length - a.key.length);
    return folder;
  }

  removeFolder(uri: string): StudyFolder | undefined {
    const folder = this.folderByUri(uri);
    if (!folder || folder.single) return undefined;
    this.folders = this.folders.filter((f) => f !== folder);
    this.byDepth = this.byDepth.filter((f) => f !== folder);
    folder.scan++;
    folder.settle();
    return folder;
  }

  /** The workspace folder whose tree holds `key`, if any. */
  private containingFolder(key: string): StudyFolder | undefined {
    return this.byDepth.find((f) => key.startsWith(`${f.key}/`));
  }

  /** The study a document key falls in: its workspace folder, or its lone study. */
  ownerOf(key: string): StudyFolder | undefined {
    return this.containingFolder(key) ?? this.singles.get(key);
  }

  /**
   * Where a document belongs: its workspace folder (unless excluded or in `node_modules`/`.git`),
   * else its lone study when it is open. Undefined for a file that is no study file.
   */
  locate(uri: string): Located | undefined {
    const key = canonicalUri(uri);
    const folder = this.containingFolder(key);
    if (folder) {
      const rel = relativePath(folder, key);
      const kind = fileKind(rel);
      if (!kind || inSkippedFolder(rel) || folder.excluded(rel)) return undefined;
      return { folder, key, path: rel, kind };
    }
    const single = this.singles.get(key);
    if (!single) return undefined;
    const doc = single.study.get(key);
    return doc ? { folder: single, key, path: doc.path, kind: doc.kind } : undefined;
  }

  /** The path a lone document gets: its file name, with `.transcript` added to an unnamed transcript. */
  private singlePath(key: string, languageId: string): string {
    const fsPath = fsPathOf(key);
    let name = fsPath ? path.basename(fsPath) : decodeURIComponent(key.slice(key.lastIndexOf('/') + 1).replace(/^[a-z]+:/i, ''));
    if (!fileKind(name) && languageId === 'transcript') name += '.transcript';
    return name || 'untitled.transcript';
  }

  // ---------------------------------------------------------------- settings

  /**
   * A folder's settings, each field from the first source that sets it: the client's
   * `workspace/configuration` answer, the `initializationOptions`, the folder's `.vscode/settings.json`.
   */
  static mergeSettings(fromClient: Partial<StudySettings>, fromInit: Partial<StudySettings>, root: string | undefined): StudySettings {
    return mergeSettings(fromClient, fromInit, root ? folderSettings(root) : {});
  }

  /** Sets a folder's settings; true when the exclusions changed (the folder needs a new scan). */
  applySettings(folder: StudyFolder, settings: StudySettings): boolean {
    const excludeChanged = JSON.stringify(settings.exclude) !== JSON.stringify(folder.settings.exclude);
    folder.settings = settings;
    folder.excluded = excludeMatcher(settings.exclude);
    return excludeChanged;
  }

  // ---------------------------------------------------------------- scanning

  /** The study files of a folder on disk, as relative paths. */
  listFiles(folder: StudyFolder): string[] {
    if (!folder.root) return [];
    // Files of a workspace folder nested in this one belong to that folder's study.
    const inner = this.folders.filter((f) => f !== folder && f.key.startsWith(`${folder.key}/`));
    const files = findStudyFiles(folder.root, folder.settings.exclude);
    return inner.length === 0 ? files : files.filter((rel) => this.containingFolder(fileKey(folder.root!, rel)) === folder);
  }

  /** The workspace folders that hold `folder` (it is nested in them). */
  enclosing(folder: StudyFolder): StudyFolder[] {
    return this.folders.filter((f) => f !== folder && folder.key.startsWith(`${f.key}/`));
  }

  /**
   * Scans a folder: reads `files` from disk in batches (yielding between them, so
   * requests keep being answered), parses them, and builds the study in one go.
   * Open documents' texts win over the disk. Returns false when a newer scan overtook this one.
   */
  async scanFolder(folder: StudyFolder, files: string[], onFile: () => void): Promise<boolean> {
    const scan = ++folder.scan;
    const parsed = new Map<string, { uri: string; path: string; model: DocumentModel; version?: number }>();
    for (let i = 0; i < files.length; i += READ_BATCH) {
      const batch = files.slice(i, i + READ_BATCH);
      const texts = await Promise.all(batch.map(async (rel) => {
        try {
          return await readDiskText(path.join(folder.root!, rel));
        } catch (err) {
          this.options.log(`Cannot read ${rel}: ${(err as Error).message}`);
          return undefined;
        }
      }));
      if (folder.scan !== scan) return false;
      batch.forEach((rel, j) => {
        const text = texts[j];
        const key = fileKey(folder.root!, rel);
        onFile();
        // Open documents are parsed too: one closed before the end of the scan needs its file's model.
        if (text !== undefined) parsed.set(key, { uri: key, path: rel, model: parseDocument(fileKind(rel)!, text) });
      });
      await nextTick();
      if (folder.scan !== scan) return false;
    }
    // Open documents of this folder, on disk or not yet saved, as the editor has them now, win.
    for (const [key, clientUri] of this.openUris) {
      const loc = this.locate(clientUri);
      const doc = this.options.open.get(clientUri);
      if (!loc || loc.folder !== folder || !doc) continue;
      parsed.set(key, { uri: key, path: loc.path, model: parseDocument(loc.kind, doc.getText()), version: doc.version });
      // A lone study made before the folder was known gives way to the folder's.
      this.singles.delete(key);
    }
    folder.study = Study.fromFiles(parsed.values());
    folder.ready = true;
    folder.settle();
    return true;
  }

  // ---------------------------------------------------------------- open documents

  /**
   * The editor opened or changed a document: its text replaces the file's in its study.
   * Returns the change, or undefined when the document belongs to no study or its folder
   * is still being scanned (the scan will take the open text).
   */
  setOpenText(doc: TextDocument): StudyChange | undefined {
    const key = canonicalUri(doc.uri);
    this.openUris.set(key, doc.uri);
    let loc = this.locate(doc.uri);
    if (!loc && !this.containingFolder(key)) {
      const p = this.singlePath(key, doc.languageId);
      const kind = fileKind(p);
      if (!kind) return undefined;
      const folder: StudyFolder = {
        key, uri: doc.uri, name: p, root: undefined, single: true, study: Study.empty(), settings: this.singleSettings,
        excluded: () => false, ready: true, whenReady: Promise.resolve(), settle: () => undefined, scan: 0,
      };
      this.singles.set(key, folder);
      loc = { folder, key, path: p, kind };
    }
    if (!loc || !loc.folder.ready) return undefined;
    return this.put(loc.folder, key, loc.path, doc.getText(), doc.version);
  }

  /** Sets one document's text in its study. */
  private put(folder: StudyFolder, key: string, rel: string, text: string, version?: number): StudyChange {
    const before = folder.study.get(key)?.kind;
    folder.study = folder.study.withDocument(key, rel, text, version);
    const after = folder.study.get(key)?.kind;
    return { folder, changed: [key], removed: [], studyWide: isStudyWide(before) || isStudyWide(after) };
  }

  private drop(folder: StudyFolder, key: string): StudyChange | undefined {
    const doc = folder.study.get(key);
    if (!doc) return undefined;
    folder.study = folder.study.withoutDocument(key);
    return { folder, changed: [], removed: [key], studyWide: isStudyWide(doc.kind) };
  }

  /**
   * The editor closed a document: its study goes back to the file on disk,
   * or loses it when the file is gone (a lone document's study goes with it).
   */
  async closed(uri: string): Promise<StudyChange | undefined> {
    const key = canonicalUri(uri);
    this.openUris.delete(key);
    const single = this.singles.get(key);
    if (single) {
      this.singles.delete(key);
      return { folder: single, changed: [], removed: [key], studyWide: false };
    }
    const loc = this.locate(uri);
    if (!loc || !loc.folder.ready) return undefined;
    return this.syncFromDisk(loc);
  }

  /** Re-reads one file into its study (unless it is open), or drops it when it is gone. */
  private async syncFromDisk(loc: Located): Promise<StudyChange | undefined> {
    const fsPath = fsPathOf(loc.key);
    let text: string | undefined;
    try {
      if (fsPath) text = await readDiskText(fsPath);
    } catch {
      text = undefined;
    }
    // The editor may have opened it again meanwhile: its text wins.
    if (this.openUris.has(loc.key) || !this.folders.includes(loc.folder)) return undefined;
    return text === undefined ? this.drop(loc.folder, loc.key) : this.put(loc.folder, loc.key, loc.path, text);
  }

  // ---------------------------------------------------------------- file events

  /**
   * Files created, changed or deleted on disk (from `workspace/didChangeWatchedFiles`).
   * Open documents are left as the editor has them. A created or deleted folder brings
   * or takes the study files below it.
   */
  async filesChanged(events: { uri: string; type: 'created' | 'changed' | 'deleted' }[]): Promise<StudyChange[]> {
    const out: StudyChange[] = [];
    for (const e of events) {
      const key = canonicalUri(e.uri);
      const folder = this.containingFolder(key);
      if (!folder) continue;
      // A file event during the first scan is applied after it (the scan may have listed the file before it changed).
      if (!folder.ready) await folder.whenReady;
      if (!folder.ready || !this.folders.includes(folder)) continue;
      const rel = relativePath(folder, key);
      if (inSkippedFolder(rel)) continue;
      if (this.openUris.has(key)) continue;
      const loc = this.locate(e.uri);
      if (e.type === 'deleted') {
        if (loc) {
          const c = this.drop(folder, key);
          if (c) out.push(c);
        }
        // A deleted folder: everything below it goes.
        const prefix = `${key}/`;
        for (const doc of folder.study.documents()) {
          if (doc.uri.startsWith(prefix) && !this.openUris.has(doc.uri)) {
            const c = this.drop(folder, doc.uri);
            if (c) out.push(c);
          }
        }
        continue;
      }
      if (loc) {
        const c = await this.syncFromDisk(loc);
        if (c) out.push(c);
        continue;
      }
      if (e.type === 'created' && !fileKind(rel) && !folder.excluded(rel)) {
        // Perhaps a folder moved or copied in: its files come with no events of their own.
        const fsPath = fsPathOf(key);
        const isDir = fsPath ? await stat(fsPath).then((s) => s.isDirectory(), () => false) : false;
        if (!isDir) continue;
        for (const sub of findStudyFiles(fsPath!)) {
          const subLoc = this.locate(fileKey(fsPath!, sub));
          if (!subLoc || this.openUris.has(subLoc.key)) continue;
          const c = await this.syncFromDisk(subLoc);
          if (c) out.push(c);
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- texts

  /** A document's text: the editor's when open, else the file's (undefined when unreadable). */
  async text(key: string): Promise<string | undefined> {
    const open = this.openText(key);
    if (open !== undefined) return open;
    const fsPath = fsPathOf(key);
    if (!fsPath) return undefined;
    try {
      return await readDiskText(fsPath);
    } catch {
      return undefined;
    }
  }

  /** The editor's text of an open document. */
  openText(key: string): string | undefined {
    const uri = this.openUris.get(key);
    return uri === undefined ? undefined : this.options.open.get(uri)?.getText();
  }

  /** The editor's version of an open document. */
  openVersion(key: string): number | undefined {
    const uri = this.openUris.get(key);
    return uri === undefined ? undefined : this.options.open.get(uri)?.version;
  }

  isOpen(key: string): boolean {
    return this.openUris.has(key);
  }
}

function isStudyWide(kind: FileKind | undefined): boolean {
  return kind === 'guide' || kind === 'codebook';
}
