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

/** `transcriptCoder/codeCounts`: the rows of `codes --format json`, for the study of `uri` (or every study), or one document. */
export interface CodeCountsParams {
  /** Count only this transcript; omitted: the whole study. */
  uri?: string;
  /** With no `uri`: which workspace folder's study (its URI); omitted: the first study. */
  folder?: string;
}
export const CodeCountsRequest = 'transcriptCoder/codeCounts';
export type CodeCountsResult = CodeCountRow[];

/** `transcriptCoder/segments`: the coded segments of one code (`codes --segments --format json` rows), `uri` fields holding document URIs. */
export interface SegmentsParams {
  code: string;
  /** Only this transcript's segments. */
  uri?: string;
  folder?: string;
}
export const SegmentsRequest = 'transcriptCoder/segments';
export type SegmentsResult = SegmentRow[];

/** `transcriptCoder/coverage`: the JSON of `report`, with each guide's sections and questions. */
export interface CoverageParams {
  folder?: string;
  /** Only this transcript (for the status bar). */
  uri?: string;
}
export const CoverageRequest = 'transcriptCoder/coverage';
export type CoverageResult = CoverageReport;

/** `transcriptCoder/indexChanged` (server → client): the study changed; views refresh. Debounced. */
export interface IndexChangedParams {
  /** The workspace folders whose study changed. */
  folders: string[];
}
export const IndexChangedNotification = 'transcriptCoder/indexChanged';
