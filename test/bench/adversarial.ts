/**
 * Hostile shapes of input, each a few megabytes at most, that once made the product do quadratic work:
 * a transcript of memo lines, a transcript on one line, deeply nested spans, a transcript of markers, and a
 * REFI-QDA codebook whose codes all have one name. Used by `npm run bench` (whole commands on them) and by
 * the core tests (results on a large input, without timing).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** The guide and codebook every adversarial study uses: questions q0 … q49, codes c and c/sub. */
export const ADVERSARIAL_GUIDE = [
  'id: g',
  'title: Adversarial',
  'sections:',
  '  - id: s',
  '    title: S',
  '    questions:',
  ...Array.from({ length: 50 }, (_, i) => `      - id: q${i}\n        text: Question ${i}?`),
  '',
].join('\n');

export const ADVERSARIAL_CODEBOOK = 'codes:\n  - id: c\n    label: C\n    children:\n      - id: sub\n        label: Sub\n';

const FRONT = (name: string): string => `---\nguide: g\nparticipant: ${name}\n---\n`;

/** Repeats `unit(i)` until the text reaches `bytes` characters (all ASCII, so characters are bytes). */
function fill(head: string, bytes: number, unit: (i: number) => string, tail = ''): string {
  const parts = [head];
  let n = head.length + tail.length;
  for (let i = 0; n < bytes; i++) {
    const u = unit(i);
    parts.push(u);
    n += u.length;
  }
  parts.push(tail);
  return parts.join('');
}

/** Line after line of memos, with no blank line between them: every `%%` once looked for the end of the paragraph. */
export function memoLines(bytes: number): string {
  return fill(FRONT('memos'), bytes, (i) => (i % 10 === 9 ? `R: said ${i} %% a note %%\n` : '%%\n'));
}

/** The whole interview on one line, a span every few words: every excerpt once looked at every span. */
export function oneLine(bytes: number): string {
  return fill(`${FRONT('one-line')}R: @q0 `, bytes, (i) => `{word ${i} here}#c${i % 7 === 0 ? ' #c/sub' : ''} `, '\n');
}

/** Spans nested `depth` deep, a code on each: every excerpt once cut every brace inside its span. */
export function deepNesting(bytes: number): string {
  const depth = Math.max(1, Math.floor((bytes - 60) / 6));
  return `${FRONT('nested')}R: ${'{ '.repeat(depth)}x${' }#c'.repeat(depth)}\n`;
}

/** A question marker on every line, each question many times over, a code on every fourth line. */
export function manyMarkers(bytes: number): string {
  return fill(FRONT('markers'), bytes, (i) => `I: @q${i % 50} asked again${i % 4 === 0 ? ' #c' : ''}\n`);
}

/** A REFI-QDA codebook (`.qdc`) of `count` top-level codes that all have the same name. */
export function sameNameCodebook(count: number, name = 'Theme'): string {
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    const guid = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
    codes.push(`<Code guid="${guid}" name="${name}" isCodable="true"/>`);
  }
  return `<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="adversarial"><Codes>${codes.join('')}</Codes></CodeBook>\n`;
}

export const TRANSCRIPT_SHAPES = { memoLines, oneLine, deepNesting, manyMarkers } as const;
export type TranscriptShape = keyof typeof TRANSCRIPT_SHAPES;

/** Writes a study folder holding the guide, the codebook and one transcript of `shape` of about `bytes`. */
export function writeAdversarialStudy(dir: string, shape: TranscriptShape, bytes: number): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'g.guide.yaml'), ADVERSARIAL_GUIDE);
  writeFileSync(path.join(dir, 'c.codebook.yaml'), ADVERSARIAL_CODEBOOK);
  const file = path.join(dir, `${shape}.transcript`);
  writeFileSync(file, TRANSCRIPT_SHAPES[shape](bytes));
  return file;
}
