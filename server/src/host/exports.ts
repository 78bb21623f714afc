/**
 * The files a study is exported to, built once for every face: `transcript-coder export`/`report`/
 * `codes` and the language server's `transcriptCoder.export` command produce the same bytes because
 * both call these functions on the same `StudyHost` reading. Also the codebook import, and writing a
 * file whole or not at all.
 */
import type { ExportKind } from '../protocol';
import type { StudyHost } from './studyHost';

/** A refusal to export, import or write, in words for a researcher (the CLI prints it, the server answers with it). */
export class StudyJobError extends Error {}

export interface JobOutput {
  data: Uint8Array;
  /** What was produced, in one sentence. */
  summary: string;
  notes: string[];
}

/** The bytes of one export of the study read through `host`. Throws `StudyJobError` when there is nothing to export. */
export function buildExport(_kind: ExportKind, _host: StudyHost): JobOutput {
  throw new StudyJobError('not written yet');
}

/** A REFI-QDA codebook (`.qdc`, or a `.qdpx`/`.qde` project's codebook) as `*.codebook.yaml` text. */
export function buildCodebookImport(_bytes: Uint8Array, _sourceName: string): JobOutput {
  throw new StudyJobError('not written yet');
}

/**
 * Writes `data` to `file` whole or not at all (a temporary file beside it, then a rename). Refuses,
 * with `StudyJobError`, to replace an existing file unless `overwrite`, and to write onto a folder.
 */
export function writeWhole(_file: string, _data: Uint8Array, _options: { overwrite: boolean }): void {
  throw new StudyJobError('not written yet');
}
