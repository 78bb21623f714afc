/**
 * What every transcript reader of `import transcript` produces (SPEC §12): the interview as a list of
 * speaker turns, whatever the file it came from. Each format has its own reader (`subtitles.ts` for
 * WebVTT and SubRip, `textTranscript.ts` for plain text and Word paragraphs); `render.ts` writes the
 * turns as a `*.transcript`. Readers never throw and never drop a word: what they cannot place is
 * kept as text and said in a note.
 */

/** One speaker turn as found in the source. */
export interface ImportedTurn {
  /** The speaker's label as the source writes it (renamed and made valid by `render`); '' for text before any speaker. */
  label: string;
  /** The turn's words, exactly as the source has them; lines joined by `\n`. */
  text: string;
  /** When the turn starts, in seconds from the start of the recording, or null when the source does not say. */
  start: number | null;
}

/** A reader's result: the turns and what the researcher should know about how they were read. */
export interface ImportedTranscript {
  turns: ImportedTurn[];
  /** Sentences for the researcher (how the file was read, what had no speaker …). */
  notes: string[];
}

/** The label given to turns of a source that names no speaker at all. */
export const UNNAMED_SPEAKER = 'Speaker';

/**
 * Whether `s` reads as a speaker's name before a colon (`Interviewer`, `Dr. Jane Smith`, `Speaker 2`,
 * `Jane (she/her)`), rather than the first words of a sentence that holds a colon (`The reason was`,
 * `So: yes`): at most 40 characters and 5 words, starting with a letter or digit, holding a letter, and
 * none of the punctuation a sentence has but a name does not.
 */
export function looksLikeSpeaker(s: string): boolean {
  if (s.length === 0 || s.length > 40) return false;
  if (!/^[\p{L}\p{N}]/u.test(s) || !/\p{L}/u.test(s)) return false;
  if (/[?!;,"“”{}[\]<>#@%\\|=+*]/u.test(s)) return false;
  return s.trim().split(/\s+/).length <= 5;
}

/**
 * Consecutive turns of one speaker joined into one, their texts joined by `separator` (a line break for
 * paragraphs, a space for subtitle cues, whose line breaks only fit the text to the screen); turns with
 * no words left out.
 */
export function joinConsecutive(turns: readonly ImportedTurn[], separator = '\n'): ImportedTurn[] {
  const out: ImportedTurn[] = [];
  for (const t of turns) {
    const last = out[out.length - 1];
    if (last && last.label === t.label) last.text = last.text === '' ? t.text : t.text === '' ? last.text : `${last.text}${separator}${t.text}`;
    else out.push({ ...t });
  }
  return out.filter((t) => t.text.trim() !== '');
}

/**
 * HTML character references (`&amp;`, `&lt;`, `&#233;`, `&#x2019;`, and the named ones subtitles use)
 * as the characters they stand for; anything else is left as written.
 */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref] ?? NAMED[ref.toLowerCase()] ?? whole;
  });
}

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', lrm: '\u200e', rlm: '\u200f',
  ndash: '–', mdash: '—', hellip: '…', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', eacute: 'é', egrave: 'è',
};

/** `seconds` as `[hh:mm:ss]`, the fraction of a second dropped. */
export function timestamp(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number): string => String(n).padStart(2, '0');
  return `[${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}]`;
}

/** The lines of `text`, whatever its line breaks. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
