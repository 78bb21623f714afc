/**
 * `import transcript` and `import guide` (SPEC §12) on disk, shared by the CLI and the server's
 * commands so that both write the same files and say the same things. Each input is read (a Word
 * document through mammoth, text as UTF-8 or UTF-16 with a byte-order mark), turned into turns by the
 * core reader of its format, and written whole next to it or into the folder asked for. The inputs are
 * only ever read; an existing file is replaced only when asked (`force`), and each file left alone is
 * named with the reason.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseGuide } from '../core/guide';
import type { GuideModel } from '../core/model';
import { guideFromBlocks } from '../core/import/guide';
import { blocksFromHtml, blocksFromText } from '../core/import/guideSources';
import { isInterviewerLabel, validLabel } from '../core/import/labels';
import { renderTranscript } from '../core/import/render';
import { suggestForTurns } from '../core/import/suggestMarkers';
import { readSrt, readVtt } from '../core/import/subtitles';
import { readTextTranscript } from '../core/import/textTranscript';
import { UNNAMED_SPEAKER, type ImportedTranscript, type ImportedTurn } from '../core/import/turns';
import { printable } from '../core/printable';
import { plural } from '../core/render/words';
import { suggestions } from '../core/suggest';
import { fileErrorReason, StudyJobError, writeWhole } from './exports';
import { findStudyFiles, readTextFile } from './nodeHost';

/** The transcript formats import reads, by file extension. */
export const TRANSCRIPT_FORMATS = ['.docx', '.vtt', '.srt', '.txt'] as const;
/** The guide formats import reads, by file extension. */
export const GUIDE_FORMATS = ['.docx', '.md', '.markdown', '.txt'] as const;

export interface TranscriptImportOptions {
  /** The folder to write into; default: beside each input. */
  folder?: string;
  /** A guide ID of the study holding the output folder. */
  guide?: string;
  /** A role of that guide. */
  role?: string;
  /** Source label → label to write. */
  renames?: ReadonlyMap<string, string>;
  /** The interviewer's labels (`--interviewer`); default `I`, `Interviewer`, `Interviewer…`. */
  interviewers?: readonly string[];
  /** Replace transcripts that exist already. */
  force?: boolean;
  /** Insert question markers where the guide's matcher is confident (`--suggest-markers`); needs a guide. */
  suggestMarkers?: boolean;
  /**
   * The study folder, when the caller knows it (the editor's workspace folder that holds the output folder);
   * otherwise the output folder or the nearest folder above it that holds a guide.
   */
  studyRoot?: string;
}

export interface WrittenTranscript {
  source: string;
  target: string;
  turns: number;
  /** Each label with its number of turns, in order of first use. */
  speakers: { label: string; turns: number }[];
  /** With `suggestMarkers`: the interviewer's turns, and how many of them were given a marker. */
  markers?: { interviewerTurns: number; placed: number };
  /** What the researcher should know about this file. */
  notes: string[];
}

export interface TranscriptImportReport {
  written: WrittenTranscript[];
  skipped: { source: string; target?: string; reason: string }[];
  /** Notes about the whole import (no guide given, the study's guides …). */
  notes: string[];
}

/**
 * The study folder of `folder`: it, or the nearest folder above it, that holds a `*.guide.yaml` itself. Only
 * listings of those folders are read: a folder with no study above it (Downloads, say) costs a few listings,
 * never a search of the home folder.
 */
export function studyFolderOf(folder: string): string | undefined {
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    if (holdsGuide(dir)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function holdsGuide(dir: string): boolean {
  try {
    return readdirSync(dir, { withFileTypes: true }).some((e) => e.isFile() && e.name.endsWith('.guide.yaml'));
  } catch {
    return false;
  }
}

interface StudyGuide { id: string; roles: string[]; file: string; model: GuideModel }

/** The guides of the study folder `root` (their IDs and roles). */
export function studyGuides(root: string): StudyGuide[] {
  const guides: StudyGuide[] = [];
  for (const rel of findStudyFiles(root)) {
    if (!rel.endsWith('.guide.yaml')) continue;
    const read = readTextFile(path.join(root, rel));
    if ('error' in read) continue;
    const model = parseGuide(read.text);
    if (model.id) guides.push({ id: model.id.value, roles: model.roles.map((r) => r.id), file: rel, model });
  }
  return guides;
}

/**
 * The guide and role to write, checked against the study that will hold `outFolder`; a
 * `StudyJobError` when `guide` or `role` names nothing there. Notes say what the transcripts will still need.
 * Returns the guide the transcripts follow: the one named, else the study's only guide.
 */
function checkGuide(outFolder: string, options: TranscriptImportOptions, notes: string[]): GuideModel | undefined {
  const root = options.studyRoot ?? studyFolderOf(outFolder);
  const guides = root ? studyGuides(root) : [];
  const shown = path.relative(process.cwd(), outFolder) || '.';
  if (options.guide !== undefined) {
    if (!root) throw new StudyJobError(`there is no interview guide (*.guide.yaml) in ${shown} or any folder above it, so the guide '${options.guide}' cannot be checked: import the transcripts into the folder that holds the guide (or a folder below it), or leave --guide out`);
    const guide = guides.find((g) => g.id === options.guide);
    if (!guide) {
      const near = suggestions(options.guide, guides.map((g) => g.id));
      throw new StudyJobError(`the study in ${path.relative(process.cwd(), root) || '.'} has no guide '${options.guide}'` +
        (near.length > 0 ? ` (did you mean '${near[0]}'?)` : guides.length > 0 ? `; its guides are ${guides.map((g) => `'${g.id}'`).join(', ')}` : ''));
    }
    if (options.role !== undefined && !guide.roles.includes(options.role)) {
      throw new StudyJobError(guide.roles.length === 0
        ? `the guide '${guide.id}' declares no roles, so the role '${options.role}' cannot be used: leave --role out, or add the role to the guide first`
        : `the guide '${guide.id}' has no role '${options.role}': its roles are ${guide.roles.map((r) => `'${r}'`).join(', ')}`);
    }
    if (options.role === undefined && guide.roles.length > 0) {
      notes.push(`The guide '${guide.id}' has roles (${guide.roles.join(', ')}): add the participant's role to each transcript (role: …), or import again with --role.`);
    }
    return guide.model;
  }
  if (options.role !== undefined) throw new StudyJobError('a role belongs to a guide: give the guide too, e.g. --guide ppp-general --role ' + options.role);
  const ids = [...new Set(guides.map((g) => g.id))];
  if (ids.length > 1) {
    const shownIds = ids.slice(0, 5).join(', ') + (ids.length > 5 ? ` and ${ids.length - 5} more` : '');
    notes.push(`The study has ${ids.length} guides (${shownIds}): add guide: to each transcript's front matter, or import again with --guide.`);
  }
  else if (guides.length === 1 && guides[0].roles.length > 0) notes.push(`The guide '${guides[0].id}' has roles (${guides[0].roles.join(', ')}): add the participant's role to each transcript (role: …), or import again with --role.`);
  if (ids.length === 1) return guides[0].model;
  if (options.suggestMarkers) {
    throw new StudyJobError(ids.length === 0
      ? `question markers are suggested from an interview guide, and there is no guide (*.guide.yaml) in ${shown} or any folder above it: import the transcripts into the study's folder, or leave --suggest-markers out`
      : `question markers are suggested from one interview guide, and the study has ${ids.length}: say which with --guide`);
  }
  return undefined;
}

/** A file's text for a transcript or guide reader (a Word document as text, or as HTML with `asHtml`), or why it cannot be read. */
async function readSource(file: string, ext: string, asHtml = false): Promise<{ text: string; html?: string } | { error: string }> {
  if (ext === '.docx') {
    let bytes: Buffer;
    try {
      if (!statSync(file).isFile()) return { error: 'it is not a file' };
      bytes = readFileSync(file);
    } catch (err) {
      return { error: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : fileErrorReason(err, file) };
    }
    try {
      const mammoth = await import('mammoth');
      if (asHtml) return { text: '', html: (await mammoth.convertToHtml({ buffer: bytes })).value };
      return { text: (await mammoth.extractRawText({ buffer: bytes })).value };
    } catch {
      return { error: 'it cannot be read as a Word document (.docx); if it opens in Word, save it again as a .docx and import that' };
    }
  }
  if (!existsSync(file)) return { error: 'there is no such file' };
  const read = readTextFile(file);
  if ('error' in read) return read;
  if (read.text.includes('\u0000')) return { error: 'it holds binary data, not text' };
  return read;
}

function unsupported(ext: string, formats: readonly string[]): string {
  if (ext === '.doc') return 'it is an old-style Word document (.doc): open it in Word and save it as a .docx, then import that';
  return `Transcript Coder reads ${formats.join(', ')} files, and this one is ${ext === '' ? 'without an extension' : `a ${ext} file`}`;
}

/** Imports transcripts; see the module's comment. Throws `StudyJobError` only for a guide or role that the study does not have. */
export async function importTranscripts(files: readonly string[], options: TranscriptImportOptions): Promise<TranscriptImportReport> {
  const report: TranscriptImportReport = { written: [], skipped: [], notes: [] };
  const outFolder = (file: string): string => path.resolve(options.folder ?? path.dirname(path.resolve(file)));
  if (options.folder !== undefined) {
    const st = (() => { try { return statSync(options.folder!); } catch { return undefined; } })();
    if (!st) throw new StudyJobError(`the folder ${options.folder} does not exist: create it first, or choose another with -o`);
    if (!st.isDirectory()) throw new StudyJobError(`${options.folder} is not a folder: -o names the folder the transcripts are written into`);
  }
  const guideOf = new Map<string, GuideModel | undefined>();
  for (const f of files) {
    const out = outFolder(f);
    if (guideOf.has(out)) continue;
    guideOf.set(out, checkGuide(out, options, report.notes));
  }
  const claimed = new Map<string, string>();
  const used = new Set<string>();
  for (const file of files) {
    const ext = path.extname(file).toLowerCase();
    const base = path.basename(file, path.extname(file));
    const target = path.join(outFolder(file), `${base}.transcript`);
    if (!(TRANSCRIPT_FORMATS as readonly string[]).includes(ext)) {
      report.skipped.push({ source: file, reason: unsupported(ext, TRANSCRIPT_FORMATS) });
      continue;
    }
    const earlier = claimed.get(target);
    if (earlier !== undefined) {
      report.skipped.push({ source: file, target, reason: `${earlier} is imported to the same file: rename one of the two` });
      continue;
    }
    claimed.set(target, file);
    if (!options.force && existsSync(target)) {
      report.skipped.push({ source: file, target, reason: `${path.basename(target)} already exists there and was left as it was (add --force to replace it)` });
      continue;
    }
    const source = await readSource(file, ext);
    if ('error' in source) {
      report.skipped.push({ source: file, reason: `cannot read it: ${source.error}` });
      continue;
    }
    const name = path.basename(file);
    const read: ImportedTranscript = ext === '.vtt' ? readVtt(source.text, name) : ext === '.srt' ? readSrt(source.text, name) : readTextTranscript(source.text, name);
    const guide = options.suggestMarkers ? guideOf.get(outFolder(file)) : undefined;
    const suggested = guide ? placeMarkers(guide, read.turns, options) : undefined;
    const rendered = renderTranscript(read.turns, { participant: base, guide: options.guide, role: options.role, renames: options.renames, markers: suggested?.markers });
    try {
      writeWhole(target, new TextEncoder().encode(rendered.text), { overwrite: options.force === true });
    } catch (err) {
      if (!(err instanceof StudyJobError)) throw err;
      report.skipped.push({ source: file, target, reason: err.message });
      continue;
    }
    for (const t of read.turns) { used.add(t.label); used.add(t.label.trim()); used.add(validLabel(t.label.trim(), UNNAMED_SPEAKER)); }
    report.written.push({
      source: file, target, turns: read.turns.filter((t) => t.label !== '').length,
      speakers: rendered.speakers.map((label) => ({ label, turns: rendered.turnCounts.get(label) ?? 0 })),
      ...(suggested ? { markers: { interviewerTurns: suggested.interviewerTurns, placed: suggested.markers.size } } : {}),
      notes: [...read.notes, ...rendered.notes, ...(suggested ? [markerNote(suggested.interviewerTurns, suggested.markers.size, options.interviewers ?? [])] : [])].map((n) => printable(n)),
    });
  }
  for (const [from] of options.renames ?? []) {
    if (!used.has(from) && report.written.length > 0) report.notes.push(`--speaker "${from}=…" renamed nothing: no imported file has a speaker '${from}'.`);
  }
  const interviewers = options.interviewers ?? [];
  if (interviewers.length > 0 && report.written.length > 0) {
    const labels = report.written.flatMap((w) => w.speakers.map((s) => s.label));
    for (const i of interviewers) if (!labels.some((l) => isInterviewerLabel(l, [i]))) report.notes.push(`--interviewer ${i}: no imported transcript has a speaker '${i}'.`);
  }
  report.notes = report.notes.map((n) => printable(n));
  return report;
}

/**
 * The markers the guide's matcher is confident of, by turn index: the interviewer's turns (by their
 * label as written, after `--speaker` renames) matched in order against the guide (SPEC §12).
 */
function placeMarkers(guide: GuideModel, turns: readonly ImportedTurn[], options: TranscriptImportOptions): { markers: Map<number, string[]>; interviewerTurns: number } {
  const interviewer: number[] = [];
  turns.forEach((t, i) => {
    const label = t.label.trim();
    const written = options.renames?.get(t.label) ?? options.renames?.get(label) ?? label;
    if (label !== '' && isInterviewerLabel(written, options.interviewers ?? [])) interviewer.push(i);
  });
  const suggestions = suggestForTurns(guide, interviewer.map((i) => ({ text: turns[i].text })), undefined, { role: options.role });
  const markers = new Map<number, string[]>();
  suggestions.forEach((s, k) => { if (s.marker !== null) markers.set(interviewer[k], [s.marker]); });
  return { markers, interviewerTurns: interviewer.length };
}

function markerNote(interviewerTurns: number, placed: number, interviewers: readonly string[]): string {
  if (interviewerTurns === 0) {
    const labels = interviewers.length > 0 ? interviewers.map((l) => `'${l}'`).join(', ') : "'I', 'Interviewer' or a label starting with 'Interviewer'";
    return `No question markers were suggested: no turn is the interviewer's (${labels}). Name the interviewer's label with --interviewer, or rename it with --speaker.`;
  }
  return `Question markers placed on ${placed} of the interviewer's ${plural(interviewerTurns, 'turn')}, where the guide's question was clear; check them, and mark the other turns with "Mark as question …" in the editor.`;
}

/** `Wrote …: N turns by I (21), R (21).` for one written transcript. */
export function transcriptSummary(w: WrittenTranscript, shown: string): string {
  const who = w.speakers.map((s) => `${s.label} (${s.turns})`).join(', ');
  return printable(`Wrote ${shown}: ${plural(w.turns, 'turn')}${who === '' ? '' : ` by ${who}`}.`);
}

export interface GuideImportResult {
  target: string;
  summary: string;
  notes: string[];
}

/** The guide file name import writes for `source` when not told: beside it, `<name>.guide.yaml`. */
export function defaultGuideTarget(source: string): string {
  return path.join(path.dirname(source), `${path.basename(source, path.extname(source))}.guide.yaml`);
}

/** Imports an interview guide; `StudyJobError` when it cannot be read, holds no question, or the target exists (unless `force`). */
export async function importGuide(source: string, target: string | undefined, force: boolean): Promise<GuideImportResult> {
  const ext = path.extname(source).toLowerCase();
  if (!(GUIDE_FORMATS as readonly string[]).includes(ext)) throw new StudyJobError(`cannot import ${source}: ${unsupported(ext, GUIDE_FORMATS)}`);
  const out = target ?? defaultGuideTarget(source);
  if (!force && existsSync(out)) throw new StudyJobError(`${out} already exists and was left as it was: choose another name with -o, or add --force to replace it`);
  const read = await readSource(source, ext, true);
  if ('error' in read) throw new StudyJobError(`cannot read ${source}: ${read.error}`);
  const blocks = read.html !== undefined ? blocksFromHtml(read.html) : blocksFromText(read.text, ext === '.md' || ext === '.markdown');
  const guide = guideFromBlocks(blocks, path.basename(source));
  if ('error' in guide) throw new StudyJobError(printable(guide.error));
  writeWhole(out, new TextEncoder().encode(guide.yaml), { overwrite: force });
  const notes = [...guide.notes];
  if (!out.endsWith('.guide.yaml')) notes.push(`${path.basename(out)} does not end in .guide.yaml, so Transcript Coder will not read it as a guide until it is renamed.`);
  return {
    target: out,
    summary: printable(`guide '${guide.id}' with ${plural(guide.sections, 'section')}, ${plural(guide.questions, 'question')} and ${plural(guide.followups, 'follow-up')}`),
    notes: notes.map((n) => printable(n)),
  };
}
