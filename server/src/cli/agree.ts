/**
 * `transcript-coder agree A B` (SPEC §11): how far two coders' copies of a study agree, code by code,
 * and every passage where they differ. The copies are two folders, or with `--git` two revisions of the
 * repository holding the current folder, read from git's objects. Transcripts are read a pair at a time.
 */
import { AGREEMENT_UNITS, compareCopies, type AgreementUnit, type Coder } from '../core/agreement';
import { fileKind } from '../core/ids';
import { agreementCsv, agreementHtml, agreementMarkdown } from '../core/render/agreement';
import { GitReadError, GitStudyHost } from '../host/gitHost';
import { readTranscript, type UnreadableFile } from '../host/loadStudy';
import type { StudyHost } from '../host/studyHost';
import { cliJson, wireAgreement } from '../wire';
import { formatArg, parse, UsageError } from './args';
import { error, openStudy, reportReading, shownPath, warning, write, writeOut } from './io';
import type { NodeStudyHost } from '../host/nodeHost';

interface Copy {
  /** The copy as the user named it. */
  label: string;
  host: StudyHost;
  files: string[];
  unreadable: UnreadableFile[];
  /** Reports what could not be read; returns the exit status it calls for. */
  report(): number;
}

function folderCopy(folder: string): Copy {
  const host = openStudy(folder);
  const copy: Copy = {
    label: folder, host, files: transcriptsOf(host), unreadable: [],
    report: () => reportReading(host, copy.unreadable, 'left out of the comparison'),
  };
  return copy;
}

function gitCopy(revision: string): Copy {
  let host: GitStudyHost;
  try {
    host = new GitStudyHost(process.cwd(), revision);
  } catch (err) {
    if (err instanceof GitReadError) throw new UsageError(err.message);
    throw err;
  }
  for (const p of host.settingsProblems()) warning(`${revision}: ${p}.`);
  const copy: Copy = {
    label: revision, host, files: transcriptsOf(host), unreadable: [],
    report: () => {
      for (const u of copy.unreadable) error(`cannot read ${u.path} in ${revision}: ${u.reason}; it was left out of the comparison.`);
      if (host.listFiles().length === 0) throw new UsageError(`no study files in this folder in ${revision} (no *.guide.yaml, *.codebook.yaml or *.transcript)`);
      return copy.unreadable.length > 0 ? 1 : 0;
    },
  };
  return copy;
}

function transcriptsOf(host: StudyHost): string[] {
  return host.listFiles().filter((f) => fileKind(f) === 'transcript');
}

export function agree(args: string[]): number {
  const { positionals, values } = parse(args, ['format', 'unit', 'code', 'git', 'bom', 'raw'], 'agree');
  const format = formatArg(values.format, ['md', 'csv', 'json', 'html'], 'md');
  const unit = (values.unit ?? 'character') as AgreementUnit;
  if (!AGREEMENT_UNITS.includes(unit)) throw new UsageError(`unknown unit '${values.unit}': use ${AGREEMENT_UNITS.join(', ')}`);
  if (positionals.length !== 2) {
    throw new UsageError(values.git
      ? `agree --git needs two revisions (branches, tags or commits), got ${positionals.length}`
      : `agree needs two copies of the study (two folders), got ${positionals.length}`);
  }
  const [a, b] = values.git ? positionals.map(gitCopy) : positionals.map(folderCopy);
  const copies: Record<Coder, Copy> = { A: a, B: b };
  const result = compareCopies(a.files, b.files, (coder, file) => {
    const copy = copies[coder];
    const r = readTranscript(copy.host, file);
    if ('error' in r) {
      copy.unreadable.push({ path: file, reason: r.error });
      return undefined;
    }
    return r;
  }, { unit, codes: values.code });
  const status = Math.max(a.report(), b.report());
  const name = (c: Copy): string => (values.git ? c.label : shownPath(c.host as NodeStudyHost, '.'));
  if (format === 'json') write(cliJson(wireAgreement(result, name(a), name(b))));
  else if (format === 'csv') writeOut(agreementCsv(result, { bom: values.bom === true, raw: values.raw === true }));
  else if (format === 'html') write(agreementHtml(result, name(a), name(b)));
  else write(agreementMarkdown(result, name(a), name(b)));
  return status;
}
