/**
 * `transcript-coder report`, `codes`, `segments` and `memos`: the coverage report, the code counts, the coded segments and the memos
 * on standard output. Their CSV and Markdown are the files the editor exports (host/tableExports.ts),
 * their JSON the wire types of the protocol (wire.ts).
 */
import { coverageReport } from '../core/coverage';
import { codeCounts, codedSegments, type SegmentQuery, type SegmentRow } from '../core/counts';
import { memos as studyMemos } from '../core/memos';
import { codeCountsCsv, codeCountsMarkdown, segmentsCsv, segmentsHtml, segmentsMarkdown } from '../core/render/codeTables';
import { memosCsv, memosMarkdown } from '../core/render/memos';
import { coverageHtml } from '../core/render/coverageReport';
import { loadStudy } from '../host/loadStudy';
import { tableExport } from '../host/tableExports';
import { cliJson, wireCodeCount, wireCoverage, wireMemo, wireSegment } from '../wire';
import { contextArg, folderArg, formatArg, parse, UsageError, whereFilter, type Parsed } from './args';
import { openStudy, readAs, reportReading, reportUnmatched, write, writeOut } from './io';

/** The CLI keys documents by their relative path, which its JSON gives as `file`. */
const sameKey = (key: string): string => key;

export function report(args: string[]): number {
  const { positionals, values } = parse(args, ['format', 'where', 'bom', 'raw', 'redact'], 'report');
  const format = formatArg(values.format, ['md', 'csv', 'json', 'html'], 'md');
  const filter = whereFilter(values.where);
  const host = openStudy(folderArg(positionals, 'report'));
  const loaded = loadStudy(readAs(host, values.redact), { keepTexts: false });
  const status = reportReading(host, loaded.unreadable, 'left out of the report');
  reportUnmatched(loaded.study, filter);
  if (format === 'csv') writeOut(tableExport('coverage-csv', loaded, { filter, bom: values.bom === true, raw: values.raw === true }).data);
  else if (format === 'md') writeOut(tableExport('coverage-md', loaded, { filter }).data);
  else {
    const r = coverageReport(loaded.study, filter);
    write(format === 'json' ? cliJson(wireCoverage(r, sameKey)) : coverageHtml(r));
  }
  return status;
}

/** The retrieval options of `segments` and `codes --segments` (SPEC §10), those given only. */
function segmentQuery(values: Parsed['values']): Omit<SegmentQuery, 'filter' | 'uri'> {
  const q: Omit<SegmentQuery, 'filter' | 'uri'> = {};
  if (values.code?.length) q.codes = values.code;
  if (values.question?.length) q.questions = values.question;
  if (values.overlapping?.length) q.overlapping = values.overlapping;
  if (values.exact) q.exact = true;
  const context = contextArg(values.context);
  if (context > 0) q.context = context;
  return q;
}

function printSegments(rows: SegmentRow[], format: string, values: Parsed['values']): void {
  if (format === 'json') write(cliJson(rows.map((r) => wireSegment(r, sameKey))));
  else if (format === 'csv') writeOut(segmentsCsv(rows, { bom: values.bom === true, raw: values.raw === true }));
  else if (format === 'html') write(segmentsHtml(rows));
  else write(segmentsMarkdown(rows));
}

/** `transcript-coder segments`: the coded segments of some codes, answering some questions, in some transcripts. */
export function segments(args: string[]): number {
  const { positionals, values } = parse(args, ['format', 'where', 'code', 'question', 'exact', 'context', 'overlapping', 'bom', 'raw', 'redact'], 'segments');
  const format = formatArg(values.format, ['md', 'csv', 'json', 'html'], 'md');
  const filter = whereFilter(values.where);
  const query = segmentQuery(values);
  const host = openStudy(folderArg(positionals, 'segments'));
  const loaded = loadStudy(readAs(host, values.redact), { keepTexts: true });
  const status = reportReading(host, loaded.unreadable, 'left out of the segments');
  reportUnmatched(loaded.study, filter);
  printSegments(codedSegments(loaded.study, (key) => loaded.texts.get(key), { filter, ...query }), format, values);
  return status;
}

/** `transcript-coder memos`: every memo with where it stands and the codes of its paragraph. */
export function memos(args: string[]): number {
  const { positionals, values } = parse(args, ['format', 'where', 'code', 'bom', 'raw', 'redact'], 'memos');
  const format = formatArg(values.format, ['md', 'csv', 'json'], 'md');
  const filter = whereFilter(values.where);
  const host = openStudy(folderArg(positionals, 'memos'));
  const loaded = loadStudy(readAs(host, values.redact), { keepTexts: true });
  const status = reportReading(host, loaded.unreadable, 'left out of the memos');
  reportUnmatched(loaded.study, filter);
  const rows = studyMemos(loaded.study, (key) => loaded.texts.get(key), { filter, codes: values.code });
  if (format === 'json') write(cliJson(rows.map((r) => wireMemo(r, sameKey))));
  else if (format === 'csv') writeOut(memosCsv(rows, { bom: values.bom === true, raw: values.raw === true }));
  else write(memosMarkdown(rows));
  return status;
}

export function codes(args: string[]): number {
  const { positionals, values } = parse(args, ['format', 'where', 'segments', 'code', 'question', 'exact', 'context', 'bom', 'raw', 'redact'], 'codes');
  const format = formatArg(values.format, ['md', 'csv', 'json'], 'md');
  const filter = whereFilter(values.where);
  const host = openStudy(folderArg(positionals, 'codes'));
  const loaded = loadStudy(readAs(host, values.redact), { keepTexts: values.segments === true });
  const status = reportReading(host, loaded.unreadable, `left out of the ${values.segments ? 'segments' : 'counts'}`);
  reportUnmatched(loaded.study, filter);
  const { study, texts } = loaded;
  if (values.segments) {
    const query = segmentQuery(values);
    if (format === 'csv' && Object.keys(query).length === 0) {
      writeOut(tableExport('segments-csv', loaded, { filter, bom: values.bom === true, raw: values.raw === true }).data);
      return status;
    }
    printSegments(codedSegments(study, (key) => texts.get(key), { filter, ...query }), format, values);
    return status;
  }
  if (values.code || values.question || values.exact || values.context !== undefined) {
    throw new UsageError('--code, --question, --exact and --context choose coded segments: use them with --segments (or the segments command)');
  }
  const rows = codeCounts(study, { filter });
  const csv = { bom: values.bom === true, raw: values.raw === true };
  if (format === 'json') write(cliJson(rows.map(wireCodeCount)));
  else if (format === 'csv') writeOut(codeCountsCsv(rows, csv));
  else write(codeCountsMarkdown(rows));
  return status;
}
