/**
 * `transcript-coder import transcript` and `import guide` (SPEC §12): interviews and guides from Word,
 * subtitle and text files into the study's formats, through host/importFiles.ts (which the editor's
 * commands use too). Each file written is named with what it holds; each file left alone is named with
 * the reason, and then the exit status is 1.
 */
import * as path from 'node:path';
import { parseRename } from '../core/import/labels';
import { importGuide, importTranscripts, transcriptSummary } from '../host/importFiles';
import { StudyJobError } from '../host/exports';
import { parse, UsageError } from './args';
import { error, note, write } from './io';

const shown = (file: string): string => path.relative(process.cwd(), file) || file;

async function job<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof StudyJobError) throw new UsageError(err.message, 1);
    throw err;
  }
}

export async function importTranscriptCommand(args: string[]): Promise<number> {
  const { positionals, values } = parse(args, ['output', 'force', 'guide', 'role', 'speaker', 'interviewer', 'suggest-markers'], 'import transcript');
  if (positionals.length === 0) throw new UsageError('import transcript needs the files to read, e.g. import transcript SW07.docx SW08.vtt -o interviews');
  const renames = new Map<string, string>();
  for (const arg of values.speaker ?? []) {
    const r = parseRename(arg);
    if ('error' in r) throw new UsageError(r.error);
    renames.set(r.from, r.to);
  }
  if (values.output !== undefined && values.output.trim() === '') throw new UsageError('-o needs the folder to write the transcripts into');
  const report = await job(() => importTranscripts(positionals, {
    folder: values.output, guide: values.guide, role: values.role, renames, interviewers: values.interviewer, force: values.force === true,
    suggestMarkers: values['suggest-markers'] === true,
  }));
  for (const w of report.written) {
    write(transcriptSummary(w, shown(w.target)));
    for (const n of w.notes) note(n);
  }
  for (const n of report.notes) note(n);
  for (const s of report.skipped) error(`${shown(s.source)} was not imported: ${s.reason}.`);
  if (report.written.length > 0) {
    const folders = [...new Set(report.written.map((w) => shown(path.dirname(w.target))))];
    const placed = report.written.some((w) => (w.markers?.placed ?? 0) > 0);
    write(`Next: check the speakers and ${placed ? 'the question markers, add the missing ones' : 'add question markers'}, then run transcript-coder check ${folders.length === 1 ? folders[0] : '<study folder>'}`);
  }
  return report.skipped.length > 0 ? 1 : 0;
}

export async function importGuideCommand(args: string[]): Promise<number> {
  const { positionals, values } = parse(args, ['output', 'force'], 'import guide');
  if (positionals.length === 0) throw new UsageError('import guide needs the file to read, e.g. import guide "Interview guide.docx" -o ppp.guide.yaml');
  if (positionals.length > 1) throw new UsageError(`import guide reads one file, got ${positionals.length}: ${positionals.join(' ')}`);
  if (values.output !== undefined && values.output.trim() === '') throw new UsageError('-o needs the guide file to write, e.g. -o ppp.guide.yaml');
  const result = await job(() => importGuide(positionals[0], values.output, values.force === true));
  write(`Wrote ${shown(result.target)}: ${result.summary}.`);
  for (const n of result.notes) note(n);
  return 0;
}
