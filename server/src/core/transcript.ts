/**
 * The transcript scanner (SPEC §4). Hand-written because it runs over every
 * byte of a study: one pass, line by line, jumping between the few characters
 * that can start markup. It never throws; half-typed markup is normal input.
 */
import type { Attribute, AttributeScalar, AttributeValue, CodeUse, FrontMatter, Located, MemoDef, Problem, SkipEntry, SpanDef, TranscriptModel, Turn } from './model';
import { LineIndex } from './text';
import { writtenAs } from './written';
import { isMap, isScalar, isSeq, nodeRange, parseYaml, pairKey, scalarText, yamlLineBreaks, type Node } from './yaml/read';

const BACKSLASH = 92, PERCENT = 37, OPEN = 123, CLOSE = 125, HASH = 35, AT = 64;
const SPACE = 32, TAB = 9, LPAREN = 40, LBRACKET = 91, COLON = 58, SLASH = 47, DASH = 45, DOT = 46;

/** Characters after which markup may start (besides the start of a line and whitespace). */
const ESCAPABLE = new Set([OPEN, CLOSE, HASH, AT, PERCENT]);

const DIGITS_ONLY = /^\p{N}+$/u;

export function isBlankChar(c: number): boolean {
  return c === SPACE || c === TAB || c === 0xa0 || c === 0xfeff || c === 0x0b || c === 0x0c || c === 0x85 ||
    c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Parses a transcript. Never throws: any text gives a model and a list of problems. */
export function parseTranscript(text: string): TranscriptModel {
  const lines = new LineIndex(text);
  const model: TranscriptModel = {
    kind: 'transcript', lines, bodyStart: 0, markers: [], codes: [], spans: [], memos: [],
    paragraphs: [], turns: [], escapes: [], problems: [],
  };
  try {
    readFrontMatter(text, model);
    scanBody(text, model);
  } catch (err) {
    // A bug must not take the editor down with it; report it where the user can see it.
    model.problems.push({ code: 'invalid-front-matter', start: 0, end: 0, message: `Transcript Coder could not read this file completely (${String(err)}). Please report this.` });
  }
  return model;
}

/**
 * A transcript's front matter alone, without reading its body: for a check that needs every transcript's
 * `participant:` and `guide:` before it reads each transcript in full. The model's body is left empty.
 */
export function parseFrontMatterOnly(text: string): TranscriptModel {
  // Only the lines up to the closing `---` are read (the first line alone when there is none): positions
  // in them are the same as in the whole text, and the body, most of the text, is never indexed.
  const model: TranscriptModel = {
    kind: 'transcript', lines: new LineIndex(text.slice(0, frontMatterExtent(text).end)), bodyStart: 0, markers: [], codes: [], spans: [], memos: [],
    paragraphs: [], turns: [], escapes: [], problems: [],
  };
  try {
    readFrontMatter(text, model);
  } catch {
    // The full parse reports it; here the transcript just counts as having no front matter.
    delete model.frontMatter;
  }
  return model;
}

/**
 * Where the front matter's closing `---` line ends (before its line break), or the first line's end when
 * there is none; `complete` is false when the text opens front matter that it does not close (so a text
 * that is only the start of a file may hold part of it).
 */
export function frontMatterExtent(text: string): { end: number; complete: boolean } {
  const lineEnd = (from: number): number => {
    const n = text.indexOf('\n', from), r = text.indexOf('\r', from);
    const end = n < 0 ? r : r < 0 ? n : Math.min(n, r);
    return end < 0 ? text.length : end;
  };
  const next = (end: number): number => (text.startsWith('\r\n', end) ? end + 2 : end + 1);
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const first = lineEnd(bom);
  if (!isFenceLine(text, bom, first)) return { end: first, complete: true };
  if (first < text.length) {
    for (let start = next(first); start < text.length;) {
      const end = lineEnd(start);
      if (isFenceLine(text, start, end)) return { end, complete: true };
      if (end >= text.length) break;
      start = next(end);
    }
  }
  return { end: first, complete: false };
}

// ---------------------------------------------------------------- front matter

function isFenceLine(text: string, start: number, end: number): boolean {
  if (end - start < 3 || text.charCodeAt(start) !== 45 || text.charCodeAt(start + 1) !== 45 || text.charCodeAt(start + 2) !== 45) return false;
  for (let i = start + 3; i < end; i++) if (!isBlankChar(text.charCodeAt(i))) return false;
  return true;
}

function readFrontMatter(text: string, model: TranscriptModel): void {
  const { lines } = model;
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  model.bodyStart = bom;
  if (!isFenceLine(text, bom, lines.ends[0])) return;
  let close = -1;
  for (let l = 1; l < lines.lineCount; l++) {
    if (isFenceLine(text, lines.starts[l], lines.ends[l])) { close = l; break; }
  }
  if (close < 0) {
    model.problems.push({
      code: 'invalid-front-matter', start: bom, end: lines.ends[0],
      message: 'The front matter starts with `---` but has no closing `---` line, so it is read as interview text. Add a line `---` after the last `key: value` line.',
    });
    return;
  }
  const yamlStart = lines.starts[1];
  const yamlEnd = lines.starts[close];
  const end = lines.ends[close];
  model.bodyStart = close + 1 < lines.lineCount ? lines.starts[close + 1] : text.length;
  const fm: FrontMatter = { start: bom, end, yamlStart, yamlEnd, skippedForm: 'none', skipped: [], attributes: [] };
  model.frontMatter = fm;
  if (readPlainFrontMatter(text, lines, close, fm)) return;

  // A detached copy, so that the values read from it do not keep the whole transcript in memory.
  const { doc, problems } = parseYaml(detached(yamlLineBreaks(text.slice(yamlStart, yamlEnd))), 'invalid-front-matter', yamlStart);
  /** The YAML reader's reports of repeated keys, reworded below for the keys the front matter gives twice. */
  const repeats: Problem[] = [];
  problems.forEach((p, i) => {
    const reported = { ...p, message: `The front matter is not valid YAML: ${p.message.replace(/^This is not valid YAML: /, '')}` };
    model.problems.push(reported);
    if (doc.errors[i]?.code === 'DUPLICATE_KEY') repeats.push(reported);
  });
  const root = doc.contents;
  if (root === null || root === undefined || (isScalar(root) && (root.value === null || root.value === ''))) return;
  if (!isMap(root)) {
    model.problems.push({
      code: 'invalid-front-matter', start: yamlStart, end: yamlEnd,
      message: 'The front matter must be a list of `key: value` lines, such as `guide: ppp-general`.',
    });
    return;
  }
  const seen = new Set<string>();
  for (const pair of root.items) {
    const key = pairKey(pair);
    if (key === undefined) continue;
    const value = pair.value as Node | null;
    const keyNode = pair.key as Node;
    // As in guides and codebooks, the first of a repeated key is read and the later one reported.
    if (seen.has(key)) {
      repeatedKey(model.problems, repeats, key, nodeRange(keyNode, yamlStart));
      continue;
    }
    seen.add(key);
    switch (key) {
      case 'guide':
      case 'role':
      case 'participant': {
        const loc = locatedScalar(text, value, yamlStart);
        if (loc) fm[key] = loc;
        else if (value && !(isScalar(value) && value.value === null)) {
          const r = nodeRange(value, yamlStart) ?? nodeRange(keyNode, yamlStart)!;
          model.problems.push({ code: 'invalid-front-matter', start: r.start, end: r.end, message: `\`${key}\` must be a single value, such as \`${key}: ${key === 'guide' ? 'ppp-general' : key === 'role' ? 'swr' : 'SW07'}\`.` });
        }
        if (key === 'guide') {
          const k = nodeRange(keyNode, yamlStart);
          if (k) { const line = model.lines.lineAt(k.start); fm.guideLine = { start: model.lines.starts[line], end: model.lines.ends[line] }; }
        }
        break;
      }
      case 'skipped':
        fm.skippedKey = nodeRange(keyNode, yamlStart);
        readSkipped(text, value, yamlStart, fm, model.problems);
        break;
      case 'speakers':
        if (isSeq(value)) fm.speakers = value.items.map((it) => scalarText(it)).filter((s): s is string => s !== undefined).map((s) => s.trim());
        else if (value && !(isScalar(value) && value.value === null)) {
          const r = nodeRange(value, yamlStart)!;
          model.problems.push({ code: 'invalid-front-matter', start: r.start, end: r.end, message: '`speakers` must be a list of speaker labels, such as `[I, R]`.' });
        }
        break;
      default: {
        const r = nodeRange(value, yamlStart);
        const attr: Attribute = { key, value: '', typed: '', start: r?.start ?? nodeRange(keyNode, yamlStart)!.end, end: r?.end ?? nodeRange(keyNode, yamlStart)!.end };
        const s = scalarText(value);
        attr.value = s ?? (r ? text.slice(r.start, r.end).trim() : '');
        attr.typed = typedNode(value, attr.value, (n) => { const nr = nodeRange(n, yamlStart); return nr ? text.slice(nr.start, nr.end).trim() : ''; });
        fm.attributes.push(attr);
      }
    }
  }
}

/**
 * Says of a front-matter key given again that only the first is read, on the key: rewording the YAML
 * reader's report of it (the last of `repeats` before the key: the reader places it between the pair
 * before and the key), or adding one.
 */
function repeatedKey(problems: Problem[], repeats: Problem[], key: string, at: { start: number; end: number } | undefined): void {
  if (!at) return;
  const message = `\`${key}\` is given twice in the front matter: keep one (only the first is read).`;
  let i = repeats.length - 1;
  while (i >= 0 && repeats[i].start > at.start) i--;
  if (i < 0) {
    problems.push({ code: 'invalid-front-matter', start: at.start, end: at.end, message });
    return;
  }
  Object.assign(repeats[i], { start: at.start, end: at.end, message });
  repeats.splice(i, 1);
}

// The plain front matter nearly every transcript has (`key: value` lines, and `skipped` as an indented
// list or map) is read here without the YAML parser, which costs more than scanning the whole body.
// Anything else, or anything doubtful, is left to the parser: this path must give exactly what it gives.

/** Characters that may not start a plain YAML scalar (and `~`, which alone means null). */
const YAML_INDICATORS = new Set('-?:,[]{}#&*!|>\'"%@`~'.split('').map((c) => c.charCodeAt(0)));
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
/** Plain scalars that YAML reads as null, or keys it reads as booleans. */
const YAML_NULL = /^(?:null|Null|NULL)$/;
const YAML_BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;

/** The end of a plain one-line scalar starting at `start`, trailing spaces excluded; -1 if it is not one. */
function plainScalarEnd(text: string, start: number, end: number): number {
  while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
  if (end === start || YAML_INDICATORS.has(text.charCodeAt(start))) return -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    // No comments, no `key: value` inside, nothing YAML treats specially or could read as a line break.
    if (c < SPACE || c === 58 /* : */ || c === HASH || (c >= 0x7f && c <= 0xa0) || (c >= 0xd800 && c <= 0xdfff) ||
      c === 0x2028 || c === 0x2029 || c === 0xfeff) return -1;
  }
  return YAML_NULL.test(text.slice(start, end)) ? -1 : end;
}

const DECIMAL = /^[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/;
const BOOLEAN = /^(?:true|True|TRUE|false|False|FALSE)$/;

/**
 * The typed value of a plain (unquoted) scalar: a decimal number (`12`, `-3.5`, `1e3`) or a boolean as YAML reads
 * them, else the text. Numbers YAML would also read but people write as labels (`016`, `0x1F`, `.5`) stay text,
 * as does a number JSON cannot hold exactly as written. Both front-matter readers call this, so they agree.
 */
export function typedScalar(source: string): AttributeScalar {
  if (BOOLEAN.test(source)) return source[0] === 't' || source[0] === 'T';
  if (DECIMAL.test(source)) {
    const n = Number(source);
    if (Number.isFinite(n) && (Number.isSafeInteger(n) || !/^[-+]?[0-9]+$/.test(source))) return n;
  }
  return source;
}

/** An attribute's typed value from the YAML AST: a scalar by `typedScalar` when plain, a list item by item, else `asText`. */
function typedNode(node: Node | null, asText: string, textOf: (n: Node) => string): AttributeValue {
  const item = (n: unknown): AttributeScalar => {
    if (isScalar(n)) {
      const t = scalarText(n);
      if (t === undefined) return '';
      return n.type === 'PLAIN' ? typedScalar(t) : t;
    }
    return textOf(n as Node);
  };
  if (isSeq(node)) return node.items.map(item);
  if (isScalar(node) && scalarText(node) !== undefined) return item(node);
  return asText;
}

/** `key:` at the start of a line: the key's end, or -1. */
function plainKeyEnd(text: string, ls: number, le: number): number {
  const colon = text.indexOf(':', ls);
  if (colon < 0 || colon >= le) return -1;
  const key = text.slice(ls, colon);
  if (!PLAIN_KEY.test(key) || YAML_BOOL.test(key) || YAML_NULL.test(key)) return -1;
  // `key:value` is one scalar in YAML, not a pair.
  return colon + 1 === le || text.charCodeAt(colon + 1) === SPACE ? colon : -1;
}

type PlainPair = { key: string; keyStart: number; keyEnd: number; line: number; value?: Located; items: { id: Located; reason?: string }[]; form: 'list' | 'map' | 'none' };

/**
 * Fills `fm` from lines 1 … close-1 when they are plain `key: value` lines; returns false,
 * leaving `fm` untouched, for anything else (comments, blank lines, quotes, nesting, null
 * values, `speakers`, repeated keys …), which the YAML parser then reads.
 */
export function readPlainFrontMatter(text: string, lines: LineIndex, close: number, fm: FrontMatter): boolean {
  const pairs: PlainPair[] = [];
  const keys = new Set<string>();
  const located = (start: number, end: number): Located | undefined => {
    const e = plainScalarEnd(text, start, end);
    return e < 0 ? undefined : { value: detached(text.slice(start, e)), start, end: e };
  };
  let indent = -1;
  let itemIds: Set<string> | undefined;
  for (let l = 1; l < close; l++) {
    const ls = lines.starts[l], le = lines.ends[l];
    if (text.charCodeAt(ls) === SPACE) {
      // An entry of the `skipped:` just above, all at one indentation.
      const owner = pairs[pairs.length - 1];
      if (!owner || owner.key !== 'skipped' || owner.value) return false;
      let i = ls;
      while (i < le && text.charCodeAt(i) === SPACE) i++;
      if (indent < 0) indent = i - ls;
      else if (i - ls !== indent) return false;
      if (text.charCodeAt(i) === 45 /* - */ && text.charCodeAt(i + 1) === SPACE) {
        if (owner.form === 'map') return false;
        owner.form = 'list';
        let v = i + 1;
        while (v < le && text.charCodeAt(v) === SPACE) v++;
        const id = located(v, le);
        if (!id) return false;
        owner.items.push({ id });
      } else {
        if (owner.form === 'list') return false;
        owner.form = 'map';
        const k = text.indexOf(':', i);
        const id = k < 0 || k >= le || (k + 1 < le && text.charCodeAt(k + 1) !== SPACE) ? undefined : located(i, k);
        // Keys YAML reads as numbers or booleans (`1`, `01`, `True`, `true`) may collide: left to the parser.
        if (!id || id.end !== k || !/^[\p{L}_]/u.test(id.value) || YAML_BOOL.test(id.value)) return false;
        let v = k + 1;
        while (v < le && text.charCodeAt(v) === SPACE) v++;
        const reason = located(v, le);
        if (!reason) return false;
        itemIds ??= new Set();
        if (itemIds.has(id.value)) return false; // YAML refuses repeated keys.
        itemIds.add(id.value);
        owner.items.push({ id, reason: reason.value });
      }
      continue;
    }
    const k = plainKeyEnd(text, ls, le);
    if (k < 0) return false;
    const key = detached(text.slice(ls, k));
    if (keys.has(key) || key === 'speakers') return false;
    keys.add(key);
    let v = k + 1;
    while (v < le && text.charCodeAt(v) === SPACE) v++;
    const pair: PlainPair = { key, keyStart: ls, keyEnd: k, line: l, items: [], form: 'none' };
    if (v < le) {
      pair.value = located(v, le);
      if (!pair.value) return false;
      if (key === 'skipped') { pair.form = 'list'; pair.items.push({ id: pair.value }); }
    } else if (key !== 'skipped') return false; // `key:` with no value: null, left to the parser.
    indent = -1;
    pairs.push(pair);
  }
  if (pairs.length === 0) return false;
  for (const p of pairs) {
    switch (p.key) {
      case 'guide':
      case 'role':
      case 'participant':
        fm[p.key] = p.value;
        if (p.key === 'guide') fm.guideLine = { start: lines.starts[p.line], end: lines.ends[p.line] };
        break;
      case 'skipped':
        fm.skippedKey = { start: p.keyStart, end: p.keyEnd };
        if (p.form !== 'none') fm.skippedForm = p.form;
        for (const { id, reason } of p.items) fm.skipped.push({ id: id.value, reason, start: id.start, end: id.end });
        break;
      default: {
        const v = p.value!;
        fm.attributes.push({ key: p.key, value: v.value, typed: typedScalar(v.value), start: v.start, end: v.end });
      }
    }
  }
  return true;
}

function readSkipped(text: string, value: Node | null, offset: number, fm: FrontMatter, problems: Problem[]): void {
  if (value === null || value === undefined || (isScalar(value) && value.value === null)) return;
  const add = (node: unknown, reason?: string): void => {
    const loc = locatedScalar(text, node as Node, offset);
    if (!loc) return;
    const entry: SkipEntry = { id: loc.value, reason, start: loc.start, end: loc.end };
    const written = writtenAs(text, loc.start, loc.end, loc.value);
    if (written) entry.written = written;
    fm.skipped.push(entry);
  };
  if (isSeq(value)) {
    fm.skippedForm = 'list';
    for (const item of value.items) add(item);
  } else if (isMap(value)) {
    fm.skippedForm = 'map';
    for (const pair of value.items) add(pair.key, scalarText(pair.value));
  } else if (isScalar(value)) {
    // `skipped: whose-idea` — one ID written without a list; read it as one.
    fm.skippedForm = 'list';
    add(value);
  } else {
    const r = nodeRange(value, offset);
    if (r) problems.push({ code: 'invalid-front-matter', start: r.start, end: r.end, message: '`skipped` must list question IDs, or map each ID to a reason.' });
  }
}

/** A scalar's text and the offsets of its content (inside the quotes when quoted). */
export function locatedScalar(text: string, node: Node | null | undefined, offset: number): Located | undefined {
  if (!isScalar(node)) return undefined;
  const value = scalarText(node);
  if (value === undefined) return undefined;
  const r = nodeRange(node, offset)!;
  let { start, end } = r;
  const q = text.charCodeAt(start);
  if ((q === 34 || q === 39) && end - start >= 2 && text.charCodeAt(end - 1) === q) { start++; end--; }
  return { value, start, end };
}

// ---------------------------------------------------------------- body

/** The characters that can start markup. */
const SPECIAL = ['{', '}', '#', '@', '%', '\\'];

// Code paths and question IDs are measured by hand rather than with CODE_PATH_AT and QUESTION_ID_AT
// (ids.ts): a regular expression call cost more than the rest of the work on a code. These give exactly
// what those patterns match: runs of ID characters (`[\p{L}\p{N}_]`, by code point) joined by single
// separators, `-` or `/` in a code path and `-` or `.` in a question ID.

/** Which ASCII characters are ID characters. */
const ASCII_ID = new Uint8Array(128).map((_, c) => (/[\p{L}\p{N}_]/u.test(String.fromCharCode(c)) ? 1 : 0));
const ID_CHAR = /^[\p{L}\p{N}_]$/u;

/** The length of the ID character at `i` (2 for a letter outside the BMP), or 0 if there is none. */
function idCharLength(text: string, i: number): number {
  if (i >= text.length) return 0;
  const c = text.charCodeAt(i);
  if (c < 128) return ASCII_ID[c];
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = text.charCodeAt(i + 1);
    return d >= 0xdc00 && d <= 0xdfff && ID_CHAR.test(text.slice(i, i + 2)) ? 2 : 0;
  }
  return ID_CHAR.test(text[i]) ? 1 : 0;
}

/** The end of the run of ID characters starting at `i` (`i` when there is none). */
function idRunEnd(text: string, i: number): number {
  for (let n = idCharLength(text, i); n > 0; n = idCharLength(text, i)) i += n;
  return i;
}

/**
 * The end of the longest ID starting at `start` whose runs are joined by `sep1` or `sep2`, or -1 when
 * no ID starts there.
 */
function idEnd(text: string, start: number, sep1: number, sep2: number): number {
  let end = idRunEnd(text, start);
  if (end === start) return -1;
  for (;;) {
    const c = text.charCodeAt(end);
    if (c !== sep1 && c !== sep2) return end;
    const next = idRunEnd(text, end + 1);
    if (next === end + 1) return end; // a separator not followed by an ID character is not part of it
    end = next;
  }
}

/** A path that starts with a letter is not digits only (`#5` is text, `#a5` a code). */
function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function canPrecedeMarker(c: number): boolean {
  return isBlankChar(c) || c === LPAREN || c === LBRACKET || c === OPEN;
}

function scanBody(text: string, model: TranscriptModel): void {
  const { lines, codes, spans, memos, paragraphs, markers, escapes, problems, turns } = model;
  const speakers = model.frontMatter?.speakers;
  const firstLine = lines.lineAt(model.bodyStart);

  const stack: number[] = [];
  /** Paragraph index of each code that codes its paragraph (filled in at the end). */
  const codeParagraph: number[] = [];
  let paraOpen = false;
  let memoEnd = -1; // inside a memo until this offset
  // Where each character that can start markup next occurs, at or after the last offset asked about (-1: not
  // again). Each is searched for with `indexOf`, faster than any one search for all six, and only once the
  // scan has passed it; a search runs on past the end of its line, so lines without markup cost nothing.
  const nextAt = [-2, -2, -2, -2, -2, -2]; // -2: not searched yet
  let nearest = -2; // the first of them (-1: none), while no offset past it has been asked about
  let askedFrom = 0;
  const nextSpecial = (from: number): number => {
    if (from < askedFrom) { nextAt.fill(-2); nearest = -2; } // the scan never goes back; should it ever, search again
    askedFrom = from;
    if (nearest === -1 || from <= nearest) return nearest;
    let k = -1;
    for (let j = 0; j < SPECIAL.length; j++) {
      let at = nextAt[j];
      if (at < from && at !== -1) nextAt[j] = at = text.indexOf(SPECIAL[j], from);
      if (at >= 0 && (k < 0 || at < k)) k = at;
    }
    nearest = k;
    return k;
  };
  // Where a memo opened on a line may end: the end of its block of non-blank lines (where it may close), and
  // the end of its paragraph (where an unclosed one ends). Each is the same for every line up to it, so it is
  // found once per block or paragraph: found afresh for each `%%`, a block of thousands of memo lines was
  // scanned once per memo.
  const blockEnd = paragraphEnds(text, lines, undefined, true);
  const paragraphEnd = paragraphEnds(text, lines, speakers, false);
  // Code paths, question IDs and speaker labels repeat: one detached copy of each per transcript.
  const names = new Map<string, string>();
  const name = (s: string): string => {
    let own = names.get(s);
    if (own === undefined) { own = detached(s); names.set(s, own); }
    return own;
  };
  // The same code often comes many times in a row (a run of spans with one code): compared in place, it
  // costs neither a copy of its text nor a look-up.
  let lastPath = '';
  const pathAt = (start: number, end: number): string => {
    if (end - start === lastPath.length && text.startsWith(lastPath, start)) return lastPath;
    lastPath = name(text.slice(start, end));
    return lastPath;
  };

  for (let l = firstLine; l < lines.lineCount; l++) {
    const ls = Math.max(lines.starts[l], model.bodyStart);
    const le = lines.ends[l];
    let first = ls;
    while (first < le && isBlankChar(text.charCodeAt(first))) first++;
    if (first === le) { paraOpen = false; continue; }
    let last = le;
    while (last > first && isBlankChar(text.charCodeAt(last - 1))) last--;

    const insideMemo = memoEnd > ls;
    if (!insideMemo && first === ls) {
      const turn = matchTurn(text, ls, speakers);
      if (turn) { turn.label = name(turn.label); turns.push(turn); paraOpen = false; }
    }
    if (!paraOpen) { paragraphs.push({ start: first, end: last }); paraOpen = true; }
    else paragraphs[paragraphs.length - 1].end = last;
    if (memoEnd >= le) continue;

    // The span whose code run may continue on this line, and where the run stands.
    let runSpan = -1;
    let runEnd = -1;
    let runStarted = false;
    let pos = insideMemo ? memoEnd : ls;
    for (;;) {
      const k = nextSpecial(pos);
      if (k < 0 || k >= le) break;
      pos = k + 1;
      const c = text.charCodeAt(k);
      if (c === BACKSLASH) {
        if (k + 1 < le && ESCAPABLE.has(text.charCodeAt(k + 1))) { escapes.push(k); pos = k + 2; }
        continue;
      }
      if (c === PERCENT) {
        if (text.charCodeAt(k + 1) !== PERCENT) continue;
        // A memo closes before the next blank line, so a half-typed `%%` cannot pair with the next memo's
        // opening; unclosed, it ends with its paragraph (a turn line ends that too).
        const close = findMemoClose(text, k + 2, blockEnd(l));
        const closed = close >= 0;
        const end = closed ? close + 2 : paragraphEnd(l);
        memos.push({ start: k, end, closed, paragraph: paragraphs.length - 1 } satisfies MemoDef);
        if (!closed) problems.push({ code: 'unclosed-memo', start: k, end: k + 2, message: 'This memo has no closing `%%` before the next blank line; it is read to the end of its paragraph. Close it with `%%`.' });
        memoEnd = end;
        runSpan = -1;
        if (end >= le) break;
        pos = end;
        continue;
      }
      if (c === OPEN) {
        stack.push(spans.length);
        spans.push({ open: k, close: -1, codes: [] } satisfies SpanDef);
        runSpan = -1;
        continue;
      }
      if (c === CLOSE) {
        const s = stack.pop();
        if (s === undefined) {
          problems.push({ code: 'unmatched-brace', start: k, end: k + 1, message: 'This `}` closes no span: there is no `{` before it. Add the `{` where the coded passage starts, or write `\\}` for a literal brace.' });
          runSpan = -1;
        } else {
          spans[s].close = k;
          runSpan = s; runEnd = k + 1; runStarted = false;
        }
        continue;
      }
      // `#` or `@`: markup only after the start of a line, whitespace or an opening bracket.
      const prev = k === ls ? SPACE : text.charCodeAt(k - 1);
      if (c === HASH) {
        if (!(canPrecedeMarker(prev) || prev === CLOSE)) continue;
        const end = idEnd(text, k + 1, DASH, SLASH);
        if (end < 0 || end > le || (!isAsciiLetter(text.charCodeAt(k + 1)) && DIGITS_ONLY.test(text.slice(k + 1, end)))) continue;
        const inRun = runSpan >= 0 && (runStarted ? k > runEnd && onlySpacesOrTabs(text, runEnd, k) : k === runEnd);
        const use: CodeUse = { path: pathAt(k + 1, end), start: k, end, target: 'paragraph', segStart: 0, segEnd: 0 };
        if (inRun) {
          const span = spans[runSpan];
          use.target = 'span'; use.segStart = span.open + 1; use.segEnd = span.close;
          // Nearly every span has one code: a list made with it holds one entry, where a push onto the
          // empty list would make room for seventeen (for every span of the study, in memory).
          if (span.codes.length === 0) span.codes = [codes.length];
          else span.codes.push(codes.length);
          codeParagraph.push(-1);
          runEnd = end; runStarted = true;
        } else {
          codeParagraph.push(paragraphs.length - 1);
          runSpan = -1;
        }
        codes.push(use);
        pos = end;
        continue;
      }
      // c === AT
      if (!canPrecedeMarker(prev)) continue;
      const end = idEnd(text, k + 1, DASH, DOT);
      if (end < 0 || end > le) continue;
      markers.push({ id: name(text.slice(k + 1, end)), start: k, end });
      pos = end;
    }
  }

  for (let i = 0; i < codes.length; i++) {
    const p = codeParagraph[i];
    if (p >= 0) { codes[i].segStart = paragraphs[p].start; codes[i].segEnd = paragraphs[p].end; }
  }
  spanProblems(text, model, stack);
}

/**
 * The problems of spans, once the body is scanned, and all problems in order. Kept out of `scanBody`:
 * V8 compiles that one's long loop while it runs and keeps that code, with its first guesses, for later
 * transcripts; the problem list differs here (empty in most transcripts), and the guess made it fall back
 * to slow code at the end of 850 of 1,000 transcripts.
 */
function spanProblems(text: string, model: TranscriptModel, unclosed: number[]): void {
  const { spans, problems } = model;
  for (const s of unclosed) {
    problems.push({ code: 'unclosed-span', start: spans[s].open, end: spans[s].open + 1, message: 'This `{` has no matching `}`. Close the coded passage with `}` followed by a code, as in `{…}#code`.' });
  }
  const empty = emptySpans(text, model);
  spans.forEach((span, i) => {
    if (span.close < 0) return;
    if (span.codes.length === 0) {
      problems.push({ code: 'span-without-code', start: span.close, end: span.close + 1, message: 'This span has no code: write the code right after the `}`, as in `}#code`.' });
    }
    if (empty.has(i)) {
      problems.push({ code: 'empty-span', start: span.open, end: span.close + 1, message: 'This span holds no text to code.' });
    }
  });
  problems.sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * A copy of `s` that does not share memory with the string it was cut from. V8 makes a
 * substring a view into its parent, so one code path kept in a model would otherwise keep
 * the whole transcript alive after parsing (in the CLI, in the server's index of unopened files).
 */
function detached(s: string): string {
  // Flattening `' ' + s` copies its characters into a new string; the slice is a view into that copy.
  return (' ' + s).slice(1);
}

/** JavaScript's white space and line terminators: what `trim()` removes (and `\s` matches). */
function isTrimmedChar(c: number): boolean {
  return c === SPACE || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * The closed spans whose inner text reads as nothing once markup is removed (what `excerptOf` would
 * give as ''). Each span looks for its first character of text; spans are visited innermost first
 * (by descending `{`), and a span that meets an inner span takes that span's answer instead of
 * scanning it again, so each span is looked into once, not once per span around it. What starts at an
 * offset is found by binary search in the model's lists, which are in text order: no index of every
 * token is built, so a transcript of hundreds of thousands of spans costs little more per span than one of ten.
 */
function emptySpans(text: string, model: TranscriptModel): Set<number> {
  const empty = new Set<number>();
  const { spans, codes, markers, memos, escapes } = model;
  /** First offset of text inside each span: -2 not known (unclosed spans stay so), -1 none. */
  const firstText = new Int32Array(spans.length).fill(-2);
  const tokens: readonly { start: number; end: number }[][] = [codes, markers, memos];
  const tokenEndAt = (k: number): number => {
    for (const list of tokens) {
      const t = list[lowerBound(list, k, (x) => x.start)];
      if (t !== undefined && t.start === k) return t.end;
    }
    return -1;
  };
  for (let i = spans.length - 1; i >= 0; i--) {
    const limit = spans[i].close;
    if (limit < 0) continue;
    let found = -1;
    let k = spans[i].open + 1;
    while (k < limit) {
      if (isTrimmedChar(text.charCodeAt(k))) { k++; continue; }
      // The first span after this one whose `{` is at or after k (inner spans come right after it).
      let j = i + 1, hi = spans.length;
      while (j < hi) { const mid = (j + hi) >> 1; if (spans[mid].open < k) j = mid + 1; else hi = mid; }
      if (j < spans.length && spans[j].open === k) {
        const known = firstText[j];
        if (known >= 0) { found = known; break; }
        // An empty inner span is skipped whole; an unclosed one only loses its brace.
        k = known === -2 ? k + 1 : spans[j].close + 1;
        continue;
      }
      const end = tokenEndAt(k);
      if (end >= 0) { k = end; continue; }
      const e = lowerBound(escapes, k, (o) => o);
      found = escapes[e] === k ? k + 1 : k;
      break;
    }
    firstText[i] = found;
    if (found < 0) empty.add(i);
  }
  return empty;
}

/**
 * Every piece of markup an excerpt leaves out (memos, markers, codes, the backslashes of escapes, span
 * braces) as [start, end) in text order: the model's lists, each in text order (closing braces once sorted), merged.
 */
function markupCuts(model: TranscriptModel): { starts: Int32Array; ends: Int32Array } {
  const lists: Int32Array[] = [];
  const pairs = <T>(arr: readonly T[], s: (t: T) => number, e: (t: T) => number): void => {
    const out = new Int32Array(2 * arr.length);
    arr.forEach((t, i) => { out[2 * i] = s(t); out[2 * i + 1] = e(t); });
    lists.push(out);
  };
  pairs(model.memos, (m) => m.start, (m) => m.end);
  pairs(model.markers, (m) => m.start, (m) => m.end);
  pairs(model.codes, (c) => c.start, (c) => c.end);
  pairs(model.escapes, (o) => o, (o) => o + 1);
  pairs(model.spans, (sp) => sp.open, (sp) => sp.open + 1);
  pairs(Array.from(sortedCloses(model)), (o) => o, (o) => o + 1);
  const total = lists.reduce((n, l) => n + l.length / 2, 0);
  const starts = new Int32Array(total);
  const ends = new Int32Array(total);
  const heads = lists.map(() => 0);
  for (let k = 0; k < total; k++) {
    let best = -1;
    for (let j = 0; j < lists.length; j++) {
      if (heads[j] < lists[j].length && (best < 0 || lists[j][heads[j]] < lists[best][heads[best]])) best = j;
    }
    starts[k] = lists[best][heads[best]];
    ends[k] = lists[best][heads[best] + 1];
    heads[best] += 2;
  }
  return { starts, ends };
}

/**
 * A speaker turn at line start `ls`: a label of 1–32 letters, digits, spaces, `.`, `_` and `-` (counting
 * code points; not starting with a space), then `:` and a space or tab — what
 * `/(?=[\p{L}\p{N}._-])[\p{L}\p{N} ._-]{1,32}:[ \t]/uy` matches, checked by hand because it is tried on
 * nearly every line. The label is kept without trailing spaces.
 */
function matchTurn(text: string, ls: number, speakers: string[] | undefined): Turn | undefined {
  if (text.charCodeAt(ls) === SPACE) return undefined;
  let i = ls;
  let count = 0;
  while (count < 32) {
    const c = text.charCodeAt(i);
    const n = c === SPACE || c === DOT || c === DASH ? 1 : idCharLength(text, i);
    if (n === 0) break;
    i += n;
    count++;
  }
  const after = text.charCodeAt(i + 1);
  if (count === 0 || text.charCodeAt(i) !== COLON || (after !== SPACE && after !== TAB)) return undefined;
  const label = text.slice(ls, i).trimEnd();
  if (speakers && !speakers.includes(label)) return undefined;
  return { label, start: ls, end: ls + label.length };
}

function onlySpacesOrTabs(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== TAB) return false;
  }
  return true;
}

/** The offset of the `%%` closing a memo opened before `from`, before `limit`, or -1. An escaped `\%` closes nothing. */
function findMemoClose(text: string, from: number, limit: number): number {
  let i = from;
  for (;;) {
    const k = text.indexOf('%%', i);
    if (k < 0 || k + 2 > limit) return -1;
    if (k > 0 && text.charCodeAt(k - 1) === BACKSLASH) { i = k + 1; continue; }
    return k;
  }
}

/**
 * For a scan that moves forward: the end of the last non-blank line of the paragraph that holds a line.
 * A blank line ends the paragraph, and so does a speaker-turn line unless `blankOnly` (SPEC §4.2).
 * The answer holds for every line from the one asked about to the paragraph's last, so it is kept for them.
 */
function paragraphEnds(text: string, lines: LineIndex, speakers: string[] | undefined, blankOnly: boolean): (line: number) => number {
  let from = -1;
  let to = -1;
  let end = 0;
  return (line) => {
    if (line >= from && line <= to) return end;
    let l = line;
    while (l + 1 < lines.lineCount && !isBlankLine(text, lines.starts[l + 1], lines.ends[l + 1]) &&
      (blankOnly || !matchTurn(text, lines.starts[l + 1], speakers))) l++;
    let e = lines.ends[l];
    while (e > lines.starts[l] && isBlankChar(text.charCodeAt(e - 1))) e--;
    from = line;
    to = l;
    end = e;
    return e;
  };
}

function isBlankLine(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isBlankChar(text.charCodeAt(i))) return false;
  return true;
}

// ---------------------------------------------------------------- excerpts

/** First index in sorted `arr` whose key is >= x. */
function lowerBound<T>(arr: ArrayLike<T>, x: number, key: (t: T) => number): number {
  let lo = 0, hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(arr[mid]) < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

const closesOf = new WeakMap<TranscriptModel, Int32Array>();

/** The offsets of the model's closing braces, sorted (spans are in order of their `{`, not of their `}`). */
function sortedCloses(model: TranscriptModel): Int32Array {
  let closes = closesOf.get(model);
  if (!closes) {
    closes = Int32Array.from(model.spans.filter((s) => s.close >= 0), (s) => s.close).sort();
    closesOf.set(model, closes);
  }
  return closes;
}

/**
 * The text of [start, end) as a person reads it: markers, codes, span braces,
 * memos and the backslashes of escapes removed, speaker labels kept, each line
 * trimmed and runs of spaces folded, lines joined by `\n`. Costs the length of the
 * range and the markup in it; for many ranges of one transcript, `excerptsOf`.
 */
export function excerptOf(text: string, model: TranscriptModel, start: number, end: number): string {
  const cut: [number, number][] = [];
  const collect = <T>(arr: ArrayLike<T>, s: (t: T) => number, e: (t: T) => number): void => {
    // Memos and tokens are sorted by start and never nest among themselves.
    let i = lowerBound(arr, start, s);
    if (i > 0 && e(arr[i - 1]) > start) i--;
    for (; i < arr.length && s(arr[i]) < end; i++) cut.push([Math.max(start, s(arr[i])), Math.min(end, e(arr[i]))]);
  };
  collect(model.memos, (m) => m.start, (m) => m.end);
  collect(model.markers, (m) => m.start, (m) => m.end);
  collect(model.codes, (c) => c.start, (c) => c.end);
  collect(model.escapes, (o) => o, (o) => o + 1);
  collect(model.spans, (sp) => sp.open, (sp) => sp.open + 1);
  collect(sortedCloses(model), (o) => o, (o) => o + 1);
  cut.sort((a, b) => a[0] - b[0]);
  let out = '';
  let pos = start;
  for (const [s, e] of cut) {
    if (s > pos) out += text.slice(pos, s);
    if (e > pos) pos = e;
  }
  if (end > pos) out += text.slice(pos, end);
  return out
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * The excerpts of many ranges of one transcript, each exactly what `excerptOf` gives, in time linear in the
 * text and the excerpts (plus sorting the ranges' ends). Cutting each range on its own costs the length of
 * the range, and thousands of nested spans each hold nearly the whole text: the whole transcript is read
 * once, as a person reads it (markup removed, lines trimmed, spaces folded, blank lines dropped), and every
 * excerpt is a piece of that reading with its ends trimmed. A line cut short by a range reads as the trimmed
 * piece of the whole line's reading: folding and trimming only ever touch white space.
 */
export function excerptsOf(text: string, model: TranscriptModel, ranges: readonly { start: number; end: number }[]): string[] {
  const k = ranges.length;
  if (k === 0) return [];
  // Both ends of every range, in text order, as offsets into the text…
  const at = new Float64Array(2 * k);
  ranges.forEach((r, i) => {
    const s = Math.max(0, Math.min(r.start, text.length));
    at[2 * i] = s;
    at[2 * i + 1] = Math.max(s, Math.min(r.end, text.length));
  });
  const order = sortedOrder(at);
  // …then into the text with markup removed…
  const stripped = withoutMarkup(text, model, at, order);
  // …then into the reading.
  const reading = asRead(stripped, at, order);
  const out = new Array<string>(k);
  for (let i = 0; i < k; i++) {
    let s = at[2 * i];
    let e = at[2 * i + 1];
    while (s < e && isTrimmedChar(reading.charCodeAt(s))) s++;
    while (e > s && isTrimmedChar(reading.charCodeAt(e - 1))) e--;
    out[i] = reading.slice(s, e);
  }
  return out;
}

/** The indices of `keys` in the order of their values (ties in index order). */
function sortedOrder(keys: Float64Array): Uint32Array {
  const n = keys.length;
  const order = new Uint32Array(n);
  // Offsets and indices packed into one number sort as numbers, far faster than with a comparison function.
  if (n < 2 ** 22) {
    const packed = new Float64Array(n);
    let fits = true;
    for (let i = 0; i < n && fits; i++) {
      fits = keys[i] < 2 ** 30;
      packed[i] = keys[i] * 2 ** 22 + i;
    }
    if (fits) {
      packed.sort();
      for (let i = 0; i < n; i++) order[i] = packed[i] % 2 ** 22;
      return order;
    }
  }
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((a, b) => keys[a] - keys[b] || a - b);
}

/**
 * The text with every piece of markup an excerpt leaves out removed; moves each offset in `at` (visited in
 * `order`) to the same place in the result (an offset inside removed markup to where the markup was).
 */
function withoutMarkup(text: string, model: TranscriptModel, at: Float64Array, order: Uint32Array): string {
  const { starts, ends } = markupCuts(model);
  const pieces: string[] = [];
  let length = 0; // of the result so far
  let pos = 0; // the first offset of the text not yet copied or cut
  let b = 0; // the next offset of `at` to move, in `order`
  /** Offsets before `limit`: into the text copied from `pos` on, or, when `cut`, to where that markup was. */
  const move = (limit: number, cut: boolean): void => {
    for (; b < order.length && at[order[b]] < limit; b++) at[order[b]] = cut ? length : length + (at[order[b]] - pos);
  };
  for (let c = 0; c < starts.length; c++) {
    const s = Math.max(starts[c], pos);
    const e = ends[c];
    if (e <= s) continue;
    move(s, false);
    pieces.push(text.slice(pos, s));
    length += s - pos;
    move(e, true);
    pos = e;
  }
  move(Infinity, false);
  pieces.push(text.slice(pos));
  return pieces.join('');
}

/** Characters that fold into one space in a reading. */
function isFolded(c: number): boolean {
  return c === SPACE || c === TAB || c === 0xa0;
}

/**
 * The text as a person reads it: lines (`\r\n`, `\r`, `\n`) trimmed, runs of spaces and tabs folded into one
 * space, blank lines dropped, lines joined by `\n`; moves each offset in `at` (visited in `order`) to the
 * same place in the reading. An offset in a folded run lands after its space; one in trimmed or dropped
 * white space at the edge of the nearest reading around it, which the caller trims away.
 */
function asRead(text: string, at: Float64Array, order: Uint32Array): string {
  const pieces: string[] = [];
  let length = 0;
  let b = 0;
  const n = text.length;
  let ls = 0;
  while (ls <= n) {
    let le = ls;
    while (le < n && text.charCodeAt(le) !== 10 && text.charCodeAt(le) !== 13) le++;
    const next = le >= n ? n + 1 : text.charCodeAt(le) === 13 && text.charCodeAt(le + 1) === 10 ? le + 2 : le + 1;
    let first = ls;
    while (first < le && isTrimmedChar(text.charCodeAt(first))) first++;
    let last = le;
    while (last > first && isTrimmedChar(text.charCodeAt(last - 1))) last--;
    if (first < last && length > 0) { pieces.push('\n'); length++; }
    // Offsets before the line's reading, then within it piece by piece, then after it.
    for (; b < order.length && at[order[b]] <= first; b++) at[order[b]] = length;
    let p = first;
    while (p < last) {
      // A piece read as written (single spaces included), up to the next run that folds differently.
      let q = p;
      while (q < last) {
        const c = text.charCodeAt(q);
        if (isFolded(c) && (c !== SPACE || isFolded(text.charCodeAt(q + 1)))) break;
        q++;
      }
      for (; b < order.length && at[order[b]] < q; b++) at[order[b]] = length + (at[order[b]] - p);
      if (q > p) { pieces.push(text.slice(p, q)); length += q - p; }
      if (q >= last) break;
      let r = q;
      while (r < last && isFolded(text.charCodeAt(r))) r++;
      for (; b < order.length && at[order[b]] <= q; b++) at[order[b]] = length;
      for (; b < order.length && at[order[b]] < r; b++) at[order[b]] = length + 1;
      pieces.push(' ');
      length++;
      p = r;
    }
    for (; b < order.length && at[order[b]] < next; b++) at[order[b]] = length;
    ls = next;
  }
  for (; b < order.length; b++) at[order[b]] = length;
  return pieces.join('');
}
