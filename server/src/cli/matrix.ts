/** `transcript-coder matrix`: the analysis tables of SPEC §10 on standard output. */
import { codeMatrix } from '../core/matrix';
import { matrixHtml } from '../core/render/matrix';
import { loadStudy } from '../host/loadStudy';
import { matrixBy, tableExport } from '../host/tableExports';
import { cliJson, wireMatrix } from '../wire';
import { folderArg, formatArg, parse, UsageError, whereFilter } from './args';
import { openStudy, reportReading, reportUnmatched, write, writeOut } from './io';

export function matrix(args: string[]): number {
  const { positionals, values } = parse(args, ['format', 'where', 'by', 'code', 'exact', 'bom', 'raw'], 'matrix');
  const format = formatArg(values.format, ['md', 'csv', 'json', 'html'], 'md');
  if (values.by === undefined || values.by.trim() === '') {
    throw new UsageError('matrix needs --by: question, transcript, code, or a front-matter key such as role');
  }
  const by = matrixBy(values.by);
  const filter = whereFilter(values.where);
  const host = openStudy(folderArg(positionals, 'matrix'));
  const loaded = loadStudy(host, { keepTexts: false });
  const status = reportReading(host, loaded.unreadable, 'left out of the table');
  reportUnmatched(loaded.study, filter, typeof by === 'string' ? undefined : by.key);
  const table = { by, codes: values.code, exact: values.exact === true };
  // CSV and Markdown are the bytes the editor's export of the same table writes (host/tableExports.ts).
  if (format === 'csv' || format === 'md') {
    writeOut(tableExport(format === 'csv' ? 'matrix-csv' : 'matrix-md', loaded, { filter, table, bom: values.bom === true, raw: values.raw === true }).data);
    return status;
  }
  const m = codeMatrix(loaded.study, { by, filter, codes: values.code, exact: values.exact === true });
  if (format === 'json') write(cliJson(wireMatrix(m)));
  else write(matrixHtml(m));
  return status;
}
