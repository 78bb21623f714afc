/**
 * The study as a REFI-QDA project (`.qdpx`), the exchange format of NVivo,
 * ATLAS.ti, MAXQDA and QualCoder, and its codebook alone (`.qdc`).
 *
 * What maps to what:
 * - codebook codes → `Code`s (name = the code's own ID, `Description` = label and
 *   definition fields as `formatDefinition` writes them, `color`);
 * - each guide → a code "Guide: <title>" with a code per section and question
 *   (follow-ups under their question); each answer region is coded with its question;
 * - codes used but not in any codebook → codes under "Not in codebook";
 * - transcripts → `TextSource`s whose text is the transcript without front matter
 *   and markup (`plainTextOf`), stored as `sources/<GUID>.txt`;
 * - coded segments → `PlainTextSelection`s (positions in code points) with `Coding`s;
 * - participants → `Case`s with the role and case attributes as `Variables` (typed Integer, Float, Boolean or Date
 *   when every transcript's value is one, else Text);
 * - memos → `Note`s, referenced from the selection that holds them (else the source).
 *
 * Everything is derived from the study alone: GUIDs are name-based and dates fixed,
 * so the same study gives the same bytes.
 */
import { zipSync } from 'fflate';
import type { GuideModel, QuestionDef } from '../model';
import type { AttributeValue } from '../model';
import { attributeText, distinctSegments, participantOf, type GuideDocument, type Study, type TranscriptDocument } from '../study';
import { formatDefinition } from './description';
import { guidFor } from './guid';
import { plainTextOf } from './plainText';
import { answerRegions } from '../regions';
import { XmlWriter } from './xml';

export interface RefiOptions {
  /** The project's name, e.g. the study folder's name. */
  name: string;
  /** The program that wrote the file, for the `origin` attribute. */
  origin: string;
}

/** Every GUID-bearing element says who made it and when; both are fixed so exports are reproducible. */
export const EXPORT_USER = 'Transcript Coder';
/** The earliest time a zip file can record: nothing in the export depends on the clock. */
export const EXPORT_DATE = '1980-01-01T00:00:00Z';
const ZIP_DATE = new Date(1980, 0, 1, 0, 0, 0);

/** How the grouping codes this export adds are recognised when a codebook is imported again. */
export const GUIDE_CODE_PREFIX = 'Guide: ';
export const GUIDE_DESCRIPTION_START = 'The interview guide ';
export const UNKNOWN_CODES_NAME = 'Not in codebook';
export const UNKNOWN_DESCRIPTION_START = 'Codes used in the transcripts but defined in no codebook';

interface CodeNode {
  guid: string;
  name: string;
  description?: string;
  color?: string;
  codable: boolean;
  children: CodeNode[];
}

interface Selection {
  start: number;
  end: number;
  codes: string[];
  notes: string[];
}

interface SourceOut {
  guid: string;
  name: string;
  description: string;
  file: string;
  selections: Selection[];
  notes: string[];
}

interface NoteOut {
  guid: string;
  name: string;
  text: string;
}

interface CaseOut {
  guid: string;
  name: string;
  values: Map<string, string>;
  /** The same values with their YAML types, for variables typed other than Text. */
  typed: Map<string, AttributeValue>;
  sources: string[];
}

export interface RefiProject {
  /** The text of `project.qde`. */
  xml: string;
  /** The plain texts, each stored in the zip as `sources/<file>`. */
  sources: { file: string; text: string }[];
  /** Things the researcher should know about the export (one sentence each). */
  notes: string[];
  counts: { transcripts: number; codes: number; guideCodes: number; selections: number; codings: number; cases: number; memos: number };
}

/** `#RGB` → `#RRGGBB`; anything else that is not a colour → undefined. */
export function hexColor(color: string | undefined): string | undefined {
  if (!color) return undefined;
  const c = color.trim();
  if (/^#[0-9a-f]{6}$/i.test(c)) return c;
  if (/^#[0-9a-f]{3}$/i.test(c)) return `#${[...c.slice(1)].map((d) => d + d).join('')}`;
  return undefined;
}

/** The GUID of a codebook code: from its path alone, so the `.qdc` and the `.qdpx` agree. */
export const codeGuid = (path: string): string => guidFor('code', path);

/** Hands out name-based GUIDs and makes sure none is handed out twice. */
class Guids {
  private readonly taken = new Set<string>();

  take(...parts: (string | number)[]): string {
    let guid = guidFor(...parts);
    for (let n = 2; this.taken.has(guid); n++) guid = guidFor(...parts, n);
    this.taken.add(guid);
    return guid;
  }
}

/** The codebook's codes as REFI-QDA codes, parents before children, in codebook order. */
function themeCodes(study: Study, guids: Guids, byPath = new Map<string, string>()): CodeNode[] {
  const index = study.codeIndex();
  const build = (path: string): CodeNode => {
    const { def } = index.byPath.get(path)!;
    const guid = guids.take('code', path);
    byPath.set(path, guid);
    return {
      guid,
      name: def.id,
      description: formatDefinition({
        label: def.label?.trim() ? def.label : def.id,
        description: def.description, whenToUse: def.whenToUse, whenNotToUse: def.whenNotToUse, example: def.example,
        questions: def.questions.map((q) => q.value), deprecated: def.deprecated, replacedBy: def.replacedBy?.value,
      }),
      color: hexColor(def.color),
      codable: true,
      children: (index.children.get(path) ?? []).map(build),
    };
  };
  const roots = [...(index.children.get('') ?? [])];
  // A code whose parent path is defined nowhere still goes out, at the top.
  for (const { def } of index.byPath.values()) if (def.parent !== null && !index.byPath.has(def.parent)) roots.push(def.path);
  return roots.map(build);
}

/** The REFI-QDA codebook alone (Codebook.xsd), or undefined when the study defines no code. */
export function exportCodebook(study: Study, options: Pick<RefiOptions, 'origin'>): string | undefined {
  const codes = themeCodes(study, new Guids());
  if (codes.length === 0) return undefined;
  const w = new XmlWriter();
  w.open('CodeBook', { xmlns: 'urn:QDA-XML:codebook:1.0', origin: options.origin }).open('Codes');
  for (const c of codes) writeCode(w, c);
  return w.toString();
}

function writeCode(w: XmlWriter, c: CodeNode): void {
  const attrs = { guid: c.guid, name: c.name, isCodable: c.codable, color: c.color };
  if (!c.description && c.children.length === 0) {
    w.empty('Code', attrs);
    return;
  }
  w.open('Code', attrs);
  if (c.description) w.text('Description', c.description);
  for (const child of c.children) writeCode(w, child);
  w.close();
}

function countCodes(nodes: CodeNode[]): number {
  return nodes.reduce((n, c) => n + 1 + countCodes(c.children), 0);
}

/** The key under which a guide's codes are found: its ID, or its path when it has none. */
const guideKey = (g: GuideDocument): string => g.model.id?.value ?? `path:${g.path}`;

function guideCodes(study: Study, guids: Guids, questionGuids: Map<string, Map<string, string>>): CodeNode[] {
  const index = study.guideIndex();
  const out: CodeNode[] = [];
  for (const g of index.all) {
    // A guide that repeats an earlier guide's ID takes no transcripts (it is reported as a duplicate).
    if (g.model.id && index.byId.get(g.model.id.value) !== g) continue;
    const key = guideKey(g);
    const byId = new Map<string, string>();
    questionGuids.set(key, byId);
    const m: GuideModel = g.model;
    const title = m.title?.value.trim() || m.id?.value || g.path;
    const question = (q: QuestionDef): CodeNode => {
      const guid = guids.take('question', key, q.id);
      if (!byId.has(q.id)) byId.set(q.id, guid);
      const prompts = q.prompts.length ? `\n\nPrompts:\n${q.prompts.map((p) => `- ${p}`).join('\n')}` : '';
      return { guid, name: q.id, description: `${q.text}${prompts}`.trim() || undefined, codable: true, children: q.followups.map(question) };
    };
    out.push({
      guid: guids.take('guide', key),
      name: `${GUIDE_CODE_PREFIX}${title}`,
      description: `${GUIDE_DESCRIPTION_START}"${title}"${m.id ? ` (${m.id.value})` : ''} as codes: one for each section and question. ` +
        'Each answer is coded with its question, from the question\'s marker to the next marker; questions asked in one paragraph share their answer.',
      codable: false,
      children: m.sections.map((s) => ({
        guid: guids.take('section', key, s.id),
        name: s.title.trim() || s.id,
        description: [`Section ${s.id} of the interview guide.`, s.note?.trim()].filter(Boolean).join('\n\n'),
        codable: false,
        children: s.questions.map(question),
      })),
    });
  }
  return out;
}

/** Where an answer region starts: at the start of the marker's line when only a speaker label or other markers precede it. */
function regionStart(text: string, t: TranscriptDocument, markerIndex: number): number {
  const { model } = t;
  const marker = model.markers[markerIndex];
  const line = model.lines.lineAt(marker.start);
  const ls = Math.max(model.lines.starts[line], model.bodyStart);
  let i = ls;
  const turn = model.turns.find((tr) => tr.start === ls);
  if (turn) i = text.indexOf(':', turn.end) + 1;
  let k = markerIndex - 1;
  while (k >= 0 && model.markers[k].start >= ls) k--;
  const before = model.markers.slice(k + 1, markerIndex);
  while (i < marker.start) {
    const inMarker = before.find((mk) => mk.start <= i && i < mk.end);
    if (inMarker) { i = inMarker.end; continue; }
    if (!/\s/.test(text[i])) return marker.start;
    i++;
  }
  return ls;
}

/**
 * Codes used but defined nowhere, as a tree of their path segments (names hold no `/`, which
 * some tools treat specially). A segment that was never used on its own is only a folder.
 */
function unknownTree(used: Map<string, string>, guids: Guids): CodeNode[] {
  const roots: CodeNode[] = [];
  const byPath = new Map<string, CodeNode>();
  for (const path of [...used.keys()].sort()) {
    let siblings = roots;
    let prefix = '';
    for (const segment of path.split('/')) {
      prefix = prefix ? `${prefix}/${segment}` : segment;
      let node = byPath.get(prefix);
      if (!node) {
        node = { guid: used.get(prefix) ?? guids.take('unknown-folder', prefix), name: segment, codable: used.has(prefix), children: [] };
        byPath.set(prefix, node);
        siblings.push(node);
      }
      siblings = node.children;
    }
  }
  return roots;
}

/** Builds project.qde and the plain texts. `getText` gives a transcript's text by URI. */
export function exportProject(study: Study, getText: (uri: string) => string | undefined, options: RefiOptions): RefiProject {
  const guids = new Guids();
  const notes: string[] = [];
  const user = guids.take('user', EXPORT_USER);
  const by = { creatingUser: user, creationDateTime: EXPORT_DATE };

  const codeGuids = new Map<string, string>();
  const themes = themeCodes(study, guids, codeGuids);
  const questionGuids = new Map<string, Map<string, string>>();
  const guides = guideCodes(study, guids, questionGuids);
  const unknownGuids = new Map<string, string>();
  const guidOfCode = (path: string): string => {
    const known = codeGuids.get(path);
    if (known) return known;
    let g = unknownGuids.get(path);
    if (!g) { g = guids.take('unknown-code', path); unknownGuids.set(path, g); }
    return g;
  };

  const sources: SourceOut[] = [];
  const texts: { file: string; text: string }[] = [];
  const allNotes: NoteOut[] = [];
  const cases = new Map<string, CaseOut>();
  const variables: string[] = [];
  /** Every transcript's value of each variable, for its type. */
  const variableValues = new Map<string, AttributeValue[]>();
  let emptySegments = 0;
  let selectionCount = 0;
  let codingCount = 0;

  const transcripts = study.transcripts();
  const baseNames = new Map<string, number>();
  const baseName = (t: TranscriptDocument): string => t.path.slice(t.path.lastIndexOf('/') + 1).replace(/\.transcript$/, '');
  for (const t of transcripts) baseNames.set(baseName(t), (baseNames.get(baseName(t)) ?? 0) + 1);

  for (const t of transcripts) {
    const text = getText(t.uri);
    if (text === undefined) {
      notes.push(`${t.path} could not be read, so it is not in the project.`);
      continue;
    }
    const plain = plainTextOf(text, t.model);
    const guid = guids.take('source', t.path);
    const participant = participantOf(t);
    const selections = new Map<string, Selection>();
    const select = (start: number, end: number): Selection | undefined => {
      const r = plain.range(start, end);
      if (r.start === r.end) return undefined;
      const key = `${r.start}:${r.end}`;
      let s = selections.get(key);
      if (!s) { s = { start: r.start, end: r.end, codes: [], notes: [] }; selections.set(key, s); }
      return s;
    };

    for (const seg of distinctSegments(t.model)) {
      const s = select(seg.start, seg.end);
      if (!s) { emptySegments++; continue; }
      const g = guidOfCode(seg.path);
      if (!s.codes.includes(g)) s.codes.push(g);
    }

    const resolved = study.resolveGuide(t.model);
    const questions = resolved.status === 'ok' ? questionGuids.get(guideKey(resolved.guide)) : undefined;
    if (questions) {
      // Markers in one paragraph share one answer region, coded with every one of their questions (SPEC §4.2).
      const regions = answerRegions(t.model);
      const starts = regions.map((r) => regionStart(text, t, r.first));
      regions.forEach((r, i) => {
        const s = select(starts[i], i + 1 < regions.length ? starts[i + 1] : text.length);
        if (!s) return;
        for (const id of r.questions) {
          const g = questions.get(id);
          if (g && !s.codes.includes(g)) s.codes.push(g); // a question the guide does not have is reported by `check`
        }
      });
    }

    const ordered = [...selections.values()].sort((a, b) => a.start - b.start || b.end - a.end);
    const sourceNotes: string[] = [];
    t.model.memos.forEach((m, i) => {
      const body = text.slice(m.start + 2, m.closed ? m.end - 2 : m.end).trim();
      if (body === '') return;
      const line = t.model.lines.lineAt(m.start) + 1;
      const note: NoteOut = { guid: guids.take('memo', t.path, i), name: `Memo on ${participant}, line ${line}`, text: body };
      allNotes.push(note);
      // A memo belongs to its paragraph (SPEC §4.2): the smallest selection that holds the whole paragraph holds the memo.
      const para = t.model.paragraphs[m.paragraph] ?? { start: m.start, end: m.start };
      let at = plain.range(para.start, para.end);
      if (at.start === at.end) at = plain.range(m.start, m.start);
      let holder: Selection | undefined;
      for (const s of ordered) if (s.start <= at.start && at.end <= s.end && (!holder || s.end - s.start < holder.end - holder.start)) holder = s;
      (holder ? holder.notes : sourceNotes).push(note.guid);
    });
    const sel = ordered.map((s) => ({ ...s, start: plain.codePoints(s.start), end: plain.codePoints(s.end) }));
    selectionCount += sel.length;
    codingCount += sel.reduce((n, s) => n + s.codes.length, 0);

    const fm = t.model.frontMatter;
    const role = fm?.role?.value;
    const guide = resolved.status === 'ok' ? resolved.guide : undefined;
    const roleLabel = role !== undefined ? guide?.model.roles.find((r) => r.id === role)?.label : undefined;
    const described = [`Interview with ${participant}${role ? ` (${roleLabel ?? role})` : ''}, from ${t.path}.`];
    if (guide) described.push(`Interview guide: ${guide.model.title?.value ?? guide.model.id?.value ?? guide.path}.`);
    if (fm?.skipped.length) described.push(`Skipped questions: ${fm.skipped.map((s) => (s.reason ? `${s.id} (${s.reason})` : s.id)).join('; ')}.`);
    const name = (baseNames.get(baseName(t)) ?? 0) > 1 ? t.path.replace(/\.transcript$/, '') : baseName(t);
    sources.push({ guid, name, description: described.join(' '), file: `${guid}.txt`, selections: sel, notes: sourceNotes });
    texts.push({ file: `${guid}.txt`, text: plain.text });

    const values = new Map<string, string>();
    if (role !== undefined) values.set('role', role);
    const typed = new Map<string, AttributeValue>();
    if (role !== undefined) typed.set('role', role);
    for (const a of fm?.attributes ?? []) {
      values.set(a.key, Array.isArray(a.typed) ? attributeText(a.typed) : a.value);
      typed.set(a.key, a.typed);
    }
    for (const k of values.keys()) if (!variables.includes(k)) variables.push(k);
    for (const [k, v] of typed) variableValues.set(k, [...variableValues.get(k) ?? [], v]);
    let c = cases.get(participant);
    if (!c) {
      c = { guid: guids.take('case', participant), name: participant, values, typed, sources: [] };
      cases.set(participant, c);
    } else {
      for (const [k, v] of values) {
        const had = c.values.get(k);
        if (had === undefined) { c.values.set(k, v); c.typed.set(k, typed.get(k)!); }
        else if (had !== v) notes.push(`${participant} has more than one transcript and their '${k}' differs; the case keeps '${had}' (from the first), not '${v}' (${t.path}).`);
      }
    }
    c.sources.push(guid);
  }
  if (emptySegments > 0) notes.push(`${emptySegments} coded segment${emptySegments === 1 ? ' holds' : 's hold'} no text and ${emptySegments === 1 ? 'is' : 'are'} left out.`);

  const unknown = unknownTree(unknownGuids, guids);
  if (unknown.length) {
    const n = unknownGuids.size;
    notes.push(`${n} code${n === 1 ? ' is' : 's are'} used but defined in no codebook; ${n === 1 ? 'it goes' : 'they go'} under "${UNKNOWN_CODES_NAME}".`);
  }
  const codes: CodeNode[] = [...themes, ...guides];
  if (unknown.length) {
    codes.push({
      guid: guids.take('unknown-codes'), name: UNKNOWN_CODES_NAME, codable: false, children: unknown,
      description: `${UNKNOWN_DESCRIPTION_START}, as written in the transcripts.`,
    });
  }

  const variableGuids = new Map(variables.map((v) => [v, guids.take('variable', v)]));
  // The role names a group, whatever its IDs look like.
  const variableTypes = new Map(variables.map((v) => [v, v === 'role' ? 'Text' as const : variableType(variableValues.get(v) ?? [])]));
  const w = new XmlWriter();
  w.open('Project', { xmlns: 'urn:QDA-XML:project:1.0', name: options.name, origin: options.origin, creatingUserGUID: user, creationDateTime: EXPORT_DATE });
  w.open('Users').empty('User', { guid: user, name: EXPORT_USER }).close();
  if (codes.length) {
    w.open('CodeBook').open('Codes');
    for (const c of codes) writeCode(w, c);
    w.close().close();
  }
  if (variables.length) {
    w.open('Variables');
    for (const v of variables) {
      w.open('Variable', { guid: variableGuids.get(v), name: v, typeOfVariable: variableTypes.get(v) ?? 'Text' });
      w.text('Description', v === 'role' ? 'The participant\'s role, as in the interview guide.' : `The case attribute '${v}' from the transcripts' front matter.`);
      w.close();
    }
    w.close();
  }
  if (cases.size) {
    w.open('Cases');
    for (const c of cases.values()) {
      w.open('Case', { guid: c.guid, name: c.name });
      for (const v of variables) {
        const value = c.values.get(v);
        if (value === undefined) continue;
        const type = variableTypes.get(v) ?? 'Text';
        // A number or truth value in its canonical form (`0x10` is written 16); a date and text as written.
        const shown = type === 'Integer' || type === 'Float' || type === 'Boolean' ? String(c.typed.get(v)) : value;
        w.open('VariableValue').empty('VariableRef', { targetGUID: variableGuids.get(v) }).text(`${type}Value`, shown).close();
      }
      for (const s of c.sources) w.empty('SourceRef', { targetGUID: s });
      w.close();
    }
    w.close();
  }
  if (sources.length) {
    w.open('Sources');
    for (const s of sources) {
      w.open('TextSource', { guid: s.guid, name: s.name, plainTextPath: `internal://${s.file}`, ...by });
      w.text('Description', s.description);
      for (const sel of s.selections) {
        w.open('PlainTextSelection', { guid: guids.take('selection', s.guid, sel.start, sel.end), startPosition: sel.start, endPosition: sel.end, ...by });
        for (const code of sel.codes) {
          w.open('Coding', { guid: guids.take('coding', s.guid, sel.start, sel.end, code), ...by }).empty('CodeRef', { targetGUID: code }).close();
        }
        for (const n of sel.notes) w.empty('NoteRef', { targetGUID: n });
        w.close();
      }
      for (const n of s.notes) w.empty('NoteRef', { targetGUID: n });
      w.close();
    }
    w.close();
  }
  if (allNotes.length) {
    w.open('Notes');
    for (const n of allNotes) w.open('Note', { guid: n.guid, name: n.name, ...by }).text('PlainTextContent', n.text).close();
    w.close();
  }

  return {
    xml: w.toString(),
    sources: texts,
    notes,
    counts: {
      transcripts: sources.length, codes: countCodes(themes), guideCodes: countCodes(guides),
      selections: selectionCount, codings: codingCount, cases: cases.size, memos: allNotes.length,
    },
  };
}

/** The `.qdpx`: a zip of project.qde and sources/, every entry dated alike so the bytes never vary. */
export function zipProject(project: RefiProject): Uint8Array {
  const enc = new TextEncoder();
  const files: Record<string, Uint8Array> = { 'project.qde': enc.encode(project.xml) };
  for (const s of project.sources) files[`sources/${s.file}`] = enc.encode(s.text);
  return zipSync(files, { level: 6, mtime: ZIP_DATE });
}

/** REFI-QDA's `typeOfVariable`s that front matter can give. */
export type VariableType = 'Text' | 'Integer' | 'Float' | 'Boolean' | 'Date';

// Written forms that REFI-QDA's XML types (xsd:integer, xsd:decimal, xsd:date) read as they stand.
const INTEGER = /^[-+]?\d+$/;
const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * The type of a variable from every transcript's value (SPEC §10): Integer when every value is a whole
 * number, Float when every value is a number written as a decimal, Boolean when every value is true or
 * false, Date when every value is a calendar date written YYYY-MM-DD; otherwise (a list, a mixture, a
 * number too large to write without an exponent) Text.
 */
export function variableType(values: readonly AttributeValue[]): VariableType {
  if (values.length === 0) return 'Text';
  if (values.every((v) => typeof v === 'boolean')) return 'Boolean';
  if (values.every((v) => typeof v === 'number' && Number.isInteger(v) && INTEGER.test(String(v)))) return 'Integer';
  if (values.every((v) => typeof v === 'number' && Number.isFinite(v) && DECIMAL.test(String(v)))) return 'Float';
  if (values.every((v) => typeof v === 'string' && isDate(v))) return 'Date';
  return 'Text';
}
