/**
 * Subtitle files as speaker turns (SPEC §12): WebVTT (`.vtt`, as Teams writes it with `<v Name>` voice
 * tags, and as Zoom writes it with `Name: text` cues) and SubRip (`.srt`, as Whisper writes it, often
 * with no speaker at all, or WhisperX's `[SPEAKER_00]: text`).
 *
 * Hand-written rather than taken from a subtitle library: the small ones on npm throw on a malformed
 * file or merge the cue after an empty one into it, and an import must keep every word of any file.
 * The two formats share their shape (blocks separated by blank lines: an optional identifier, a
 * timing line `start --> end`, the text), so one reader serves both. Text outside any cue is kept with
 * the cue before it, and said.
 */
import { decodeEntities, joinConsecutive, looksLikeSpeaker, splitLines, UNNAMED_SPEAKER, type ImportedTranscript, type ImportedTurn } from './turns';

/** One cue: its start in seconds (null when its timing line could not be read), its speaker when it names one, its text. */
interface Cue {
  start: number | null;
  end?: number | null;
  voice?: string;
  text: string;
}

/** A pause, in seconds, after which a file that names no speaker starts a new turn. */
export const PAUSE_SECONDS = 2;

const TIME = /(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?/;

/** A time such as `01:02:03.500`, `02:03.5` or `00:00:01,000`, in seconds; null when it is none. */
export function parseTime(s: string): number | null {
  const m = TIME.exec(s.trim());
  if (!m) return null;
  const [, h, mm, ss, frac] = m;
  return (h ? Number(h) * 3600 : 0) + Number(mm) * 60 + Number(ss) + (frac ? Number(`0.${frac}`) : 0);
}

/** The blocks of a subtitle file: runs of non-blank lines. */
function blocks(text: string): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  for (const line of splitLines(text.replace(/^\uFEFF/, ''))) {
    if (line.trim() === '') {
      if (current.length > 0) out.push(current);
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** The cues of a WebVTT or SubRip file, and how many blocks of text stood outside any cue. */
function readCues(text: string, vtt: boolean): { cues: Cue[]; stray: number } {
  const cues: Cue[] = [];
  let stray = 0;
  blocks(text).forEach((block, b) => {
    if (vtt && b === 0 && /^WEBVTT/.test(block[0])) return; // the header and its metadata
    if (vtt && /^(NOTE|STYLE|REGION)(\s|$)/.test(block[0]) && !block.some((l) => l.includes('-->'))) return;
    // The timing line is the first line, or the second after an identifier.
    const t = block[0].includes('-->') ? 0 : block.length > 1 && block[1].includes('-->') ? 1 : -1;
    if (t < 0) {
      stray++;
      const words = block.join('\n');
      const last = cues[cues.length - 1];
      if (last) last.text += `\n${words}`;
      else cues.push({ start: null, text: words });
      return;
    }
    const [from, to] = block[t].split('-->');
    cues.push({ start: parseTime(from), end: parseTime(to ?? ''), text: block.slice(t + 1).join('\n') });
  });
  return { cues, stray };
}

/** A WebVTT cue's text split at its voice tags (`<v Name>`, `<v.loud Name>`), the other tags removed, entities decoded. */
function vttVoices(cue: Cue): Cue[] {
  const parts: Cue[] = [];
  const re = /<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>/g;
  let last = 0;
  let voice: string | undefined;
  for (let m = re.exec(cue.text); m; m = re.exec(cue.text)) {
    if (m.index > last || voice !== undefined) parts.push({ start: cue.start, voice, text: cue.text.slice(last, m.index) });
    voice = (m[1] ?? '').trim() || undefined;
    last = re.lastIndex;
  }
  parts.push({ start: cue.start, voice, text: cue.text.slice(last) });
  return parts
    .map((p) => ({ ...p, voice: p.voice === undefined ? undefined : decodeEntities(p.voice), text: decodeEntities(p.text.replace(/<[^<>\n]*>/g, '')) }))
    .filter((p) => p.text.trim() !== '' || p.voice !== undefined);
}

/** A SubRip cue's text without the formatting tags players read (`<i>`, `<b>`, `<u>`, `<font …>`, `{\an8}`), entities decoded. */
function srtText(cue: Cue): Cue {
  const text = cue.text.replace(/<\/?(?:i|b|u|font)(?:\s[^<>]*)?>/gi, '').replace(/\{\\an?\d+\}/g, '');
  return { ...cue, text: decodeEntities(text) };
}

/** `Name: text` (Zoom) or `[SPEAKER_00]: text` (WhisperX) at the start of a cue: the name and the rest. */
function speakerPrefix(text: string): { voice: string; rest: string } | undefined {
  const m = /^\s*(?:\[([^\]\n]{1,40})\]|([^:\n]{1,40}?))[ \t]*:[ \t]+/.exec(text);
  if (!m) return undefined;
  const voice = (m[1] ?? m[2]).trim();
  if (!looksLikeSpeaker(voice)) return undefined;
  return { voice, rest: text.slice(m.index + m[0].length) };
}

function toTurns(cues: Cue[], notes: string[], name: string): ImportedTurn[] {
  const named = cues.filter((c) => c.voice !== undefined).length;
  // Zoom and WhisperX name the speaker at the start of the text; a file does so in most cues or not at all,
  // so a sentence that happens to hold a colon is not taken for a name in a file that names nobody.
  if (named === 0) {
    const prefixed = cues.map((c) => speakerPrefix(c.text));
    const count = prefixed.filter(Boolean).length;
    if (count > 0 && count * 2 >= cues.length) {
      cues = cues.map((c, i) => (prefixed[i] ? { ...c, voice: prefixed[i]!.voice, text: prefixed[i]!.rest } : c));
    }
  }
  const flat = (s: string): string => s.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' ');
  if (!cues.some((c) => c.voice !== undefined)) {
    notes.push(`${name} names no speaker, so every turn is labelled '${UNNAMED_SPEAKER}', and a new turn starts after each pause of ` +
      `${PAUSE_SECONDS} seconds or more. Put the right label on each turn by hand (or rename '${UNNAMED_SPEAKER}' with --speaker).`);
    const turns: ImportedTurn[] = [];
    let lastEnd: number | null = null;
    for (const c of cues) {
      const text = flat(c.text);
      if (text === '') continue;
      const last = turns[turns.length - 1];
      const paused = c.start === null || lastEnd === null || c.start - lastEnd >= PAUSE_SECONDS;
      if (last && !paused) last.text += ` ${text}`;
      else turns.push({ label: UNNAMED_SPEAKER, text, start: c.start });
      lastEnd = c.end ?? c.start ?? lastEnd;
    }
    return turns;
  }
  let voice = UNNAMED_SPEAKER;
  const turns = cues.map((c) => {
    voice = c.voice ?? voice; // a cue that names nobody goes on with the speaker before it
    return { label: voice, text: flat(c.text), start: c.start };
  });
  return joinConsecutive(turns, ' ');
}

function strayNote(stray: number, name: string): string[] {
  return stray === 0 ? [] : [`${name}: ${stray === 1 ? 'one block of text stands' : `${stray} blocks of text stand`} outside any cue (no timing line); ` +
    'it was kept with the cue before it.'];
}

/** A WebVTT file's turns. `name` is the file's name, for notes. Never throws. */
export function readVtt(text: string, name: string): ImportedTranscript {
  const { cues, stray } = readCues(text, true);
  const notes = strayNote(stray, name);
  return { turns: toTurns(cues.flatMap(vttVoices), notes, name), notes };
}

/** A SubRip file's turns. `name` is the file's name, for notes. Never throws. */
export function readSrt(text: string, name: string): ImportedTranscript {
  const { cues, stray } = readCues(text, false);
  const notes = strayNote(stray, name);
  return { turns: toTurns(cues.map(srtText), notes, name), notes };
}
