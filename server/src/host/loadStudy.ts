/**
 * The one way a whole study is read from a `StudyHost`: every command of the CLI, the exports the
 * language server writes, and the tests load a study here. Document keys are the files' relative
 * paths. A file that cannot be read is left out and reported, once, in path order: what is done
 * about it (an error line and a failing exit status in the CLI, a note in the editor) is the caller's.
 */
import { diagnose, type Diagnostic } from '../core/diagnostics';
import { fileKind } from '../core/ids';
import { parseDocument, Study, type StudyDocument } from '../core/study';
import type { TranscriptModel } from '../core/model';
import { participantEntry, type ParticipantEntry } from '../core/participants';
import { frontMatterExtent, parseFrontMatterOnly, parseTranscript } from '../core/transcript';
import type { PrivacyRules } from '../core/privacy/scan';
import { studyNames, type NamesProblem } from './names';
import type { StudyHost } from './studyHost';

/** A study file that could not be read, and why, in words for a researcher. */
export interface UnreadableFile {
  path: string;
  reason: string;
}

export interface LoadedStudy {
  study: Study;
  /** Every file's text, by document key; empty when loaded with `keepTexts: false`. */
  texts: Map<string, string>;
  /** The files left out because they could not be read, in path order. */
  unreadable: UnreadableFile[];
  /** What is wrong with the study's names list (SPEC §13). */
  namesProblems: NamesProblem[];
}

/** Reads and parses one study file: its document and text, or why it cannot be read. */
function readDocument(host: StudyHost, rel: string, privacy?: PrivacyRules): { doc: StudyDocument; text: string } | { error: string } | undefined {
  const kind = fileKind(rel);
  if (!kind) return undefined;
  const r = host.readText(rel);
  if ('error' in r) return r;
  return { doc: { uri: rel, path: rel, kind, model: parseDocument(kind, r.text, privacy) }, text: r.text };
}

/** One transcript of `host`, parsed, with the text it was parsed from; or why it cannot be read. */
export function readTranscript(host: StudyHost, rel: string): { text: string; model: TranscriptModel } | { error: string } {
  const r = host.readText(rel);
  if ('error' in r) return r;
  return { text: r.text, model: parseTranscript(r.text) };
}

/**
 * Reads every study file of `host`. Each file is parsed as soon as it is read; unless `keepTexts`,
 * its text is then dropped, so a study of thousands of transcripts is never all in memory at once
 * (and the garbage collector has that much less to move).
 */
export function loadStudy(host: StudyHost, { keepTexts = true }: { keepTexts?: boolean } = {}): LoadedStudy {
  const texts = new Map<string, string>();
  const docs: StudyDocument[] = [];
  const unreadable: UnreadableFile[] = [];
  const names = studyNames(host);
  for (const rel of host.listFiles()) {
    const r = readDocument(host, rel, names.rules);
    if (!r) continue;
    if ('error' in r) {
      unreadable.push({ path: rel, reason: r.error });
      continue;
    }
    if (keepTexts) texts.set(rel, r.text);
    docs.push(r.doc);
  }
  return { study: Study.fromFiles(docs, names.rules), texts, unreadable, namesProblems: names.problems };
}

/**
 * Every diagnostic of the study, one file at a time in path order, with the host's severity
 * settings. A transcript's diagnostics depend on the guides and codebooks, and on other transcripts
 * only through their participant and guide (`duplicate-participant`, SPEC §5). So the guides and
 * codebooks are read first, then every transcript's front matter (kept as a few facts each), and each
 * transcript is then read, checked against them and dropped in turn: however large the study, one
 * transcript at a time is in memory. `found` gets each file's diagnostics as soon as they are made, so that the caller
 * keeps only what it prints. Returns how many files were read, and those that could not be.
 */
export function checkStudy(host: StudyHost, found: (key: string, diagnostics: Diagnostic[]) => void): { read: number; unreadable: UnreadableFile[]; namesProblems: NamesProblem[] } {
  const { severity } = host.settings();
  const names = studyNames(host);
  const files = host.listFiles();
  const unreadable: UnreadableFile[] = [];
  const shared = new Map<string, StudyDocument>();
  for (const rel of files) {
    if (fileKind(rel) === 'transcript') continue;
    const r = readDocument(host, rel);
    if (!r) continue;
    if ('error' in r) unreadable.push({ path: rel, reason: r.error });
    else shared.set(rel, r.doc);
  }
  const people: ParticipantEntry[] = [];
  for (const rel of files) {
    if (fileKind(rel) !== 'transcript') continue;
    // The start of the file is enough unless its front matter runs past it.
    const head = host.readHead?.(rel);
    const text = head && (head.whole || frontMatterExtent(head.text).complete) ? head.text : undefined;
    const r = text !== undefined ? { text } : host.readText(rel);
    // An unreadable transcript is reported when it is read in full below.
    if (!('error' in r)) people.push(participantEntry(rel, rel, parseFrontMatterOnly(r.text)));
  }
  const base = Study.fromFiles(shared.values(), names.rules).withParticipants(people);
  base.guideIndex();
  base.codeIndex(); // built once here, and carried over to each transcript's study below
  let read = shared.size;
  for (const rel of files) {
    if (shared.has(rel)) {
      found(rel, diagnose(base, rel, severity));
      continue;
    }
    if (fileKind(rel) !== 'transcript') continue;
    const r = readDocument(host, rel, names.rules);
    if (!r) continue;
    if ('error' in r) {
      unreadable.push({ path: rel, reason: r.error });
      continue;
    }
    read++;
    found(rel, diagnose(base.withModel(r.doc), rel, severity));
  }
  // Reported in path order, as a whole-study read reports them.
  unreadable.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { read, unreadable, namesProblems: names.problems };
}
