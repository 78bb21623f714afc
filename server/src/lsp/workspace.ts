/**
 * The language server's view of the studies: one `Study` per workspace folder (and one per open
 * document outside every folder), built from the editor's open documents over the files on disk,
 * and kept up to date through open, edit, close and file events. Files are found and read only
 * through host/nodeHost.ts (`listStudyFolder`, `readTextFile`); each study is offered to requests
 * as a `StudyHost` (lspHost.ts).
 *
 * A study file that cannot be read is left out of its study and kept in the folder's `unreadable`
 * map, with why and its stamp, so that it can be shown (an `unreadable-file` problem) and read again
 * once it changes. What a listing passed over (links leading outside the folder, folders that cannot
 * be read) is the caller's to report.
 *
 * Documents are keyed by a canonical `file:` URI, so that a file found on disk and the same file
 * opened by a client that encodes its URI differently are one document. Results go back to the
 * client under the URI it used (`clientUri`).
 *
 * What each model was parsed from is recorded, so that a request can be given the very text a model
 * came from: an open document's text and version (`openSource`), and a file's size, modification and
 * change times when it was read (`FileStamp`: `parsedFileText` and `refresh` compare it with the disk).
 */
import { lstatSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fileKind, type FileKind } from '../core/ids';
import type { DocumentModel, TranscriptModel } from '../core/model';
import { participantEntry, participantMoved, type ParticipantEntry } from '../core/participants';
import { parseDocument, Study, type StudyDocument } from '../core/study';
import { excludeMatcher, inSkippedFolder, listStudyFolder, readTextFile, type StudyListing } from '../host/nodeHost';
import { namesFileLocation, namesFromSource, type StudyNames } from '../host/names';
import { DEFAULT_SETTINGS } from '../host/settings';
import type { NamesSource, StudyHost, StudySettings } from '../host/studyHost';
import type { PrivacyRules } from '../core/privacy/scan';
import { LspStudyHost } from './lspHost';
import { Slices } from './scheduler';

/**
 * A file's size and modification and change times when the study read it: a change to any means the
 * study's model is out of date (the change time moves when only the permissions do, which can make an
 * unreadable file readable).
 */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/** A study file that could not be read: its path in the study, why (in words for a researcher), and its stamp then. */
export interface UnreadableFile {
  path: string;
  reason: string;
  stamp: FileStamp | undefined;
}

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
  /** The study's files as the server sees them. */
  host: StudyHost;
  /** Study files on disk that could not be read, by key (left out of `study`). */
  unreadable: Map<string, UnreadableFile>;
  /** The study's names list (SPEC §13), as last read: transcripts are parsed against it. */
  names: StudyNames;
  /** What the names list was read from, to tell whether it changed (its kind and text, or its problem). */
  namesRead: string;
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
  /**
   * Other transcripts whose diagnostics may change with this one: those that shared, or now share, its
   * participant (`duplicate-participant`). Empty unless the participant, guide or path changed.
   */
  companions?: string[];
}

function entryOf(doc: StudyDocument | undefined): ParticipantEntry | undefined {
  return doc?.kind === 'transcript' ? participantEntry(doc.uri, doc.path, doc.model as TranscriptModel) : undefined;
}

/**
 * The transcripts other than `key` that named its participant before the change or name it after,
 * looked up in each study's participant index: a few entries, whatever the size of the study.
 */
function companionsOf(before: Study, after: Study, key: string): string[] {
  const old = entryOf(before.get(key));
  const next = entryOf(after.get(key));
  if (!participantMoved(old, next)) return [];
  const out = new Set<string>();
  for (const [study, e] of [[before, old], [after, next]] as const) {
    if (!e) continue;
    for (const other of study.participants().get(e.label) ?? []) if (other.uri !== key) out.add(other.uri);
  }
  return [...out];
}

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
export function fileKey(root: string, rel: string): string {
  return pathToFileURL(path.join(root, ...rel.split('/'))).href;
}

/** A document's path relative to the folder that contains it, `/`-separated. */
function relativePath(folder: StudyFolder, key: string): string {
  const fsPath = fsPathOf(key);
  if (folder.root && fsPath) return path.relative(folder.root, fsPath).split(path.sep).join('/');
  return decodeURIComponent(key.slice(folder.key.length + 1));
}

function stampOf(fsPath: string): FileStamp | undefined {
  try {
    const s = statSync(fsPath);
    return { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs };
  } catch {
    return undefined;
  }
}

function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return a !== undefined && b !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

/** Whether anything is at `fsPath`, a link that leads nowhere included. */
function exists(fsPath: string): boolean {
  try {
    lstatSync(fsPath);
    return true;
  } catch {
    return false;
  }
}

/** A file as the study read it: its text, or why it cannot be read; with its stamp, taken before reading. */
type FileRead = { text: string; stamp: FileStamp | undefined } | { error: string; stamp: FileStamp | undefined };

export interface WorkspaceOptions {
  /** The editor's open documents, keyed by the client's URIs. */
  open: { get(uri: string): TextDocument | undefined; all(): TextDocument[] };
  /** Logs a line about what could not be read. */
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
  /**
   * What each model of an open document was parsed from, and the stamp of the file each other model
   * was read from. Keyed by model, so that a study snapshot answers for its own models whatever
   * came after it; an entry goes with its model.
   */
  private readonly openSources = new WeakMap<DocumentModel, { text: string; version: number }>();
  private readonly fileStamps = new WeakMap<DocumentModel, FileStamp>();

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
    const folder = this.newStudy(key, uri, name, fsPathOf(key), DEFAULT_SETTINGS, false);
    this.folders.push(folder);
    this.byDepth = [...this.folders].sort((a, b) => b.key.length - a.key.length);
    return folder;
  }

  private newStudy(key: string, uri: string, name: string, root: string | undefined, settings: StudySettings, single: boolean): StudyFolder {
    const folder: StudyFolder = {
      key, uri, name, root, single, study: Study.empty(), settings, excluded: () => false, ready: single,
      host: undefined as unknown as StudyHost, unreadable: new Map(), names: namesFromSource({ kind: 'none' }), namesRead: 'none',
    };
    folder.host = new LspStudyHost(folder, this);
    return folder;
  }

  /** Removes a workspace folder; a scan of it still running stops at its next slice. */
  removeFolder(uri: string): StudyFolder | undefined {
    const folder = this.folderByUri(uri);
    if (!folder || folder.single) return undefined;
    this.folders = this.folders.filter((f) => f !== folder);
    this.byDepth = this.byDepth.filter((f) => f !== folder);
    return folder;
  }

  isWorkspaceFolder(folder: StudyFolder): boolean {
    return this.folders.includes(folder);
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

  /** Sets a folder's settings; true when the exclusions or the names list's place changed (the folder needs a new scan). */
  applySettings(folder: StudyFolder, settings: StudySettings): boolean {
    const excludeChanged = JSON.stringify(settings.exclude) !== JSON.stringify(folder.settings.exclude);
    const namesChanged = settings.namesFile !== folder.settings.namesFile;
    folder.settings = settings;
    folder.excluded = excludeMatcher(settings.exclude);
    return excludeChanged || namesChanged;
  }

  /**
   * Reads a folder's names list again; true when it differs from the one its transcripts were parsed
   * against (the folder then needs a new scan, which reads it itself).
   */
  namesChanged(folder: StudyFolder): boolean {
    if (!folder.root || folder.single) return false;
    return namesReadKey(folder.host.namesSource?.() ?? { kind: 'none' }) !== folder.namesRead;
  }

  /** The canonical URI of the file a folder's names list is read from (whether or not it exists). */
  namesFileKey(folder: StudyFolder): string | undefined {
    if (!folder.root || folder.single) return undefined;
    return pathToFileURL(namesFileLocation(folder.root, folder.settings).absolute).href;
  }

  // ---------------------------------------------------------------- scanning

  /** The study files of a folder on disk, as relative paths (those of a workspace folder nested in it left out). */
  listFiles(folder: StudyFolder): string[] {
    return this.listing(folder).files;
  }

  /**
   * A folder on disk walked now: its study files, what was passed over and the folders that could not
   * be read, each relative to the folder (what belongs to a workspace folder nested in it left out).
   */
  listing(folder: StudyFolder): StudyListing {
    if (!folder.root) return { files: [], skipped: [], unreadableFolders: [] };
    const listing = listStudyFolder(folder.root, folder.settings.exclude);
    const inner = this.folders.filter((f) => f !== folder && f.key.startsWith(`${folder.key}/`));
    if (inner.length === 0) return listing;
    const own = (rel: string): boolean => rel === '.' || this.containingFolder(fileKey(folder.root!, rel)) === folder;
    return { files: listing.files.filter(own), skipped: listing.skipped.filter((x) => own(x.path)), unreadableFolders: listing.unreadableFolders.filter((x) => own(x.path)) };
  }

  /** The workspace folders that hold `folder` (it is nested in them). */
  enclosing(folder: StudyFolder): StudyFolder[] {
    return this.folders.filter((f) => f !== folder && folder.key.startsWith(`${f.key}/`));
  }

  /**
   * Scans a folder: reads and parses `files`, yielding between slices so that requests keep being
   * answered, and builds the study in one go. Open documents' texts win over the disk. Returns
   * false when the folder was removed meanwhile.
   */
  async scanFolder(folder: StudyFolder, files: string[], onFile: () => void): Promise<boolean> {
    const source = folder.host.namesSource?.() ?? { kind: 'none' as const };
    const names = namesFromSource(source);
    const rules = names.rules;
    const parsed = new Map<string, { uri: string; path: string; model: DocumentModel; version?: number }>();
    const unreadable = new Map<string, UnreadableFile>();
    const slices = new Slices();
    for (const rel of files) {
      if (slices.due()) {
        await slices.pause();
        if (!this.isWorkspaceFolder(folder)) return false;
      }
      const key = fileKey(folder.root!, rel);
      const read = this.readFile(key);
      onFile();
      // Open documents are parsed too: one closed before the end of the scan needs its file's model.
      if (!read) continue;
      if ('error' in read) unreadable.set(key, { path: rel, reason: read.error, stamp: read.stamp });
      else parsed.set(key, { uri: key, path: rel, model: this.fileModel(fileKind(rel)!, read, rules) });
    }
    if (!this.isWorkspaceFolder(folder)) return false;
    folder.unreadable = unreadable;
    // Open documents of this folder, on disk or not yet saved, as the editor has them now, win.
    for (const [key, clientUri] of this.openUris) {
      const loc = this.locate(clientUri);
      const doc = this.options.open.get(clientUri);
      if (!loc || loc.folder !== folder || !doc) continue;
      const text = doc.getText();
      const model = parseDocument(loc.kind, text, rules);
      this.openSources.set(model, { text, version: doc.version });
      parsed.set(key, { uri: key, path: loc.path, model, version: doc.version });
      // A lone study made before the folder was known gives way to the folder's.
      this.singles.delete(key);
    }
    folder.study = Study.fromFiles(parsed.values(), rules);
    folder.names = names;
    folder.namesRead = namesReadKey(source);
    folder.ready = true;
    return true;
  }

  /** Reads a file of a study from disk with its stamp, or says why it cannot be read; undefined for a key that is no file. */
  private readFile(key: string): FileRead | undefined {
    const fsPath = fsPathOf(key);
    if (!fsPath) return undefined;
    // The stamp is taken first: a change made while reading shows as a change later.
    const stamp = stampOf(fsPath);
    const read = readTextFile(fsPath);
    return 'error' in read ? { error: read.error, stamp } : { text: read.text, stamp };
  }

  private fileModel(kind: FileKind, read: { text: string; stamp: FileStamp | undefined }, rules: PrivacyRules): DocumentModel {
    const model = parseDocument(kind, read.text, rules);
    if (read.stamp) this.fileStamps.set(model, read.stamp);
    return model;
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
      const folder = this.newStudy(key, doc.uri, p, undefined, this.singleSettings, true);
      this.singles.set(key, folder);
      loc = { folder, key, path: p, kind };
    }
    if (!loc || !loc.folder.ready) return undefined;
    const text = doc.getText();
    const change = this.put(loc.folder, key, loc.path, text, doc.version);
    const model = loc.folder.study.get(key)?.model;
    if (model) this.openSources.set(model, { text, version: doc.version });
    return change;
  }

  /** Sets one document's text in its study. */
  private put(folder: StudyFolder, key: string, rel: string, text: string, version?: number): StudyChange {
    const old = folder.study;
    const before = old.get(key)?.kind;
    folder.study = old.withDocument(key, rel, text, version);
    const after = folder.study.get(key)?.kind;
    return { folder, changed: [key], removed: [], studyWide: isStudyWide(before) || isStudyWide(after), companions: companionsOf(old, folder.study, key) };
  }

  /** Takes a file out of its study (or out of its unreadable files) for good. */
  private drop(folder: StudyFolder, key: string): StudyChange | undefined {
    const doc = folder.study.get(key);
    if (!doc) return folder.unreadable.delete(key) ? { folder, changed: [], removed: [key], studyWide: false } : undefined;
    folder.unreadable.delete(key);
    const old = folder.study;
    folder.study = old.withoutDocument(key);
    return { folder, changed: [], removed: [key], studyWide: isStudyWide(doc.kind), companions: companionsOf(old, folder.study, key) };
  }

  /**
   * The editor closed a document: it stands for its file again. A lone document's study goes with
   * it (the change is returned); a folder's document is read back from disk by `readBack`.
   */
  closed(uri: string): StudyChange | undefined {
    const key = canonicalUri(uri);
    this.openUris.delete(key);
    const single = this.singles.get(key);
    if (!single) return undefined;
    this.singles.delete(key);
    return { folder: single, changed: [], removed: [key], studyWide: false };
  }

  /**
   * After a close: the study goes back to the file on disk, or loses it when the file is gone,
   * unless the editor opened the document again meanwhile (its text then stays).
   */
  readBack(uri: string): StudyChange | undefined {
    const loc = this.locate(uri);
    if (!loc || !loc.folder.ready) return undefined;
    return this.syncFromDisk(loc);
  }

  /**
   * Re-reads one file into its study (unless it is open), or drops it when it is gone. A file that is
   * there but cannot be read leaves the study for its unreadable files, logged once for each reason.
   */
  private syncFromDisk(loc: Located): StudyChange | undefined {
    const { folder, key } = loc;
    if (this.openUris.has(key) || !this.isWorkspaceFolder(folder)) return undefined;
    const read = this.readFile(key);
    const fsPath = fsPathOf(key);
    if (!read || !fsPath || ('error' in read && !exists(fsPath))) return this.drop(folder, key);
    const old = folder.study;
    const before = old.get(key)?.kind;
    if ('error' in read) {
      if (folder.unreadable.get(key)?.reason !== read.error) this.options.log(`Cannot read ${loc.path}: ${read.error}.`);
      folder.unreadable.set(key, { path: loc.path, reason: read.error, stamp: read.stamp });
      if (before !== undefined) folder.study = old.withoutDocument(key);
      // Listed as changed, so that its problems give way to the one that says it cannot be read.
      return { folder, changed: [key], removed: [], studyWide: isStudyWide(before) || isStudyWide(loc.kind), companions: companionsOf(old, folder.study, key) };
    }
    folder.unreadable.delete(key);
    folder.study = old.withModel({ uri: key, path: loc.path, kind: loc.kind, model: this.fileModel(loc.kind, read, old.privacy) });
    return { folder, changed: [key], removed: [], studyWide: isStudyWide(before) || isStudyWide(loc.kind), companions: companionsOf(old, folder.study, key) };
  }

  // ---------------------------------------------------------------- file events

  /**
   * Files created, changed or deleted on disk (from `workspace/didChangeWatchedFiles`).
   * Open documents are left as the editor has them. A created or deleted folder brings
   * or takes the study files below it.
   */
  filesChanged(events: { uri: string; type: 'created' | 'changed' | 'deleted' }[]): StudyChange[] {
    const out: StudyChange[] = [];
    const add = (c: StudyChange | undefined): void => { if (c) out.push(c); };
    /** Folders created or moved in, by the workspace folder they are in: `/`-separated relative paths. */
    const createdFolders = new Map<StudyFolder, string[]>();
    for (const e of events) {
      const key = canonicalUri(e.uri);
      const folder = this.containingFolder(key);
      // A folder whose scan failed has no study to update.
      if (!folder || !folder.ready) continue;
      const rel = relativePath(folder, key);
      if (inSkippedFolder(rel) || this.openUris.has(key)) continue;
      const loc = this.locate(e.uri);
      if (e.type === 'deleted') {
        if (loc) add(this.drop(folder, key));
        // A deleted folder: everything below it goes.
        const prefix = `${key}/`;
        for (const k of [...folder.study.documents().map((d) => d.uri), ...folder.unreadable.keys()]) {
          if (k.startsWith(prefix) && !this.openUris.has(k)) add(this.drop(folder, k));
        }
        continue;
      }
      if (loc) {
        add(this.syncFromDisk(loc));
        continue;
      }
      if (e.type === 'created' && !fileKind(rel) && !folder.excluded(rel)) {
        // Perhaps a folder moved or copied in: its files come with no events of their own.
        const fsPath = fsPathOf(key);
        if (fsPath && isDirectory(fsPath)) createdFolders.set(folder, [...(createdFolders.get(folder) ?? []), rel]);
      }
    }
    for (const [folder, created] of createdFolders) for (const c of this.takeIn(folder, created)) add(c);
    return out;
  }

  /**
   * Takes in the study files below folders created in `folder` (`/`-separated relative paths), as a scan
   * of the whole folder finds them: whether a link leads outside is judged from the study folder, not
   * from the new folder, and each file is read once. What the listing passed over below them is logged.
   */
  private takeIn(folder: StudyFolder, created: string[]): StudyChange[] {
    const below = (rel: string): boolean => created.some((c) => rel === c || rel.startsWith(`${c}/`));
    const listing = this.listing(folder);
    this.logListing(listing, below);
    const out: StudyChange[] = [];
    for (const rel of listing.files) {
      if (!below(rel)) continue;
      const loc = this.locate(fileKey(folder.root!, rel));
      const change = loc ? this.syncFromDisk(loc) : undefined;
      if (change) out.push(change);
    }
    return out;
  }

  /**
   * Logs what a listing passed over and could not read (of the paths `which` selects), with the study
   * files of `files` that could not be read, one line each in path order: a link leading outside the
   * study folder is named, never what it leads to.
   */
  logListing(listing: StudyListing, which: (rel: string) => boolean = () => true, files: readonly UnreadableFile[] = []): void {
    const lines = [
      ...listing.skipped.filter((s) => which(s.path)).map((s) => ({ path: s.path, line: `${s.path}: ${s.reason}.` })),
      ...files.map((f) => ({ path: f.path, line: `Cannot read ${f.path}: ${f.reason}.` })),
      ...listing.unreadableFolders.filter((f) => which(f.path)).map((f) => ({
        path: f.path,
        line: f.path === '.' ? `Cannot read the study folder: ${f.reason}.` : `Cannot read the folder ${f.path}: ${f.reason}; the study files in it are left out.`,
      })),
    ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const l of lines) this.options.log(l.line);
  }

  // ---------------------------------------------------------------- freshness

  /**
   * Brings a study up to date with files changed on disk without a file event (a client that
   * does not watch files, or an event still on its way): every closed document of `keys` (default:
   * the whole study) whose size or modification time differs from when it was read is read again,
   * and one that is gone is dropped.
   */
  refresh(folder: StudyFolder, keys?: string[]): StudyChange[] {
    if (!folder.ready || folder.single || !this.isWorkspaceFolder(folder)) return [];
    const out: StudyChange[] = [];
    for (const key of keys ?? [...folder.study.documents().map((d) => d.uri), ...folder.unreadable.keys()]) {
      const doc = folder.study.get(key);
      const fsPath = fsPathOf(key);
      const lost = doc ? undefined : folder.unreadable.get(key);
      if ((!doc && !lost) || !fsPath || this.openUris.has(key)) continue;
      const stamp = stampOf(fsPath);
      // An unreadable file is read again once anything about it changes (a link to nothing has no stamp).
      if (doc ? sameStamp(stamp, this.fileStamps.get(doc.model)) : sameStamp(stamp, lost!.stamp) || (!stamp && !lost!.stamp && exists(fsPath))) continue;
      const loc = this.locate(key);
      const c = loc?.folder === folder ? this.syncFromDisk(loc) : this.drop(folder, key);
      if (c) out.push(c);
    }
    return out;
  }

  /** The text and version an open document's model was parsed from. */
  openSource(doc: StudyDocument): { text: string; version: number } | undefined {
    return this.openSources.get(doc.model);
  }

  /**
   * The text a closed file's model was parsed from: the file's, provided its stamp is still the
   * one taken when the model was read (before and after reading it again); `stale` when the file
   * changed since; undefined when the model did not come from a file.
   */
  parsedFileText(doc: StudyDocument): { text: string } | 'stale' | undefined {
    const fsPath = fsPathOf(doc.uri);
    const stamp = this.fileStamps.get(doc.model);
    if (!fsPath || !stamp) return undefined;
    if (!sameStamp(stampOf(fsPath), stamp)) return 'stale';
    const read = readTextFile(fsPath);
    if ('error' in read) return 'stale';
    return sameStamp(stampOf(fsPath), stamp) ? { text: read.text } : 'stale';
  }

  // ---------------------------------------------------------------- texts

  /** A document's text as the server sees it: the editor's when open, else the file's (undefined when unreadable). */
  text(key: string): string | undefined {
    const open = this.openText(key);
    if (open !== undefined) return open;
    const fsPath = fsPathOf(key);
    if (!fsPath) return undefined;
    const read = readTextFile(fsPath);
    return 'text' in read ? read.text : undefined;
  }

  /** The editor's text of an open document. */
  openText(key: string): string | undefined {
    const uri = this.openUris.get(key);
    return uri === undefined ? undefined : this.options.open.get(uri)?.getText();
  }

  isOpen(key: string): boolean {
    return this.openUris.has(key);
  }

  /** The open documents that belong to `folder`'s study, as keys. */
  openKeysOf(folder: StudyFolder): string[] {
    return [...this.openUris.keys()].filter((k) => folder.study.get(k) !== undefined && this.ownerOf(k) === folder);
  }
}

/** What a names list was read from, as one string that changes when it does. */
function namesReadKey(source: NamesSource): string {
  return source.kind === 'none' ? 'none' : source.kind === 'error' ? `error ${source.where} ${source.error}` : `text ${source.where}\n${source.text}`;
}

function isDirectory(fsPath: string): boolean {
  try {
    return statSync(fsPath).isDirectory();
  } catch {
    return false;
  }
}

function isStudyWide(kind: FileKind | undefined): boolean {
  return kind === 'guide' || kind === 'codebook';
}
