/**
 * Reading one member of a zip file (a `.qdpx`) without trusting it. The central directory is read for the
 * members' names and places, nothing is unpacked but the one member asked for, and that one is inflated in
 * small steps with its size counted as it grows: a member that would unpack to more than the limit is
 * stopped there, whatever sizes the zip declares (a "zip bomb" declares a small one, or a zip64 one so large
 * that making room for it fails). Never throws anything but a `ZipProblem`.
 */
import { Inflate } from 'fflate';

export interface ZipMember {
  name: string;
  /** 0: stored, 8: deflated; anything else cannot be read. */
  method: number;
  compressedSize: number;
  /** The unpacked size the zip declares (not to be trusted). */
  size: number;
  /** Where the member's local header starts. */
  headerOffset: number;
}

/** Why a zip cannot be read: `damaged`, or a member that unpacks to more than the limit (`tooLarge`). */
export class ZipProblem extends Error {
  constructor(readonly kind: 'damaged' | 'tooLarge', message: string) {
    super(message);
  }
}

const damaged = (why: string): ZipProblem => new ZipProblem('damaged', why);

const u16 = (b: Uint8Array, i: number): number => b[i] | (b[i + 1] << 8);
const u32 = (b: Uint8Array, i: number): number => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
/** A 64-bit size as a number (exact up to 2^53, which no real zip comes near). */
const u64 = (b: Uint8Array, i: number): number => u32(b, i) + u32(b, i + 4) * 2 ** 32;

const UTF8 = new TextDecoder('utf-8');
const LATIN1 = new TextDecoder('latin1');

const END = 0x06054b50;
const END64_LOCATOR = 0x07064b50;
const END64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The members whose name `wanted` accepts, from the central directory; nothing is unpacked. */
export function zipMembers(bytes: Uint8Array, wanted: (name: string) => boolean): ZipMember[] {
  const n = bytes.length;
  let end = -1;
  for (let e = n - 22; e >= 0 && e >= n - 22 - 0xffff; e--) {
    if (u32(bytes, e) === END) { end = e; break; }
  }
  if (end < 0) throw damaged('its table of contents is missing');
  let count = u16(bytes, end + 10);
  let offset = u32(bytes, end + 16);
  let size = u32(bytes, end + 12);
  if (end >= 20 && u32(bytes, end - 20) === END64_LOCATOR) {
    const at = u64(bytes, end - 12);
    if (at + 56 > n || u32(bytes, at) !== END64) throw damaged('its zip64 table of contents is missing');
    count = u64(bytes, at + 32);
    size = u64(bytes, at + 40);
    offset = u64(bytes, at + 48);
  }
  if (offset + size > n) throw damaged('its table of contents lies outside the file');
  const members: ZipMember[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > n || u32(bytes, p) !== CENTRAL) throw damaged(`its table of contents ends after ${i} of the ${count} files it announces`);
    const flags = u16(bytes, p + 8);
    const nameLength = u16(bytes, p + 28);
    const extraLength = u16(bytes, p + 30);
    const commentLength = u16(bytes, p + 32);
    // Bit 11: the name is UTF-8; otherwise it is in the old DOS code page, read here as Latin-1.
    const name = (flags & 0x800 ? UTF8 : LATIN1).decode(bytes.subarray(p + 46, p + 46 + nameLength));
    if (wanted(name)) {
      const member: ZipMember = { name, method: u16(bytes, p + 10), compressedSize: u32(bytes, p + 20), size: u32(bytes, p + 24), headerOffset: u32(bytes, p + 42) };
      readZip64Sizes(bytes, p + 46 + nameLength, extraLength, member);
      members.push(member);
    }
    p += 46 + nameLength + extraLength + commentLength;
  }
  return members;
}

/** Sizes and offset too large for 32 bits are in the zip64 extra field (ID 1), in this order, when marked 0xffffffff. */
function readZip64Sizes(bytes: Uint8Array, from: number, length: number, m: ZipMember): void {
  const FULL = 0xffffffff;
  if (m.size !== FULL && m.compressedSize !== FULL && m.headerOffset !== FULL) return;
  for (let p = from; p + 4 <= from + length; p += 4 + u16(bytes, p + 2)) {
    if (u16(bytes, p) !== 1) continue;
    let q = p + 4;
    const next = (): number => { const v = u64(bytes, q); q += 8; return v; };
    if (m.size === FULL) m.size = next();
    if (m.compressedSize === FULL) m.compressedSize = next();
    if (m.headerOffset === FULL) m.headerOffset = next();
    return;
  }
}

/** How much compressed data is inflated at a time: at most about a thousand times as much comes out of it. */
const STEP = 8 * 1024;

/**
 * The unpacked bytes of one member, refused with a `tooLarge` problem as soon as they pass `limit` bytes.
 * The member is inflated twice: once counting (keeping nothing, so a bomb costs no memory) and once keeping
 * what it now knows fits.
 */
export function unzipMember(bytes: Uint8Array, m: ZipMember, limit: number): Uint8Array {
  const tooLarge = (): ZipProblem => new ZipProblem('tooLarge', `${m.name} would unpack to more than ${limit / 2 ** 20} MB`);
  if (m.headerOffset + 30 > bytes.length || u32(bytes, m.headerOffset) !== LOCAL) throw damaged(`${m.name} is not where its table of contents says`);
  const start = m.headerOffset + 30 + u16(bytes, m.headerOffset + 26) + u16(bytes, m.headerOffset + 28);
  if (start + m.compressedSize > bytes.length) throw damaged(`${m.name} is cut short`);
  const data = bytes.subarray(start, start + m.compressedSize);
  if (m.size > limit) throw tooLarge();
  if (m.method === 0) {
    if (data.length > limit) throw tooLarge();
    return data;
  }
  if (m.method !== 8) throw damaged(`${m.name} is compressed in a way this program cannot read (method ${m.method})`);

  const inflate = (keep: Uint8Array | undefined): number => {
    let size = 0;
    const stream = new Inflate((chunk) => {
      if (size + chunk.length > limit) throw tooLarge();
      keep?.set(chunk, size);
      size += chunk.length;
    });
    try {
      if (data.length === 0) stream.push(new Uint8Array(0), true);
      for (let i = 0; i < data.length; i += STEP) stream.push(data.subarray(i, i + STEP), i + STEP >= data.length);
    } catch (err) {
      if (err instanceof ZipProblem) throw err;
      throw damaged(`${m.name} cannot be unpacked (${err instanceof Error ? err.message : String(err)})`);
    }
    return size;
  };
  const size = inflate(undefined);
  // A zip states each member's size: one that unpacks to another size is damaged, or lies.
  if (size !== m.size) throw damaged(`${m.name} unpacks to ${size} bytes where the zip says ${m.size}`);
  const out = new Uint8Array(size);
  inflate(out);
  return out;
}
