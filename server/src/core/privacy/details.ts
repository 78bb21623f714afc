/**
 * Identifying details found without any list (SPEC §13): e-mail addresses, telephone numbers and UK
 * postcodes. The patterns are narrow on purpose, so that what transcripts are full of — times
 * (`10:30`, `10.30am`), timestamps (`[00:12:31]`), years, dates (`2011-05-12`), question IDs, codes,
 * counts ("about 4000 cases") and participant IDs (`SW07`) — is never taken for a detail.
 */

export type DetailKind = 'email' | 'phone' | 'postcode';

export interface DetailMatch {
  start: number;
  end: number;
  kind: DetailKind;
}

const EMAIL = String.raw`(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?![\p{L}\p{N}])`;
// A number written in groups of digits separated by one space, hyphen or dot, starting with `+`
// (international) or `0` / `(0` (UK national): whether it is a telephone number is then decided
// by how many digits it has.
const PHONE = String.raw`(?<![\p{L}\p{N}_+.:/#@-])(?:\+\d{1,3}(?:[ .-]?\(0\))?|\(0\d{1,4}\)|0\d{1,4})(?:[ .-]?\d{1,6}){1,5}(?![\p{L}\p{N}]|[.:/-]\d)`;
// Outward code (A9, A99, AA9, AA99, A9A, AA9A), an optional space, inward code (9AA without C, I, K, M, O, V).
const POSTCODE = String.raw`(?<![\p{L}\p{N}_#@/-])(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?) ?\d[ABD-HJLNP-UW-Z]{2}(?![\p{L}\p{N}])`;

const ANY = new RegExp(`(${EMAIL})|(${PHONE})|(${POSTCODE})`, 'gu');

function digits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) n++;
  return n;
}

function isPhone(s: string): boolean {
  const n = digits(s);
  if (s.startsWith('+')) return n >= 8 && n <= 15;
  // UK national numbers have 10 or 11 digits with the leading 0.
  return n >= 10 && n <= 11;
}

/** Every e-mail address, telephone number and UK postcode in `text` between `from` and `to`, in order. */
export function findDetails(text: string, from = 0, to = text.length): DetailMatch[] {
  const out: DetailMatch[] = [];
  ANY.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = ANY.exec(text)) !== null) {
    const start = m.index;
    const end = start + m[0].length;
    if (end > to) break;
    if (m[1] !== undefined) out.push({ start, end, kind: 'email' });
    else if (m[2] !== undefined) {
      if (isPhone(m[0])) out.push({ start, end, kind: 'phone' });
    } else out.push({ start, end, kind: 'postcode' });
  }
  return out;
}

/** How a detail is replaced in a redacted export. */
export function detailPlaceholder(kind: DetailKind): string {
  return `[${kind}]`;
}

/** A detail's kind in words. */
export function detailWords(kind: DetailKind): string {
  return kind === 'email' ? 'an e-mail address' : kind === 'phone' ? 'a telephone number' : 'a postcode';
}
