/**
 * For speed, the transcript scanner finds code paths, question IDs and speaker labels
 * by hand, and keeps line offsets in reused arrays. These tests hold it to the patterns
 * of SPEC §4.2 as regular expressions (the ID patterns of ids.ts, and the speaker-turn
 * pattern below) on random text, astral letters and lone surrogates included.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CODE_PATH_AT, QUESTION_ID_AT } from '../../server/src/core/ids';
import { parseTranscript } from '../../server/src/core/transcript';
import { LineIndex } from '../../server/src/core/text';

/** SPEC §4.2: a label of 1–32 letters, digits, spaces, `.`, `_`, `-` at the start of a line, then `:` and a space or tab. */
const TURN = /(?=[\p{L}\p{N}._-])([\p{L}\p{N} ._-]{1,32}):[ \t]/uy;

const PIECES = ['a', 'Z', '9', '_', '-', '/', '.', ' ', '\t', ':', 'é', 'ß', '\u0663', '𝐀', '😀', '\ud800', '\udc00', '\u00a0', '\u2019', '#', '@', '{', '}'];
const text = (pieces: string[], maxLength: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...pieces), { maxLength }).map((a) => a.join(''));

/** The end of the longest match of a sticky pattern at `at`, or -1. */
function matchEnd(pattern: RegExp, s: string, at: number): number {
  pattern.lastIndex = at;
  return pattern.test(s) ? pattern.lastIndex : -1;
}

describe('the scanner against the patterns of SPEC §4.2', () => {
  it('a code is the longest match of the code-path pattern after #, whatever follows it', () => {
    fc.assert(fc.property(text(PIECES, 24), (rest) => {
      const s = `#${rest}`;
      const end = matchEnd(CODE_PATH_AT, s, 1);
      const first = parseTranscript(s).codes[0];
      if (end < 0 || /^\p{N}+$/u.test(s.slice(1, end))) assert.ok(!first || first.start > 0, JSON.stringify(s));
      else assert.deepEqual({ start: first?.start, end: first?.end }, { start: 0, end }, JSON.stringify(s));
    }), { numRuns: 20000 });
  });

  it('a question marker is the longest match of the question-ID pattern after @, whatever follows it', () => {
    fc.assert(fc.property(text(PIECES, 24), (rest) => {
      const s = `@${rest}`;
      const end = matchEnd(QUESTION_ID_AT, s, 1);
      const first = parseTranscript(s).markers[0];
      if (end < 0) assert.ok(!first || first.start > 0, JSON.stringify(s));
      else assert.deepEqual({ start: first?.start, end: first?.end }, { start: 0, end }, JSON.stringify(s));
    }), { numRuns: 20000 });
  });

  it('a line starts a speaker turn exactly when it matches the speaker-turn pattern, with the label it captures less trailing spaces', () => {
    const label = ['a', 'I', 'R', '9', '_', '-', '.', ' ', '\t', 'é', '\u0663', '𝐀', '😀', '\ud800', '\u00a0'];
    const after = [': ', ':\t', ':', ':x', ' : ', '::', ''];
    fc.assert(fc.property(text(label, 40), fc.constantFrom(...after), text(PIECES, 6), (l, colon, rest) => {
      const s = `${l}${colon}${rest}`;
      if (s.startsWith('---')) return; // front matter, not a body line
      TURN.lastIndex = 0;
      const m = TURN.exec(s);
      const turn = parseTranscript(s).turns[0];
      assert.equal(turn?.start === 0 ? turn.label : undefined, m ? m[1].trimEnd() : undefined, JSON.stringify(s));
    }), { numRuns: 20000 });
    const turnOf = (line: string): string | undefined => parseTranscript(line).turns[0]?.label;
    assert.equal(turnOf(`${'a'.repeat(32)}: hello`), 'a'.repeat(32));
    assert.equal(turnOf(`${'a'.repeat(33)}: hello`), undefined);
    assert.equal(turnOf(`${'𝐀'.repeat(32)}: hello`), '𝐀'.repeat(32), 'a letter outside the BMP counts once');
  });

  it('markup is found after thousands of lines without any, and on every line of a long transcript', () => {
    const plain = Array.from({ length: 3000 }, (_, i) => `Line ${i} has no markup at all.`).join('\n');
    const model = parseTranscript(`${plain}\nI: @late {at last}#found\n${plain}\nR: #end`);
    assert.deepEqual(model.markers.map((m) => m.id), ['late']);
    assert.deepEqual(model.codes.map((c) => c.path), ['found', 'end']);
    const dense = Array.from({ length: 2000 }, (_, i) => `R: {said ${i}}#c${i % 7} @q${i % 5}`).join('\n');
    const m2 = parseTranscript(dense);
    assert.equal(m2.codes.length, 2000);
    assert.equal(m2.markers.length, 2000);
    assert.equal(m2.turns.length, 2000);
  });
});

describe('LineIndex made in turn', () => {
  it('each index keeps its own line offsets when more texts are indexed after it, long ones included', () => {
    const a = new LineIndex('one\ntwo\r\nthree');
    const breaks = ['\n', '\r\n', '\r'];
    const long = Array.from({ length: 5000 }, (_, i) => `line ${i}${i < 4999 ? breaks[i % 3] : ''}`).join('');
    const b = new LineIndex(long);
    new LineIndex('x\ny');
    assert.deepEqual([...a.starts], [0, 4, 9]);
    assert.deepEqual([...a.ends], [3, 7, 14]);
    assert.equal(b.lineCount, 5000);
    assert.equal(b.positionAt(long.length).line, 4999);
    assert.equal(long.slice(b.starts[4321], b.ends[4321]), 'line 4321');
    assert.equal(long.slice(b.starts[4999], b.ends[4999]), 'line 4999');
  });
});
