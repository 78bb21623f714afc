/**
 * Memos (SPEC §10): every memo of the study with where it stands — its transcript, the questions of its answer
 * region, the codes of its paragraph — and its text, so that a team can read its notes beside the coding.
 */
import { caseFields, type CaseFields } from './coverage';
import { codeMatcher, transcriptsIn, type Scope } from './counts';
import { questionsAt } from './regions';
import { distinctSegments, type Study } from './study';
import type { Range } from './text';

export interface MemoRow extends CaseFields {
  /** The memo, both `%%` included. */
  range: Range;
  /** The questions whose answer region holds the memo (SPEC §4.2). */
  questions: string[];
  /** The codes of the segments that overlap the memo's paragraph, in document order, each once. */
  codes: string[];
  /** What the memo says: the text between its `%%`, each line trimmed. */
  text: string;
}

export interface MemoQuery extends Scope {
  /** Only memos whose paragraph holds one of these codes or a known descendant. */
  codes?: string[];
}

/** The memos `query` keeps, in file then document order. `getText` supplies a transcript's text. */
export function memos(study: Study, getText: (uri: string) => string | undefined, query: MemoQuery = {}): MemoRow[] {
  const matches = query.codes?.length ? codeMatcher(study, query.codes) : undefined;
  const rows: MemoRow[] = [];
  for (const t of transcriptsIn(study, query)) {
    const { model } = t;
    if (model.memos.length === 0) continue;
    const text = getText(t.uri) ?? '';
    const segs = distinctSegments(model).slice().sort((a, b) => a.start - b.start);
    const who = caseFields(t);
    for (const m of model.memos) {
      const para = model.paragraphs[m.paragraph] ?? { start: m.start, end: m.end };
      const codes: string[] = [];
      for (const s of segs) {
        if (s.start > para.end) break;
        // A segment of the paragraph shares a character with it; an empty span inside it counts too.
        const inside = s.end > s.start ? s.start < para.end && s.end > para.start : s.start >= para.start && s.start <= para.end;
        if (inside && !codes.includes(s.path)) codes.push(s.path);
      }
      if (matches && !codes.some(matches)) continue;
      const inner = text.slice(m.start + 2, m.closed ? m.end - 2 : m.end);
      rows.push({
        ...who, range: model.lines.range(m.start, m.end), questions: [...questionsAt(model, m.start)], codes,
        text: inner.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l !== '').join('\n'),
      });
    }
  }
  return rows;
}
