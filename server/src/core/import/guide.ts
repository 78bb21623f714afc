/**
 * An interview guide written as a document (Word, Markdown or text) turned into a `*.guide.yaml`
 * (SPEC §2, §12): headings become sections, numbered or bulleted items questions, nested items
 * follow-ups, bracketed or leading question numbers (`[Q2.1]`, `Q3`, `2.1`) question IDs (otherwise IDs
 * made from the question's words), italic or bracketed instructions notes (or, under a question,
 * prompts). Each source format has its reader to `GuideBlock`s (`guideSources.ts`); this module builds
 * the guide from the blocks, whatever their source. The result passes `check` and is meant to be
 * finished by hand.
 */
import { Document } from 'yaml';
import { isQuestionId } from '../ids';

/** A piece of a guide document, as its reader found it. */
export type GuideBlock =
  | { kind: 'heading'; level: number; text: string }
  /** A numbered or bulleted item; `depth` 0 at the outer level. `emphasis`: all of it in italics. */
  | { kind: 'item'; depth: number; text: string; emphasis: boolean }
  /** A paragraph that is neither heading nor item. */
  | { kind: 'text'; text: string; emphasis: boolean };

export interface ImportedGuide {
  /** The `*.guide.yaml` text. */
  yaml: string;
  id: string;
  sections: number;
  questions: number;
  followups: number;
  /** Sentences for the researcher on what to check. */
  notes: string[];
}

interface Question { id: string; text: string; prompts: string[]; followups: Question[] }
interface Section { title: string; notes: string[]; questions: Question[] }

/** Words left out of IDs made from a question's words. */
const STOP = new Set(('a an the of to you your yours do does did what whats how is are was were in on for and or it its that this these those ' +
  'with about any have has had be been being there their they them we us our i me my can could would will should at by from as if so ' +
  's t who whom whose which when where why e g eg etc ok okay please tell say like').split(' '));

/**
 * The ID an item states at its start — `[Q2.1]`, `[2.1]`, `Q3.`, `Q3:`, `2.1` — and its text without it;
 * no ID for plain list numbering (`1.`), which restarts in every list.
 */
export function statedId(text: string): { id?: string; text: string } {
  const m = /^\s*\[\s*([\p{L}]{0,3}\d+(?:\.\d+)*[a-z]?)\s*\][.:)]?\s*/u.exec(text) ??
    /^\s*(Q\d+(?:\.\d+)*[a-z]?)(?:[.:)]\s*|\s+)/iu.exec(text) ??
    /^\s*(\d+\.\d+(?:\.\d+)*)[.:)]?\s+/u.exec(text);
  if (!m || !isQuestionId(m[1])) return { text: text.trim() };
  return { id: m[1], text: text.slice(m[0].length).trim() };
}

/** An ID made of the first meaningful words of `text` (`How long have you been in post?` → `long-post`). */
export function wordsId(text: string, words = 3): string {
  const all = text.toLowerCase().normalize('NFC').split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
  const kept = all.filter((w) => !STOP.has(w));
  const chosen = (kept.length > 0 ? kept : all).slice(0, words);
  return chosen.length > 0 ? chosen.join('-') : 'question';
}

/** `base`, or `base-2`, `base-3` …, whichever is not yet in `taken`; added to it. */
function unique(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** A guide ID (`[a-z0-9][a-z0-9-]*`) from a file name: `PPP Guide (v2).docx` → `ppp-guide-v2`. */
export function guideIdFrom(name: string): string {
  const base = name.replace(/\.[^.]*$/, '').replace(/\.guide$/i, '');
  const id = base.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return id === '' ? 'guide' : id;
}

function isBracketed(s: string): boolean {
  const t = s.trim();
  return (t.startsWith('(') && t.endsWith(')')) || (t.startsWith('[') && t.endsWith(']') && !/^\[\s*[\p{L}]{0,3}\d/u.test(t));
}

/**
 * The guide the blocks describe; `name` is the source file's name (the guide's ID, and its title when
 * the document has none). An error when the document holds no question.
 */
export function guideFromBlocks(blocks: readonly GuideBlock[], name: string): ImportedGuide | { error: string } {
  const notes: string[] = [];
  const list = blocks.filter((b) => b.text.trim() !== '');
  // The title: a first heading that no other heading outranks, or a first plain paragraph.
  let title: string | undefined;
  const first = list[0];
  if (first?.kind === 'heading' && !list.slice(1).some((b) => b.kind === 'heading' && b.level <= first.level)) title = first.text.trim();
  else if (first?.kind === 'text' && !first.emphasis && !isBracketed(first.text) && !first.text.includes('?')) title = first.text.trim();
  const body = title === undefined ? list : list.slice(1);
  title ??= name.replace(/\.[^.]*$/, '');

  const guideNotes: string[] = [];
  const sections: Section[] = [];
  let pending: Section | undefined; // the section a heading opened, until it has a question
  let current: Section | undefined;
  let question: Question | undefined;
  const open = (): Section => {
    if (pending) { sections.push(pending); current = pending; pending = undefined; }
    if (!current) { current = { title: 'Questions', notes: [], questions: [] }; sections.push(current); }
    return current;
  };
  const note = (text: string): void => {
    const target = pending ?? current;
    if (target) target.notes.push(text.trim());
    else guideNotes.push(text.trim());
  };
  const ask = (text: string, depth: number): void => {
    const q: Question = { id: '', text: text.trim(), prompts: [], followups: [] };
    if (depth > 0 && question && !pending) question.followups.push(q);
    else { open().questions.push(q); question = q; }
  };
  for (const b of body) {
    if (b.kind === 'heading') {
      if (pending) {
        // A heading with no question under it (an introduction, say): its title and notes go with the next section.
        const carried = [pending.title, ...pending.notes].join(': ');
        pending = { title: b.text.trim(), notes: [carried], questions: [] };
      } else pending = { title: b.text.trim(), notes: [], questions: [] };
      question = undefined;
    } else if (b.kind === 'item') {
      const instruction = b.emphasis || isBracketed(b.text);
      if (instruction && b.depth > 0 && question && !pending) question.prompts.push(b.text.trim());
      else if (instruction) note(b.text);
      else ask(b.text, b.depth);
    } else if (b.emphasis || isBracketed(b.text) || !b.text.includes('?')) note(b.text);
    else ask(b.text, 0);
  }
  if (pending) {
    const carried = [pending.title, ...pending.notes].join(': ');
    const last = sections[sections.length - 1];
    if (last) last.notes.push(carried);
    else guideNotes.push(carried);
  }
  const count = sections.reduce((n, s) => n + s.questions.length, 0);
  if (count === 0) {
    return { error: `${name} holds no question: Transcript Coder reads numbered or bulleted items (or paragraphs that end with a question mark) as questions, and headings as sections.` };
  }

  // IDs: a stated one where it is valid and not yet taken, else one made from the words.
  const taken = new Set<string>();
  const all = sections.flatMap((s) => s.questions.flatMap((q) => [q, ...q.followups]));
  const stated = all.map((q) => statedId(q.text));
  const seen = new Map<string, number>();
  for (const s of stated) if (s.id) seen.set(s.id, (seen.get(s.id) ?? 0) + 1);
  let statedCount = 0;
  all.forEach((q, i) => {
    const s = stated[i];
    if (s.id && seen.get(s.id) === 1) { q.id = s.id; taken.add(s.id); statedCount++; q.text = s.text || q.text; }
  });
  const repeated = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  all.forEach((q, i) => { if (q.id === '') q.id = unique(wordsId(stated[i].text || q.text), taken); });
  if (repeated.length > 0) notes.push(`The question numbers ${repeated.join(', ')} stand before more than one question, so those questions got IDs made from their words.`);
  const made = all.length - statedCount;
  if (made > 0) notes.push(`${made} of ${all.length} questions had no number of their own and got IDs made from their words: check them, since transcripts will use them as markers (@id).`);

  const sectionIds = new Set<string>();
  const followups = all.length - count;
  const doc = new Document({
    id: guideIdFrom(name),
    title,
    ...(guideNotes.length > 0 ? { note: guideNotes.join(' ') } : {}),
    sections: sections.map((s) => ({
      id: unique(wordsId(s.title, 3), sectionIds),
      title: s.title,
      ...(s.notes.length > 0 ? { note: s.notes.join(' ') } : {}),
      questions: s.questions.map((q) => ({
        id: q.id,
        text: q.text,
        ...(q.prompts.length > 0 ? { prompts: q.prompts } : {}),
        ...(q.followups.length > 0 ? { followups: q.followups.map((f) => ({ id: f.id, text: f.text })) } : {}),
      })),
    })),
  });
  doc.commentBefore = ` Interview guide imported from ${name.replace(/[\r\n]+/g, ' ')} by Transcript Coder.\n` +
    ' Check the sections, question IDs and notes; add roles (and a section\'s or question\'s roles) by hand.';
  notes.push('Roles (such as questions only for team managers) cannot be read from a document: add them by hand where the guide has them.');
  return { yaml: doc.toString({ lineWidth: 0 }), id: guideIdFrom(name), sections: sections.length, questions: count, followups, notes };
}
