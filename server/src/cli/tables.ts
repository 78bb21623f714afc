/**
 * `transcript-coder report` and `codes`: the coverage report, the code counts and the coded segments
 * on standard output. Their CSV and Markdown are the files the editor exports (host/tableExports.ts),
 * their JSON the wire types of the protocol (wire.ts).
 */
import { coverageReport } from '../core/coverage';
import { codeCounts, codedSegments } from '../core/counts';
import { codeCountsCsv, codeCountsMarkdown, segmentsMarkdown } from '../core/render/codeTables';
import { coverageHtml } from '../core/render/coverageReport';
import { loadStudy } from '../host/loadStudy';
import { tableExport } from '../host/tableExports';
import { cliJson, wireCodeCount, wireCoverage, wireSegment } from '../wire';
import { folderArg, formatArg, parse, whereFilter } from './args';
import { openStudy, reportUnreadable, write } from './io';

/** The CLI keys documents by their relative path, which its JSON gives as `file`. */
const sameKey = (key: string): string => key;

export function report(args: string[]): number {
  const { positionals, values } = parse(args, ['format', 'where', 'bom'], 'report');
  const format = formatArg(values.format, ['md', 'csv', 'json', 'html'], 'md');
  const filter = whereFilter(values.where);
  const host = openStudy(folderArg(positionals, 'report'));
  const loaded = loadStudy(host, { keepTexts: false });
  const status = reportUnreadable(host, loaded.unreadable, 'it was left out of the report');
  if (format === 'csv') process.stdout.write(tableExport('coverage-csv', loaded, { filter, bom: values.bom === true }).data);
  else if (format === 'md') process.stdout.write(tableExport('coverage-md', loaded, { filter }).data);
  else {
    const r = coverageReport(loaded.study, filter);
    write(format === 'json' ? cliJson(wireCoverage(r, sameKey)) : coverageHtml(r));
  }
  return status;
}

export function codes(args: string[]): number {
  const { positionals, values } = parse(args, ['format', 'where', 'segments', 'bom'], 'codes');
  const format = formatArg(values.format, ['md', 'csv', 'json'], 'md');
  const filter = whereFilter(values.where);
  const host = openStudy(folderArg(positionals, 'codes'));
  const loaded = loadStudy(host, { keepTexts: values.segments === true });
  const status = reportUnreadable(host, loaded.unreadable, `it was left out of the ${values.segments ? 'segments' : 'counts'}`);
  const { study, texts } = loaded;
  if (values.segments) {
    if (format === 'csv') {
      process.stdout.write(tableExport('segments-csv', loaded, { filter, bom: values.bom === true }).data);
      return status;
    }
    const rows = codedSegments(study, (key) => texts.get(key), { filter });
    write(format === 'json' ? cliJson(rows.map((r) => wireSegment(r, sameKey))) : segmentsMarkdown(rows));
    return status;
  }
  const rows = codeCounts(study, { filter });
  if (format === 'json') write(cliJson(rows.map(wireCodeCount)));
  else if (format === 'csv') process.stdout.write(codeCountsCsv(rows, { bom: values.bom }));
  else write(codeCountsMarkdown(rows));
  return status;
}
