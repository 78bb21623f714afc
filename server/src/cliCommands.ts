/**
 * Commands of the CLI that live beside the core ones (`export`, `import`),
 * kept apart so that cli.ts stays a small dispatcher.
 *
 * Output files are built in memory and written through a temporary file
 * beside the target that is then renamed over it, so a failure never leaves
 * a half-written file. An existing output file is replaced, as `-o` asks;
 * the input file and the study's own files are never overwritten.
 */
import { existsSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadStudy, UsageError, type Command } from './cli';
import { diagnose } from './core/diagnostics';
import { exportCodebook, exportProject, zipProject } from './core/refi/exportProject';
import { codebookYaml, readRefiCodebook } from './core/refi/importCodebook';

declare const TRANSCRIPT_CODER_VERSION: string | undefined;
const ORIGIN = typeof TRANSCRIPT_CODER_VERSION === 'string' ? `Transcript Coder ${TRANSCRIPT_CODER_VERSION}` : 'Transcript Coder';

function parse(args: string[]): { positionals: string[]; output?: string; force?: boolean } {
  try {
    const { positionals, values } = parseArgs({
      args, allowPositionals: true, strict: true,
      options: { output: { type: 'string', short: 'o' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    return { positionals, output: values.output, force: values.force };
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '').trim());
  }
}

function note(message: string): void {
  process.stderr.write(`transcript-coder: note: ${message}\n`);
}

function outputArg(output: string | undefined, example: string, command: string): string {
  if (output === undefined || output.trim() === '') throw new UsageError(`${command} needs an output file: add -o ${example}`);
  if (output === '-') throw new UsageError(`${command} writes a file, not standard output: give a file name after -o, e.g. -o ${example}`);
  return output;
}

function samePath(a: string, b: string): boolean {
  const real = (p: string): string => { try { return realpathSync(p); } catch { return path.resolve(p); } };
  return real(a) === real(b);
}

function reason(err: unknown, file: string): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT': return `the folder ${path.dirname(file)} does not exist`;
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EROFS': return 'the disk is read-only';
    case 'ENOSPC': return 'the disk is full';
    case 'EISDIR': return 'it is a folder';
    default: return e.message ?? String(err);
  }
}

/** Writes `data` to `file` whole or not at all. */
function writeWhole(file: string, data: Uint8Array | string): void {
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`cannot write ${file}: it is a folder`, 1);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data, { flag: 'wx' });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new UsageError(`cannot write ${file}: ${reason(err, file)}`, 1);
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------- export

const EXPORT_USAGE = 'use export refi [folder] -o study.qdpx (the whole study) or export qdc [folder] -o codebook.qdc (the codebook)';

function exportCommand(args: string[]): number {
  const { positionals, output } = parse(args);
  const [format, ...rest] = positionals;
  if (format === undefined) throw new UsageError(`export needs a format: ${EXPORT_USAGE}`);
  if (format !== 'refi' && format !== 'qdc') throw new UsageError(`unknown export format '${format}': ${EXPORT_USAGE}`);
  if (rest.length > 1) throw new UsageError(`export ${format} takes one folder, got ${rest.length}: ${rest.join(' ')}`);
  const ext = format === 'refi' ? '.qdpx' : '.qdc';
  const out = outputArg(output, `study${ext}`.replace('study.qdc', 'codebook.qdc'), `export ${format}`);
  const { root, study, texts, settings } = loadStudy(rest[0] ?? '.');
  for (const doc of study.documents()) {
    if (samePath(path.join(root, doc.path), out)) throw new UsageError(`-o ${out} is a file of the study itself: choose another name, e.g. -o study${ext}`);
  }

  let data: Uint8Array | string;
  let summary: string;
  const notes: string[] = [];
  if (format === 'qdc') {
    const xml = exportCodebook(study, { origin: ORIGIN });
    if (xml === undefined) throw new UsageError(`the study in ${rest[0] ?? '.'} defines no codes (no *.codebook.yaml with codes), so there is no codebook to export`, 1);
    const count = study.codeIndex().byPath.size;
    data = xml;
    summary = `Wrote ${out}: ${plural(count, 'code')}.`;
  } else {
    if (study.size === 0) throw new UsageError(`no study files in ${rest[0] ?? '.'} (*.guide.yaml, *.codebook.yaml, *.transcript): nothing to export`, 1);
    const project = exportProject(study, (uri) => texts.get(uri), { name: path.basename(root), origin: ORIGIN });
    notes.push(...project.notes);
    const c = project.counts;
    data = zipProject(project);
    summary = `Wrote ${out}: ${plural(c.transcripts, 'transcript')}, ${plural(c.codes, 'code')} (and ${plural(c.guideCodes, 'code')} for the guide), ` +
      `${plural(c.codings, 'coding')} on ${plural(c.selections, 'passage')}, ${plural(c.cases, 'case')}, ${plural(c.memos, 'memo')}.`;
  }
  const errors = study.documents().reduce((n, d) => n + diagnose(study, d.uri, settings.severity).filter((x) => x.severity === 'error').length, 0);
  if (errors > 0) notes.push(`the study has ${plural(errors, 'error')} (see transcript-coder check); it was exported as it stands.`);
  if (!out.toLowerCase().endsWith(ext)) notes.push(`${out} does not end in ${ext}; other programs look for that extension when importing.`);
  writeWhole(out, data);
  for (const n of notes) note(n);
  process.stdout.write(`${summary}\n`);
  return 0;
}

// ---------------------------------------------------------------- import

const IMPORT_USAGE = 'use import qdc codebook.qdc -o themes.codebook.yaml';

function importCommand(args: string[]): number {
  const { positionals, output, force } = parse(args);
  const [format, ...rest] = positionals;
  if (format === undefined) throw new UsageError(`import needs a format and a file: ${IMPORT_USAGE}`);
  if (format !== 'qdc') throw new UsageError(`unknown import format '${format}': ${IMPORT_USAGE} (a .qdpx or .qde project is read too)`);
  if (rest.length === 0) throw new UsageError(`import qdc needs the file to read: ${IMPORT_USAGE}`);
  if (rest.length > 1) throw new UsageError(`import qdc reads one file, got ${rest.length}: ${rest.join(' ')}`);
  const input = rest[0];
  const out = outputArg(output, 'themes.codebook.yaml', 'import qdc');
  if (samePath(input, out)) throw new UsageError(`-o ${out} is the file being imported: choose another name, e.g. -o themes.codebook.yaml`);

  let bytes: Uint8Array;
  try {
    if (statSync(input).isDirectory()) throw new UsageError(`${input} is a folder: give the .qdc (or .qdpx) file`, 1);
    bytes = new Uint8Array(readFileSync(input));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`cannot read ${input}: ${e.code === 'ENOENT' ? 'no such file' : reason(err, input)}`, 1);
  }
  // A codebook is edited by hand; an import must not silently replace one (exports are regenerated at will).
  if (!force && existsSync(out) && statSync(out).isFile()) {
    throw new UsageError(`${out} already exists, and importing would replace it with the imported codes: give another name with -o, or add --force to replace it`, 1);
  }
  const result = readRefiCodebook(bytes, input);
  if (!result.ok) throw new UsageError(result.error, 1);
  const { codebook } = result;
  const yaml = codebookYaml(codebook, path.basename(input));
  writeWhole(out, yaml);
  for (const n of codebook.notes) note(n);
  if (!out.endsWith('.codebook.yaml')) note(`${out} does not end in .codebook.yaml, so Transcript Coder will not read it as a codebook until it is renamed.`);
  process.stdout.write(`Wrote ${out}: ${plural(codebook.count, 'code')} (${plural(codebook.codes.length, 'top-level code')}) from ${input}.\n`);
  return 0;
}

export const extraCommands: Record<string, Command> = { export: exportCommand, import: importCommand };
