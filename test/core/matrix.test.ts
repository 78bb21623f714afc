/**
 * The analysis tables (SPEC §10) on a hand-counted study — nested spans, paragraph codes, a shared answer
 * region, an unknown code, descendants and `exact`, a list attribute and `(none)` — and a property test that
 * every cell equals filtering the coded segments by hand.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { codedSegments } from '../../server/src/core/counts';
import { codeMatrix, type Matrix, type MatrixBy } from '../../server/src/core/matrix';
import { matrixCsv, matrixMarkdown } from '../../server/src/core/render/matrix';
import { Study } from '../../server/src/core/study';
import type { Position } from '../../server/src/core/text';
import { fixture } from '../support/fixture';

const GUIDE = `id: g
title: G
sections:
  - id: s
    title: S
    questions:
      - id: q1
        text: One?
      - id: q2
        text: Two?
      - id: q3
        text: Three?
`;
const CODEBOOK = `codes:
  - id: a
    children:
      - id: b
  - id: c
`;

const STUDY = `//- /g.guide.yaml
${GUIDE}//- /c.codebook.yaml
${CODEBOOK}//- /t1.transcript
---
guide: g
role: swr
coders: [PO, AM]
---
I: @q1 @q2 First two.
R: {outer {inner}#a/b text}#a #c

I: @q3 Third.
R: Paragraph coded. #a/b #zz
//- /t2.transcript
---
guide: g
role: tm
---
I: @q1 One.
R: {Yes}#c
`;

/** The table as `code: key=segments/transcripts …`, zeros left out, for reading against hand counts. */
function table(m: Matrix): string[] {
  return m.rows.map((r) => `${r.code}: ${m.columns.filter((c) => r.cells[c.key].segments > 0).map((c) => `${c.key}=${r.cells[c.key].segments}/${r.cells[c.key].transcripts}`).join(' ')}`);
}

describe('analysis tables on a hand-counted study', () => {
  const { study } = fixture(STUDY);

  it('by question: a segment counts under each question of its region, parents with their sub-codes', () => {
    const m = codeMatrix(study, { by: 'question' });
    assert.deepEqual(m.columns.map((c) => c.key), ['g:q1', 'g:q2', 'g:q3']);
    assert.deepEqual(table(m), [
      'a: g:q1=2/1 g:q2=2/1 g:q3=1/1',
      'a/b: g:q1=1/1 g:q2=1/1 g:q3=1/1',
      'c: g:q1=2/2 g:q2=1/1',
      'zz: g:q3=1/1',
    ]);
    assert.deepEqual(m.rows.map((r) => [r.code, r.known, r.depth]), [['a', true, 0], ['a/b', true, 1], ['c', true, 0], ['zz', false, 0]]);
  });

  it('with exact, a parent counts only its own segments', () => {
    assert.deepEqual(table(codeMatrix(study, { by: 'question', exact: true }))[0], 'a: g:q1=1/1 g:q2=1/1');
  });

  it('by a list attribute: a transcript counts under each of its values, (none) last, with group sizes', () => {
    const m = codeMatrix(study, { by: { key: 'coders' } });
    assert.deepEqual(m.columns, [{ key: 'AM', label: 'AM', size: 1 }, { key: 'PO', label: 'PO', size: 1 }, { key: '(none)', label: '(none)', size: 1 }]);
    assert.deepEqual(table(m), ['a: AM=3/1 PO=3/1', 'a/b: AM=2/1 PO=2/1', 'c: AM=1/1 PO=1/1 (none)=1/1', 'zz: AM=1/1 PO=1/1']);
  });

  it('by transcript, with --code and --where', () => {
    const m = codeMatrix(study, { by: 'transcript', codes: ['c'], filter: new Map([['role', new Set(['tm'])]]) });
    assert.deepEqual(m.columns.map((c) => c.key), ['t2.transcript']);
    assert.deepEqual(table(m), ['c: t2.transcript=1/1']);
  });

  it('by code: overlapping segments in one transcript, the diagonal counting the code\'s segments', () => {
    const m = codeMatrix(study, { by: 'code' });
    assert.deepEqual(table(m), [
      'a: a=3/1 a/b=1/1 c=2/1 zz=1/1',
      'a/b: a=1/1 a/b=2/1 c=1/1 zz=1/1',
      'c: a=2/1 a/b=1/1 c=2/2',
      'zz: a=1/1 a/b=1/1 zz=1/1',
    ]);
  });

  it('renders Markdown and CSV with every column', () => {
    const m = codeMatrix(study, { by: { key: 'role' } });
    assert.match(matrixMarkdown(m), /^\| `a` \| 3 \(1\) \| · \|$/m);
    const csv = matrixCsv(m).trim().split(/\r?\n/);
    assert.equal(csv[0], 'code,label,known,depth,swr segments,swr transcripts,tm segments,tm transcripts');
    assert.equal(csv[1], '(transcripts in group),,,,1,,1,');
    assert.equal(csv[4], 'c,c,true,0,1,1,1,1');
  });
});

/** Whether two LSP ranges share a character. */
function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

describe('every matrix cell equals filtering the segments by hand', () => {
  it('holds for question, transcript, attribute and code tables, with and without exact', () => {
    const codes = ['a', 'a/b', 'c', 'zz'];
    const word = fc.constantFrom('yes', 'no', 'well');
    const piece = fc.oneof(
      word,
      fc.constantFrom('@q1', '@q2', '@q3', '#a', '#a/b', '#c', '#zz'),
      fc.tuple(word, fc.constantFrom(...codes), fc.constantFrom(...codes)).map(([w, x, y]) => `{${w} {${w}}#${y}}#${x}`),
      fc.tuple(word, fc.constantFrom(...codes)).map(([w, x]) => `{${w}}#${x}`),
    );
    const line = fc.array(piece, { minLength: 1, maxLength: 5 }).map((p) => p.join(' '));
    const body = fc.array(fc.oneof(line, fc.constant('')), { minLength: 1, maxLength: 8 }).map((l) => l.join('\n'));
    const transcript = fc.tuple(body, fc.constantFrom('', 'role: swr\n', 'role: tm\n', 'role: swr\nteam: [x, y]\n'));
    fc.assert(fc.property(fc.array(transcript, { minLength: 1, maxLength: 3 }), fc.boolean(), (ts, exact) => {
      const files = [
        { uri: 'g.guide.yaml', path: 'g.guide.yaml', text: GUIDE },
        { uri: 'c.codebook.yaml', path: 'c.codebook.yaml', text: CODEBOOK },
        ...ts.map(([b, fm], i) => ({ uri: `t${i}.transcript`, path: `t${i}.transcript`, text: `---\nguide: g\n${fm}---\n${b}\n` })),
      ];
      const study = Study.fromFiles(files);
      const segs = codedSegments(study, (uri) => files.find((f) => f.uri === uri)!.text);
      const countedIn = (row: string, code: string): boolean => (exact ? code === row : code === row || (row !== 'zz' && code.startsWith(`${row}/`)));
      const cell = (rows: typeof segs): { segments: number; transcripts: number } => ({ segments: rows.length, transcripts: new Set(rows.map((r) => r.file)).size });
      const check = (by: MatrixBy, keysOf: (s: (typeof segs)[number]) => string[]): void => {
        const m = codeMatrix(study, { by, exact });
        for (const r of m.rows) for (const c of m.columns) {
          assert.deepEqual(r.cells[c.key], cell(segs.filter((s) => countedIn(r.code, s.code) && keysOf(s).includes(c.key))), `${r.code} × ${c.key}`);
        }
      };
      check('question', (s) => s.questions.map((q) => `g:${q}`));
      check('transcript', (s) => [s.file]);
      check({ key: 'role' }, (s) => [s.role ?? '(none)']);
      check({ key: 'team' }, (s) => (Array.isArray(s.attributes.team) ? s.attributes.team.map(String) : ['(none)']));
      const m = codeMatrix(study, { by: 'code', exact });
      for (const r of m.rows) for (const c of m.columns) {
        const pairs: (typeof segs)[number][] = [];
        let n = 0;
        if (r.code === c.key) { const own = segs.filter((s) => countedIn(r.code, s.code)); assert.deepEqual(r.cells[c.key], cell(own)); continue; }
        for (const x of segs) for (const y of segs) {
          if (x === y || x.file !== y.file || !countedIn(r.code, x.code) || !countedIn(c.key, y.code)) continue;
          if (before(x.range.start, y.range.end) && before(y.range.start, x.range.end)) { n++; pairs.push(x); }
        }
        assert.deepEqual(r.cells[c.key], { segments: n, transcripts: new Set(pairs.map((p) => p.file)).size }, `${r.code} with ${c.key}`);
        // The cell's passages, as the Analysis page asks for them: each row-code segment that has a pair.
        const listed = codedSegments(study, (uri) => files.find((f) => f.uri === uri)!.text, { codes: [r.code], overlapping: [c.key], exact });
        assert.deepEqual(listed, segs.filter((x) => pairs.includes(x)), `${r.code} overlapping ${c.key}`);
      }
    }), { numRuns: 150 });
  });
});
