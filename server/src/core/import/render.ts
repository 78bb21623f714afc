/**
 * Imported turns written as a `*.transcript` (SPEC §4, §12): front matter (participant, guide, role,
 * the speakers), then one paragraph per turn, `Label: text`, a blank line between turns.
 *
 * The words are kept exactly. Every character the transcript format would read as markup is escaped
 * where the scanner (core/transcript.ts) would read it: `{` and `}` always; `#` and `@` where a code or a
 * question marker could start (after the start of a line, a blank or a bracket, and before a word
 * character); a `%` that starts `%%`; a `\` that would otherwise escape the character after it. A line
 * of a turn that would read as a new speaker turn is indented by one space, which the format reads as
 * "not a turn". So the transcript's plain text (core/refi/plainText.ts) is the source's text, differing
 * only in whitespace and the timestamps added.
 */
import { Document } from 'yaml';
import { isQuestionId } from '../ids';
import { isBlankChar } from '../transcript';
import { isValidLabel, labelVariants, validLabel } from './labels';
import { splitLines, timestamp, UNNAMED_SPEAKER, type ImportedTurn } from './turns';

export interface RenderOptions {
  /** The case's label (`participant:`), usually the file name without its extension. */
  participant: string;
  /** A guide ID of the study (`guide:`). */
  guide?: string;
  /** A role of that guide (`role:`). */
  role?: string;
  /** Labels to write instead of the source's (`--speaker LABEL=NEW`), keyed by the source's label. */
  renames?: ReadonlyMap<string, string>;
  /** Question markers to write at the start of turns: turn index (in the turns given) → question IDs, in order. */
  markers?: ReadonlyMap<number, readonly string[]>;
}

export interface RenderedTranscript {
  /** The `*.transcript` text, `\n` line breaks, ending with a line break. */
  text: string;
  /** The labels written, in order of first use (the front matter's `speakers:`). */
  speakers: string[];
  /** How many turns each label has. */
  turnCounts: Map<string, number>;
  /** Sentences for the researcher: labels changed to be valid, labels that look like one another. */
  notes: string[];
}

/**
 * The transcript of `turns`, one paragraph per turn, in the order given. Never throws; labels that
 * cannot start a turn as they are written are made valid and said in `notes`.
 */
export function renderTranscript(turns: readonly ImportedTurn[], options: RenderOptions): RenderedTranscript {
  const notes: string[] = [];
  const labelOf = labelMapper(options.renames ?? new Map(), notes);
  const labels = turns.map((t) => (t.label === '' ? '' : labelOf(t.label)));
  const speakers: string[] = [];
  const turnCounts = new Map<string, number>();
  for (const l of labels) {
    if (l === '') continue;
    if (!turnCounts.has(l)) speakers.push(l);
    turnCounts.set(l, (turnCounts.get(l) ?? 0) + 1);
  }
  for (const group of labelVariants(speakers)) {
    const target = group[0];
    notes.push(`The speaker labels ${group.map((l) => `'${l}'`).join(', ')} differ only in case, spacing or a number. If they are one person, ` +
      `give them one label, e.g. ${group.slice(1).map((l) => `--speaker "${l}=${target}"`).join(' ')}; if they are different people, leave them.`);
  }

  const paragraphs: string[] = [];
  turns.forEach((turn, i) => {
    const head: string[] = [];
    for (const id of options.markers?.get(i) ?? []) {
      if (isQuestionId(id)) head.push(`@${id}`);
      else notes.push(`The question marker '${id}' was not written (turn ${i + 1}): it is not a question ID.`);
    }
    if (turn.start !== null && Number.isFinite(turn.start)) head.push(timestamp(turn.start));
    const lines = splitLines(turn.text).map(trimBlanks).filter((l) => l !== '');
    const first = [labels[i] === '' ? '' : `${labels[i]}:`, ...head].filter((s) => s !== '').join(' ');
    const out: string[] = [];
    if (first !== '' && labels[i] !== '') {
      // `Label: text`: the first line's text follows a space, so markup is read there as after a blank.
      out.push(`${first} ${escapeText(lines[0] ?? '')}`.trimEnd() + (lines.length === 0 && head.length === 0 ? ' ' : ''));
      lines.shift();
    } else if (first !== '') {
      out.push(first + (lines.length > 0 ? ` ${escapeText(lines.shift()!)}` : ''));
    }
    for (const line of lines) out.push(escapeLine(line));
    if (out.length > 0) paragraphs.push(out.join('\n'));
  });

  const front = new Document({
    participant: options.participant,
    ...(options.guide !== undefined ? { guide: options.guide } : {}),
    ...(options.role !== undefined ? { role: options.role } : {}),
    speakers,
  });
  const yaml = front.toString({ lineWidth: 0, flowCollectionPadding: false });
  return { text: `---\n${yaml}---\n\n${paragraphs.join('\n\n')}\n`, speakers, turnCounts, notes };
}

/** Source label → written label: renamed as asked, else made valid; each change said once. */
function labelMapper(renames: ReadonlyMap<string, string>, notes: string[]): (label: string) => string {
  const done = new Map<string, string>();
  return (source) => {
    const known = done.get(source);
    if (known !== undefined) return known;
    const trimmed = source.trim();
    let label = renames.get(source) ?? renames.get(trimmed);
    if (label === undefined) {
      label = validLabel(trimmed, UNNAMED_SPEAKER);
      if (renames.has(label)) label = renames.get(label)!;
      else if (label !== trimmed) {
        notes.push(`The speaker label '${trimmed}' is written as '${label}': a label holds 1 to 32 letters, digits, spaces, '.', '_' or '-'. ` +
          `To choose another, add --speaker "${trimmed}=NEW".`);
      }
    }
    if (!isValidLabel(label)) label = validLabel(label, UNNAMED_SPEAKER);
    done.set(source, label);
    return label;
  };
}

function trimBlanks(line: string): string {
  let s = 0, e = line.length;
  while (s < e && isBlankChar(line.charCodeAt(s))) s++;
  while (e > s && isBlankChar(line.charCodeAt(e - 1))) e--;
  return line.slice(s, e);
}

/** The shape of a speaker turn's start (SPEC §4.2), whatever the front matter's `speakers` list. */
const TURN_START = /^(?=[\p{L}\p{N}._-])[\p{L}\p{N} ._-]{1,32}:[ \t]/u;

/** A line of a turn after its first: indented by a space when it would otherwise start a turn of its own. */
function escapeLine(line: string): string {
  const text = escapeText(line);
  return TURN_START.test(text) ? ` ${text}` : text;
}

const ID_CHAR = /^[\p{L}\p{N}_]$/u;
const DIGITS = /^\p{N}+$/u;

function isIdChar(ch: string | undefined): boolean {
  return ch !== undefined && ID_CHAR.test(ch);
}

/** Characters after which a `@` (and `#`) can start markup; `#` can also follow `}`. */
function opensMarkup(prev: string | undefined, sigil: '#' | '@'): boolean {
  if (prev === undefined) return true; // the start of a line
  if (prev === '(' || prev === '[' || prev === '{' || (sigil === '#' && prev === '}')) return true;
  return prev.length === 1 && isBlankChar(prev.charCodeAt(0));
}

/**
 * Whether the `#` at `i` of `chars` starts a code: after a line start, a blank, a bracket or `}`, and
 * before a path that is not digits alone (`#5` is text, SPEC §4.2).
 */
function isCodeAt(chars: readonly string[], i: number): boolean {
  if (!opensMarkup(chars[i - 1], '#') || !isIdChar(chars[i + 1])) return false;
  if (/^[A-Za-z]$/.test(chars[i + 1])) return true;
  // The path's characters, as far as a code path reaches (`-` and `/` join runs of word characters).
  let j = i + 1;
  let path = '';
  while (j < chars.length && (isIdChar(chars[j]) || ((chars[j] === '-' || chars[j] === '/') && isIdChar(chars[j + 1])))) path += chars[j++];
  return !DIGITS.test(path);
}

/** One line of text with every character that would read as markup escaped (see the module's comment). */
export function escapeText(line: string): string {
  const chars = Array.from(line);
  const escaped = chars.map((c, i) => {
    switch (c) {
      case '{': case '}': return true;
      case '#': return isCodeAt(chars, i);
      case '@': return opensMarkup(chars[i - 1], '@') && isIdChar(chars[i + 1]);
      case '%': return chars[i + 1] === '%';
      default: return false;
    }
  });
  let out = '';
  chars.forEach((c, i) => {
    if (escaped[i]) out += '\\';
    // A backslash before `{ } # @ %` would escape it; a second backslash keeps it, unless that character
    // already has its own (which the first backslash then precedes harmlessly).
    else if (c === '\\' && '{}#@%'.includes(chars[i + 1] ?? 'x') && !escaped[i + 1]) out += '\\';
    out += c;
  });
  return out;
}
