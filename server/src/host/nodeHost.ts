/**
 * A study folder on disk, read with Node's file system: the CLI's host, and what the language
 * server's start-up scan lists and reads. Which paths are study files is decided in studyFiles.ts;
 * this module walks the disk by those rules and reads what it finds.
 *
 * Study files are the files inside the study folder. A link that leads outside it is left out with
 * a warning (a link named `notes.transcript` to a private file must not carry that file into a
 * report or an export); a file reached both through a link and by its own path is read once, under
 * its own path; a link to a folder that holds it is not followed.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import * as path from 'node:path';
import { fileKind } from '../core/ids';
import { mergeSettings, readSettingsFile, SETTINGS_FILE, type SettingsFile } from './settings';
import { decodeStudyText, excludeMatcher, isSkippedFolder, withoutBom } from './studyFiles';
import { readNamesOnDisk } from './names';
import type { NamesSource, ReadResult, StudyHost, StudySettings } from './studyHost';

export { excludeMatcher, inSkippedFolder, withoutBom } from './studyFiles';

/** A path the listing could not read, and why, in words for a researcher. */
export interface ListedPath {
  /** Relative to the study folder, `/`-separated; `.` is the study folder itself. */
  path: string;
  reason: string;
}

/**
 * An entry the listing passed over: `outside`, a link leading out of the study folder, and
 * `not-a-file`, a device, pipe or socket named as a study file, leave something unread (a warning);
 * `loop`, a link to a folder that holds it, and `same-file`/`same-folder`, a second way to a file or
 * folder read under another path, lose nothing (a note).
 */
export interface SkippedPath extends ListedPath {
  kind: 'outside' | 'not-a-file' | 'loop' | 'same-file' | 'same-folder';
  /** For `loop`, `same-file` and `same-folder`: the path in the study it leads to (`.`, the study folder). */
  leadsTo?: string;
}

/**
 * Why `s` was passed over, naming the paths of the study as `show` spells them (the CLI names them
 * from the current folder); `s.reason` is this with the study's own relative paths.
 */
export function skippedReason(s: Omit<SkippedPath, 'reason'>, show: (rel: string) => string = (rel) => rel): string {
  switch (s.kind) {
    case 'outside': case 'not-a-file': return (s as SkippedPath).reason;
    case 'loop': return `it is a link back to ${s.leadsTo === '.' ? 'the study folder' : `the folder ${show(s.leadsTo!)}, which holds it`}, so it is not followed`;
    case 'same-folder': return `it is a link to the folder ${show(s.leadsTo!)}, whose files are read under that name`;
    case 'same-file': return `it leads to ${show(s.leadsTo!)}, which is read under that name`;
  }
}

/** A note that `rel` was passed over because it leads somewhere read anyway. */
function passedOver(rel: string, kind: 'loop' | 'same-file' | 'same-folder', leadsTo: string): SkippedPath {
  return { path: rel, kind, leadsTo, reason: skippedReason({ path: rel, kind, leadsTo }) };
}

/** What a walk of a study folder found. */
export interface StudyListing {
  /** The study files (relative, `/`-separated paths, sorted), as `findStudyFiles` gives them. */
  files: string[];
  /**
   * Links and other entries named as study files that were left out, and why, in path order: things
   * to warn about, since the study is read without them.
   */
  skipped: SkippedPath[];
  /** Folders that could not be read, and why, in path order: errors, since study files may be in them. */
  unreadableFolders: ListedPath[];
}

/** Study files below `root` (relative, `/`-separated paths, sorted), honouring exclusions. */
export function findStudyFiles(root: string, exclude: readonly string[] = []): string[] {
  return listStudyFolder(root, exclude).files;
}

/** A study file found by the walk: its path in the study, and the file it is on disk (undefined when a link leads nowhere). */
interface Found {
  rel: string;
  real: string | undefined;
}

/**
 * The study files below `root`, honouring exclusions, with what was passed over and which folders
 * could not be read. The folders of the study are walked first by their own paths; links to folders
 * inside the study are followed afterwards, and only into folders not walked yet, so that a file has
 * its own path whenever it has one and a link that leads back to a folder above it ends there.
 */
export function listStudyFolder(root: string, exclude: readonly string[] = []): StudyListing {
  const excluded = excludeMatcher(exclude);
  const found: Found[] = [];
  const skipped: SkippedPath[] = [];
  const unreadableFolders: ListedPath[] = [];
  let rootReal: string;
  try {
    rootReal = realpathSync.native(root);
    if (!statSync(rootReal).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (err) {
    return { files: [], skipped, unreadableFolders: [{ path: '.', reason: folderReason(err) }] };
  }
  const prefix = rootReal.endsWith(path.sep) ? rootReal : rootReal + path.sep;
  const inside = (real: string): boolean => real === rootReal || real.startsWith(prefix);
  const shown = (real: string): string => path.relative(rootReal, real).split(path.sep).join('/') || '.';
  /** Folders walked, by where they are on disk → the path they were walked under. */
  const walked = new Map<string, string>([[rootReal, '']]);
  const folderLinks: { dir: string; rel: string; real: string }[] = [];

  const walk = (dir: string, rel: string, real: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      unreadableFolders.push({ path: rel || '.', reason: folderReason(err) });
      return;
    }
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      const child = path.join(dir, e.name);
      const childReal = path.join(real, e.name);
      if (e.isDirectory()) {
        if (isSkippedFolder(e.name) || excluded(childRel) || walked.has(childReal)) continue;
        walked.set(childReal, childRel);
        walk(child, childRel, childReal);
      } else if (e.isFile()) {
        if (fileKind(e.name) && !excluded(childRel)) found.push({ rel: childRel, real: childReal });
      } else if (e.isSymbolicLink()) {
        if (isSkippedFolder(e.name) || excluded(childRel)) continue;
        const target = linkTarget(child);
        if (target === undefined) {
          // A link that leads nowhere is listed if named as a study file, so that reading it says why it
          // cannot be read instead of passing over it without a word.
          if (fileKind(e.name)) found.push({ rel: childRel, real: undefined });
        } else if (target.folder) {
          if (!inside(target.real)) skipped.push({ path: childRel, kind: 'outside', reason: 'it is a link to a folder outside the study folder, so nothing in it is read' });
          else folderLinks.push({ dir: child, rel: childRel, real: target.real });
        } else if (fileKind(e.name)) {
          if (!inside(target.real)) skipped.push({ path: childRel, kind: 'outside', reason: 'it is a link to a file outside the study folder, so it is not read' });
          else if (!target.file) skipped.push({ path: childRel, kind: 'not-a-file', reason: 'it is a link to something that is not a file (a device, a pipe or a socket), so it is not read' });
          else found.push({ rel: childRel, real: target.real });
        }
      } else if (fileKind(e.name) && !excluded(childRel)) {
        skipped.push({ path: childRel, kind: 'not-a-file', reason: 'it is not a file but a device, a pipe or a socket, so it is not read' });
      }
    }
  };

  walk(root, '', rootReal);
  folderLinks.sort((a, b) => compare(a.rel, b.rel));
  // Links found while following links join the end of the queue; each folder is walked once, so this ends.
  for (let i = 0; i < folderLinks.length; i++) {
    const link = folderLinks[i];
    const walkedAs = walked.get(link.real);
    if (walkedAs === undefined) {
      walked.set(link.real, link.rel);
      walk(link.dir, link.rel, link.real);
    } else if (linkInside(link.dir, link.real)) {
      skipped.push(passedOver(link.rel, 'loop', shown(link.real)));
    } else {
      skipped.push(passedOver(link.rel, 'same-folder', walkedAs));
    }
  }
  return { files: onePathPerFile(found, rootReal, skipped), skipped: skipped.sort(byPath), unreadableFolders: unreadableFolders.sort(byPath) };
}

/**
 * Each file once: a file reached by several paths (a link and its target, two links) is read under
 * its own path when it is in the study, else under the first path in order; the others are noted.
 */
function onePathPerFile(found: Found[], rootReal: string, skipped: SkippedPath[]): string[] {
  found.sort((a, b) => compare(a.rel, b.rel));
  const byFile = new Map<string, Found[]>();
  for (const f of found) {
    if (f.real === undefined) continue;
    const same = byFile.get(f.real);
    if (same) same.push(f);
    else byFile.set(f.real, [f]);
  }
  const dropped = new Set<Found>();
  for (const [real, same] of byFile) {
    if (same.length < 2) continue;
    const own = same.find((f) => path.join(rootReal, ...f.rel.split('/')) === real) ?? same[0];
    for (const f of same) {
      if (f === own) continue;
      dropped.add(f);
      skipped.push(passedOver(f.rel, 'same-file', own.rel));
    }
  }
  return found.filter((f) => !dropped.has(f)).map((f) => f.rel);
}

/** Where a link leads on disk and what is there, or undefined when it leads nowhere (or round in a circle). */
function linkTarget(link: string): { real: string; folder: boolean; file: boolean } | undefined {
  try {
    const real = realpathSync.native(link);
    const st = statSync(real);
    return { real, folder: st.isDirectory(), file: st.isFile() };
  } catch {
    return undefined;
  }
}

/** Whether the link at `dir` lies inside the folder `real` it leads to (a loop, however it is reached). */
function linkInside(dir: string, real: string): boolean {
  try {
    const at = realpathSync.native(path.dirname(dir));
    return at === real || at.startsWith(real.endsWith(path.sep) ? real : real + path.sep);
  } catch {
    return false;
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byPath = (a: ListedPath, b: ListedPath): number => compare(a.path, b.path);

/** Why a folder could not be read, in words for a researcher. */
function folderReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' ? 'you do not have permission to read it'
    : code === 'ENOENT' ? 'it does not exist (or was removed while the study was being read)'
      : code === 'ENOTDIR' ? 'it is not a folder'
        : code === 'ELOOP' ? 'it is a link that leads back to itself'
          : (err as Error).message;
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

// Opening a pipe for reading waits for a writer; without blocking, the check below refuses it instead.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * A study file's text (UTF-8, or UTF-16 with a byte-order mark; the byte-order mark removed), or why
 * it cannot be read. Only a regular file is read: a pipe or a device named as a study file would
 * never end, or never be the same twice.
 */
export function readTextFile(file: string): ReadResult {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (err) {
    return { error: unreadableReason(err, file) };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { error: 'it is a folder' };
    if (!st.isFile()) return { error: 'it is not a file but a device, a pipe or a socket' };
    return decodeStudyText(readFileSync(fd));
  } catch (err) {
    return { error: unreadableReason(err, file) };
  } finally {
    closeSync(fd);
  }
}

/** The folder's `.vscode/settings.json`, read and checked; undefined when it has none. */
function folderSettingsFile(root: string): SettingsFile | undefined {
  const file = path.join(root, ...SETTINGS_FILE.split('/'));
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const read = decodeStudyText(bytes);
  if ('error' in read) return { settings: {}, problems: [`${SETTINGS_FILE} is not used: ${read.error}`] };
  return readSettingsFile(read.text);
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
  private listed: StudyListing | undefined;
  private rootReal: string | undefined;

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

  /** The folder walked now: its study files, what was passed over, and the folders that could not be read. */
  listing(): StudyListing {
    this.listed = listStudyFolder(this.root, this.resolved.exclude);
    return this.listed;
  }

  /**
   * What the latest `listFiles` (or `listing`) found, for saying what was passed over after a study
   * has been loaded through the `StudyHost` interface; undefined before the folder is first listed.
   */
  get lastListing(): StudyListing | undefined {
    return this.listed;
  }

  listFiles(): string[] {
    return this.listing().files;
  }

  namesSource(): NamesSource {
    return readNamesOnDisk(this.root, this.resolved);
  }

  readText(rel: string): ReadResult {
    const file = this.inside(rel);
    if (file === undefined) return { error: 'it is a link to a file outside the study folder, so it is not read' };
    return readTextFile(file);
  }

  readHead(rel: string): { text: string; whole: boolean } | undefined {
    const file = this.inside(rel);
    return file === undefined ? undefined : readHead(file);
  }

  /** A listed file's path on disk, or undefined when it is a link changed since the listing to lead outside the study. */
  private inside(rel: string): string | undefined {
    const file = path.join(this.root, ...rel.split('/'));
    const real = realpathOrUndefined(file);
    const root = this.rootReal ??= realpathOrUndefined(this.root);
    if (real !== undefined && root !== undefined && real !== root && !real.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) return undefined;
    return file;
  }
}

const HEAD_BYTES = 2048;

/**
 * The first whole lines of a file, up to 2 KiB: a transcript's front matter, nearly always, without the
 * interview. Undefined when the start is not plain UTF-8 (a UTF-16 byte-order mark, a zero byte, a broken
 * sequence) or holds no line break: the caller reads the whole file, which says what is wrong.
 */
function readHead(file: string): { text: string; whole: boolean } | undefined {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const buf = Buffer.allocUnsafe(HEAD_BYTES + 1);
    let got = 0;
    for (let n = 1; n > 0 && got < buf.length; got += n) n = readSync(fd, buf, got, buf.length - got, null);
    const whole = got <= HEAD_BYTES;
    const bytes = buf.subarray(0, whole ? got : buf.lastIndexOf(10, HEAD_BYTES - 1) + 1);
    if (bytes.length === 0 || (bytes.length >= 2 && (bytes[0] === 0xff || bytes[0] === 0xfe)) || bytes.indexOf(0) >= 0 || !isUtf8(bytes)) return undefined;
    return { text: withoutBom(bytes.toString('utf8')), whole };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function realpathOrUndefined(p: string): string | undefined {
  try {
    return realpathSync.native(p);
  } catch {
    return undefined;
  }
}
