/**
 * Where a transcript names someone or gives an identifying detail: the words of its text, its spans,
 * memos and front-matter values, but never its front-matter keys, codes or question markers (which
 * are the study's own vocabulary, not what was said).
 */
import type { Problem, TranscriptModel } from '../model';
import { detailWords, findDetails, type DetailKind } from './details';
import type { NameMatcher, NameTarget } from './matcher';

export interface PrivacyRules {
  /** The compiled names list, when the study has one. */
  names?: NameMatcher;
}

export type PrivacyFinding =
  | { kind: 'name'; start: number; end: number; target: NameTarget }
  | { kind: DetailKind; start: number; end: number };

/** Sorted, disjoint ranges of a transcript that are markup or front-matter keys. */
function excludedRanges(text: string, model: TranscriptModel): [number, number][] {
  const out: [number, number][] = [];
  for (const c of model.codes) out.push([c.start, c.end]);
  for (const m of model.markers) out.push([m.start, m.end]);
  // Braces, memo delimiters and escapes are markup too: a replacement that took one away would change what is coded.
  for (const sp of model.spans) {
    out.push([sp.open, sp.open + 1]);
    if (sp.close >= 0) out.push([sp.close, sp.close + 1]);
  }
  for (const memo of model.memos) {
    out.push([memo.start, memo.start + 2]);
    if (memo.closed) out.push([memo.end - 2, memo.end]);
  }
  for (const e of model.escapes) out.push([e, e + 1]);
  const fm = model.frontMatter;
  if (fm) {
    const key = /^([ \t]*(?:-[ \t]+)?)([^\s:#][^:\r\n]*?):(?=\s|$)/gm;
    key.lastIndex = fm.yamlStart;
    let k: RegExpExecArray | null;
    while ((k = key.exec(text)) !== null && k.index < fm.yamlEnd) {
      const s = k.index + k[1].length;
      out.push([s, s + k[2].length]);
    }
  }
  out.sort((a, b) => a[0] - b[0]);
  return out;
}

/** An `accept` test over ascending matches: false for a match that overlaps an excluded range. */
function outside(ranges: [number, number][]): (start: number, end: number) => boolean {
  let i = 0;
  return (start, end) => {
    while (i < ranges.length && ranges[i][1] <= start) i++;
    for (let j = i; j < ranges.length && ranges[j][0] < end; j++) if (ranges[j][1] > start) return false;
    return true;
  };
}

/** Every listed name and identifying detail of a transcript's text, in order. */
export function privacyFindings(text: string, model: TranscriptModel, rules: PrivacyRules): PrivacyFinding[] {
  const ranges = excludedRanges(text, model);
  const names: PrivacyFinding[] = rules.names
    ? rules.names.find(text, 0, text.length, outside(ranges)).map((m) => ({ kind: 'name', start: m.start, end: m.end, target: m.target }))
    : [];
  const ok = outside(ranges);
  const details: PrivacyFinding[] = findDetails(text).filter((d) => ok(d.start, d.end)).map((d) => ({ kind: d.kind, start: d.start, end: d.end }));
  if (details.length === 0) return names;
  if (names.length === 0) return details;
  // A name inside an e-mail address is reported once, as the address.
  const kept = names.filter((n) => !details.some((d) => d.start < n.end && n.start < d.end));
  return [...kept, ...details].sort((a, b) => a.start - b.start);
}

function said(text: string, start: number, end: number): string {
  const w = text.slice(start, end).replace(/\s+/g, ' ');
  return w.length > 60 ? `${w.slice(0, 59)}…` : w;
}

/** What a name finding says: the word as written, and the pseudonym when there is one; never another name. */
export function nameMessage(word: string, t: NameTarget): string {
  const what = t.part ? `'${word}' is part of a name on the names list` : `'${word}' is on the names list`;
  if (t.ambiguous) return `${what}, under more than one pseudonym: replace it by hand.`;
  if (t.pseudonym === undefined) return `${what}, which gives no pseudonym for it: replace it by hand, or add its pseudonym to the list.`;
  return `${what}: replace it with the pseudonym '${t.pseudonym}'.`;
}

/** The findings as problems of the transcript (`identifying-name`, `identifying-detail`). */
export function privacyProblems(text: string, model: TranscriptModel, rules: PrivacyRules): Problem[] {
  return privacyFindings(text, model, rules).map((f): Problem => {
    if (f.kind === 'name') {
      const p: Problem = { code: 'identifying-name', start: f.start, end: f.end, message: nameMessage(said(text, f.start, f.end), f.target) };
      if (f.target.pseudonym !== undefined && !f.target.ambiguous) p.data = { replacement: f.target.pseudonym };
      return p;
    }
    return { code: 'identifying-detail', start: f.start, end: f.end, message: `This looks like ${detailWords(f.kind)}, which could identify someone: take it out or replace it with a placeholder such as [${f.kind}].` };
  });
}
