/**
 * Hostile `.qdpx` files, built byte by byte so that a test can make a zip say what it likes about its
 * members: a deflate stream of zeros that unpacks to any size from about 1/160 of it, and a zip writer
 * whose declared sizes need not be true, in the classic or the zip64 layout.
 */

/** Bits written least significant first, as deflate packs them. */
class Bits {
  private readonly bytes: number[] = [];
  private acc = 0;
  private n = 0;

  /** `count` bits of `value`, lowest first. */
  put(value: number, count: number): void {
    for (let i = 0; i < count; i++) this.bit((value >> i) & 1);
  }

  /** A Huffman code: its bits from the most significant. */
  code(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) this.bit((value >> i) & 1);
  }

  private bit(b: number): void {
    this.acc |= b << this.n;
    if (++this.n === 8) { this.bytes.push(this.acc); this.acc = 0; this.n = 0; }
  }

  done(): Uint8Array {
    if (this.n > 0) this.bytes.push(this.acc);
    return Uint8Array.from(this.bytes);
  }
}

/**
 * A raw deflate stream that unpacks to `size` zero bytes: one block with the fixed codes, a literal 0, then
 * copies of 258 bytes from one byte back (13 bits each), then literal zeros for the rest.
 */
export function zerosDeflated(size: number): Uint8Array {
  const w = new Bits();
  w.put(1, 1); // the last block
  w.put(1, 2); // fixed Huffman codes
  const literalZero = (): void => w.code(0x30, 8);
  if (size > 0) literalZero();
  let left = size - 1;
  for (; left >= 258; left -= 258) {
    w.code(0xc5, 8); // length code 285: 258 bytes
    w.code(0, 5); // distance code 0: one byte back
  }
  for (; left > 0; left--) literalZero();
  w.code(0, 7); // end of block
  return w.done();
}

export interface Member {
  name: string;
  /** The member's stored bytes (deflated unless `method` says 0). */
  data: Uint8Array;
  method?: number;
  /** The unpacked size the zip states, true or not. */
  size: number;
}

/** A zip of `members`; with `zip64`, every size and offset is given in the zip64 fields instead. */
export function zipOf(members: Member[], zip64 = false): Uint8Array {
  const out: number[] = [];
  const u16 = (v: number): void => { out.push(v & 0xff, (v >>> 8) & 0xff); };
  const u32 = (v: number): void => { u16(v & 0xffff); u16(Math.floor(v / 0x10000) & 0xffff); };
  const u64 = (v: number): void => { u32(v % 2 ** 32); u32(Math.floor(v / 2 ** 32)); };
  const bytes = (b: Uint8Array): void => { for (const x of b) out.push(x); };
  const enc = new TextEncoder();
  const FULL = 0xffffffff;
  const offsets: number[] = [];
  const extra = (m: Member, offset?: number): void => {
    u16(1);
    u16(offset === undefined ? 16 : 24);
    u64(m.size);
    u64(m.data.length);
    if (offset !== undefined) u64(offset);
  };
  for (const m of members) {
    offsets.push(out.length);
    const name = enc.encode(m.name);
    u32(0x04034b50); u16(zip64 ? 45 : 20); u16(0x800); u16(m.method ?? 8); u16(0); u16(0x21); u32(0);
    u32(zip64 ? FULL : m.data.length); u32(zip64 ? FULL : m.size); u16(name.length); u16(zip64 ? 20 : 0);
    bytes(name);
    if (zip64) extra(m);
    bytes(m.data);
  }
  const directory = out.length;
  members.forEach((m, i) => {
    const name = enc.encode(m.name);
    u32(0x02014b50); u16(zip64 ? 45 : 20); u16(zip64 ? 45 : 20); u16(0x800); u16(m.method ?? 8); u16(0); u16(0x21); u32(0);
    u32(zip64 ? FULL : m.data.length); u32(zip64 ? FULL : m.size); u16(name.length); u16(zip64 ? 28 : 0); u16(0);
    u16(0); u16(0); u32(0); u32(zip64 ? FULL : offsets[i]);
    bytes(name);
    if (zip64) extra(m, offsets[i]);
  });
  const directorySize = out.length - directory;
  if (zip64) {
    const record = out.length;
    u32(0x06064b50); u64(44); u16(45); u16(45); u32(0); u32(0);
    u64(members.length); u64(members.length); u64(directorySize); u64(directory);
    u32(0x07064b50); u32(0); u64(record); u32(1);
  }
  u32(0x06054b50); u16(0); u16(0);
  u16(zip64 ? 0xffff : members.length); u16(zip64 ? 0xffff : members.length);
  u32(zip64 ? FULL : directorySize); u32(zip64 ? FULL : directory); u16(0);
  return Uint8Array.from(out);
}
