import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { agreementFigures, compareCopies, type AgreementOptions, type AgreementResult } from '../../server/src/core/agreement';
import { parseTranscript } from '../../server/src/core/transcript';

const FM = '---\nguide: g\nparticipant: p1\n---\n';

/** Compares two copies given as file → body (front matter added). */
function compare(a: Record<string, string>, b: Record<string, string>, options: AgreementOptions = {}): AgreementResult {
  const texts = { A: a, B: b };
  return compareCopies(Object.keys(a), Object.keys(b), (coder, file) => {
    const text = FM + texts[coder][file];
    return { text, model: parseTranscript(text) };
  }, options);
}

const row = (r: AgreementResult, code: string) => {
  const found = r.codes.find((c) => c.code === code);
  assert.ok(found, `no row for ${code}`);
  return found;
};
const counts = (r: AgreementResult, code: string) => {
  const { both, onlyA, onlyB, neither } = row(r, code);
  return { both, onlyA, onlyB, neither };
};
const close = (actual: number | null, expected: number) => {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);
};

describe('agreement statistics', () => {
  it('perfect agreement: percent, kappa and alpha are 1', () => {
    const r = compare({ 't.transcript': 'I: Hello {there}#x now.\n' }, { 't.transcript': 'I: Hello {there}#x now.\n' });
    // "I: Hello there now.\n" is 20 characters, 5 of them coded.
    assert.deepEqual(counts(r, 'x'), { both: 5, onlyA: 0, onlyB: 0, neither: 15 });
    assert.equal(row(r, 'x').percent, 100);
    assert.equal(row(r, 'x').kappa, 1);
    assert.equal(row(r, 'x').alpha, 1);
    assert.deepEqual(r.disagreements, []);
    assert.deepEqual(r.transcripts, [{ file: 't.transcript', paired: true, alignedUnits: 20, unalignedCharacters: 0 }]);
  });

  it('total disagreement on paragraphs: kappa −1, alpha −0.5', () => {
    const r = compare(
      { 't.transcript': 'I: One. #x\n\nR: Two.\n' },
      { 't.transcript': 'I: One.\n\nR: Two. #x\n' },
      { unit: 'paragraph' },
    );
    assert.deepEqual(counts(r, 'x'), { both: 0, onlyA: 1, onlyB: 1, neither: 0 });
    assert.equal(row(r, 'x').percent, 0);
    close(row(r, 'x').kappa, -1);
    close(row(r, 'x').alpha, -0.5); // 1 − (4 − 1)·2 / (2·2)
    assert.deepEqual(r.disagreements.map((d) => [d.coder, d.excerpt]), [['A', 'I: One.'], ['B', 'R: Two.']]);
  });

  it('coded passages that never meet: counts by hand', () => {
    const r = compare({ 't.transcript': '{ab}#x cd\n' }, { 't.transcript': 'ab {cd}#x\n' });
    // "ab cd\n": A codes 0–2, B codes 3–5.
    assert.deepEqual(counts(r, 'x'), { both: 0, onlyA: 2, onlyB: 2, neither: 2 });
    close(row(r, 'x').percent, 100 / 3);
    close(row(r, 'x').kappa, -0.5); // (6·2 − 20) / (36 − 20)
    close(row(r, 'x').alpha, -0.375); // 1 − 11·4 / (8·4)
  });

  it('one coder never applying a code: kappa 0', () => {
    const r = compare({ 't.transcript': '{ab}#x {cd}#y\n' }, { 't.transcript': 'ab {cd}#y\n' });
    assert.deepEqual(counts(r, 'x'), { both: 0, onlyA: 2, onlyB: 0, neither: 4 });
    assert.equal(row(r, 'x').kappa, 0);
    close(row(r, 'x').alpha, -0.1); // 1 − 11·2 / (10·2)
    close(row(r, 'x').percent, 400 / 6);
  });

  it('both coders applying a code to every unit: kappa and alpha null', () => {
    const body = 'I: One. #x\n\nR: Two. #x\n';
    for (const unit of ['paragraph', 'transcript'] as const) {
      const r = compare({ 't.transcript': body }, { 't.transcript': body }, { unit });
      const x = row(r, 'x');
      assert.equal(x.neither, 0);
      assert.equal(x.percent, 100);
      assert.equal(x.kappa, null, unit);
      assert.equal(x.alpha, null, unit);
    }
    assert.deepEqual(agreementFigures(0, 0, 0, 0), { both: 0, onlyA: 0, onlyB: 0, neither: 0, percent: null, kappa: null, alpha: null });
  });

  it('figures stay right when products of the counts pass 2⁵³ (whole studies at character level)', () => {
    // The overall row of two copies of a large study: some 3·10⁹ units.
    const [both, onlyA, onlyB, neither] = [91_043_748, 11_899_016, 8_757_790, 2_974_797_480];
    const n = both + onlyA + onlyB + neither;
    const pa = (both + onlyA) / n, pb = (both + onlyB) / n, po = (both + neither) / n;
    const pe = pa * pb + (1 - pa) * (1 - pb);
    const f = agreementFigures(both, onlyA, onlyB, neither);
    assert.ok(Math.abs(f.kappa! - (po - pe) / (1 - pe)) < 1e-9, String(f.kappa));
    const d = onlyA + onlyB;
    assert.ok(Math.abs(f.alpha! - (1 - ((2 * n - 1) * d) / ((2 * neither + d) * (2 * both + d)))) < 1e-9, String(f.alpha));
  });

  it('nested and paragraph codes count as written, with ranges in each copy', () => {
    const a = { 't.transcript': 'I: {Hello {there}#y}#x now. #z\n' };
    const b = { 't.transcript': 'I: {Hello there}#x now.\n' };
    const r = compare(a, b);
    // "I: Hello there now.\n": x on 3–14 in both, y on 9–14 in A, z on the paragraph 0–19 in A.
    assert.deepEqual(counts(r, 'x'), { both: 11, onlyA: 0, onlyB: 0, neither: 9 });
    assert.deepEqual(counts(r, 'y'), { both: 0, onlyA: 5, onlyB: 0, neither: 15 });
    assert.deepEqual(counts(r, 'z'), { both: 0, onlyA: 19, onlyB: 0, neither: 1 });
    assert.deepEqual(
      { both: r.overall.both, onlyA: r.overall.onlyA, onlyB: r.overall.onlyB, neither: r.overall.neither },
      { both: 11, onlyA: 24, onlyB: 0, neither: 25 },
    );
    assert.deepEqual(r.disagreements, [
      {
        file: 't.transcript', code: 'z', coder: 'A', excerpt: 'I: Hello there now.',
        rangeA: { start: { line: 4, character: 0 }, end: { line: 4, character: 27 } },
        rangeB: { start: { line: 4, character: 0 }, end: { line: 4, character: 23 } },
      },
      {
        file: 't.transcript', code: 'y', coder: 'A', excerpt: 'there',
        rangeA: { start: { line: 4, character: 11 }, end: { line: 4, character: 16 } },
        rangeB: { start: { line: 4, character: 10 }, end: { line: 4, character: 15 } },
      },
    ]);
    const p = compare(a, b, { unit: 'paragraph' });
    assert.deepEqual(counts(p, 'x'), { both: 1, onlyA: 0, onlyB: 0, neither: 0 });
    assert.deepEqual(counts(p, 'y'), { both: 0, onlyA: 1, onlyB: 0, neither: 0 });
    assert.deepEqual(counts(p, 'z'), { both: 0, onlyA: 1, onlyB: 0, neither: 0 });
  });

  it('paragraph units: a code overlapping a paragraph applies to it', () => {
    const r = compare(
      { 't.transcript': 'I: One {two}#x.\n\nR: Three.\n\nI: Four. #x\n' },
      { 't.transcript': 'I: One two.\n\nR: {Three}#x.\n\nI: {Four}#x.\n' },
      { unit: 'paragraph' },
    );
    assert.deepEqual(counts(r, 'x'), { both: 1, onlyA: 1, onlyB: 1, neither: 0 });
    assert.deepEqual(r.transcripts[0].alignedUnits, 3);
  });

  it('counts code points, not UTF-16 units, through CRLF and emoji', () => {
    const r = compare(
      { 't.transcript': 'I: 😀 {ok}#x\r\n\r\nR: fine 😀 {yes}#y\r\n' },
      { 't.transcript': 'I: 😀 {ok}#x\r\n\r\nR: fine 😀 yes\r\n' },
    );
    // "I: 😀 ok\n\nR: fine 😀 yes\n" is 23 code points (25 UTF-16 units).
    assert.deepEqual(counts(r, 'x'), { both: 2, onlyA: 0, onlyB: 0, neither: 21 });
    assert.deepEqual(counts(r, 'y'), { both: 0, onlyA: 3, onlyB: 0, neither: 20 });
    assert.deepEqual(r.disagreements.map((d) => [d.excerpt, d.rangeA, d.rangeB]), [[
      'yes',
      { start: { line: 6, character: 12 }, end: { line: 6, character: 15 } },
      { start: { line: 6, character: 11 }, end: { line: 6, character: 14 } },
    ]]);
  });

  it('aligns copies whose texts differ (a typo fixed in one) and counts what is left out', () => {
    const r = compare(
      { 't.transcript': 'I: The {teh cat}#x sat.\n' },
      { 't.transcript': 'I: The {the cat}#x {sat}#y.\n' },
    );
    // "I: The teh cat sat.\n" against "… the cat …": 19 characters align, one on each side does not.
    assert.deepEqual(r.transcripts, [{ file: 't.transcript', paired: true, alignedUnits: 19, unalignedCharacters: 2 }]);
    assert.deepEqual(counts(r, 'x'), { both: 6, onlyA: 0, onlyB: 0, neither: 13 });
    assert.deepEqual(counts(r, 'y'), { both: 0, onlyA: 0, onlyB: 3, neither: 16 });
    assert.deepEqual(r.disagreements.map((d) => [d.coder, d.excerpt, d.rangeA.start.character, d.rangeA.end.character, d.rangeB.start.character, d.rangeB.end.character]),
      [['B', 'sat', 19, 22, 20, 23]]);
  });

  it('lists unpaired transcripts and leaves them out', () => {
    const r = compare({ 'a.transcript': 'I: {Hi}#x.\n', 'only-a.transcript': 'I: {Hi}#q.\n' }, { 'a.transcript': 'I: {Hi}#x.\n', 'only-b.transcript': 'x' });
    assert.deepEqual(r.transcripts.map((t) => [t.file, t.paired, t.onlyIn]), [
      ['a.transcript', true, undefined], ['only-a.transcript', false, 'A'], ['only-b.transcript', false, 'B'],
    ]);
    assert.deepEqual(r.codes.map((c) => c.code), ['x']);
  });

  it('--code keeps a code and its descendants; overall sums the kept rows', () => {
    const a = { 't.transcript': 'I: {One}#benefit {two}#benefit/family {three}#benefits {four}#cost.\n' };
    const b = { 't.transcript': 'I: One {two}#benefit/family three four.\n' };
    const r = compare(a, b, { codes: ['benefit'] });
    assert.deepEqual(r.codes.map((c) => c.code), ['benefit', 'benefit/family']);
    assert.equal(r.overall.onlyA, 3);
    assert.equal(r.overall.both, 3);
    assert.deepEqual(r.disagreements.map((d) => d.code), ['benefit']);
  });

  it('the transcript unit: a code applied anywhere applies to the transcript', () => {
    const r = compare(
      { '1.transcript': 'I: {a}#x b.\n', '2.transcript': 'I: a {b}#y.\n' },
      { '1.transcript': 'I: a {b}#x.\n', '2.transcript': 'I: a b.\n' },
      { unit: 'transcript' },
    );
    assert.deepEqual(counts(r, 'x'), { both: 1, onlyA: 0, onlyB: 0, neither: 1 });
    assert.deepEqual(counts(r, 'y'), { both: 0, onlyA: 1, onlyB: 0, neither: 1 });
    assert.deepEqual(r.disagreements.map((d) => [d.file, d.code, d.coder, d.excerpt]), [['2.transcript', 'y', 'A', 'b']]);
  });
});

// ---------------------------------------------------------------- cross-check

/** A generated transcript: paragraphs of words; each coder codes some words and some paragraphs. */
interface Gen {
  paragraphs: { words: string[]; wordCodes: [string | null, string | null][]; paraCodes: [string | null, string | null] }[];
}

const CODES = ['a', 'b', 'a/c'];
const code = fc.option(fc.constantFrom(...CODES), { freq: 2 });
const gen: fc.Arbitrary<Gen> = fc.record({
  paragraphs: fc.array(fc.integer({ min: 1, max: 5 }).chain((n) => fc.record({
    words: fc.array(fc.constantFrom('yes', 'no', 'café', '😀', 'ok'), { minLength: n, maxLength: n }),
    wordCodes: fc.array(fc.tuple(code, code), { minLength: n, maxLength: n }),
    paraCodes: fc.tuple(code, code),
  })), { minLength: 1, maxLength: 5 }),
});

/** One coder's transcript body. */
function body(g: Gen, k: 0 | 1): string {
  return g.paragraphs.map((p) => {
    const words = p.words.map((w, i) => (p.wordCodes[i][k] ? `{${w}}#${p.wordCodes[i][k]}` : w)).join(' ');
    // A paragraph code at the end would join a span's codes there, so it goes first.
    return `R: ${p.paraCodes[k] ? `#${p.paraCodes[k]} ` : ''}${words}`;
  }).join('\n\n') + '\n';
}

/** Per code, each coder's 0/1 per code point of the plain text, built from the generated structure. */
function unitsByHand(g: Gen, unit: 'character' | 'paragraph'): Map<string, [number[], number[]]> {
  const out = new Map<string, [number[], number[]]>();
  const used = new Set<string>();
  for (const p of g.paragraphs) for (const c of [...p.wordCodes.flat(), ...p.paraCodes]) if (c) used.add(c);
  for (const c of used) {
    const vec: [number[], number[]] = [[], []];
    g.paragraphs.forEach((p, pi) => {
      for (const k of [0, 1] as const) {
        const marks: number[] = [];
        const para = p.paraCodes[k] === c;
        [...'R: '].forEach(() => marks.push(para ? 1 : 0));
        p.words.forEach((w, i) => {
          if (i > 0) marks.push(para ? 1 : 0);
          for (const _ of w) marks.push(para || p.wordCodes[i][k] === c ? 1 : 0);
        });
        if (unit === 'paragraph') vec[k].push(marks.some((m) => m === 1) ? 1 : 0);
        else {
          vec[k].push(...marks, 0); // the line break
          if (pi < g.paragraphs.length - 1) vec[k].push(0); // the blank line between paragraphs
        }
      }
    });
    out.set(c, vec);
  }
  return out;
}

/** Kappa and alpha the textbook way: proportions, and Krippendorff's coincidence matrix. */
function textbook(x: number[], y: number[]): { percent: number; kappa: number | null; alpha: number | null } {
  const n = x.length;
  const agree = x.filter((v, i) => v === y[i]).length / n;
  const pa = x.filter((v) => v === 1).length / n, pb = y.filter((v) => v === 1).length / n;
  const pe = pa * pb + (1 - pa) * (1 - pb);
  const o = [[0, 0], [0, 0]];
  for (let i = 0; i < n; i++) { o[x[i]][y[i]]++; o[y[i]][x[i]]++; }
  const n0 = o[0][0] + o[0][1], n1 = o[1][0] + o[1][1], total = n0 + n1;
  const observed = (o[0][1] + o[1][0]) / total;
  const expected = (2 * n0 * n1) / (total * (total - 1));
  return { percent: 100 * agree, kappa: pe === 1 ? null : (agree - pe) / (1 - pe), alpha: expected === 0 ? null : 1 - observed / expected };
}

const near = (a: number | null, b: number | null): boolean => (a === null || b === null ? a === b : Math.abs(a - b) < 1e-9);

describe('agreement cross-checked against a per-unit computation', () => {
  for (const unit of ['character', 'paragraph'] as const) {
    it(`${unit}: counts, percent, kappa and alpha`, () => {
      fc.assert(fc.property(gen, (g) => {
        const r = compare({ 't.transcript': body(g, 0) }, { 't.transcript': body(g, 1) }, { unit });
        const hand = unitsByHand(g, unit);
        assert.deepEqual(r.codes.map((c) => c.code), [...hand.keys()].sort());
        for (const [c, [x, y]] of hand) {
          const got = row(r, c);
          const both = x.filter((v, i) => v && y[i]).length, onlyA = x.filter((v, i) => v && !y[i]).length, onlyB = y.filter((v, i) => v && !x[i]).length;
          assert.deepEqual(counts(r, c), { both, onlyA, onlyB, neither: x.length - both - onlyA - onlyB });
          const t = textbook(x, y);
          assert.ok(near(got.percent, t.percent) && near(got.kappa, t.kappa) && near(got.alpha, t.alpha), JSON.stringify({ got, t }));
          // One disagreement per maximal run of units where exactly one coder applied the code.
          const runs = (p: number[], q: number[]) => p.filter((v, i) => v && !q[i] && !(i > 0 && p[i - 1] && !q[i - 1])).length;
          assert.equal(r.disagreements.filter((d) => d.code === c && d.coder === 'A').length, runs(x, y), `${c} A`);
          assert.equal(r.disagreements.filter((d) => d.code === c && d.coder === 'B').length, runs(y, x), `${c} B`);
        }
      }), { numRuns: 200 });
    });
  }
});
