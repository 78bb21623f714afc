/**
 * `transcript-coder pseudonymise [folder] [--dry-run]`: every listed name in the study's transcripts
 * replaced by its pseudonym, in place (no backup copies: the study is in git). It prints how many
 * replacements it made in which files, and how many listed names it left for want of a pseudonym;
 * never a word of the names list.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { plural } from '../core/render/words';
import { StudyJobError, writeWhole } from '../host/exports';
import { studyNames } from '../host/names';
import { planPseudonyms } from '../host/pseudonymise';
import { folderArg, parse, UsageError } from './args';
import { error, openStudy, reportReading, shownPath, write } from './io';

export function pseudonymise(args: string[]): number {
  const { positionals, values } = parse(args, ['dry-run'], 'pseudonymise');
  const dry = values['dry-run'] === true;
  const host = openStudy(folderArg(positionals, 'pseudonymise'));
  const names = studyNames(host);
  if (names.source.kind === 'none') {
    throw new UsageError(`no names list: put one in ${shownPath(host, 'names.private.yaml')}, or name it with the setting transcriptCoder.privacy.namesFile (see docs/privacy.md)`);
  }
  if (names.problems.length > 0) {
    for (const p of names.problems) error(`${p.inStudy ? shownPath(host, p.inStudy) : p.where}:${p.range.start.line + 1}: ${p.message}`);
    error('nothing was replaced: correct the names list first');
    return 1;
  }
  const plan = planPseudonyms(host, names);
  let status = reportReading(host, plan.unreadable, 'left as it was');
  const lines: string[] = [];
  let replaced = 0;
  let files = 0;
  for (const f of plan.files) {
    if (f.edits.length > 0 && !dry) {
      try {
        writeWhole(path.join(host.root, ...f.path.split('/')), encodeLike(path.join(host.root, ...f.path.split('/')), f.after), { overwrite: true });
      } catch (err) {
        if (!(err instanceof StudyJobError)) throw err;
        error(`${err.message}; it was left as it was`);
        status = 1;
        continue;
      }
    }
    replaced += f.edits.length;
    if (f.edits.length > 0) files++;
    const did = f.edits.length > 0 ? `${dry ? 'would replace' : 'replaced'} ${plural(f.edits.length, 'name')}` : 'nothing replaced';
    lines.push(`${shownPath(host, f.path)}: ${did}${f.left ? `; ${plural(f.left, 'listed name')} left (no pseudonym in the list)` : ''}`);
  }
  for (const l of lines) write(l);
  const total = `${dry ? 'Would replace' : 'Replaced'} ${plural(replaced, 'name')} in ${plural(files, 'file')} of ${plural(plan.transcripts, 'transcript')}.`;
  write(plan.left ? `${total} ${plural(plan.left, 'listed name')} ${plan.left === 1 ? 'has' : 'have'} no pseudonym in the list and ${plan.left === 1 ? 'was' : 'were'} left: replace ${plan.left === 1 ? 'it' : 'them'} by hand, or add the pseudonyms to the list.` : total);
  return status;
}

/** `text` in the encoding the file has now: UTF-8, with its byte-order mark if it had one, or UTF-16LE. */
function encodeLike(file: string, text: string): Uint8Array {
  let head: Buffer;
  try {
    head = readFileSync(file).subarray(0, 3);
  } catch {
    head = Buffer.alloc(0);
  }
  if (head[0] === 0xff && head[1] === 0xfe) return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  if (head[0] === 0xfe && head[1] === 0xff) {
    const le = Buffer.from(text, 'utf16le');
    for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
    return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
  }
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  return bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]) : Buffer.from(text, 'utf8');
}
