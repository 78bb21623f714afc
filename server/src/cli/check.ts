/** `transcript-coder check`: every problem of the study, like a compiler (SPEC §8). */
import { effectiveSeverity, type Severity } from '../core/diagnosticCodes';
import { plural } from '../core/render/words';
import { checkStudy } from '../host/loadStudy';
import { wireRange } from '../wire';
import type { WireRange } from '../protocol';
import { folderArg, formatArg, parse } from './args';
import { openStudy, reportReading, shownPath, write, writeOut } from './io';

export function check(args: string[]): number {
  const { positionals, values } = parse(args, ['format'], 'check');
  const format = formatArg(values.format, ['text', 'json'], 'text');
  const host = openStudy(folderArg(positionals, 'check'));
  // Each file's diagnostics are turned into what is printed as soon as they are made: keeping the
  // diagnostics themselves (with their related information and quick-fix data) until the end made
  // the heap grow by tens of megabytes on a large study, which cost more time than the checks.
  const bySeverity = { error: 0, warning: 0, information: 0, hint: 0 };
  let filesWithProblems = 0;
  const rows: { file: string; range: WireRange; severity: Severity; code: string; message: string }[] = [];
  const out = new Utf8Output();
  const { read, unreadable, namesProblems } = checkStudy(host, (doc, ds) => {
    if (ds.length === 0) return;
    filesWithProblems++;
    for (const d of ds) bySeverity[d.severity]++;
    if (format === 'json') {
      for (const d of ds) rows.push({ file: doc, range: wireRange(d.range), severity: d.severity, code: d.code, message: d.message });
      return;
    }
    const shown = shownPath(host, doc);
    let lines = '';
    for (const d of ds) {
      const s = `${shown}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${d.message}`;
      lines += s.endsWith('\n') ? s : `${s}\n`;
    }
    out.add(lines);
  });
  // The names list's problems come last: it is no study file, and the list may lie outside the study.
  const namesSeverity = effectiveSeverity('invalid-names-list', host.settings().severity);
  if (namesSeverity !== 'off') {
    for (const p of namesProblems) {
      bySeverity[namesSeverity]++;
      const file = p.inStudy ?? p.where;
      if (format === 'json') rows.push({ file, range: wireRange(p.range), severity: namesSeverity, code: 'invalid-names-list', message: p.message });
      else out.add(`${p.inStudy ? shownPath(host, p.inStudy) : p.where}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${namesSeverity} invalid-names-list: ${p.message}\n`);
    }
  }
  // A file that could not be read was not checked: that is an error too, or CI would pass unchecked work.
  const status = Math.max(bySeverity.error > 0 ? 1 : 0, reportReading(host, unreadable, 'not checked'));
  if (format === 'json') {
    write(JSON.stringify(rows, null, 2));
    return status;
  }
  out.add(`${summaryLine(bySeverity, filesWithProblems, read, namesSeverity !== 'off' && namesProblems.length > 0)}\n`);
  // A few large writes for the whole report: thousands of small writes cost more than the checks.
  for (const piece of out.pieces()) writeOut(piece);
  return status;
}

/**
 * Text gathered as UTF-8 bytes outside the JavaScript heap, to be written at the end. Thousands of lines
 * kept as strings until the end of a large check filled the heap enough to need a full garbage collection.
 */
class Utf8Output {
  private static readonly CHUNK = 1 << 18;
  private readonly done: Buffer[] = [];
  private chunk = Buffer.allocUnsafe(Utf8Output.CHUNK);
  private used = 0;

  add(s: string): void {
    const most = s.length * 3; // UTF-8 takes at most 3 bytes for each UTF-16 code unit
    if (this.chunk.length - this.used < most) {
      this.done.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(Math.max(Utf8Output.CHUNK, most));
      this.used = 0;
    }
    this.used += this.chunk.write(s, this.used);
  }

  /** The bytes gathered, in a few pieces (written in turn, with no copy to join them). */
  pieces(): Buffer[] {
    return [...this.done, this.chunk.subarray(0, this.used)];
  }
}

function summaryLine(bySeverity: Record<Severity, number>, filesWithProblems: number, files: number, namesList = false): string {
  if (files === 0) return 'No study file could be read.';
  if (filesWithProblems === 0 && !namesList) return `No problems in ${plural(files, 'file')}.`;
  const count = (sev: Severity, one: string): string | undefined => (bySeverity[sev] ? plural(bySeverity[sev], one) : undefined);
  const parts = [count('error', 'error'), count('warning', 'warning'), count('information', 'note'), count('hint', 'hint')].filter(Boolean);
  const where = filesWithProblems === 0 ? 'the names list' : `${filesWithProblems} of ${plural(files, 'file')}${namesList ? ' and the names list' : ''}`;
  return `${parts.join(', ')} in ${where}.`;
}
