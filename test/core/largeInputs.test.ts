/**
 * Inputs shaped to make the core do quadratic work: thousands of memo lines in one paragraph, a whole
 * interview on one line, spans nested thousands deep, thousands of markers. Each test checks that the
 * answer on such an input is right; how long it takes is measured by `npm run bench`, not asserted here
 * (a quadratic version of any of these would not finish within the test run).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codedSegments } from '../../server/src/core/counts';
import { diagnose } from '../../server/src/core/diagnostics';
import { Study } from '../../server/src/core/study';
import { parseTranscript } from '../../server/src/core/transcript';
import { ADVERSARIAL_CODEBOOK, ADVERSARIAL_GUIDE, oneLine } from '../bench/adversarial';

function studyWith(transcript: string): Study {
  return Study.fromFiles([
    { uri: 'g.guide.yaml', path: 'g.guide.yaml', text: ADVERSARIAL_GUIDE },
    { uri: 'c.codebook.yaml', path: 'c.codebook.yaml', text: ADVERSARIAL_CODEBOOK },
    { uri: 't.transcript', path: 't.transcript', text: transcript },
  ]);
}

function segmentsOf(transcript: string): { code: string; question: string | null; excerpt: string }[] {
  return codedSegments(studyWith(transcript), () => transcript).map((r) => ({ code: r.code, question: r.question, excerpt: r.excerpt }));
}

describe('large and hostile transcripts', () => {
  it('reads 40,000 memo lines in one paragraph, each memo closed on its own line, and one left open', () => {
    const n = 40_000;
    const lines = Array.from({ length: n }, (_, i) => `%% note ${i} %%`);
    const text = `---\nguide: g\n---\nR: @q0 first\n${lines.join('\n')}\nR: %% left open\nstill the memo\n\nI: @q1 next\n`;
    const model = parseTranscript(text);
    assert.equal(model.memos.length, n + 1);
    model.memos.slice(0, n).forEach((m, i) => {
      assert.ok(m.closed);
      assert.equal(text.slice(m.start, m.end), `%% note ${i} %%`);
    });
    const open = model.memos[n];
    assert.equal(open.closed, false);
    // An unclosed memo ends with its paragraph: here the speaker turn's, which ends before the blank line.
    assert.equal(text.slice(open.start, open.end), '%% left open\nstill the memo');
    const problems = diagnose(studyWith(text), 't.transcript').filter((d) => d.severity === 'error');
    assert.deepEqual(problems.map((d) => `${d.range.start.line + 1} ${d.code}`), [`${n + 5} unclosed-memo`]);
  });

  it('lists the segments of a 1 MB transcript on one line, each with its own excerpt and question', () => {
    const text = oneLine(1_000_000);
    const rows = segmentsOf(text);
    const spans = parseTranscript(text).spans.length;
    assert.ok(spans > 40_000, `${spans} spans`);
    assert.equal(rows.length, spans + Math.ceil(spans / 7));
    let i = 0;
    for (const r of rows) {
      if (r.code === 'c/sub') {
        assert.equal(r.excerpt, `word ${i - 1} here`);
        continue;
      }
      assert.deepEqual(r, { code: 'c', question: 'q0', excerpt: `word ${i} here` });
      i++;
    }
  });

  it('gives each of 40,000 nested spans the one word they hold as excerpt', () => {
    const n = 40_000;
    const rows = segmentsOf(`---\nguide: g\n---\nR: ${'{ '.repeat(n)}x${' }#c'.repeat(n)}\n`);
    assert.equal(rows.length, n);
    assert.ok(rows.every((r) => r.code === 'c' && r.excerpt === 'x'));
  });

  it('gives nested spans with words at every level the words from their own level inwards', () => {
    const depth = 600;
    const words = Array.from({ length: depth }, (_, i) => `w${i}`);
    const text = `R: ${words.map((w) => `{${w} `).join('')}${' }#c'.repeat(depth)}\n`;
    const excerpts = segmentsOf(text).map((r) => r.excerpt);
    // The innermost span closes first, so its segment comes first.
    assert.deepEqual(excerpts, words.map((_, i) => words.slice(depth - 1 - i).join(' ')));
  });

  it('finds the question of each of 30,000 coded lines among 30,000 markers', () => {
    const n = 30_000;
    const text = `---\nguide: g\n---\n${Array.from({ length: n }, (_, i) => `I: @q${i % 50} {line ${i}}#c`).join('\n')}\n`;
    const rows = segmentsOf(text);
    assert.equal(rows.length, n);
    rows.forEach((r, i) => assert.deepEqual(r, { code: 'c', question: `q${i % 50}`, excerpt: `line ${i}` }));
  });
});
