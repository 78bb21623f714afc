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

// Each pattern is tried only where a cheap scan (no Unicode property, no look-behind) finds what it must
// start with: an `@`, a `+`, `(0` or `0` before a digit, a capital before a digit. Trying the full patterns at
// every character of every transcript cost more than reading them.
const EMAIL_AT = new RegExp(EMAIL, 'uy');
const PHONE_AT = new RegExp(PHONE, 'uy');
const POSTCODE_AT = new RegExp(POSTCODE, 'uy');
const PHONE_START = /\+\d|\(0\d|0\d/g;
const POSTCODE_START = /[A-PR-UWYZ][A-HK-Y]?\d/g;
const EMAIL_LOCAL = /[\p{L}\p{N}._%+-]/u;

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

function matchAt(re: RegExp, text: string, i: number): string | undefined {
  re.lastIndex = i;
  return re.exec(text)?.[0];
}

/** Every e-mail address, telephone number and UK postcode in `text` between `from` and `to`, in order. */
export function findDetails(text: string, from = 0, to = text.length): DetailMatch[] {
  const out: DetailMatch[] = [];
  // E-mail addresses: from each `@`, back to where the address starts.
  for (let at = text.indexOf('@', from); at >= 0 && at < to; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > from && at - start < 256 && EMAIL_LOCAL.test(text[start - 1])) start--;
    for (let s = start; s < at; s++) {
      const m = matchAt(EMAIL_AT, text, s);
      if (m !== undefined && s + m.length > at) {
        if (s + m.length <= to) out.push({ start: s, end: s + m.length, kind: 'email' });
        at = s + m.length - 1;
        break;
      }
    }
  }
  const taken = (start: number, end: number): boolean => out.some((d) => d.start < end && start < d.end);
  const scan = (starts: RegExp, full: RegExp, kind: DetailKind, keep: (s: string) => boolean): void => {
    starts.lastIndex = from;
    let c: RegExpExecArray | null;
    while ((c = starts.exec(text)) !== null && c.index < to) {
      const m = matchAt(full, text, c.index);
      if (m === undefined || c.index + m.length > to || !keep(m) || taken(c.index, c.index + m.length)) continue;
      out.push({ start: c.index, end: c.index + m.length, kind });
      starts.lastIndex = c.index + m.length;
    }
  };
  scan(PHONE_START, PHONE_AT, 'phone', isPhone);
  scan(POSTCODE_START, POSTCODE_AT, 'postcode', () => true);
  return out.sort((a, b) => a.start - b.start);
}

/** How a detail is replaced in a redacted export. */
export function detailPlaceholder(kind: DetailKind): string {
  return `[${kind}]`;
}

/** A detail's kind in words. */
export function detailWords(kind: DetailKind): string {
  return kind === 'email' ? 'an e-mail address' : kind === 'phone' ? 'a telephone number' : 'a postcode';
}
