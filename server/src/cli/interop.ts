/**
 * `transcript-coder export` and `import`: REFI-QDA files for other analysis programs. Bundled apart
 * (dist/cliCommands.js, with the XML and zip libraries) and loaded only when one of them runs, so
 * that the other commands start sooner. The files are built by host/exports.ts, as the editor's
 * exports are, and written whole or not at all: a failure never leaves half a file, and neither the
 * input file nor the study's own files are ever overwritten.
 */
import { readFileSync, realpathSync, statSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  buildCodebookImport, exportNeedsTexts, exportStudy, fileErrorReason, fileNameNote, FILE_EXTENSIONS, outputRefusal, StudyJobError,
  writeWhole, wroteMessage, type JobOutput,
} from '../host/exports';
import { loadStudy } from '../host/loadStudy';
import { parse, UsageError, type Command } from './args';
import { importGuideCommand, importTranscriptCommand } from './import';
import { note, openStudy, readAs, reportReading, write } from './io';

/** A job's refusal (nothing to export, a file that cannot be written) as the CLI's error: exit status 1. */
function job<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof StudyJobError) throw new UsageError(err.message, 1);
    throw err;
  }
}

/**
 * The file `-o` names, refused before any work when it can never be written: a link, a folder, a
 * device, a pipe (`writeWhole` checks again when it writes).
 */
function outputArg(output: string | undefined, example: string, command: string): string {
  if (output === undefined || output.trim() === '') throw new UsageError(`${command} needs an output file: add -o ${example}`);
  if (output === '-') throw new UsageError(`${command} writes a file, not standard output: give a file name after -o, e.g. -o ${example}`);
  const refused = outputRefusal(output);
  if (refused) throw new UsageError(`cannot write ${output}: ${refused}`, 1);
  return output;
}

function samePath(a: string, b: string): boolean {
  const real = (p: string): string => { try { return realpathSync(p); } catch { return path.resolve(p); } };
  return real(a) === real(b);
}

/** Writes a job's file, then says what it wrote and what the user should know. */
function finish(out: string, output: JobOutput, notes: string[], overwrite: boolean): void {
  job(() => writeWhole(out, output.data, { overwrite }));
  for (const n of notes) note(n);
  write(wroteMessage(out, output));
}

// ---------------------------------------------------------------- export

const EXPORT_USAGE = 'use export refi [folder] -o study.qdpx (the whole study) or export qdc [folder] -o codebook.qdc (the codebook)';

function exportCommand(args: string[]): number {
  const { positionals, values } = parse(args, ['output', 'redact'], 'export');
  const [format, ...rest] = positionals;
  if (format === undefined) throw new UsageError(`export needs a format: ${EXPORT_USAGE}`);
  if (format !== 'refi' && format !== 'qdc') throw new UsageError(`unknown export format '${format}': ${EXPORT_USAGE}`);
  if (rest.length > 1) throw new UsageError(`export ${format} takes one folder, got ${rest.length}: ${rest.join(' ')}`);
  const example = format === 'refi' ? 'study.qdpx' : 'codebook.qdc';
  const out = outputArg(values.output, example, `export ${format}`);
  const host = openStudy(rest[0] ?? '.');
  const source = readAs(host, values.redact);
  const loaded = loadStudy(source, { keepTexts: exportNeedsTexts(format) });
  for (const doc of loaded.study.documents()) {
    if (samePath(path.join(host.root, doc.path), out)) throw new UsageError(`-o ${out} is a file of the study itself: choose another name, e.g. -o study${FILE_EXTENSIONS[format]}`);
  }
  const status = reportReading(host, loaded.unreadable, 'left out of the export');
  const output = job(() => exportStudy(format, source, loaded));
  const nameNote = fileNameNote(format, out);
  // An export is made again at will: an existing file of that name is replaced, as -o asks.
  finish(out, output, nameNote ? [...output.notes, nameNote] : output.notes, true);
  return status;
}

// ---------------------------------------------------------------- import

const IMPORT_USAGE = 'use import transcript FILE... (Word, subtitle or text interviews), import guide FILE (a Word, Markdown or text guide), or import qdc codebook.qdc -o themes.codebook.yaml';

function readInput(input: string): Uint8Array {
  try {
    if (statSync(input).isDirectory()) throw new UsageError(`${input} is a folder: give the .qdc (or .qdpx) file`, 1);
    return new Uint8Array(readFileSync(input));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`cannot read ${input}: ${e.code === 'ENOENT' ? 'no such file' : fileErrorReason(err, input)}`, 1);
  }
}

function importCommand(args: string[]): number | Promise<number> {
  if (args[0] === 'transcript' || args[0] === 'transcripts') return importTranscriptCommand(args.slice(1));
  if (args[0] === 'guide') return importGuideCommand(args.slice(1));
  const { positionals, values } = parse(args, ['output', 'force'], 'import');
  const [format, ...rest] = positionals;
  if (format === undefined) throw new UsageError(`import needs a format and a file: ${IMPORT_USAGE}`);
  if (format !== 'qdc') throw new UsageError(`unknown import format '${format}': ${IMPORT_USAGE} (a .qdpx or .qde project is read too)`);
  if (rest.length === 0) throw new UsageError(`import qdc needs the file to read: ${IMPORT_USAGE}`);
  if (rest.length > 1) throw new UsageError(`import qdc reads one file, got ${rest.length}: ${rest.join(' ')}`);
  const input = rest[0];
  const out = outputArg(values.output, 'themes.codebook.yaml', 'import qdc');
  if (samePath(input, out)) throw new UsageError(`-o ${out} is the file being imported: choose another name, e.g. -o themes.codebook.yaml`);
  const bytes = readInput(input);
  const force = values.force === true;
  // A codebook is edited by hand; an import must not silently replace one (exports are regenerated at will).
  if (!force && existsSync(out)) {
    throw new UsageError(`${out} already exists, and importing would replace it with the imported codes: give another name with -o, or add --force to replace it`, 1);
  }
  const output = job(() => buildCodebookImport(bytes, input));
  const nameNote = fileNameNote('codebook', out);
  finish(out, output, nameNote ? [...output.notes, nameNote] : output.notes, force);
  return 0;
}

export const extraCommands: Record<string, Command> = { export: exportCommand, import: importCommand };
