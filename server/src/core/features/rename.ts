/**
 * Rename (SPEC §6): a code's last segment or a question ID, across the study,
 * as one workspace edit. Every edit covers exactly the characters of the ID
 * being renamed (for a code, the one segment of each path that starts with it),
 * so nothing else of any file changes.
 *
 * Decisions where the SPEC is silent:
 * - The cursor on any segment of a code path renames the code that segment
 *   ends: on `benefit` in `#benefit/family` it renames `benefit`, on `family` it
 *   renames `benefit/family`.
 * - A leading `#` or `@` in the new name is ignored (people type what they see).
 * - Unknown codes in transcripts below a renamed code (`#benefit/other` when
 *   only `benefit` is defined) follow it too: their path starts with it.
 * - Guides, roles and sections are not renamed here; the reason says so.
 * - A YAML value whose characters are not the ID itself (a block scalar after `|` or `>`, escape
 *   sequences such as `"bene\x66it"`) is not edited: the rename is refused, naming its file and line.
 */
import { isCodeSegment, isQuestionId, parentPath } from '../ids';
import type { DocumentModel, Written } from '../model';
import { questionMap, type GuideDocument, type Study, type StudyDocument } from '../study';
import type { Position, Range } from '../text';
import {
  guidesDefining,
  occurrenceAt,
  offsetIn,
  questionTargets,
  rangeOf,
  transcriptsFollowing,
  transcriptsMarking,
  transcriptsUsing,
  type CodeOccurrence,
} from './occurrences';
import { guideName } from './hover';
import type { PrepareRenameResult, RenameResult, TextEdit, WorkspaceEdit } from './types';

type Target =
  | { kind: 'code'; path: string; range: Range; placeholder: string }
  | { kind: 'question'; guide: GuideDocument; id: string; range: Range; placeholder: string }
  | { error: string };

/** The range and current name of what would be renamed, or why it cannot be. */
export function prepareRename(study: Study, uri: string, position: Position): PrepareRenameResult {
  const t = target(study, uri, position);
  if (!t) return undefined;
  if ('error' in t) return { error: t.error };
  return { range: t.range, placeholder: t.placeholder };
}

/** The workspace edit that renames the code or question under the cursor to `newName`, or why it cannot. */
export function rename(study: Study, uri: string, position: Position, newName: string): RenameResult {
  const t = target(study, uri, position);
  if (!t) return { error: 'There is no code or question here to rename.' };
  if ('error' in t) return t;
  return t.kind === 'code' ? renameCode(study, t.path, newName) : renameQuestion(study, t.guide, t.id, newName);
}

function target(study: Study, uri: string, position: Position): Target | undefined {
  const at = occurrenceAt(study, uri, position);
  if (!at) return undefined;
  const { doc, occ } = at;
  switch (occ.kind) {
    case 'code': {
      const offset = offsetIn(doc.model, position) ?? occ.idStart;
      const seg = segmentAt(occ, offset);
      if (!study.codeIndex().byPath.has(seg.path)) {
        return { error: `'${seg.path}' is not in the codebook, so there is nothing to rename. Add it to the codebook first, or correct it.` };
      }
      return { kind: 'code', path: seg.path, range: rangeOf(doc, seg.start, seg.end), placeholder: seg.path.slice(seg.path.lastIndexOf('/') + 1) };
    }
    case 'question': {
      const targets = questionTargets(study, doc, occ);
      if (targets.length === 0) {
        return { error: occ.role === 'link'
          ? `No guide of this study has a question '${occ.id}', so there is nothing to rename.`
          : `'${occ.id}' is not a question of this transcript's guide, so there is nothing to rename.` };
      }
      if (targets.length > 1) {
        return { error: `'${occ.id}' is a question of several guides (${targets.map((t) => guideName(t.guide)).join(', ')}): rename it from a guide or a transcript, so that it is clear which one is meant.` };
      }
      return { kind: 'question', guide: targets[0].guide, id: occ.id, range: rangeOf(doc, occ.idStart, occ.idEnd), placeholder: occ.id };
    }
    case 'guide':
      return { error: 'A guide ID cannot be renamed here: change it in the guide and in the `guide:` line of each transcript.' };
    case 'role':
      return { error: 'A role cannot be renamed here: change it in the guide and in the `role:` line of each transcript.' };
    case 'section':
      return { error: 'A section ID cannot be renamed here; only codes and questions can. Section IDs are not used outside their guide.' };
  }
}

/** The code a segment of a written path names: the path up to and including that segment. */
function segmentAt(occ: CodeOccurrence, offset: number): { path: string; start: number; end: number } {
  if (occ.role === 'definition') return { path: occ.path, start: occ.idStart, end: occ.idEnd };
  const rel = Math.max(0, Math.min(offset - occ.idStart, occ.path.length));
  let segStart = 0;
  for (;;) {
    const slash = occ.path.indexOf('/', segStart);
    const segEnd = slash < 0 ? occ.path.length : slash;
    if (rel <= segEnd || slash < 0) return { path: occ.path.slice(0, segEnd), start: occ.idStart + segStart, end: occ.idStart + segEnd };
    segStart = slash + 1;
  }
}

// ---------------------------------------------------------------- codes

function renameCode(study: Study, path: string, newName: string): RenameResult {
  const parent = parentPath(path);
  const oldSegment = path.slice(path.lastIndexOf('/') + 1);
  let name = newName.trim().replace(/^#/, '');
  if (name.includes('/')) {
    const prefix = parent === null ? '' : `${parent}/`;
    const rest = prefix && name.startsWith(prefix) ? name.slice(prefix.length) : undefined;
    if (rest === undefined || rest.includes('/')) {
      return { error: `Renaming cannot move a code to another parent: give the new name as one segment (such as '${oldSegment}-new')${parent === null ? '' : ` or as a path starting with '${parent}/'`}.` };
    }
    name = rest;
  }
  if (!isCodeSegment(name)) {
    return { error: `'${name}' is not a valid code name: use letters, digits and \`_\`, with \`-\` only between them (no spaces, \`/\` or \`.\`), such as \`la-lawyer\`.` };
  }
  if (name === oldSegment) return { edit: { changes: {} } };
  const newPath = parent === null ? name : `${parent}/${name}`;
  const taken = study.codeIndex().byPath.get(newPath);
  if (taken) return { error: `There is already a code '${newPath}' (in ${taken.doc.path}). Choose another name.` };

  const edits = new EditCollector();
  // Where the renamed segment sits in any path that starts with `path`.
  const segFrom = path.length - oldSegment.length;
  const startsWith = (p: string): boolean => p === path || p.startsWith(`${path}/`);

  for (const cb of study.codebooks()) {
    for (const def of cb.model.codes) {
      if (def.path === path) {
        if (def.idWritten) return cannotEditSafely(cb, def.idStart, def.id, def.idWritten);
        edits.add(cb, def.idStart, def.idEnd, name);
      }
      const by = def.replacedBy;
      if (by && startsWith(by.value)) {
        if (by.written) return cannotEditSafely(cb, by.start, by.value, by.written);
        edits.add(cb, by.start + segFrom, by.start + path.length, name);
      }
    }
  }
  for (const used of study.usage().codes.keys()) {
    if (!startsWith(used)) continue;
    for (const t of transcriptsUsing(study, used)) {
      for (const c of t.model.codes) if (c.path === used) edits.add(t, c.start + 1 + segFrom, c.start + 1 + path.length, name);
    }
  }
  return { edit: edits.result() };
}

// ---------------------------------------------------------------- questions

function renameQuestion(study: Study, guide: GuideDocument, id: string, newName: string): RenameResult {
  const name = newName.trim().replace(/^@/, '');
  if (!isQuestionId(name)) {
    return { error: `'${name}' is not a valid question ID: use letters, digits and \`_\`, with \`.\` or \`-\` only between them, such as \`reasons\` or \`Q3.2\`.` };
  }
  if (name === id) return { edit: { changes: {} } };
  if (questionMap(guide.model).has(name)) return { error: `Guide '${guideName(guide)}' already has a question '${name}'. Choose another name.` };

  const edits = new EditCollector();
  for (const q of guide.model.questions) {
    if (q.id !== id) continue;
    if (q.idWritten) return cannotEditSafely(guide, q.idStart, q.id, q.idWritten);
    edits.add(guide, q.idStart, q.idEnd, name);
  }
  for (const t of transcriptsMarking(study, guide, id)) {
    for (const m of t.model.markers) if (m.id === id) edits.add(t, m.start + 1, m.end, name);
  }
  for (const t of transcriptsFollowing(study, guide)) {
    for (const s of t.model.frontMatter?.skipped ?? []) {
      if (s.id !== id) continue;
      if (s.written) return cannotEditSafely(t, s.start, s.id, s.written);
      edits.add(t, s.start, s.end, name);
    }
  }
  // Codebook links name a question of any guide: leave them when another guide also has this ID.
  const shared = guidesDefining(study, id).some((d) => d.guide !== guide);
  if (!shared) {
    for (const cb of study.codebooks()) {
      for (const def of cb.model.codes) {
        for (const q of def.questions) {
          if (q.value !== id) continue;
          if (q.written) return cannotEditSafely(cb, q.start, q.value, q.written);
          edits.add(cb, q.start, q.end, name);
        }
      }
    }
  }
  return { edit: edits.result() };
}

/** Why a rename stops at a value not written plainly (a YAML block scalar, escapes): editing it would change more than the ID. */
function cannotEditSafely(doc: StudyDocument, at: number, value: string, written: Written): RenameResult {
  const where = `${doc.path}, line ${doc.model.lines.lineAt(at) + 1},`;
  return {
    error: written === 'block'
      ? `${where} writes '${value}' as a YAML block scalar (after \`|\` or \`>\`), so renaming it would change more than the ID. Write it plainly on its line (\`${value}\`) and try again.`
      : `${where} writes '${value}' with escape sequences or over several lines, so renaming it would change more than the ID. Write it plainly (\`${value}\`) and try again.`,
  };
}

/** Text edits per document, in document order, each range once. */
class EditCollector {
  private readonly byUri = new Map<string, { model: DocumentModel; edits: Map<string, { start: number; end: number; text: string }> }>();

  add(doc: StudyDocument, start: number, end: number, text: string): void {
    let entry = this.byUri.get(doc.uri);
    if (!entry) { entry = { model: doc.model, edits: new Map() }; this.byUri.set(doc.uri, entry); }
    entry.edits.set(`${start}:${end}`, { start, end, text });
  }

  result(): WorkspaceEdit {
    const changes: Record<string, TextEdit[]> = {};
    for (const [uri, { model, edits }] of this.byUri) {
      changes[uri] = [...edits.values()]
        .sort((a, b) => a.start - b.start)
        .map((e) => ({ range: model.lines.range(e.start, e.end), newText: e.text }));
    }
    return { changes };
  }
}
