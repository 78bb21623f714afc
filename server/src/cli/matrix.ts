/** `transcript-coder matrix`: the analysis tables of SPEC §10 on standard output. */
import { codeMatrix, type MatrixBy } from '../core/matrix';
import { matrixCsv, matrixHtml, matrixMarkdown } from '../core/render/matrix';
import { loadStudy } from '../host/loadStudy';
import { cliJson, wireMatrix } from '../wire';
import { folderArg, formatArg, parse, UsageError, whereFilter } from './args';
import { openStudy, reportReading, reportUnmatched, write, writeOut } from './io';

export function matrix(args: string[]): number {
  const { positionals, values } = parse(args, ['format', 'where', 'by', 'code', 'exact', 'bom', 'raw'], 'matrix');
  const format = formatArg(values.format, ['md', 'csv', 'json', 'html'], 'md');
  if (values.by === undefined || values.by.trim() === '') {
    throw new UsageError('matrix needs --by: question, transcript, code, or a front-matter key such as role');
  }
  const byArg = values.by.trim();
  const by: MatrixBy = byArg === 'question' || byArg === 'transcript' || byArg === 'code' ? byArg : { key: byArg };
  const filter = whereFilter(values.where);
  const host = openStudy(folderArg(positionals, 'matrix'));
  const loaded = loadStudy(host, { keepTexts: false });
  const status = reportReading(host, loaded.unreadable, 'left out of the table');
  reportUnmatched(loaded.study, filter, typeof by === 'string' ? undefined : by.key);
  const m = codeMatrix(loaded.study, { by, filter, codes: values.code, exact: values.exact === true });
  if (format === 'json') write(cliJson(wireMatrix(m)));
  else if (format === 'csv') writeOut(matrixCsv(m, { bom: values.bom === true, raw: values.raw === true }));
  else if (format === 'html') write(matrixHtml(m));
  else write(matrixMarkdown(m));
  return status;
}
