/**
 * The CSV every report is written as: UTF-8 (a byte-order mark on request, for Excel), records ending in
 * CRLF, fields quoted where they hold a comma, a quote or a line break (RFC 4180).
 *
 * Study text is never run by a spreadsheet: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
 * return is one that Excel, LibreOffice and Google Sheets read as a formula, which can run commands or send
 * data away when the file is opened. Such a cell gets a leading `'`, as OWASP advises ("CSV Injection"), so
 * that it is shown as the text it is; and terminal control characters are removed. `raw` turns both off, for
 * a program that reads the CSV and wants every value exactly.
 */
import { stringify } from 'csv-stringify/sync';
import { printable } from '../printable';

export interface CsvOptions {
  /** Start with a UTF-8 byte-order mark, so that Excel reads accents correctly. */
  bom?: boolean;
  /** Every cell exactly as it is: no `'` before a formula-like cell, control characters kept. */
  raw?: boolean;
}

/** Characters that make a spreadsheet read a cell as a formula when it starts with one. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell as written in safe (not raw) CSV. */
export function safeCell(value: string): string {
  const text = printable(value, true);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Rows of cells (the first row the header) as CSV text. */
export function csvText(rows: string[][], options: CsvOptions = {}): string {
  const cells = options.raw ? rows : rows.map((row) => row.map(safeCell));
  return stringify(cells, { bom: options.bom, record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}
