/**
 * Transcripts as text (SPEC §12): a `.txt` file, or the paragraphs of a Word document. Two styles:
 * - `Name: text` lines (`Name:` and a tab too; `Name:` alone on its line, the words below), optionally
 *   after a time such as `[00:01:02]`; lines without a name go on with the turn before them;
 * - the style of transcription services such as Otter: a line with the speaker and a time
 *   (`Speaker 1  0:03`), then the words on the lines below.
 * Text before the first turn is kept as a paragraph without a speaker.
 */
import { parseTime } from './subtitles';
import { joinConsecutive, looksLikeSpeaker, splitLines, type ImportedTranscript, type ImportedTurn } from './turns';

const TIME_TEXT = String.raw`\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?`;
/** `Speaker 1  0:03`, `Jane Smith 00:01:23`, `Speaker 2 (1:02:03)`. */
const HEADER = new RegExp(String.raw`^\s*(.{1,40}?)\s+[[(]?(${TIME_TEXT})[\])]?\s*$`);
/** `[00:01:02] Name: text`, `Name: text`, `Name:` alone. */
const NAMED = new RegExp(String.raw`^\s*(?:[[(]?(${TIME_TEXT})[\])]?\s+)?([^:\n]{1,40}?)[ \t]*:(?:[ \t]+(.*\S.*)|[ \t]*)$`);

/** The turns of a text transcript (`name`: the file's name, for notes). Never throws. */
export function readTextTranscript(text: string, name: string): ImportedTranscript {
  const lines = splitLines(text.replace(/^\uFEFF/, ''));
  const nonBlank = lines.filter((l) => l.trim() !== '').length;
  const headers = lines.filter((l) => isHeader(l)).length;
  if (headers >= 2 && headers * 4 >= nonBlank) return headerStyle(lines, name);
  return namedStyle(lines, name);
}

function isHeader(line: string): boolean {
  const m = HEADER.exec(line);
  return m !== null && looksLikeSpeaker(m[1].trim());
}

function headerStyle(lines: string[], name: string): ImportedTranscript {
  const turns: ImportedTurn[] = [{ label: '', text: '', start: null }];
  for (const line of lines) {
    const m = isHeader(line) ? HEADER.exec(line) : null;
    if (m) turns.push({ label: m[1].trim(), text: '', start: parseTime(m[2]) });
    else if (line.trim() !== '') {
      const t = turns[turns.length - 1];
      t.text = t.text === '' ? line : `${t.text}\n${line}`;
    }
  }
  return {
    turns: joinConsecutive(turns),
    notes: [`${name} was read as a transcription service's export: a line with the speaker and the time, the words below it.`],
  };
}

interface NamedLine { time: string | undefined; label: string; rest: string }

function namedLine(line: string): NamedLine | undefined {
  const m = NAMED.exec(line);
  if (!m) return undefined;
  const label = m[2].trim();
  return looksLikeSpeaker(label) ? { time: m[1], label, rest: m[3] ?? '' } : undefined;
}

/** Up to three words, each starting with a capital or a digit: `Mum`, `Jane Smith`, `SW07`, `Dr. Patel`. */
function writtenAsName(label: string): boolean {
  const words = label.split(/\s+/);
  return words.length <= 3 && words.every((w) => /^[\p{Lu}\p{Lt}\p{N}]/u.test(w));
}

function namedStyle(lines: string[], name: string): ImportedTranscript {
  const notes: string[] = [];
  const found = lines.map(namedLine);
  // A name that begins one line only, and is not written as a name is (`Mum`, `Jane Smith`, `SW07`), is more
  // likely a sentence with a colon ("What I said was: no") than a speaker, when other names begin many lines:
  // it stays text, and is said.
  const uses = new Map<string, number>();
  for (const f of found) if (f) uses.set(f.label, (uses.get(f.label) ?? 0) + 1);
  const speakers = new Set([...uses].filter(([l, n]) => n >= 2 || writtenAsName(l)).map(([l]) => l));
  const once = [...uses].filter(([l]) => !speakers.has(l)).map(([l]) => l);
  if (speakers.size === 0) for (const l of once) speakers.add(l);
  else if (once.length > 0) {
    const shown = once.slice(0, 5).map((l) => `'${l}:'`).join(', ') + (once.length > 5 ? ` and ${once.length - 5} more` : '');
    notes.push(`${name}: ${shown} ${once.length === 1 ? 'begins' : 'each begin'} only one line, so ${once.length === 1 ? 'it was' : 'they were'} kept as words of the turn before, not as ${once.length === 1 ? 'a speaker' : 'speakers'}. ` +
      'If one is a speaker, make that line a paragraph of its own (a blank line before it, no space at its start) and add the name to the speakers: list of the transcript\'s front matter.');
  }
  const turns: ImportedTurn[] = [{ label: '', text: '', start: null }];
  lines.forEach((line, i) => {
    const f = found[i];
    if (f && speakers.has(f.label)) {
      turns.push({ label: f.label, text: f.rest, start: f.time === undefined ? null : parseTime(f.time) });
    } else if (line.trim() !== '') {
      const t = turns[turns.length - 1];
      t.text = t.text === '' ? line : `${t.text}\n${line}`;
    }
  });
  if (speakers.size === 0) notes.push(`${name} has no line that starts with a speaker's name and a colon (such as 'Interviewer: …'), so its text was kept as it is, with no speaker turns.`);
  return { turns: joinConsecutive(turns), notes };
}
