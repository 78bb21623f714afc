/**
 * A REFI-QDA codebook from another tool (or from an earlier export) as a
 * Transcript Coder codebook. Real tools' files do not always match the
 * schema, so reading is lenient: any namespace prefix or none, unknown elements
 * and attributes ignored, missing ones tolerated. Whatever had to be changed
 * or left out is said in `notes`; only input that holds no codebook at all is refused.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Document, isMap, isSeq, visit } from 'yaml';
import { looksLikeDefinition, parseDefinition, type CodeDefinition } from './description';
import { GUIDE_CODE_PREFIX, GUIDE_DESCRIPTION_START, hexColor, UNKNOWN_CODES_NAME, UNKNOWN_DESCRIPTION_START } from './exportProject';
import { printable } from '../printable';
import { unzipMember, ZipProblem, zipMembers } from './zip';

export interface ImportedCode extends CodeDefinition {
  id: string;
  color?: string;
  children: ImportedCode[];
}

export interface ImportedCodebook {
  codes: ImportedCode[];
  /** The `origin` attribute: the program that wrote the file, when it says. */
  origin?: string;
  /** What the input was: a codebook, a project, or a zipped project. */
  kind: 'qdc' | 'qde' | 'qdpx';
  /** Changes and omissions, one sentence each, for the researcher. */
  notes: string[];
  /** Number of codes, at every level. */
  count: number;
}

export type ImportResult = { ok: true; codebook: ImportedCodebook } | { ok: false; error: string };

/** The REFI origin our own exports carry. */
export const ORIGIN_PREFIX = 'Transcript Coder';

type XmlNode = Record<string, unknown>;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/**
 * The most a `.qdpx`'s project file may unpack to. It holds the codebook, the cases and every coding; the
 * transcripts' text is in files of its own, which import never unpacks. Our own export of 200 of the
 * benchmark's interviews (12 MB of text, 35,638 codings) has a project file of 15 MB, so a study of 1,000
 * interviews, the largest the product is built for, has one of about 80 MB: 200 MB is well above any real
 * project, and far below what a zip bomb unpacks to (gigabytes from a few hundred kilobytes).
 */
export const MAX_PROJECT_BYTES = 200 * 2 ** 20;

/**
 * Reads a `.qdc`, a `.qde` or a `.qdpx` (given as bytes; `name` is used in messages only). Never throws.
 * The notes and the error quote names from the file, and are printed on terminals: they hold no control
 * characters.
 */
export function readRefiCodebook(bytes: Uint8Array, name: string): ImportResult {
  let result: ImportResult;
  try {
    result = read(bytes, name);
  } catch (err) {
    result = { ok: false, error: `${name} could not be read: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!result.ok) return { ok: false, error: printable(result.error) };
  result.codebook.notes = result.codebook.notes.map((n) => printable(n));
  return result;
}

function read(bytes: Uint8Array, name: string): ImportResult {
  if (bytes.length === 0) return { ok: false, error: `${name} is empty.` };
  let kind: ImportedCodebook['kind'] = 'qdc';
  let xmlBytes = bytes;
  if (ZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    try {
      // Only the one project file is unpacked: never every member, and never past the limit.
      const members = zipMembers(bytes, (file) => /\.(qde|qdc)$/i.test(file)).sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
      if (members.length === 0) return { ok: false, error: `${name} is a zip file but holds no project.qde: it is not a REFI-QDA project.` };
      xmlBytes = unzipMember(bytes, members[0], MAX_PROJECT_BYTES);
    } catch (err) {
      if (err instanceof ZipProblem && err.kind === 'tooLarge') {
        return { ok: false, error: `${name} was not read: ${err.message}, far more than a REFI-QDA project holds. The file is damaged, or was made to fill the computer's memory (a "zip bomb").` };
      }
      return { ok: false, error: `${name} is a damaged zip file (${err instanceof Error ? err.message : String(err)}).` };
    }
    kind = 'qdpx';
  }
  const text = decode(xmlBytes);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    const what = /^\s*</.test(text) ? 'is not well-formed XML' : 'is not an XML file';
    return { ok: false, error: `${name} ${what} (line ${line}, column ${col}: ${msg.replace(/\.$/, '')}).` };
  }
  const parser = new XMLParser({
    ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true,
    parseTagValue: false, parseAttributeValue: false, trimValues: false, htmlEntities: true,
    isArray: (tag) => tag === 'Code' || tag === 'Codes' || tag === 'CodeBook',
  });
  const doc = parser.parse(text) as XmlNode;
  const root = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  if (kind !== 'qdpx') kind = root === 'Project' ? 'qde' : 'qdc';
  const rootNode = root ? asNode(doc[root]) : undefined;
  const origin = attr(rootNode, 'origin');

  const codesNode = findCodes(doc);
  const rawCodes = codesNode ? list(codesNode.Code) : [];
  if (rawCodes.length === 0) {
    return { ok: false, error: `${name} holds no codes: there is no <Code> in a <CodeBook>.` };
  }
  const notes: string[] = [];
  const ours = origin?.startsWith(ORIGIN_PREFIX) ?? false;
  const kept = rawCodes.filter((c) => {
    const n = attr(c, 'name') ?? '';
    const d = description(c) ?? '';
    const isGuide = n.startsWith(GUIDE_CODE_PREFIX) && d.startsWith(GUIDE_DESCRIPTION_START);
    const isUnknown = n === UNKNOWN_CODES_NAME && d.startsWith(UNKNOWN_DESCRIPTION_START);
    if (isGuide) notes.push(`'${n}' and its codes were left out: they stand for the interview guide's sections and questions, which the guide itself defines.`);
    if (isUnknown) notes.push(`'${n}' and its codes were left out: they are codes the transcripts used without defining them.`);
    return !isGuide && !isUnknown;
  });
  const sets = countSets(doc);
  if (sets > 0) notes.push(`${sets} code set${sets === 1 ? ' was' : 's were'} left out: a Transcript Coder codebook has no sets (use parent codes instead).`);

  let count = 0;
  let renamed = 0;
  const convert = (nodes: XmlNode[], parentPath: string): ImportedCode[] => {
    const siblings = new Set<string>();
    // The next suffix to try for each name already taken: thousands of codes of one name would otherwise
    // each try -2, -3, … from the start, which is quadratic.
    const nextSuffix = new Map<string, number>();
    const out: ImportedCode[] = [];
    for (const node of nodes) {
      count++;
      const rawName = attr(node, 'name');
      const written = rawName?.normalize('NFC').trim() ?? '';
      const where = parentPath ? ` (under '${parentPath}')` : '';
      let id = toCodeId(written);
      if (parentPath === '' && /^\p{N}+$/u.test(id)) id = `code-${id}`; // `#5` is text, not a code
      if (rawName === undefined || written === '') notes.push(`A code without a name${where} became '${id}'.`);
      else if (id !== written) { notes.push(`'${written}'${where} became '${id}'.`); renamed++; }
      const base = id;
      if (siblings.has(id)) {
        let n = nextSuffix.get(base) ?? 2;
        while (siblings.has(`${base}-${n}`)) n++;
        id = `${base}-${n}`;
        nextSuffix.set(base, n + 1);
      }
      if (id !== base) notes.push(`A second '${base}'${where} became '${id}': codes under one parent need different IDs.`);
      siblings.add(id);

      const desc = description(node);
      let def: CodeDefinition;
      if (desc !== undefined && (ours || looksLikeDefinition(desc))) def = parseDefinition(desc);
      else def = { label: written || id, description: desc?.trim() || undefined };
      if (!def.label.trim()) def.label = written || id;

      const code: ImportedCode = { id, ...def, children: [] };
      const colorAttr = attr(node, 'color')?.trim();
      if (colorAttr) {
        const color = readColor(colorAttr);
        if (color) code.color = color;
        else notes.push(`The colour '${colorAttr}' of '${id}' is not #RGB or #RRGGBB and was left out.`);
      }
      const path = parentPath ? `${parentPath}/${id}` : id;
      code.children = convert(list(node.Code), path);
      out.push(code);
    }
    return out;
  };
  const codes = convert(kept, '');
  if (renamed > 0) notes.push('Code IDs are letters, digits and _, joined by single hyphens, so names with spaces or punctuation were changed; each label keeps the name as it was.');
  if (codes.length === 0) return { ok: false, error: `${name} holds no codes of its own: only the codes an export adds for the interview guide.` };
  return { ok: true, codebook: { codes, origin, kind, notes, count } };
}

/** Prefer project.qde, then any .qde, then a .qdc, nearest the top of the zip. */
function rank(file: string): number {
  const lower = file.toLowerCase();
  if (lower === 'project.qde') return 0;
  return (lower.endsWith('.qde') ? 1 : 2) * 100 + file.split('/').length;
}

/** Text from bytes: a byte-order mark or the XML declaration says the encoding; UTF-8 otherwise. */
function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes[0] === 0x3c && bytes[1] === 0x00) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0x00 && bytes[1] === 0x3c) return new TextDecoder('utf-16be').decode(bytes);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
  if (declared && !/^utf-?8$/i.test(declared)) {
    try {
      return new TextDecoder(declared).decode(bytes);
    } catch {
      // An encoding this runtime does not know: UTF-8 is the best guess.
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

function asNode(v: unknown): XmlNode | undefined {
  if (Array.isArray(v)) return asNode(v[0]);
  return v !== null && typeof v === 'object' ? (v as XmlNode) : undefined;
}

function list(v: unknown): XmlNode[] {
  const arr = Array.isArray(v) ? v : v === undefined ? [] : [v];
  // `<Code/>` parses to '' rather than an object: it is still a code, with nothing set.
  return arr.map((x) => (x !== null && typeof x === 'object' ? (x as XmlNode) : {}));
}

function attr(node: XmlNode | undefined, name: string): string | undefined {
  const v = node?.[`@${name}`];
  return typeof v === 'string' ? v : undefined;
}

function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return textOf(v[0]);
  const node = asNode(v);
  if (!node) return undefined;
  const t = node['#text'];
  return typeof t === 'string' ? t : undefined;
}

function description(node: XmlNode): string | undefined {
  const d = textOf(node.Description)?.replace(/\r\n?/g, '\n').trim();
  return d ? d : undefined;
}

/** The `Codes` of the first `CodeBook` found (depth first), else any `Codes` that holds codes. */
function findCodes(doc: XmlNode): XmlNode | undefined {
  let fallback: XmlNode | undefined;
  const walk = (node: XmlNode, depth: number): XmlNode | undefined => {
    if (depth > 6) return undefined;
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('@') || key === '#text') continue;
      for (const child of list(value)) {
        if (key === 'CodeBook') {
          const codes = list(child.Codes).find((c) => list(c.Code).length > 0);
          if (codes) return codes;
        }
        if (key === 'Codes' && !fallback && list(child.Code).length > 0) fallback = child;
        if (key === 'Code') continue; // codes do not hold codebooks
        const found = walk(child, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(doc, 0) ?? fallback;
}

function countSets(doc: XmlNode): number {
  let n = 0;
  const walk = (node: XmlNode, depth: number): void => {
    if (depth > 4) return;
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('@') || key === '#text' || key === 'Codes' || key === 'Sources') continue;
      if (key === 'Sets') for (const s of list(value)) n += list(s.Set).length;
      else for (const child of list(value)) walk(child, depth + 1);
    }
  };
  walk(doc, 0);
  return n;
}

function readColor(c: string): string | undefined {
  const withHash = c.startsWith('#') ? c : `#${c}`;
  return hexColor(withHash);
}

/**
 * A code name as a code ID: letters, digits and `_`, words joined by single hyphens.
 * Case is kept; spaces and punctuation that separate words become `-`; other characters go.
 */
export function toCodeId(name: string): string {
  const id = name.normalize('NFC').trim()
    .replace(/[\s/\\.,;:|+&–—]+/gu, '-')
    .replace(/[^\p{L}\p{N}_-]/gu, '')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  return id === '' ? 'code' : id;
}

const FIELD_ORDER = ['id', 'label', 'description', 'whenToUse', 'whenNotToUse', 'example', 'questions', 'color', 'deprecated', 'replacedBy', 'children'] as const;

function plain(code: ImportedCode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of FIELD_ORDER) {
    const v = key === 'children' ? (code.children.length ? code.children.map(plain) : undefined) : code[key];
    if (v !== undefined && v !== false) out[key] = v;
  }
  return out;
}

/** The codebook as `*.codebook.yaml` text: block style, `children:` nesting, a header saying where it came from. */
export function codebookYaml(codebook: ImportedCodebook, sourceName: string): string {
  const doc = new Document({ codes: codebook.codes.map(plain) });
  visit(doc, {
    Pair(_, pair) {
      // Question lists read best on one line, as in hand-written codebooks.
      const k = (pair.key as { value?: unknown } | null)?.value;
      if (k === 'questions' && isSeq(pair.value)) pair.value.flow = true;
    },
  });
  const top = doc.get('codes');
  if (isSeq(top)) top.items.forEach((item, i) => { if (i > 0 && isMap(item)) item.spaceBefore = true; });
  const from = codebook.origin ? ` (written by ${codebook.origin})` : '';
  doc.commentBefore = [
    ` Codebook imported from ${sourceName}${from}`,
    ' by transcript-coder import qdc. Check the IDs and labels; link codes to',
    ' interview-guide questions with `questions: [question-id, ...]`.',
  ].join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
