/**
 * Quick fixes (SPEC §5–6), each a workspace edit tied to the diagnostic it fixes.
 * They work from the diagnostics' `data` (suggestions, question IDs, the ID as
 * written) and check the current text still says what the diagnostic saw, so a
 * fix for an outdated diagnostic is left out rather than applied to the wrong text.
 *
 * Decisions where the SPEC is silent:
 * - "Mark question as skipped" writes the map form `id: reason not recorded`
 *   when `skipped` is a map or absent (the researcher replaces the placeholder),
 *   and just the ID in the list form. A `missing-section` gets one action per
 *   question plus one that skips every unasked question of the section.
 * - "Add code" creates missing intermediate codes too (`a/b/c` when only `a`
 *   exists adds `b` with child `c`), each labelled from its segment. It follows the
 *   file's indentation (measured from its codes' positions). A codebook file that
 *   holds no code yet gets the code only when it is empty; otherwise the action is
 *   not offered, because its `codes:` line cannot be located from the model.
 * - A transcript without `role:` whose guide has roles is offered `role: <id>` for
 *   each role, and one without `guide:` `guide: <id>` for each guide.
 *
 * Besides the fixes, an interviewer turn without a question marker is offered "Mark as question …"
 * (`markQuestion.ts`) wherever the range starts in it, with or without a diagnostic.
 */
import { fileKind, parentPath } from '../ids';
import type { CodeDef, DocumentModel, TranscriptModel } from '../model';
import { parseDocument, questionMap, type CodebookDocument, type Study } from '../study';
import type { Diagnostic } from '../diagnostics';
import type { LineIndex, Range } from '../text';
import { markQuestionActions } from './markQuestion';
import type { CodeAction, TextEdit } from './types';

/** Placeholder reason written for a question marked as skipped in the map form of `skipped`. */
export const SKIP_REASON = 'reason not recorded';

/** What code actions need beyond the document: the study's settings that bear on them. */
export interface CodeActionOptions {
  /** Speaker labels that are the interviewer's besides `I`, `Interviewer` and `Interviewer…`. */
  interviewerLabels?: readonly string[];
}

/**
 * The quick fixes for `diagnostics` (as the client sends them back) in document `uri`, whose current
 * text is `text` (of editor version `version`, when known: the study's model of it is then reused),
 * and the "Mark as question" actions for the interviewer turn where `range` starts.
 */
export function getCodeActions(study: Study, uri: string, text: string, range: Range, diagnostics: Diagnostic[], version?: number, options: CodeActionOptions = {}): CodeAction[] {
  const doc = study.get(uri);
  const kind = doc?.kind ?? fileKind(uri);
  if (!kind) return [];
  // The stored model serves only when it is known to be this text's: the same editor version.
  const model = doc && version !== undefined && doc.version === version ? doc.model : parseDocument(kind, text);
  const ctx: Ctx = { study, uri, text, model, eol: eolOf(text) };
  const out: CodeAction[] = [];
  diagnostics.forEach((d, i) => {
    try {
      out.push(...actionsFor(ctx, d, i));
    } catch {
      // One odd diagnostic must not cost the others their fixes.
    }
  });
  if (model.kind === 'transcript') {
    try {
      out.push(...markQuestionActions(study, uri, text, model, range, options.interviewerLabels));
    } catch {
      // The fixes stand without the suggestions.
    }
  }
  return out;
}

interface Ctx {
  study: Study;
  uri: string;
  text: string;
  model: DocumentModel;
  eol: string;
}

function actionsFor(ctx: Ctx, d: Diagnostic, index: number): CodeAction[] {
  const data = d.data ?? {};
  switch (d.code) {
    case 'unknown-code':
    case 'case-mismatch':
    case 'unknown-question':
    case 'section-marker':
    case 'unknown-guide':
    case 'unknown-role':
    case 'unknown-question-ref':
    case 'unknown-replacement': {
      const out: CodeAction[] = [];
      const id = idRange(ctx, d);
      if (id) {
        const suggestions = data.suggestions ?? [];
        suggestions.forEach((s, i) => out.push({
          title: `Change to '${id.sigil}${s}'`,
          kind: 'quickfix',
          diagnostic: index,
          edit: single(ctx.uri, ctx.model.lines, id.start, id.end, s),
          ...(i === 0 && (suggestions.length === 1 || d.code === 'case-mismatch') ? { isPreferred: true } : {}),
        }));
        if (d.code === 'unknown-code' && data.written) {
          const add = addCodeAction(ctx.study, data.written, index);
          if (add) out.push(add);
        }
      } else if (d.code === 'unknown-role' && data.written === undefined && ctx.model.kind === 'transcript') {
        const guide = ctx.study.resolveGuide(ctx.model);
        if (guide.status === 'ok') {
          for (const role of guide.guide.model.roles) {
            const edit = frontMatterLine(ctx, ctx.model, `role: ${role.id}`);
            if (edit) out.push({ title: `Add 'role: ${role.id}' (${role.label}) to the front matter`, kind: 'quickfix', diagnostic: index, edit: { changes: { [ctx.uri]: [edit] } } });
          }
        }
      }
      return out;
    }
    case 'missing-guide': {
      if (ctx.model.kind !== 'transcript') return [];
      const out: CodeAction[] = [];
      for (const g of ctx.study.guideIndex().byId.keys()) {
        const edit = frontMatterLine(ctx, ctx.model, `guide: ${g}`);
        if (edit) out.push({ title: `Add 'guide: ${g}' to the front matter`, kind: 'quickfix', diagnostic: index, edit: { changes: { [ctx.uri]: [edit] } } });
      }
      return out;
    }
    case 'identifying-name': {
      // Offered only while the text there is still that listed name, and the list gives its pseudonym.
      const names = ctx.study.privacy.names;
      if (!data.replacement || !names) return [];
      const start = ctx.model.lines.offsetAt(d.range.start);
      const end = ctx.model.lines.offsetAt(d.range.end);
      if (!names.find(ctx.text, start, end).some((m) => m.start === start && m.end === end)) return [];
      return [{
        title: `Replace with the pseudonym '${data.replacement}'`,
        kind: 'quickfix',
        diagnostic: index,
        isPreferred: true,
        edit: single(ctx.uri, ctx.model.lines, start, end, data.replacement),
      }];
    }
    case 'deprecated-code': {
      const id = idRange(ctx, d);
      if (!id || !data.replacedBy) return [];
      return [{
        title: `Replace deprecated code with '#${data.replacedBy}'`,
        kind: 'quickfix',
        diagnostic: index,
        isPreferred: true,
        edit: single(ctx.uri, ctx.model.lines, id.start, id.end, data.replacedBy),
      }];
    }
    case 'unasked-question': {
      if (ctx.model.kind !== 'transcript' || !data.questionId) return [];
      const edits = skipEdits(ctx, ctx.model, [data.questionId]);
      return edits ? [{ title: `Mark question '${data.questionId}' as skipped`, kind: 'quickfix', diagnostic: index, edit: { changes: { [ctx.uri]: edits } } }] : [];
    }
    case 'missing-section': {
      if (ctx.model.kind !== 'transcript') return [];
      const ids = data.questionIds ?? [];
      const out: CodeAction[] = [];
      for (const id of ids) {
        const edits = skipEdits(ctx, ctx.model, [id]);
        if (edits) out.push({ title: `Mark question '${id}' as skipped`, kind: 'quickfix', diagnostic: index, edit: { changes: { [ctx.uri]: edits } } });
      }
      if (ids.length > 1) {
        const edits = skipEdits(ctx, ctx.model, ids);
        const section = sectionOf(ctx.study, ctx.model, ids[0]);
        if (edits) {
          out.push({
            title: section ? `Mark every question of section '${section}' as skipped (${ids.length} questions)` : `Mark these ${ids.length} questions as skipped`,
            kind: 'quickfix', diagnostic: index, edit: { changes: { [ctx.uri]: edits } },
          });
        }
      }
      return out;
    }
    default:
      return [];
  }
}

/** The ID part of the diagnostic's token, if the text there is still what the diagnostic saw. */
function idRange(ctx: Ctx, d: Diagnostic): { start: number; end: number; sigil: string } | undefined {
  const written = d.data?.written;
  if (written === undefined) return undefined;
  const lines = ctx.model.lines;
  const start = lines.offsetAt(d.range.start);
  const end = lines.offsetAt(d.range.end);
  const token = ctx.text.slice(start, end);
  if (token === written) return { start, end, sigil: '' };
  if ((token[0] === '#' || token[0] === '@') && token.slice(1) === written) return { start: start + 1, end, sigil: token[0] };
  return undefined;
}

function single(uri: string, lines: LineIndex, start: number, end: number, newText: string): { changes: Record<string, TextEdit[]> } {
  return { changes: { [uri]: [{ range: lines.range(start, end), newText }] } };
}

function sectionOf(study: Study, model: TranscriptModel, questionId: string): string | undefined {
  const r = study.resolveGuide(model);
  if (r.status !== 'ok') return undefined;
  const q = questionMap(r.guide.model).get(questionId);
  return q ? r.guide.model.sections[q.sectionIndex]?.id : undefined;
}

// ---------------------------------------------------------------- front matter

/** A YAML key (a question ID) as written in `skipped`: quoted only where YAML would read it as no text. */
function yamlKey(id: string): string {
  return /^(?:null|Null|NULL|~)$/.test(id) ? `"${id}"` : id;
}

/** The edit that adds `line` to the front matter (after `guide:` when there is one), creating the front matter if needed. */
function frontMatterLine(ctx: Ctx, model: TranscriptModel, line: string): TextEdit | undefined {
  const { eol } = ctx;
  const lines = model.lines;
  const fm = model.frontMatter;
  if (!fm) return insertAt(lines, model.bodyStart, `---${eol}${line}${eol}---${eol}`);
  const after = fm.guideLine ? lines.lineAt(fm.guideLine.start) + 1 : lines.lineAt(fm.yamlEnd);
  return insertAt(lines, lines.starts[after], `${line}${eol}`);
}

/**
 * The edits that list `ids` in the transcript's `skipped`, in the form it
 * already has (flow or block, list or map), a block map when there is none,
 * creating the front matter when the transcript has none.
 */
function skipEdits(ctx: Ctx, model: TranscriptModel, ids: string[]): TextEdit[] | undefined {
  const { text, eol } = ctx;
  const lines = model.lines;
  const fm = model.frontMatter;
  const mapEntry = (id: string): string => `${yamlKey(id)}: ${SKIP_REASON}`;
  if (!fm) {
    return [insertAt(lines, model.bodyStart, `---${eol}skipped:${eol}${ids.map((id) => `  ${mapEntry(id)}${eol}`).join('')}---${eol}`)];
  }
  const key = fm.skippedKey;
  if (!key) return [insertAt(lines, fm.yamlEnd, `skipped:${eol}${ids.map((id) => `  ${mapEntry(id)}${eol}`).join('')}`)];

  const keyLine = lines.lineAt(key.start);
  const keyLineEnd = lines.ends[keyLine];
  const rest = text.slice(key.end, keyLineEnd);
  const afterColon = /^[ \t]*:[ \t]*/.exec(rest);
  if (!afterColon) return undefined;
  const valueStart = key.end + afterColon[0].length;
  const open = text[valueStart];

  if (fm.skippedForm === 'none') {
    // `skipped:` with nothing (or `~`, `null`) after it: the entries go below, the `~` goes.
    const empty = /^(~|null|Null|NULL)?[ \t]*(#.*)?$/.exec(text.slice(valueStart, keyLineEnd));
    if (!empty) return undefined;
    const below = insertAt(lines, keyLineEnd, ids.map((id) => `${eol}  ${mapEntry(id)}`).join(''));
    const colonEnd = key.end + rest.indexOf(':') + 1;
    return empty[1] ? [{ range: lines.range(colonEnd, valueStart + empty[1].length), newText: '' }, below] : [below];
  }

  const isMap = fm.skippedForm === 'map';
  const entryText = (id: string): string => (isMap ? mapEntry(id) : yamlKey(id));
  if (open === '[' || open === '{') {
    const close = matchingBracket(text, valueStart, fm.yamlEnd);
    if (close < 0) return undefined;
    const inner = text.slice(valueStart + 1, close);
    const joined = ids.map(entryText).join(', ');
    return [insertAt(lines, close, inner.trim() === '' ? joined : `, ${joined}`)];
  }

  const entries = [...fm.skipped].sort((a, b) => a.start - b.start);
  const last = entries[entries.length - 1];
  if (!last) return undefined;
  const lastLine = lines.lineAt(last.start);
  if (lastLine === keyLine) {
    // `skipped: whose-idea`: one ID without a list; make it a flow list.
    if (isMap) return undefined;
    const quote = text[last.start - 1] === '"' || text[last.start - 1] === "'";
    const s = quote ? last.start - 1 : last.start;
    const e = quote ? last.end + 1 : last.end;
    return [insertAt(lines, s, '['), insertAt(lines, e, `, ${ids.map(entryText).join(', ')}]`)];
  }
  let prefix = text.slice(lines.starts[lastLine], last.start).replace(/["']$/, '');
  const wellFormed = isMap ? /^[ \t]+$/ : /^[ \t]*-[ \t]+$/;
  if (!wellFormed.test(prefix)) prefix = isMap ? '  ' : '  - ';
  const entryIndent = /^[ \t]*/.exec(prefix)![0].length;
  // The entry may continue on more-indented lines (a long reason); insert after them.
  const closeLine = lines.lineAt(fm.yamlEnd);
  let next = lastLine + 1;
  while (next < closeLine) {
    const t = text.slice(lines.starts[next], lines.ends[next]);
    const indent = /^[ \t]*/.exec(t)![0].length;
    if (t.trim() === '' || indent <= entryIndent) break;
    next++;
  }
  return [insertAt(lines, lines.starts[next], ids.map((id) => `${prefix}${entryText(id)}${eol}`).join(''))];
}

/** The offset of the bracket closing the flow collection that opens at `open`, or -1. */
function matchingBracket(text: string, open: number, limit: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < limit; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

// ---------------------------------------------------------------- add code

/** "Add code 'a/b' to the codebook": below its nearest defined ancestor, else at the end of the first codebook. */
function addCodeAction(study: Study, path: string, index: number): CodeAction | undefined {
  const codes = study.codeIndex();
  let ancestor: { doc: CodebookDocument; def: CodeDef } | undefined;
  for (let p = parentPath(path); p !== null && !ancestor; p = parentPath(p)) ancestor = codes.byPath.get(p);
  const doc = ancestor?.doc ?? study.codebooks()[0];
  if (!doc) return undefined;
  const segments = (ancestor ? path.slice(ancestor.def.path.length + 1) : path).split('/');
  const m = doc.model;
  const lines = m.lines;
  const eol = lines.lineCount > 1 && lines.starts[1] - lines.ends[0] === 2 ? '\r\n' : '\n';
  const col = (offset: number): number => offset - lines.starts[lines.lineAt(offset)];
  const step = childStep(m.codes, col);

  let edit: TextEdit | undefined;
  if (ancestor) {
    const parent = ancestor.def;
    const children = m.codes.filter((c) => c.parent === parent.path && c.start >= parent.start && c.end <= parent.end);
    const lastChild = children[children.length - 1];
    if (lastChild) {
      edit = insertAfterLine(lines, lastChild.end, entry(segments, col(lastChild.start) - 2, step, eol), eol);
    } else {
      const c = col(parent.start);
      edit = insertAfterLine(lines, parent.end, `${' '.repeat(c)}children:${eol}${entry(segments, c + step, step, eol)}`, eol);
    }
  } else {
    const top = m.codes.filter((c) => c.parent === null);
    const last = top[top.length - 1];
    if (last) edit = insertAfterLine(lines, last.end, entry(segments, Math.max(0, col(last.start) - 2), step, eol), eol);
    else if (lines.length === 0) edit = { range: lines.range(0, 0), newText: `codes:${eol}${entry(segments, 2, step, eol)}` };
  }
  if (!edit) return undefined;
  const where = study.codebooks().length > 1 ? ` (${doc.path})` : '';
  return { title: `Add code '${path}' to the codebook${where}`, kind: 'quickfix', diagnostic: index, edit: { changes: { [doc.uri]: [edit] } } };
}

/** How far a `children:` list's `-` stands right of its key in this codebook (2 unless the file shows otherwise). */
function childStep(codes: CodeDef[], col: (offset: number) => number): number {
  const byPath = new Map(codes.map((c) => [c.path, c]));
  for (const c of codes) {
    const parent = c.parent === null ? undefined : byPath.get(c.parent);
    if (parent) return Math.max(0, col(c.start) - col(parent.start) - 2);
  }
  return 2;
}

/** A new code entry (and nested entries for the further segments), its `-` at column `dash`. */
function entry(segments: string[], dash: number, step: number, eol: string): string {
  const [id, ...rest] = segments;
  const pad = ' '.repeat(dash + 2);
  let out = `${' '.repeat(dash)}- id: ${yamlKey(id)}${eol}${pad}label: ${yamlText(labelOf(id))}${eol}`;
  if (rest.length) out += `${pad}children:${eol}${entry(rest, dash + 2 + step, step, eol)}`;
  return out;
}

/** `support-person` → `Support person`. */
function labelOf(segment: string): string {
  const words = segment.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function yamlText(s: string): string {
  return /^(?:null|true|false|yes|no|on|off|~|[-+.\d][\d._eE+-]*)$/i.test(s) ? `"${s}"` : s;
}

function insertAt(lines: LineIndex, offset: number, newText: string): TextEdit {
  return { range: lines.range(offset, offset), newText };
}

/** Inserts `newText` (whole lines) at the start of the line after the one holding `offset`. */
function insertAfterLine(lines: LineIndex, offset: number, newText: string, eol: string): TextEdit {
  const line = lines.lineAt(Math.max(0, offset - 1));
  if (line + 1 < lines.lineCount) return insertAt(lines, lines.starts[line + 1], newText);
  return insertAt(lines, lines.length, `${eol}${newText.endsWith(eol) ? newText.slice(0, -eol.length) : newText}`);
}

function eolOf(text: string): string {
  const m = /\r\n|\r|\n/.exec(text);
  return m ? m[0] : '\n';
}
