/**
 * Who each transcript is about, across the study: the one check of SPEC §5 that looks at other
 * transcripts (`duplicate-participant`). Two transcripts of one guide naming the same participant
 * count that person twice in every report, and are nearly always two coders' copies of one interview
 * put side by side in one study instead of in two copies of it (§11).
 *
 * The index keeps, for every participant label, a few plain facts per transcript (never a model), so
 * that it is cheap to keep up to date one edit at a time and so that `checkStudy` can build it from
 * the front matter alone while it checks one transcript at a time.
 */
import type { TranscriptModel } from './model';
import type { Range } from './text';

/** What the duplicate check needs to know of one transcript. */
export interface ParticipantEntry {
  uri: string;
  path: string;
  /** The participant label, trimmed: `participant:` or the file name without extension. */
  label: string;
  /** The `guide:` value as written, undefined when absent (the study's only guide then applies). */
  guide: string | undefined;
  /** Where the diagnostic goes: the `participant:` value, or line 0 when the label is the file name. */
  range: Range;
  /** True when the label comes from `participant:` rather than from the file name. */
  written: boolean;
}

/** Participant label → the transcripts with it, in path order. */
export type ParticipantIndex = ReadonlyMap<string, readonly ParticipantEntry[]>;

/** A transcript's file name without its extension: the participant when `participant:` is absent. */
export function fileParticipant(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.endsWith('.transcript') ? name.slice(0, -'.transcript'.length) : name;
}

/** The entry of one transcript, from its model (the front matter is all it reads). */
export function participantEntry(uri: string, path: string, model: TranscriptModel): ParticipantEntry {
  const p = model.frontMatter?.participant;
  const label = p?.value.trim();
  const guide = model.frontMatter?.guide?.value;
  if (p && label) return { uri, path, label, guide, range: model.lines.range(p.start, p.end), written: true };
  return { uri, path, label: fileParticipant(path).trim(), guide, range: model.lines.lineRange(0), written: false };
}

function byPath(a: ParticipantEntry, b: ParticipantEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0;
}

/** The index of `entries`, built at once. */
export function buildParticipantIndex(entries: Iterable<ParticipantEntry>): ParticipantIndex {
  const index = new Map<string, ParticipantEntry[]>();
  for (const e of entries) {
    const list = index.get(e.label);
    if (list) list.push(e); else index.set(e.label, [e]);
  }
  for (const list of index.values()) if (list.length > 1) list.sort(byPath);
  return index;
}

/**
 * The index with the entry of `uri` replaced by `next` (or removed when `next` is undefined). Only the
 * lists of the old and the new label are copied; the rest is shared with `index`.
 */
export function updateParticipantIndex(index: ParticipantIndex, uri: string, old: ParticipantEntry | undefined, next: ParticipantEntry | undefined): ParticipantIndex {
  // Most edits leave the front matter be: the index then stays as it is, uncopied.
  if (next && (!old || old.label === next.label) && index.get(next.label)?.some((e) => e.uri === uri && sameEntry(e, next))) return index;
  const labels = new Set<string>();
  if (old) labels.add(old.label);
  if (next) labels.add(next.label);
  if (labels.size === 0) return index;
  const out = new Map(index);
  for (const label of labels) {
    const list = (out.get(label) ?? []).filter((e) => e.uri !== uri);
    if (next && next.label === label) {
      list.push(next);
      list.sort(byPath);
    }
    if (list.length) out.set(label, list); else out.delete(label);
  }
  return out;
}

function sameEntry(a: ParticipantEntry, b: ParticipantEntry): boolean {
  return a.path === b.path && a.label === b.label && a.guide === b.guide && a.written === b.written &&
    a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character &&
    a.range.end.line === b.range.end.line && a.range.end.character === b.range.end.character;
}

/** Whether a change from `old` to `next` can change what other transcripts are told about their participant. */
export function participantMoved(old: ParticipantEntry | undefined, next: ParticipantEntry | undefined): boolean {
  if (!old || !next) return old !== next;
  return old.label !== next.label || old.guide !== next.guide || old.path !== next.path;
}
