/**
 * `transcript-coder`: the study core without an editor, for scripts and CI (SPEC §8).
 * Exit status: 0 fine, 1 the study has errors (or an export failed), 2 bad arguments.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { coverageReport, type CaseFilter } from './core/coverage';
import { codeCounts, codedSegments } from './core/counts';
import { diagnose, type Diagnostic } from './core/diagnostics';
import type { Severity } from './core/diagnosticCodes';
import { codeCountsCsv, codeCountsMarkdown, segmentsCsv, segmentsMarkdown } from './core/render/codeTables';
import { coverageCsv, coverageHtml, coverageMarkdown } from './core/render/coverageReport';
import { fileKind } from './core/ids';
import { parseDocument, Study, type StudyDocument } from './core/study';
import type { Range } from './core/text';
import { findStudyFiles, folderSettings, folderSettingsProblems, readTextFile } from './host/nodeHost';
import { mergeSettings } from './host/settings';
import type { StudySettings } from './host/studyHost';

declare const TRANSCRIPT_CODER_VERSION: string | undefined;
const VERSION = typeof TRANSCRIPT_CODER_VERSION === 'string' ? TRANSCRIPT_CODER_VERSION : 'dev';

/** A failure the user caused: one line on standard error and the given exit status. */
export class UsageError extends Error {
  constructor(message: string, readonly status = 2) {
    super(message);
  }
}

export interface LoadedStudy {
  root: string;
  study: Study;
  /** Every file's text, by document key; empty when loaded with `keepTexts: false`. */
  texts: Map<string, string>;
  settings: StudySettings;
}

/**
 * Reads every study file below `folder`. Document keys are the files' paths relative to it.
 * Each file is parsed as soon as it is read; unless `keepTexts`, its text is then dropped, so a
 * study of thousands of transcripts is never all in memory at once (and the garbage collector
 * has that much less to move).
 */
export function loadStudy(folder: string, { keepTexts = true }: { keepTexts?: boolean } = {}): LoadedStudy {
  const { root, settings, files } = openStudyFolder(folder);
  const texts = new Map<string, string>();
  const docs: StudyDocument[] = [];
  for (const rel of files) {
    const doc = readDocument(root, rel, (text) => { if (keepTexts) texts.set(rel, text); }, reportUnreadable);
    if (doc) docs.push(doc);
  }
  return { root, study: Study.fromFiles(docs), texts, settings };
}

interface StudyFolder {
  root: string;
  settings: StudySettings;
  /** Study files, relative to `root`, in path order. */
  files: string[];
}

/** The study folder's settings and study files. */
function openStudyFolder(folder: string): StudyFolder {
  const root = path.resolve(folder);
  if (!existsSync(root)) throw new UsageError(`no such folder: ${folder}`);
  if (!statSync(root).isDirectory()) throw new UsageError(`not a folder: ${folder} (give the study folder, not a file)`);
  const settings = mergeSettings(folderSettings(root));
  for (const p of folderSettingsProblems(root)) process.stderr.write(`transcript-coder: warning: ${p}.\n`);
  return { root, settings, files: findStudyFiles(root, settings.exclude).filter((rel) => fileKind(rel) !== undefined) };
}

/** A file that could not be read: said in plain words, with the path as the check lines show it. */
function reportUnreadable(rel: string, why: string, root?: string): void {
  const shown = root ? path.relative(process.cwd(), path.join(root, rel)) || rel : rel;
  process.stderr.write(`transcript-coder: error: cannot read ${shown}: ${why}; it was not checked.\n`);
}

/** Reads and parses one study file; undefined (after `unreadable`) when it cannot be read. */
function readDocument(root: string, rel: string, read: (text: string) => void, unreadable: (rel: string, why: string) => void): StudyDocument | undefined {
  const kind = fileKind(rel)!;
  const r = readTextFile(path.join(root, rel));
  if ('error' in r) {
    unreadable(rel, r.error);
    return undefined;
  }
  const { text } = r;
  read(text);
  return { uri: rel, path: rel, kind, model: parseDocument(kind, text) };
}

/**
 * Every diagnostic of the study, one file at a time in file path order, for `check`. A transcript's
 * diagnostics depend on the guides and codebooks alone, never on other transcripts (SPEC §5), so each
 * transcript is read, checked against them and dropped in turn: however large the study, one transcript
 * at a time is in memory. `found` gets each file's diagnostics as soon as they are made, so that the caller
 * keeps only what it prints. Returns the number of files read.
 */
function checkStudy({ root, settings, files }: StudyFolder, found: (doc: string, ds: Diagnostic[]) => void): { read: number; unreadable: number } {
  // Unreadable files are reported in path order, as a whole-study read reports them.
  const unreadable: { rel: string; why: string }[] = [];
  const skip = (rel: string, why: string): void => { unreadable.push({ rel, why }); };
  const ignore = (): void => undefined;
  const shared = new Map<string, StudyDocument>();
  for (const rel of files) {
    if (fileKind(rel) === 'transcript') continue;
    const doc = readDocument(root, rel, ignore, skip);
    if (doc) shared.set(rel, doc);
  }
  const base = Study.fromFiles(shared.values());
  base.guideIndex();
  base.codeIndex(); // built once here, and carried over to each transcript's study below
  let read = shared.size;
  for (const rel of files) {
    if (shared.has(rel)) {
      found(rel, diagnose(base, rel, settings.severity));
      continue;
    }
    const doc = readDocument(root, rel, ignore, skip);
    if (!doc) continue;
    read++;
    found(rel, diagnose(base.withModel(doc), rel, settings.severity));
  }
  unreadable.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  for (const { rel, why } of unreadable) reportUnreadable(rel, why, root);
  return { read, unreadable: unreadable.length };
}

const HELP = `transcript-coder — check, count and report on a qualitative interview study

Usage:
  transcript-coder check [folder] [--format text|json]
      Every problem in the study's guides, codebooks and transcripts, like a compiler.
      Exit status 1 when any error is found.
  transcript-coder report [folder] [--format md|csv|json|html] [--where KEY=VALUE]...
      How every transcript covers its interview guide.
  transcript-coder codes [folder] [--format md|csv|json] [--segments] [--where KEY=VALUE]...
      How often each code is used; with --segments, every coded segment with its excerpt.
  transcript-coder export refi [folder] -o study.qdpx
      The whole coded study as a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder).
  transcript-coder export qdc [folder] -o codebook.qdc
      The codebook alone as a REFI-QDA codebook.
  transcript-coder import qdc codebook.qdc -o themes.codebook.yaml [--force]
      A REFI-QDA codebook from another tool, as a Transcript Coder codebook.
  transcript-coder lsp --stdio
      The language server, for editors such as Neovim, Emacs or Helix.

The folder defaults to the current folder. --where keeps only transcripts whose
front matter has that value (e.g. --where role=tm); give it several times to
narrow further (a key given twice matches either value). --bom starts CSV output
with a byte-order mark so that Excel reads accents correctly.
Settings in <folder>/.vscode/settings.json (transcriptCoder.exclude,
transcriptCoder.diagnostics.severity) apply here as in the editor.

Options:
  -h, --help       show this help
  -v, --version    show the version
`;

const COMMON = {
  format: { type: 'string', short: 'f' },
  where: { type: 'string', multiple: true, short: 'w' },
  segments: { type: 'boolean' },
  bom: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  output: { type: 'string', short: 'o' },
  stdio: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

interface Parsed {
  positionals: string[];
  values: { format?: string; where?: string[]; segments?: boolean; bom?: boolean; help?: boolean; output?: string; stdio?: boolean };
}

function parse(args: string[], allowed: (keyof typeof COMMON)[], command: string): Parsed {
  const options = Object.fromEntries(allowed.concat('help').map((k) => [k, COMMON[k]]));
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true }) as Parsed;
  } catch (err) {
    // Node's own wording names short forms the help does not show; say it as the rest of the tool does.
    const e = err as Error & { code?: string };
    const quoted = /'(-[^']*)'/.exec(e.message)?.[1];
    const option = quoted && (/--[\w-]+/.exec(quoted)?.[0] ?? quoted);
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) throw new UsageError(`${command} does not take the option ${option} (see --help)`);
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) throw new UsageError(`${option} needs a value (see --help)`);
    const line = oneLine(e.message);
    throw new UsageError(line.charAt(0).toLowerCase() + line.slice(1));
  }
}

function oneLine(s: string): string {
  return s.split('\n')[0].replace(/\. To specify a positional argument.*$/, '').trim();
}

function folderArg(positionals: string[], command: string): string {
  if (positionals.length > 1) throw new UsageError(`${command} takes one folder, got ${positionals.length}: ${positionals.join(' ')}`);
  return positionals[0] ?? '.';
}

function formatArg(value: string | undefined, allowed: string[], fallback: string): string {
  const f = value ?? fallback;
  if (!allowed.includes(f)) throw new UsageError(`unknown format '${f}': use ${allowed.join(', ')}`);
  return f;
}

export function whereFilter(where: string[] | undefined): CaseFilter | undefined {
  if (!where?.length) return undefined;
  const filter: CaseFilter = new Map();
  for (const w of where) {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new UsageError(`--where needs KEY=VALUE, got '${w}'`);
    const key = w.slice(0, eq).trim();
    const value = w.slice(eq + 1).trim();
    const set = filter.get(key) ?? new Set<string>();
    set.add(value);
    filter.set(key, set);
  }
  return filter;
}

function write(s: string): void {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
}

// ---------------------------------------------------------------- check

function check(args: string[]): number {
  const { positionals, values } = parse(args, ['format'], 'check');
  const format = formatArg(values.format, ['text', 'json'], 'text');
  const folder = openStudyFolder(folderArg(positionals, 'check'));
  // Each file's diagnostics are turned into what is printed as soon as they are made: keeping the
  // diagnostics themselves (with their related information and quick-fix data) until the end made
  // the heap grow by tens of megabytes on a large study, which cost more time than the checks.
  const bySeverity = { error: 0, warning: 0, information: 0, hint: 0 };
  let filesWithProblems = 0;
  const rows: { file: string; range: Range; severity: Severity; code: string; message: string }[] = [];
  const out = new Utf8Output();
  const { read: files, unreadable } = checkStudy(folder, (doc, ds) => {
    if (ds.length === 0) return;
    filesWithProblems++;
    for (const d of ds) bySeverity[d.severity]++;
    if (format === 'json') {
      for (const d of ds) rows.push({ file: doc, range: d.range, severity: d.severity, code: d.code, message: d.message });
      return;
    }
    const shown = path.relative(process.cwd(), path.join(folder.root, doc)) || doc;
    let lines = '';
    for (const d of ds) {
      const s = `${shown}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${d.message}`;
      lines += s.endsWith('\n') ? s : `${s}\n`;
    }
    out.add(lines);
  });
  // A file that could not be read was not checked: that is an error too, or CI would pass unchecked work.
  const status = bySeverity.error > 0 || unreadable > 0 ? 1 : 0;
  if (format === 'json') {
    write(JSON.stringify(rows, null, 2));
    return status;
  }
  out.add(`${summaryLine(bySeverity, filesWithProblems, files)}\n`);
  // A few large writes for the whole report: thousands of small writes cost more than the checks.
  for (const piece of out.pieces()) process.stdout.write(piece);
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

function summaryLine(bySeverity: Record<Severity, number>, filesWithProblems: number, files: number): string {
  if (files === 0) return 'No study files found (*.guide.yaml, *.codebook.yaml, *.transcript).';
  if (filesWithProblems === 0) return `No problems in ${files} file${files === 1 ? '' : 's'}.`;
  const count = (sev: Severity, one: string, many: string): string | undefined => {
    const n = bySeverity[sev];
    return n ? `${n} ${n === 1 ? one : many}` : undefined;
  };
  const parts = [count('error', 'error', 'errors'), count('warning', 'warning', 'warnings'), count('information', 'note', 'notes'), count('hint', 'hint', 'hints')].filter(Boolean);
  return `${parts.join(', ')} in ${filesWithProblems} of ${files} file${files === 1 ? '' : 's'}.`;
}

// ---------------------------------------------------------------- report and codes

function report(args: string[]): number {
  const { positionals, values } = parse(args, ['format', 'where', 'bom'], 'report');
  const format = formatArg(values.format, ['md', 'csv', 'json', 'html'], 'md');
  const filter = whereFilter(values.where);
  const { study } = loadStudy(folderArg(positionals, 'report'), { keepTexts: false });
  const r = coverageReport(study, filter);
  if (format === 'json') write(JSON.stringify(stripUris(r), null, 2));
  else if (format === 'csv') process.stdout.write(coverageCsv(r, { bom: values.bom }));
  else if (format === 'html') write(coverageHtml(r));
  else write(coverageMarkdown(r));
  return 0;
}

/** In the CLI, documents are keyed by their relative path already: the `uri` fields would repeat `file`. */
function stripUris<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === 'uri' ? undefined : v)));
}

function codes(args: string[]): number {
  const { positionals, values } = parse(args, ['format', 'where', 'segments', 'bom'], 'codes');
  const format = formatArg(values.format, ['md', 'csv', 'json'], 'md');
  const filter = whereFilter(values.where);
  const { study, texts } = loadStudy(folderArg(positionals, 'codes'), { keepTexts: values.segments === true });
  if (values.segments) {
    const rows = codedSegments(study, (uri) => texts.get(uri), { filter });
    if (format === 'json') write(JSON.stringify(stripUris(rows), null, 2));
    else if (format === 'csv') process.stdout.write(segmentsCsv(rows, { bom: values.bom }));
    else write(segmentsMarkdown(rows));
    return 0;
  }
  const rows = codeCounts(study, { filter });
  if (format === 'json') write(JSON.stringify(rows, null, 2));
  else if (format === 'csv') process.stdout.write(codeCountsCsv(rows, { bom: values.bom }));
  else write(codeCountsMarkdown(rows));
  return 0;
}

async function lsp(args: string[]): Promise<number> {
  const { values } = parse(args, ['stdio'], 'lsp');
  if (!values.stdio) throw new UsageError('lsp needs --stdio (the only transport it speaks)');
  loadPart('server.js', 'main.ts'); // the server's bundle, which starts the server when loaded
  return new Promise<number>(() => { /* the server decides when the process ends */ });
}

// ---------------------------------------------------------------- main

export type Command = (args: string[]) => number | Promise<number>;

/**
 * Loads a part of the tool that is a bundle of its own beside this one (`bundle`; from the sources, the
 * module `source` beside this file), at run time and out of the bundler's sight: the language server, and
 * `export` and `import` with their XML and zip libraries. Every command reads and compiles all of its own
 * bundle at start-up, so keeping these out of it makes the others start about 40 ms sooner.
 */
function loadPart<T>(bundle: string, source: string): T {
  return createRequire(__filename)(path.join(__dirname, __filename.endsWith('.ts') ? source : bundle)) as T;
}

const extraCommand = (name: string): Command => (args) =>
  loadPart<typeof import('./cliCommands')>('cliCommands.js', 'cliCommands.ts').extraCommands[name](args);

const COMMANDS: Record<string, Command> = { check, report, codes, lsp, export: extraCommand('export'), import: extraCommand('import') };

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    write(VERSION);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command '${command}': use check, report, codes, export, import or lsp (see --help)`);
  if (rest.includes('--help') || rest.includes('-h')) {
    write(HELP);
    return 0;
  }
  return run(rest);
}

if (require.main === module) {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0); // `| head` closed the pipe: not an error.
    throw err;
  });
  main(process.argv.slice(2)).then(
    (status) => { process.exitCode = status; },
    (err: unknown) => {
      if (err instanceof UsageError) {
        process.stderr.write(`transcript-coder: ${err.message}\n`);
        process.exitCode = err.status;
      } else {
        process.stderr.write(`transcript-coder: unexpected failure: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
        process.exitCode = 1;
      }
    },
  );
}
