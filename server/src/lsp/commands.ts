/**
 * The server commands of protocol.ts (`workspace/executeCommand`, SPEC §6), so that every editor
 * can code a selection, export and import through the server, and the VS Code client computes
 * nothing itself:
 * - `transcriptCoder.codeSelection`: the candidate codes, or the coding edit applied through
 *   `workspace/applyEdit` (core/features/codeSelection.ts decides both);
 * - `transcriptCoder.export`: the bytes of the CLI's export (host/exports.ts) written to the file named,
 *   analysis tables included (`matrix-csv`, `matrix-md`, with the table's options);
 * - `transcriptCoder.import`: a REFI-QDA codebook written as a `*.codebook.yaml`;
 * - `transcriptCoder.importTranscripts`, `.importGuide`: interviews and guides from Word, subtitle and
 *   text files (host/importFiles.ts, as the CLI's `import transcript` and `import guide`).
 * A refusal or a failure is a JSON-RPC error (`COMMAND_REFUSED`) whose message says why, in words
 * for a researcher.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver';
import { codeSelection, getCodeCandidates } from '../core/languageService';
import { LineIndex, type Range } from '../core/text';
import { parseRename } from '../core/import/labels';
import { studyNames } from '../host/names';
import { planPseudonyms } from '../host/pseudonymise';
import { buildCodebookImport, buildExport, fileNameNote, StudyJobError, writeWhole, wroteMessage, type ExportOptions, type JobOutput } from '../host/exports';
import { importGuide, importTranscripts, transcriptSummary } from '../host/importFiles';
import { matrixBy } from '../host/tableExports';
import {
  COMMAND_REFUSED, CodeSelectionCommand, ExportCommand, ImportCommand, PseudonymiseCommand, type CodeSelectionArgs, type CodeSelectionResult,
  type ExportArgs, type ExportKind, type ExportResult, type ImportArgs, type ImportResult, type PseudonymiseArgs, type PseudonymiseResult,
  ImportGuideCommand, ImportTranscriptsCommand, type ImportGuideArgs, type ImportGuideResult, type ImportTranscriptsArgs, type ImportTranscriptsResult,
  type MatrixTable,
} from '../protocol';
import { wireCodeCandidate } from '../wire';
import { stringsOf, whereOf } from './params';
import type { StudyAccess, StudyContext } from './studyAccess';

type Command = (arg: unknown, access: StudyAccess, token: CancellationToken) => Promise<unknown>;

const COMMANDS: Record<string, { what: string; run: Command }> = {
  [CodeSelectionCommand]: { what: 'Code Selection', run: codeSelectionCommand },
  [ExportCommand]: { what: 'The export', run: exportCommand },
  [ImportCommand]: { what: 'The import', run: importCommand },
  [ImportTranscriptsCommand]: { what: 'The import of transcripts', run: importTranscriptsCommand },
  [ImportGuideCommand]: { what: 'The import of the guide', run: importGuideCommand },
  [PseudonymiseCommand]: { what: 'Pseudonymising', run: pseudonymiseCommand },
};

const EXPORT_KINDS: readonly ExportKind[] = ['refi', 'qdc', 'coverage-csv', 'coverage-md', 'segments-csv', 'matrix-csv', 'matrix-md'];

export function registerCommands(connection: Connection, access: StudyAccess): void {
  connection.onExecuteCommand(async (params, token) => {
    const command = COMMANDS[params.command];
    if (!command) throw refused(`Transcript Coder has no command ${params.command}.`);
    try {
      return await command.run(params.arguments?.[0], access, token);
    } catch (err) {
      if (err instanceof ResponseError) throw err;
      if (err instanceof StudyJobError) throw refused(sentence(err.message));
      access.log(`${command.what} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      throw refused(`${command.what} failed unexpectedly (${err instanceof Error ? err.message : String(err)}). The language server's log has the details.`);
    }
  });
}

function refused(message: string): ResponseError<void> {
  return new ResponseError(COMMAND_REFUSED, message);
}

/** The shared jobs' messages follow the CLI's `error:` prefix in lower case; alone, they read as a sentence. */
function sentence(message: string): string {
  const s = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** What a command that wrote `file` answers: the sentence the CLI prints, and its notes. */
function written(uri: string, file: string, output: JobOutput, nameNote: string | undefined): ExportResult {
  return { written: uri, summary: wroteMessage(path.basename(file), output), notes: nameNote ? [...output.notes, nameNote] : output.notes };
}

async function studyOf(access: StudyAccess, target: { uri?: string; folder?: string }, token: CancellationToken): Promise<StudyContext | undefined> {
  const ctx = await access.target(target, token);
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The command was cancelled.');
  return ctx;
}

// ---------------------------------------------------------------- Code Selection

async function codeSelectionCommand(arg: unknown, access: StudyAccess, token: CancellationToken): Promise<CodeSelectionResult> {
  const a = (arg ?? {}) as Partial<CodeSelectionArgs>;
  if (typeof a.uri !== 'string') throw refused('Code Selection needs the transcript and the selection: { uri, range } (or ranges).');
  const ranges: unknown[] = Array.isArray(a.ranges) ? a.ranges : a.range !== undefined ? [a.range] : [];
  if (!ranges.every(isRange)) throw refused('Code Selection needs each selection as a range: { start: { line, character }, end: { line, character } }.');
  if (a.code !== undefined && typeof a.code !== 'string') throw refused('Code Selection needs the code as a code path, such as benefit/family.');
  const ctx = await studyOf(access, { uri: a.uri }, token);
  if (!ctx || ctx.key === undefined) throw refused('This document is not a study file the language server knows, so it cannot be coded here. Is it a *.transcript in the open study folder?');
  const text = ctx.text(ctx.key);
  if (text === undefined) throw refused('This transcript cannot be read, so it cannot be coded.');
  if (a.code === undefined) {
    const candidates = getCodeCandidates(ctx.study, ctx.key, text, ranges);
    if ('error' in candidates) throw refused(candidates.error);
    return candidates.map(wireCodeCandidate);
  }
  const edit = codeSelection(ctx.study, ctx.key, text, ranges, a.code);
  if ('error' in edit) throw refused(edit.error);
  const applied = await access.applyEdit({ changes: { [ctx.key]: edit.edits } }, `Code with #${a.code}`, ctx);
  return applied
    ? { applied: true }
    : { applied: false, reason: 'The editor did not apply the change (the transcript may have changed meanwhile). Try again.' };
}

// ---------------------------------------------------------------- export and import

async function exportCommand(arg: unknown, access: StudyAccess, token: CancellationToken): Promise<ExportResult> {
  const a = (arg ?? {}) as Partial<ExportArgs>;
  if (!EXPORT_KINDS.includes(a.kind as ExportKind)) {
    throw refused(`The export needs a kind: one of ${EXPORT_KINDS.join(', ')}${a.kind === undefined ? '' : ` (not ${JSON.stringify(a.kind)})`}.`);
  }
  const target = filePath(a.target, 'The export', 'target');
  if (a.folder !== undefined && typeof a.folder !== 'string') throw refused('The export\'s folder must be the study folder\'s file URI.');
  const ctx = await studyOf(access, a.folder !== undefined ? { folder: a.folder } : {}, token);
  if (!ctx) {
    throw refused(a.folder !== undefined
      ? `${a.folder} is not a study folder open in the editor, so there is nothing to export from it.`
      : 'No study folder is open, so there is nothing to export. Open the folder that holds the study first.');
  }
  const own = ctx.study.documents().find((d) => samePath(pathOf(ctx.uriOf(d.uri)), target));
  if (own) throw refused(`${own.path} is a file of the study itself: choose another name for the export.`);
  const kind = a.kind as ExportKind;
  const out = buildExport(kind, ctx.host, { ...(kind === 'matrix-csv' || kind === 'matrix-md' ? tableOptions(a.table) : {}), redact: a.redact === true });
  writeWhole(target, out.data, { overwrite: a.overwrite === true });
  return written(a.target as string, target, out, fileNameNote(kind, path.basename(target)));
}

// ---------------------------------------------------------------- pseudonymise

async function pseudonymiseCommand(arg: unknown, access: StudyAccess, token: CancellationToken): Promise<PseudonymiseResult> {
  const a = (arg ?? {}) as Partial<PseudonymiseArgs>;
  if (a.folder !== undefined && typeof a.folder !== 'string') throw refused('Pseudonymising needs the study folder as a file URI.');
  const ctx = await studyOf(access, a.folder !== undefined ? { folder: a.folder } : {}, token);
  if (!ctx) throw refused('No study folder is open, so there is nothing to pseudonymise. Open the folder that holds the study first.');
  const names = studyNames(ctx.host);
  if (names.source.kind === 'none') {
    throw refused('This study has no names list. Put one in names.private.yaml at the study folder\'s root, or name it with the setting transcriptCoder.privacy.namesFile (see the Privacy page of the user guide).');
  }
  const problem = names.problems[0];
  if (problem) throw refused(`Nothing was replaced: the names list (${problem.where}) has a problem. ${problem.message}`);
  const plan = planPseudonyms(ctx.host, names);
  const files = plan.files.map((f) => ({ file: f.path, replaced: f.edits.length, left: f.left }));
  const changing = plan.files.filter((f) => f.edits.length > 0);
  const left = plan.left ? ` ${plan.left} listed name${plan.left === 1 ? ' has' : 's have'} no pseudonym in the list and ${plan.left === 1 ? 'was' : 'were'} left.` : '';
  const summary = (done: boolean): string => `${done ? 'Replaced' : a.dryRun ? 'Would replace' : 'Replaced'} ${plan.replaced} name${plan.replaced === 1 ? '' : 's'} in ${changing.length} transcript${changing.length === 1 ? '' : 's'}.${left}`;
  if (a.dryRun || changing.length === 0) return { applied: false, replaced: plan.replaced, left: plan.left, files, summary: summary(false) };
  const keyOf = new Map(ctx.study.documents().map((d) => [d.path, d.uri]));
  const changes: Record<string, { range: Range; newText: string }[]> = {};
  for (const f of changing) {
    const key = keyOf.get(f.path);
    if (key === undefined) continue;
    const lines = new LineIndex(f.text);
    changes[key] = f.edits.map((e) => ({ range: lines.range(e.start, e.end), newText: e.newText }));
  }
  const applied = await access.applyEdit({ changes }, 'Pseudonymise the study', ctx);
  if (!applied) throw refused('The editor did not apply the replacements (a transcript may have changed meanwhile). Try again.');
  return { applied: true, replaced: plan.replaced, left: plan.left, files, summary: summary(true) };
}

/** The analysis table an export names, as `matrix` takes it; refused without `by`. */
function tableOptions(table: unknown): ExportOptions {
  const t = (table ?? {}) as Partial<MatrixTable>;
  if (typeof t.by !== 'string' || t.by.trim() === '') {
    throw refused('Exporting an analysis table needs the table: { by: "question" }, "transcript", "code" or a front-matter key such as "role".');
  }
  const options: ExportOptions = { table: { by: matrixBy(t.by), codes: stringsOf(t.codes), exact: t.exact === true } };
  const filter = whereOf(t.where);
  if (filter) options.filter = filter;
  return options;
}

async function importCommand(arg: unknown): Promise<ImportResult> {
  const a = (arg ?? {}) as Partial<ImportArgs>;
  if (a.kind !== 'qdc') throw refused(`The import reads REFI-QDA codebooks: its kind must be "qdc"${a.kind === undefined ? '' : ` (not ${JSON.stringify(a.kind)})`}.`);
  const source = filePath(a.source, 'The import', 'source');
  const target = filePath(a.target, 'The import', 'target');
  if (samePath(source, target)) throw refused('The codebook would be written over the file it is imported from: choose another name for the codebook.');
  const out = buildCodebookImport(readSource(source), path.basename(source));
  writeWhole(target, out.data, { overwrite: a.overwrite === true });
  return written(a.target as string, target, out, fileNameNote('codebook', path.basename(target)));
}

async function importTranscriptsCommand(arg: unknown, access: StudyAccess, token: CancellationToken): Promise<ImportTranscriptsResult> {
  const a = (arg ?? {}) as Partial<ImportTranscriptsArgs>;
  if (!Array.isArray(a.files) || a.files.length === 0) throw refused('The import needs the files to read, as file URIs: { files: ["file:///…/SW07.docx"] }.');
  const files = a.files.map((f) => filePath(f, 'The import', 'files'));
  const folder = a.folder === undefined ? undefined : filePath(a.folder, 'The import', 'folder');
  for (const [key, value] of [['guide', a.guide], ['role', a.role]] as const) {
    if (value !== undefined && typeof value !== 'string') throw refused(`The import's ${key} must be an ID, such as ${key === 'guide' ? 'ppp-general' : 'swr'}.`);
  }
  const renames = new Map<string, string>();
  if (a.speakers !== undefined && (typeof a.speakers !== 'object' || a.speakers === null)) throw refused('The import\'s speakers must map labels to new labels: { "Interviewer 1": "I" }.');
  for (const [from, to] of Object.entries(a.speakers ?? {})) {
    const r = parseRename(`${from}=${String(to)}`);
    if ('error' in r) throw refused(sentence(r.error));
    renames.set(from, r.to);
  }
  const interviewers = Array.isArray(a.interviewers) ? a.interviewers.filter((i): i is string => typeof i === 'string') : undefined;
  // The study is the workspace folder that holds the output folder, when one does: its guides may sit in a subfolder.
  const studyRoot = folder === undefined ? undefined : await workspaceRoot(access, a.folder!, token);
  const inside = studyRoot !== undefined && folder !== undefined && !path.relative(studyRoot, folder).startsWith('..') && !path.isAbsolute(path.relative(studyRoot, folder));
  const report = await importTranscripts(files, { folder, guide: a.guide, role: a.role, renames, interviewers, force: a.force === true, suggestMarkers: a.suggestMarkers === true, studyRoot: inside ? studyRoot : undefined });
  const uriOf = new Map(files.map((f, i) => [f, a.files![i]]));
  return {
    written: report.written.map((w) => ({
      source: uriOf.get(w.source) ?? w.source, written: pathToFileURL(w.target).toString(), summary: transcriptSummary(w, path.basename(w.target)),
      turns: w.turns, speakers: w.speakers, notes: w.notes,
    })),
    skipped: report.skipped.map((s) => ({ source: uriOf.get(s.source) ?? s.source, reason: sentence(`${path.basename(s.source)} was not imported: ${s.reason}`) })),
    notes: report.notes,
  };
}

/** The folder on disk of the workspace study that `folder` (a URI) names or lies in, when the server has one with files. */
async function workspaceRoot(access: StudyAccess, folder: string, token: CancellationToken): Promise<string | undefined> {
  const ctx = await studyOf(access, { folder }, token);
  const doc = ctx?.study.documents()[0];
  const file = doc && ctx ? pathOf(ctx.uriOf(doc.uri)) : undefined;
  if (!doc || file === undefined) return undefined;
  const rel = doc.path.split('/').join(path.sep);
  return file.endsWith(path.sep + rel) ? file.slice(0, file.length - rel.length - 1) : undefined;
}

async function importGuideCommand(arg: unknown): Promise<ImportGuideResult> {
  const a = (arg ?? {}) as Partial<ImportGuideArgs>;
  const source = filePath(a.source, 'The import of a guide', 'source');
  const target = a.target === undefined ? undefined : filePath(a.target, 'The import of a guide', 'target');
  const result = await importGuide(source, target, a.overwrite === true);
  return { written: pathToFileURL(result.target).toString(), summary: `Wrote ${path.basename(result.target)}: ${result.summary}.`, notes: result.notes };
}

function readSource(file: string): Uint8Array {
  try {
    if (statSync(file).isDirectory()) throw refused(`${file} is a folder: give the .qdc (or .qdpx) file to import.`);
    return new Uint8Array(readFileSync(file));
  } catch (err) {
    if (err instanceof ResponseError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' || code === 'EPERM' ? 'you do not have permission to read it' : (err as Error).message;
    throw refused(`Cannot read ${file}: ${why}.`);
  }
}

/** The file a `file:` URI argument names; refused when it is missing or no file URI. */
function filePath(uri: unknown, what: string, field: string): string {
  const p = typeof uri === 'string' ? pathOf(uri) : undefined;
  if (p === undefined) throw refused(`${what} needs its ${field} as a file URI (file:///…)${typeof uri === 'string' ? `, not ${uri}` : ''}.`);
  return p;
}

function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function samePath(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

/** Whether a parameter is an LSP range (clients send what they send). */
export function isRange(r: unknown): r is Range {
  const isPosition = (p: unknown): boolean => {
    const q = p as { line?: unknown; character?: unknown } | null;
    return typeof q === 'object' && q !== null && Number.isInteger(q.line) && Number.isInteger(q.character);
  };
  const range = r as { start?: unknown; end?: unknown } | null | undefined;
  return typeof range === 'object' && range !== null && isPosition(range.start) && isPosition(range.end);
}
