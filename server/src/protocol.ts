/**
 * The custom requests and notification of the Transcript Coder language server
 * (SPEC §6), declared once for the server and the VS Code client. Results have
 * the same shape as the CLI's JSON, so one set of types serves both.
 *
 * Documented for other clients in README.md ("Custom requests").
 */
import type { CoverageReport } from './core/coverage';
import type { CodeCountRow, SegmentRow } from './core/counts';

export type { CoverageReport, CodeCountRow, SegmentRow };

/**
 * `transcriptCoder/codeCounts`: the rows of `codes --format json` (one per codebook code, zero when
 * unused, then one per unknown code in use with `known: false`), for one study or one transcript.
 */
export interface CodeCountsParams {
  /** Count only this transcript; omitted: the whole study. */
  uri?: string;
  /** With no `uri`: which study, by its workspace folder's URI (or a lone document's URI, as in `indexChanged`); omitted: the first workspace folder's. */
  folder?: string;
}
export const CodeCountsRequest = 'transcriptCoder/codeCounts';
export type CodeCountsResult = CodeCountRow[];

/**
 * `transcriptCoder/segments`: the coded segments of one code exactly as written (`codes --segments
 * --format json` rows, in file then document order), each with its excerpt, `file` relative to the
 * study folder and `uri` the document's URI.
 */
export interface SegmentsParams {
  code: string;
  /** Only this transcript's segments. */
  uri?: string;
  /** As in `CodeCountsParams`. */
  folder?: string;
}
export const SegmentsRequest = 'transcriptCoder/segments';
export type SegmentsResult = SegmentRow[];

/** `transcriptCoder/coverage`: the JSON of `report`, with each guide's sections and questions. */
export interface CoverageParams {
  /** As in `CodeCountsParams`. */
  folder?: string;
  /**
   * Only this transcript (for the status bar): the report holds just the guide it follows, with
   * this transcript as its only row and totals of its own; no guides when its guide is unresolved.
   */
  uri?: string;
}
export const CoverageRequest = 'transcriptCoder/coverage';
export type CoverageResult = CoverageReport;

/**
 * `transcriptCoder/indexChanged` (server → client): a study changed (indexing finished, a document
 * was edited, a file changed on disk, settings changed); views refresh. Sent at most once per
 * 300 ms of quiet (and at least every 2 s while changes go on), so typing does not refresh views on every key.
 */
export interface IndexChangedParams {
  /** The URIs of the workspace folders whose study changed (a lone document's URI for its own study). */
  folders: string[];
}
export const IndexChangedNotification = 'transcriptCoder/indexChanged';
