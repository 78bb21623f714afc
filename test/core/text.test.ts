/**
 * Positions (server/src/core/text.ts): UTF-16 offsets, LSP line/character
 * positions, and code points for the few places that count them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { codePointLength, comparePositions, containsOffset, LineIndex, toCodePointOffset } from '../../server/src/core/text';

/** The lines of a LineIndex as `start-end`, line break excluded. */
const linesOf = (ix: LineIndex): string[] => Array.from(ix.starts, (s, i) => `${s}-${ix.ends[i]}`);

describe('LineIndex', () => {
  it('an empty text has one empty line', () => {
    const ix = new LineIndex('');
    assert.equal(ix.lineCount, 1);
    assert.deepEqual(linesOf(ix), ['0-0']);
    assert.deepEqual(ix.positionAt(0), { line: 0, character: 0 });
  });

  it('\\n, \\r\\n and a lone \\r each end a line, and a \\r\\n is one line break', () => {
    assert.deepEqual(linesOf(new LineIndex('ab\ncd')), ['0-2', '3-5']);
    assert.deepEqual(linesOf(new LineIndex('ab\r\ncd')), ['0-2', '4-6']);
    assert.deepEqual(linesOf(new LineIndex('ab\rcd')), ['0-2', '3-5']);
    assert.deepEqual(linesOf(new LineIndex('a\r\n\r\nb\r\rc\n\rd')), ['0-1', '3-3', '5-6', '7-7', '8-9', '10-10', '11-12']);
  });

  it('a trailing line break opens an empty last line', () => {
    const ix = new LineIndex('a\r\n');
    assert.deepEqual(linesOf(ix), ['0-1', '3-3']);
    assert.deepEqual(ix.positionAt(3), { line: 1, character: 0 });
  });

  it('a line break belongs to the line it ends', () => {
    const ix = new LineIndex('ab\r\ncd');
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((o) => ix.lineAt(o)), [0, 0, 0, 0, 1, 1, 1]);
  });

  it('positionAt inside a \\r\\n gives the end of its line, never a character of the break', () => {
    const ix = new LineIndex('ab\r\ncd');
    assert.deepEqual(ix.positionAt(2), { line: 0, character: 2 });
    assert.deepEqual(ix.positionAt(3), { line: 0, character: 2 });
    assert.deepEqual(ix.positionAt(4), { line: 1, character: 0 });
  });

  it('positionAt clamps offsets before the start and past the end', () => {
    const ix = new LineIndex('ab\ncd');
    assert.deepEqual(ix.positionAt(-5), { line: 0, character: 0 });
    assert.deepEqual(ix.positionAt(99), { line: 1, character: 2 });
  });

  it('offsetAt clamps a character past the line end to the line end, not into the line break', () => {
    const ix = new LineIndex('ab\r\ncd');
    assert.equal(ix.offsetAt({ line: 0, character: 99 }), 2);
    assert.equal(ix.offsetAt({ line: 0, character: -1 }), 0);
    assert.equal(ix.offsetAt({ line: 1, character: 1 }), 5);
  });

  it('offsetAt of a line before the first is 0, of a line past the last is the text length', () => {
    const ix = new LineIndex('ab\ncd');
    assert.equal(ix.offsetAt({ line: -1, character: 3 }), 0);
    assert.equal(ix.offsetAt({ line: 7, character: 0 }), 5);
  });

  it('columns are UTF-16 units: an astral character counts two, a BOM one', () => {
    const ix = new LineIndex('\ufeff😀𝒜x\nä@');
    assert.deepEqual(ix.positionAt(5), { line: 0, character: 5 });
    assert.deepEqual(ix.positionAt(1), { line: 0, character: 1 });
    assert.deepEqual(ix.positionAt(8), { line: 1, character: 1 });
    assert.equal(ix.offsetAt({ line: 1, character: 1 }), 8);
  });

  it('range and lineRange give positions, lineRange without the line break and clamped to the text', () => {
    const ix = new LineIndex('ab\r\ncd\n');
    assert.deepEqual(ix.range(1, 5), { start: { line: 0, character: 1 }, end: { line: 1, character: 1 } });
    assert.deepEqual(ix.lineRange(0), { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } });
    assert.deepEqual(ix.lineRange(2), { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } });
    assert.deepEqual(ix.lineRange(9), ix.lineRange(2));
    assert.deepEqual(ix.lineRange(-1), ix.lineRange(0));
  });
});

describe('LineIndex round trips', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'ä', '😀', ' ', '\n', '\r', '\r\n', '\ufeff', '\t'), maxLength: 60 });

  it('offsetAt(positionAt(o)) is o for every offset that is not inside a line break', () => {
    fc.assert(fc.property(text, (t) => {
      const ix = new LineIndex(t);
      for (let o = 0; o <= t.length; o++) {
        const l = ix.lineAt(o);
        const inBreak = o > ix.ends[l];
        const back = ix.offsetAt(ix.positionAt(o));
        assert.equal(back, inBreak ? ix.ends[l] : o, `offset ${o} of ${JSON.stringify(t)}`);
      }
    }), { numRuns: 500 });
  });

  it('positionAt(offsetAt(p)) is p for every position on a line, and clamps others onto it', () => {
    fc.assert(fc.property(text, fc.integer({ min: -2, max: 12 }), fc.integer({ min: -2, max: 40 }), (t, line, character) => {
      const ix = new LineIndex(t);
      const p = ix.positionAt(ix.offsetAt({ line, character }));
      if (line < 0) assert.deepEqual(p, { line: 0, character: 0 });
      else if (line >= ix.lineCount) assert.deepEqual(p, ix.positionAt(t.length));
      else {
        const width = ix.ends[line] - ix.starts[line];
        assert.deepEqual(p, { line, character: Math.max(0, Math.min(character, width)) });
      }
    }), { numRuns: 500 });
  });

  it('the lines of a LineIndex are the text split at \\r\\n, \\r and \\n', () => {
    fc.assert(fc.property(text, (t) => {
      const ix = new LineIndex(t);
      assert.deepEqual(Array.from(ix.starts, (s, i) => t.slice(s, ix.ends[i])), t.split(/\r\n|\r|\n/));
    }), { numRuns: 500 });
  });
});

describe('code points', () => {
  it('codePointLength counts an astral character once', () => {
    assert.equal(codePointLength('a😀𝒜b'), 4);
    assert.equal('a😀𝒜b'.length, 6);
    assert.equal(codePointLength('👍🏽'), 2);
    assert.equal(codePointLength(''), 0);
  });

  it('codePointLength counts a slice, and a lone surrogate once', () => {
    const t = 'x😀y';
    assert.equal(codePointLength(t, 1, 3), 1);
    assert.equal(codePointLength(t, 1, 2), 1);
    assert.equal(codePointLength(t, 2, 4), 2);
    assert.equal(codePointLength('\ud800a\udc00'), 3);
  });

  it('toCodePointOffset gives the code point offset of a UTF-16 offset, clamped to the text', () => {
    const t = '𝒜 @Q1';
    assert.equal(toCodePointOffset(t, 3), 2);
    assert.equal(toCodePointOffset(t, 0), 0);
    assert.equal(toCodePointOffset(t, 99), 5);
  });

  it('toCodePointOffset agrees with Array.from for every offset between code points', () => {
    // Any code point, lone surrogates included.
    const anyCodePoints = fc.array(fc.integer({ min: 0, max: 0x10ffff }), { maxLength: 40 }).map((cps) => String.fromCodePoint(...cps));
    fc.assert(fc.property(anyCodePoints, (t) => {
      let utf16 = 0;
      let cp = 0;
      for (const ch of t) {
        assert.equal(toCodePointOffset(t, utf16), cp);
        utf16 += ch.length;
        cp++;
      }
      assert.equal(toCodePointOffset(t, t.length), cp);
      assert.equal(codePointLength(t), Array.from(t).length);
    }), { numRuns: 500 });
  });
});

describe('position helpers', () => {
  it('comparePositions orders by line, then character', () => {
    assert.ok(comparePositions({ line: 1, character: 0 }, { line: 0, character: 9 }) > 0);
    assert.ok(comparePositions({ line: 2, character: 3 }, { line: 2, character: 4 }) < 0);
    assert.equal(comparePositions({ line: 2, character: 3 }, { line: 2, character: 3 }), 0);
  });

  it('containsOffset includes both ends of the range', () => {
    const r = { start: 3, end: 6 };
    assert.deepEqual([2, 3, 6, 7].map((o) => containsOffset(r, o)), [false, true, true, false]);
  });
});
