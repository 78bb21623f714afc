/**
 * The files a study is exported to, built once for every face: `transcript-coder export`/`report`/
 * `codes` and the language server's `transcriptCoder.export` command produce the same bytes because
 * both call these functions on the same `StudyHost` reading. Also the codebook import, and writing a
 * file whole or not at all.
 */
import { closeSync, fchmodSync, fsyncSync, linkSync, lstatSync, openSync, renameSync, rmSync, writeSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { diagnose } from '../core/diagnostics';
import { exportCodebook, exportProject, zipProject } from '../core/refi/exportProject';
import { codebookYaml, readRefiCodebook } from '../core/refi/importCodebook';
import { plural } from '../core/render/words';
import type { ExportKind } from '../protocol';
import { ORIGIN } from '../version';
import { loadStudy, type LoadedStudy, type UnreadableFile } from './loadStudy';
import { redactingHost } from './redact';
import type { StudyHost } from './studyHost';
import { isTableExport, tableExport, type TableOptions } from './tableExports';

export { ORIGIN } from '../version';

/** A refusal to export, import or write, in words for a researcher (the CLI prints it, the server answers with it). */
export class StudyJobError extends Error {}

export interface JobOutput {
  data: Uint8Array;
  /**
   * What the file holds, as words that follow "Wrote <file>: " (`53 codes`); `wroteMessage` makes
   * the sentence the CLI prints.
   */
  summary: string;
  /** Things the user should know (the study has errors, a file was left out), each a sentence. */
  notes: string[];
}

export type ExportOptions = TableOptions & {
  /** Names and identifying details replaced in every text, excerpt and case attribute (SPEC §13). */
  redact?: boolean;
};

/** `Wrote <file>: <summary>.`, the one sentence said after a file is written. */
export function wroteMessage(file: string, output: JobOutput): string {
  return `Wrote ${file}: ${output.summary}.`;
}

/** Whether an export of this kind needs the transcripts' texts (load with `keepTexts`). */
export function exportNeedsTexts(kind: ExportKind): boolean {
  return kind === 'refi' || kind === 'segments-csv';
}

/** The note for a study file an export had to leave out. */
export function unreadableNote(u: UnreadableFile): string {
  return `${u.path} could not be read (${u.reason}), so it was left out.`;
}

/**
 * The bytes of one export of the study read through `host`: `refi` and `qdc` as `export refi`/`qdc`,
 * `coverage-csv` as `report --format csv --bom`, `coverage-md` as `report --format md`,
 * `segments-csv` as `codes --segments --format csv --bom`. Files that cannot be read are left out,
 * each with a note. Throws `StudyJobError` when there is nothing to export.
 */
export function buildExport(kind: ExportKind, host: StudyHost, options: ExportOptions = {}): JobOutput {
  if (options.redact) {
    const r = redactingHost(host);
    if ('refused' in r) throw new StudyJobError(r.refused);
    host = r;
  }
  const loaded = loadStudy(host, { keepTexts: exportNeedsTexts(kind) });
  const output = exportStudy(kind, host, loaded, options);
  return { ...output, notes: [...loaded.unreadable.map(unreadableNote), ...output.notes] };
}

/**
 * `buildExport` for a study already loaded from `host` (with `keepTexts` when `exportNeedsTexts`),
 * leaving unreadable files to the caller: the CLI reports them as errors of its own.
 */
export function exportStudy(kind: ExportKind, host: StudyHost, loaded: LoadedStudy, options: ExportOptions = {}): JobOutput {
  if (isTableExport(kind)) return tableExport(kind, loaded, options);
  const { study, texts } = loaded;
  let output: JobOutput;
  if (kind === 'qdc') {
    const xml = exportCodebook(study, { origin: ORIGIN });
    if (xml === undefined) throw new StudyJobError(`the study in ${host.name} defines no codes (no *.codebook.yaml with codes), so there is no codebook to export`);
    output = { data: new TextEncoder().encode(xml), summary: plural(study.codeIndex().byPath.size, 'code'), notes: [] };
  } else if (kind === 'refi') {
    if (study.size === 0) throw new StudyJobError(`no study files in ${host.name} (*.guide.yaml, *.codebook.yaml, *.transcript): nothing to export`);
    const project = exportProject(study, (key) => texts.get(key), { name: host.name, origin: ORIGIN });
    const c = project.counts;
    output = {
      data: zipProject(project),
      summary: `${plural(c.transcripts, 'transcript')}, ${plural(c.codes, 'code')} (and ${plural(c.guideCodes, 'code')} for the guide), ` +
        `${plural(c.codings, 'coding')} on ${plural(c.selections, 'passage')}, ${plural(c.cases, 'case')}, ${plural(c.memos, 'memo')}`,
      notes: [...project.notes],
    };
  } else {
    throw new StudyJobError(`there is no export of the kind '${String(kind)}': use ${Object.keys(FILE_EXTENSIONS).filter((k) => k !== 'codebook').join(', ')}`);
  }
  const { severity } = host.settings();
  const errors = study.documents().reduce((n, d) => n + diagnose(study, d.uri, severity).filter((x) => x.severity === 'error').length, 0);
  if (errors > 0) output.notes.push(`the study has ${plural(errors, 'error')} (see transcript-coder check); it was exported as it stands.`);
  return output;
}

/** The file name ending each kind of file is known by. */
export const FILE_EXTENSIONS: Record<ExportKind | 'codebook', string> = {
  'refi': '.qdpx', 'qdc': '.qdc', 'coverage-csv': '.csv', 'coverage-md': '.md', 'segments-csv': '.csv', 'matrix-csv': '.csv', 'matrix-md': '.md',
  'codebook': '.codebook.yaml',
};

/** A note when `file` lacks the ending its kind is known by, else undefined. */
export function fileNameNote(kind: ExportKind | 'codebook', file: string): string | undefined {
  const ext = FILE_EXTENSIONS[kind];
  // Study files are known by their exact ending; other programs do not mind the case.
  if (kind === 'codebook' ? file.endsWith(ext) : file.toLowerCase().endsWith(ext)) return undefined;
  if (kind === 'codebook') return `${file} does not end in ${ext}, so Transcript Coder will not read it as a codebook until it is renamed.`;
  if (kind === 'refi' || kind === 'qdc') return `${file} does not end in ${ext}; other programs look for that extension when importing.`;
  return `${file} does not end in ${ext}; other programs look for that extension when opening it.`;
}

/**
 * A REFI-QDA codebook (`.qdc`, or a `.qdpx`/`.qde` project's codebook) as `*.codebook.yaml` text.
 * `sourceName` names the file read, in messages and in the codebook's heading comment. Throws
 * `StudyJobError` when the file holds no codebook that can be read.
 */
export function buildCodebookImport(bytes: Uint8Array, sourceName: string): JobOutput {
  const result = readRefiCodebook(bytes, sourceName);
  if (!result.ok) throw new StudyJobError(result.error);
  const { codebook } = result;
  return {
    data: new TextEncoder().encode(codebookYaml(codebook, path.basename(sourceName))),
    summary: `${plural(codebook.count, 'code')} (${plural(codebook.codes.length, 'top-level code')}) from ${sourceName}`,
    notes: [...codebook.notes],
  };
}

/** Why a file could not be written (or read), in words for a researcher. */
export function fileErrorReason(err: unknown, file: string): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT': return `the folder ${path.dirname(file)} does not exist`;
    case 'ENOTDIR': return `${path.dirname(file)} is not a folder`;
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EROFS': return 'the disk is read-only';
    case 'ENOSPC': return 'the disk is full';
    case 'EISDIR': return 'it is a folder';
    case 'EFBIG': return 'the file is larger than this system allows';
    default: return e.message ?? String(err);
  }
}

function alreadyExists(file: string): StudyJobError {
  return new StudyJobError(`${file} already exists and was left as it was: choose another name, or allow replacing it`);
}

/**
 * Why `file` must not be written, or undefined when nothing is there or it is an ordinary file: a
 * link is never written through (`-o` naming a link to a study file, or to the terminal, must not
 * reach it), and a folder, device, pipe or socket is never replaced by a file.
 */
export function outputRefusal(file: string): string | undefined {
  const st = lstatOrUndefined(file);
  if (!st) return undefined; // nothing there (or no such folder, which writing reports)
  if (st.isSymbolicLink()) return 'it is a link, and files are never written through a link: give the path of the file itself';
  if (st.isDirectory()) return 'it is a folder';
  if (st.isFIFO()) return 'it is a pipe, not a file, and is left as it is';
  if (st.isSocket()) return 'it is a socket, not a file, and is left as it is';
  if (!st.isFile()) return 'it is a device, not a file, and is left as it is';
  return undefined;
}

/**
 * Writes `data` to `file` whole or not at all: a temporary file beside it, flushed to the disk, then
 * renamed to `file`, so a failure (a full disk, a crash) never leaves half a file, and the temporary
 * file is removed on failure. A file replaced keeps its permissions (an export kept private stays
 * private). Refuses, with `StudyJobError`, to replace an existing file unless `overwrite`, and
 * whatever `outputRefusal` refuses.
 */
export function writeWhole(file: string, data: Uint8Array, { overwrite }: { overwrite: boolean }): void {
  const refused = outputRefusal(file);
  if (refused) throw new StudyJobError(`cannot write ${file}: ${refused}`);
  const existing = regularFile(file);
  if (existing && !overwrite) throw alreadyExists(file);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  let made = false;
  try {
    const fd = openSync(tmp, 'wx'); // never an existing file, nor through a link
    made = true;
    try {
      if (existing) fchmodSync(fd, existing.mode & 0o7777);
      for (let done = 0; done < data.length;) done += writeSync(fd, data, done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (overwrite) {
      // Checked again just before the rename: what was put there meanwhile is refused alike.
      const late = outputRefusal(file);
      if (late) throw new StudyJobError(`cannot write ${file}: ${late}`);
      renameSync(tmp, file);
    } else {
      placeNew(tmp, file);
    }
    made = false;
    syncFolder(path.dirname(file));
  } catch (err) {
    if (made) rmSync(tmp, { force: true });
    if (err instanceof StudyJobError) throw err;
    throw new StudyJobError(`cannot write ${file}: ${fileErrorReason(err, file)}`);
  }
}

/** `file`'s status when it is a regular file (not through a link), else undefined. */
function regularFile(file: string): Stats | undefined {
  const st = lstatOrUndefined(file);
  return st?.isFile() ? st : undefined;
}

/** What is at `file` itself (a link, not what it leads to), or undefined when nothing is. */
function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

/** Flushes a folder's list of files, so that a renamed file is there after a crash; not every system allows it. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a folder as a file; the file itself is already on the disk.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Puts `tmp` at `file` only if nothing is there yet: a hard link fails rather than replace a file
 * made meanwhile. A disk that has no hard links gets a check and a rename instead.
 */
function placeNew(tmp: string, file: string): void {
  try {
    linkSync(tmp, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw alreadyExists(file);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EMLINK' && code !== 'ENOSYS') throw err;
    if (lstatOrUndefined(file)) throw alreadyExists(file);
    renameSync(tmp, file);
    return;
  }
  rmSync(tmp, { force: true });
}
