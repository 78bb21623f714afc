/**
 * Which paths are study files, and how a study file's bytes become its text: the rules every study
 * host applies, whatever its files live in. No file system here, so the in-memory host applies
 * exactly the rules the disk host does.
 */
import { isUtf8 } from 'node:buffer';
import picomatch from 'picomatch';
import { fileKind } from '../core/ids';
import type { ReadResult } from './studyHost';

/** Folders never searched for study files. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** Whether a folder of this name is never searched. */
export function isSkippedFolder(name: string): boolean {
  return SKIPPED_FOLDERS.has(name);
}

/** Whether a relative path lies in a folder that is never searched. */
export function inSkippedFolder(rel: string): boolean {
  return rel.split('/').some((s) => SKIPPED_FOLDERS.has(s));
}

/** A matcher for `transcriptCoder.exclude` globs, relative to the study folder. */
export function excludeMatcher(globs: readonly string[]): (relPath: string) => boolean {
  const valid = globs.filter((g) => typeof g === 'string' && g.trim() !== '');
  if (valid.length === 0) return () => false;
  const isMatch = picomatch(valid, { dot: true });
  // `drafts` and `drafts/` exclude the folder and all below it, as in VS Code's files.exclude.
  const folderGlobs = picomatch(valid.map((g) => g.replace(/\/+$/, '')).map((g) => `${g}/**`), { dot: true });
  return (rel) => isMatch(rel) || folderGlobs(rel);
}

/**
 * Whether the `/`-separated relative path `rel` is a study file: named as one, in no skipped
 * folder, and neither it nor a folder above it excluded (a walk of the disk never enters an
 * excluded folder, so a file below one is out whatever its own name).
 */
export function isStudyPath(rel: string, excluded: (relPath: string) => boolean): boolean {
  if (!fileKind(rel)) return false;
  const parts = rel.split('/');
  for (let i = 0; i < parts.length; i++) {
    if (i < parts.length - 1 && SKIPPED_FOLDERS.has(parts[i])) return false;
    if (excluded(parts.slice(0, i + 1).join('/'))) return false;
  }
  return true;
}

/** Text as an editor presents it: a UTF-8 byte-order mark removed (line ends are kept as they are). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A study file's bytes as text, or why they are not text Transcript Coder can read. UTF-8 (with or
 * without a byte-order mark) is the format; UTF-16 with a byte-order mark, which Windows Notepad
 * saves as "Unicode", is read too, since its meaning is certain. Anything else — text in an older
 * encoding, UTF-16 without a byte-order mark, a file that is not text — is refused with the offset
 * of the first byte that gives it away, rather than read as garbage the researcher would code.
 */
export function decodeStudyText(bytes: Uint8Array): ReadResult {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 4 && ((buf[0] === 0xff && buf[1] === 0xfe && buf[2] === 0 && buf[3] === 0) || (buf[0] === 0 && buf[1] === 0 && buf[2] === 0xfe && buf[3] === 0xff))) {
    return { error: 'it is UTF-32 text, which Transcript Coder does not read: save it as UTF-8' };
  }
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) return decodeUtf16(buf, buf[0] === 0xff);
  // A zero byte first: UTF-16 without a byte-order mark has one in nearly every character.
  const zero = buf.indexOf(0);
  if (zero >= 0) {
    return {
      error: `it is not text: it holds a zero byte at offset ${zero.toLocaleString('en-US')} (line ${lineAt(buf, zero)}); ` +
        'if it is UTF-16 text without a byte-order mark, save it as UTF-8',
    };
  }
  if (!isUtf8(buf)) {
    const at = Math.max(0, firstInvalidUtf8(buf)); // the two checks agree (a property test holds them to it)
    return {
      error: `it is not UTF-8 text (byte 0x${hex(buf[at])} at offset ${at.toLocaleString('en-US')}, line ${lineAt(buf, at)}, ` +
        'as in a file saved as Windows-1252 or Latin-1): save it as UTF-8',
    };
  }
  return { text: withoutBom(buf.toString('utf8')) };
}

/** UTF-16 after its byte-order mark, refusing an odd length or a half of a surrogate pair. */
function decodeUtf16(buf: Buffer, littleEndian: boolean): ReadResult {
  const name = littleEndian ? 'UTF-16LE' : 'UTF-16BE';
  if (buf.length % 2 !== 0) return { error: `it is ${name} text cut short (it has an odd number of bytes): save it again as UTF-8` };
  const body = Buffer.from(buf.subarray(2)); // a copy: swapping the byte order must not change the caller's bytes
  if (!littleEndian) body.swap16();
  const text = body.toString('utf16le');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      i++;
    } else if ((c & 0xf800) === 0xd800) {
      return { error: `it is not valid ${name} text: the character at offset ${(2 + 2 * i).toLocaleString('en-US')} is half of a pair: save it as UTF-8` };
    }
  }
  const zero = text.indexOf('\0');
  if (zero >= 0) return { error: `it is not text: it holds a zero character at offset ${(2 + 2 * zero).toLocaleString('en-US')}` };
  return { text };
}

/**
 * The offset of the first byte of `buf` that does not belong to well-formed UTF-8 (the Unicode
 * standard's table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF): the lead byte of
 * a sequence cut short, or a byte that can start no character. Called only once `buf` is known to
 * be invalid; -1 if it is not.
 */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    if (b < 0x80) { i++; continue; }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) { need = 2; if (b === 0xe0) lo = 0xa0; else if (b === 0xed) hi = 0x9f; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; if (b === 0xf0) lo = 0x90; else if (b === 0xf4) hi = 0x8f; }
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

function hex(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

/** The 1-based line of byte `offset` (as an editor counts lines: after `\n`, `\r\n` or a lone `\r`). */
function lineAt(buf: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (buf[i] === 0x0a) line++;
    else if (buf[i] === 0x0d && buf[i + 1] !== 0x0a) line++;
  }
  return line;
}
