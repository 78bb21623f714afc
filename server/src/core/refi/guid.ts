/**
 * Stable GUIDs for REFI-QDA exports: name-based UUIDs (RFC 4122 version 5,
 * SHA-1 over a fixed namespace and a name), so the same study always exports
 * the same GUIDs and a tool that re-imports it can match what it already holds.
 * SHA-1 is written out here so that the core needs no platform module.
 */

/** The namespace of every Transcript Coder GUID (itself a random UUID, fixed once). */
const NAMESPACE = '079516f4-36c7-4656-b466-acb676f673bb';

/** SHA-1 of `bytes` (FIPS 180-4). Not for security: only a well-spread, stable hash. */
export function sha1(bytes: Uint8Array): Uint8Array {
  const buf = new Uint8Array(paddedLength(bytes.length));
  buf.set(bytes);
  const h = sha1Padded(buf, bytes.length);
  const out = new Uint8Array(20);
  for (let i = 0; i < 20; i++) out[i] = h[i >> 2] >>> (24 - (i & 3) * 8);
  return out;
}

const paddedLength = (length: number): number => (((length + 8) >> 6) + 1) << 6;

/** SHA-1 of the first `length` bytes of `buf`, which has room for the padding (`paddedLength`) and is zero after them. */
function sha1Padded(buf: Uint8Array, length: number): Int32Array {
  const padded = buf.length;
  buf[length] = 0x80;
  const hi = Math.floor(length / 0x20000000);
  const lo = (length << 3) >>> 0;
  buf[padded - 8] = hi >>> 24; buf[padded - 7] = hi >>> 16; buf[padded - 6] = hi >>> 8; buf[padded - 5] = hi;
  buf[padded - 4] = lo >>> 24; buf[padded - 3] = lo >>> 16; buf[padded - 2] = lo >>> 8; buf[padded - 1] = lo;
  let h0 = 0x67452301, h1 = 0xefcdab89 | 0, h2 = 0x98badcfe | 0, h3 = 0x10325476, h4 = 0xc3d2e1f0 | 0;
  const w = new Int32Array(80);
  for (let off = 0; off < padded; off += 64) {
    for (let i = 0; i < 16; i++) {
      const j = off + i * 4;
      w[i] = (buf[j] << 24) | (buf[j + 1] << 16) | (buf[j + 2] << 8) | buf[j + 3];
    }
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4;
    for (let i = 0; i < 80; i++) {
      let f: number, k: number;
      if (i < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
      else if (i < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
      else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc | 0; }
      else { f = b ^ c ^ d; k = 0xca62c1d6 | 0; }
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]) | 0;
      e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
    }
    h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0; h4 = (h4 + e) | 0;
  }
  return Int32Array.of(h0, h1, h2, h3, h4);
}

function uuidBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const namespaceBytes = uuidBytes(NAMESPACE);
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const encoder = new TextEncoder();

/** A version-5 UUID for `name`, lower-case, in the form the REFI-QDA schemas require. */
export function stableGuid(name: string): string {
  const nameBytes = encoder.encode(name);
  const length = 16 + nameBytes.length;
  const buf = new Uint8Array(paddedLength(length));
  buf.set(namespaceBytes);
  buf.set(nameBytes, 16);
  const h = sha1Padded(buf, length);
  let hex = '';
  for (let i = 0; i < 16; i++) {
    let byte = (h[i >> 2] >>> (24 - (i & 3) * 8)) & 0xff;
    if (i === 6) byte = (byte & 0x0f) | 0x50;
    if (i === 8) byte = (byte & 0x3f) | 0x80;
    hex += HEX[byte];
    if (i === 3 || i === 5 || i === 7 || i === 9) hex += '-';
  }
  return hex;
}

/** Joins the parts of a GUID name so that no two different part lists give the same name. */
export function guidFor(...parts: (string | number)[]): string {
  return stableGuid(parts.map(String).join('\u0000'));
}
