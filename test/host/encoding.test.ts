/**
 * How a study file's bytes become its text: UTF-8 read (byte-order mark removed), UTF-16 with a
 * byte-order mark read as what it is, and anything else refused with the first byte that gives it
 * away — never read as garbage that would be coded, counted and exported. The same on disk and in
 * memory.
 */
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadStudy } from '../../server/src/host/loadStudy';
import { MemoryStudyHost } from '../../server/src/host/memoryHost';
import { NodeStudyHost } from '../../server/src/host/nodeHost';
import { decodeStudyText, firstInvalidUtf8 } from '../../server/src/host/studyFiles';
import { removeWrittenStudies, writeStudy } from './helpers';

after(removeWrittenStudies);

const TEXT = 'I: @q1 Hello, Zoë — 你好 😀?\r\nR: {Fine}#benefit\n';
const utf16 = (text: string, bigEndian: boolean): Buffer => {
  const b = Buffer.from(`\ufeff${text}`, 'utf16le');
  return bigEndian ? b.swap16() : b;
};

/** Each case: the file's bytes, and what reading it gives. */
const CASES: [string, Uint8Array, { text: string } | { error: string }][] = [
  ['UTF-8', Buffer.from(TEXT), { text: TEXT }],
  ['UTF-8 with a byte-order mark', Buffer.from(`\ufeff${TEXT}`), { text: TEXT }],
  ['UTF-16LE with a byte-order mark', utf16(TEXT, false), { text: TEXT }],
  ['UTF-16BE with a byte-order mark', utf16(TEXT, true), { text: TEXT }],
  ['Windows-1252 (an é on line 3)', Buffer.concat([Buffer.from('I: one\nR: two\nR: caf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]),
    { error: 'it is not UTF-8 text (byte 0xE9 at offset 20, line 3, as in a file saved as Windows-1252 or Latin-1): save it as UTF-8' }],
  ['UTF-8 cut off in the middle of a character', Buffer.from('I: 你好').subarray(0, 7),
    { error: 'it is not UTF-8 text (byte 0xE5 at offset 6, line 1, as in a file saved as Windows-1252 or Latin-1): save it as UTF-8' }],
  ['an overlong form', Buffer.from([0x49, 0x3a, 0x20, 0xc0, 0xaf]),
    { error: 'it is not UTF-8 text (byte 0xC0 at offset 3, line 1, as in a file saved as Windows-1252 or Latin-1): save it as UTF-8' }],
  ['an encoded surrogate', Buffer.from([0x0a, 0x0d, 0x0a, 0x0d, 0xed, 0xa0, 0x80]),
    { error: 'it is not UTF-8 text (byte 0xED at offset 4, line 4, as in a file saved as Windows-1252 or Latin-1): save it as UTF-8' }],
  ['UTF-16 without a byte-order mark', Buffer.from(TEXT, 'utf16le'),
    { error: 'it is not text: it holds a zero byte at offset 1 (line 1); if it is UTF-16 text without a byte-order mark, save it as UTF-8' }],
  ['UTF-16 cut short', utf16(TEXT, false).subarray(0, 9), { error: 'it is UTF-16LE text cut short (it has an odd number of bytes): save it again as UTF-8' }],
  ['UTF-16 with half a surrogate pair', Buffer.concat([utf16('I: ', false), Buffer.from([0x3d, 0xd8, 0x41, 0x00])]),
    { error: 'it is not valid UTF-16LE text: the character at offset 8 is half of a pair: save it as UTF-8' }],
  ['UTF-32', Buffer.from([0xff, 0xfe, 0, 0, 0x49, 0, 0, 0]), { error: 'it is UTF-32 text, which Transcript Coder does not read: save it as UTF-8' }],
];

describe('study file encodings', () => {
  for (const [what, bytes, expected] of CASES) {
    it(`${what}: ${'text' in expected ? 'read' : 'refused, naming the first bad byte'}, on disk and in memory alike`, () => {
      assert.deepEqual(decodeStudyText(bytes), expected);
      const dir = writeStudy({});
      writeFileSync(path.join(dir, 'a.transcript'), bytes);
      assert.deepEqual(new NodeStudyHost(dir).readText('a.transcript'), expected);
      assert.deepEqual(new MemoryStudyHost({ 'a.transcript': bytes }).readText('a.transcript'), expected);
    });
  }

  it('a file that is not UTF-8 is one unreadable file of the study, not a transcript of garbage', () => {
    const dir = writeStudy({ 'a.transcript': 'I: fine\n' });
    writeFileSync(path.join(dir, 'b.transcript'), Buffer.from([0x49, 0x3a, 0x20, 0xe9, 0x0a]));
    const loaded = loadStudy(new NodeStudyHost(dir));
    assert.deepEqual(loaded.study.documents().map((d) => d.uri), ['a.transcript']);
    assert.deepEqual(loaded.unreadable.map((u) => u.path), ['b.transcript']);
  });

  it('a .vscode/settings.json that is not UTF-8 is named, and sets nothing', () => {
    const dir = writeStudy({ 'a.transcript': 'I: fine\n', '.vscode/settings.json': '' });
    writeFileSync(path.join(dir, '.vscode', 'settings.json'), Buffer.from('{ "transcriptCoder.exclude": ["caf\xe9"] }', 'latin1'));
    const host = new NodeStudyHost(dir);
    assert.deepEqual(host.settings().exclude, []);
    assert.match(host.settingsProblems()[0], /^\.vscode\/settings\.json is not used: it is not UTF-8 text \(byte 0xE9 at offset 34, line 1, .*\): save it as UTF-8$/);
  });
});

describe('firstInvalidUtf8', () => {
  it('finds a bad byte exactly when Node finds the bytes invalid: the first byte at which no whole character starts', () => {
    // Bytes drawn mostly from UTF-8's own building blocks, so that valid and invalid sequences both come up often.
    const piece = fc.oneof(
      fc.string({ unit: 'binary' }).map((s) => [...Buffer.from(s)]),
      fc.array(fc.integer({ min: 0x80, max: 0xff }), { maxLength: 4 }),
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
      const bytes = Buffer.from(pieces.flat());
      const at = firstInvalidUtf8(bytes);
      assert.equal(at === -1, isUtf8(bytes));
      if (at >= 0) {
        assert.ok(isUtf8(bytes.subarray(0, at)), 'the bytes before the one named are valid');
        for (let k = 1; k <= 4 && at + k <= bytes.length; k++) assert.ok(!isUtf8(bytes.subarray(0, at + k)), 'no whole character starts at the byte named');
      }
    }), { numRuns: 3000 });
  });
});
