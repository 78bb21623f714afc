/**
 * The exports that are tables (the coverage report as CSV or Markdown, the coded segments as CSV),
 * apart from exports.ts because they need no XML or zip library: `report` and `codes` print these
 * very bytes, and the CLI's bundle stays small enough for `check` to start quickly.
 */
import { coverageReport, unmatchedCase, type CaseFilter } from '../core/coverage';
import { codedSegments } from '../core/counts';
import { codeMatrix, type MatrixBy } from '../core/matrix';
import { matrixCsv, matrixMarkdown, matrixTitle } from '../core/render/matrix';
import { segmentsCsv } from '../core/render/codeTables';
import { coverageCsv, coverageMarkdown } from '../core/render/coverageReport';
import { plural } from '../core/render/words';
import type { ExportKind } from '../protocol';
import type { JobOutput } from './exports';
import type { LoadedStudy } from './loadStudy';

export type TableExportKind = Extract<ExportKind, 'coverage-csv' | 'coverage-md' | 'segments-csv' | 'matrix-csv' | 'matrix-md'>;

export function isTableExport(kind: ExportKind): kind is TableExportKind {
  return kind === 'coverage-csv' || kind === 'coverage-md' || kind === 'segments-csv' || kind === 'matrix-csv' || kind === 'matrix-md';
}

/** An analysis table (`matrix-csv`, `matrix-md`): what `matrix --by … --code … --exact` takes besides `--where`. */
export interface TableChoice {
  by: MatrixBy;
  codes?: string[];
  exact?: boolean;
}

/** `--by` as the core's: the three named tables, else a front-matter key. */
export function matrixBy(by: string): MatrixBy {
  const b = by.trim();
  return b === 'question' || b === 'transcript' || b === 'code' ? b : { key: b };
}

export interface TableOptions {
  /** Only the transcripts whose front matter matches (`--where`); all when absent. */
  filter?: CaseFilter;
  /** Start CSV with a byte-order mark, so that Excel reads accents correctly (default: true). */
  bom?: boolean;
  /**
   * Write CSV cells exactly as the study has them. By default a cell that begins with `=`, `+`, `-`,
   * `@`, a tab or a carriage return gets a leading `'`, so that a spreadsheet shows it as text
   * instead of running it as a formula.
   */
  raw?: boolean;
  /** Which analysis table, for `matrix-csv` and `matrix-md` (by question when absent). */
  table?: TableChoice;
}

const utf8 = new TextEncoder();

/** Text as a file's bytes, ending in a line break as a printed report does. */
function textFile(text: string): Uint8Array {
  return utf8.encode(text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * One table of `loaded` as a file's bytes. The segments need the transcripts' texts (load with
 * `keepTexts`); the coverage report does not.
 */
export function tableExport(kind: TableExportKind, loaded: LoadedStudy, { filter, bom = true, raw = false, table }: TableOptions = {}): JobOutput {
  const { study, texts } = loaded;
  const csv = { bom, raw }; // the CSV renderers' options
  if (kind === 'matrix-csv' || kind === 'matrix-md') {
    const by = table?.by ?? 'question';
    const m = codeMatrix(study, { by, filter, codes: table?.codes, exact: table?.exact === true });
    const data = kind === 'matrix-csv' ? utf8.encode(matrixCsv(m, csv)) : textFile(matrixMarkdown(m));
    const summary = `${matrixTitle(m).toLowerCase()}, ${plural(m.rows.length, 'code')} × ${plural(m.columns.length, 'column')}`;
    return { data, summary, notes: unmatchedCase(study, filter, typeof by === 'string' ? undefined : by.key) };
  }
  if (kind === 'segments-csv') {
    const rows = codedSegments(study, (key) => texts.get(key), { filter });
    return { data: utf8.encode(segmentsCsv(rows, csv)), summary: plural(rows.length, 'coded segment'), notes: [] };
  }
  const report = coverageReport(study, filter);
  const transcripts = report.guides.reduce((n, g) => n + g.transcripts.length, 0);
  const lost = report.unresolved?.length ?? 0;
  const summary = `the coverage of ${plural(transcripts, 'transcript')} by ${plural(report.guides.length, 'guide')}` +
    (lost > 0 ? `, and ${plural(lost, 'transcript')} whose guide was not found` : '');
  const data = kind === 'coverage-csv' ? utf8.encode(coverageCsv(report, csv)) : textFile(coverageMarkdown(report));
  return { data, summary, notes: [] };
}
