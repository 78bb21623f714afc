/**
 * Hovers (SPEC §6): what a code or question means and how the study uses it,
 * as Markdown that reads well both rendered (VS Code) and as plain text in a
 * terminal float (Neovim): short paragraphs, bold labels, bullet lists, no HTML.
 */
import { parentPath } from '../ids';
import type { GuideModel, QuestionDef, SectionDef, TranscriptModel } from '../model';
import { plural } from '../render/words';
import { questionMap, type CodeEntry, type GuideDocument, type Study, type StudyDocument } from '../study';
import { suggestions } from '../suggest';
import type { Position } from '../text';
import {
  guideOf,
  guidesDefining,
  occurrenceAt,
  rangeOf,
  transcriptsFollowing,
  type CodeOccurrence,
  type Occurrence,
  type QuestionOccurrence,
} from './occurrences';
import type { Hover } from './types';

/** The hover for the token under the cursor, or undefined when there is nothing to say. */
export function getHover(study: Study, uri: string, position: Position): Hover | undefined {
  const at = occurrenceAt(study, uri, position);
  if (!at) return undefined;
  const { doc, occ } = at;
  const contents = hoverContents(study, doc, occ);
  return contents === undefined ? undefined : { contents, range: rangeOf(doc, occ.start, occ.end) };
}

function hoverContents(study: Study, doc: StudyDocument, occ: Occurrence): string | undefined {
  switch (occ.kind) {
    case 'code': return codeHover(study, occ);
    case 'question': return questionHover(study, doc, occ);
    case 'guide': {
      const guide = occ.role === 'definition' ? doc as GuideDocument : study.guideIndex().byId.get(occ.id);
      if (guide) return guideMarkdown(study, guide);
      const known = [...study.guideIndex().byId.keys()];
      return `There is no guide \`${occ.id}\` in this study.${mean(suggestions(occ.id, known))}`;
    }
    case 'role': {
      const guide = occ.role === 'definition' ? doc as GuideDocument : guideOf(study, doc);
      const role = guide?.model.roles.find((r) => r.id === occ.id);
      if (!guide) return undefined;
      if (!role) return `\`${occ.id}\` is not a role of guide \`${guideName(guide)}\`.${mean(suggestions(occ.id, guide.model.roles.map((r) => r.id)))}`;
      return `**Role** \`${role.id}\`: ${md(role.label)}\n\nIn guide \`${guideName(guide)}\`.`;
    }
    case 'section': {
      const guide = doc as GuideDocument;
      return sectionMarkdown(guide.model, guide.model.sections[occ.index]);
    }
  }
}

// ---------------------------------------------------------------- codes

function codeHover(study: Study, occ: CodeOccurrence): string {
  const entry = study.codeIndex().byPath.get(occ.path);
  if (entry) return codeMarkdown(study, entry, { usage: true });
  const index = study.codeIndex();
  const sameButCase = index.byLowerPath.get(occ.path.toLowerCase());
  const parts = [
    sameButCase
      ? `**#${occ.path}** is not in the codebook as written: codes are case-sensitive.${mean(sameButCase, '#')}`
      : `**#${occ.path}** is not in the codebook.${mean(suggestions(occ.path, index.byPath.keys()), '#')}`,
  ];
  if (occ.role === 'use') parts.push(usageLine(study, occ.path));
  return parts.join('\n\n');
}

/**
 * A code's definition as Markdown: label, definition fields, deprecation,
 * linked questions with their text, and (with `usage`) how often the study uses it.
 */
export function codeMarkdown(study: Study, entry: CodeEntry, options: { usage: boolean; title?: boolean } = { usage: true }): string {
  const def = entry.def;
  const parts: string[] = [];
  if (options.title !== false) parts.push(`**#${def.path}**${def.label ? ` · ${md(def.label)}` : ''}`);
  if (def.deprecated) {
    parts.push(def.replacedBy ? `**Deprecated**: use \`#${def.replacedBy.value}\` instead.` : '**Deprecated**: do not use this code for new coding.');
  }
  if (def.description) parts.push(md(def.description));
  const fields: string[] = [];
  if (def.whenToUse) fields.push(`**When to use:** ${md(def.whenToUse)}`);
  if (def.whenNotToUse) fields.push(`**When not to use:** ${md(def.whenNotToUse)}`);
  if (def.example) fields.push(`**Example:** “${md(def.example)}”`);
  // Two trailing spaces: a line break in Markdown, so the fields stay on their own lines.
  if (fields.length) parts.push(fields.join('  \n'));

  const linked = linkedFrom(study, def.path);
  if (linked) {
    const from = linked.from === def.path ? '' : ` (from \`#${linked.from}\`)`;
    const lines = linked.ids.map((id) => {
      const defs = guidesDefining(study, id);
      if (defs.length === 0) return `- \`@${id}\` (not in any guide)`;
      const first = defs[0];
      const where = study.guides().length > 1 ? ` (${defs.map((d) => guideName(d.guide)).join(', ')})` : '';
      return `- \`@${id}\` ${md(oneLine(first.question.text)) || '(no text)'}${where}`;
    });
    parts.push(`**Linked question${linked.ids.length === 1 ? '' : 's'}**${from}:\n${lines.join('\n')}`);
  }
  if (options.usage) {
    let usage = usageLine(study, def.path);
    const total = totalUsage(study, def.path);
    const own = study.usage().codes.get(def.path)?.segments ?? 0;
    if (total && total.segments > own) usage += ` With its sub-codes: ${plural(total.segments, 'segment')} in ${plural(total.transcripts, 'transcript')}.`;
    parts.push(usage);
  }
  return parts.join('\n\n');
}

/** The questions a code is linked to and the code they come from (itself or its nearest ancestor with any). */
function linkedFrom(study: Study, path: string): { from: string; ids: string[] } | undefined {
  const index = study.codeIndex();
  for (let p: string | null = path; p !== null; p = parentPath(p)) {
    const e = index.byPath.get(p);
    if (e && e.def.questions.length > 0) return { from: p, ids: e.def.questions.map((q) => q.value) };
  }
  return undefined;
}

function usageLine(study: Study, path: string): string {
  const u = study.usage().codes.get(path);
  if (!u) return 'Not used in any transcript yet.';
  return `Used in ${plural(u.segments, 'segment')} in ${plural(u.byDoc.size, 'transcript')}.`;
}

/** Usage of a code with all its known descendants, when it has any. */
function totalUsage(study: Study, path: string): { segments: number; transcripts: number } | undefined {
  const index = study.codeIndex();
  if (!(index.children.get(path)?.length)) return undefined;
  const codes = study.usage().codes;
  const docs = new Set<string>();
  let segments = 0;
  const stack = [path];
  while (stack.length) {
    const p = stack.pop()!;
    const u = codes.get(p);
    if (u) { segments += u.segments; for (const d of u.byDoc.keys()) docs.add(d); }
    for (const c of index.children.get(p) ?? []) stack.push(c);
  }
  return { segments, transcripts: docs.size };
}

// ---------------------------------------------------------------- questions

function questionHover(study: Study, doc: StudyDocument, occ: QuestionOccurrence): string | undefined {
  if (occ.role === 'link') {
    const defs = guidesDefining(study, occ.id);
    if (defs.length === 0) {
      return `No guide of this study has a question \`${occ.id}\`.${mean(suggestions(occ.id, study.guideIndex().questionIds))}`;
    }
    return defs.map((d) => questionMarkdown(study, d.guide, d.question, { guideName: true })).join('\n\n---\n\n');
  }
  if (occ.role === 'definition') {
    const guide = doc as GuideDocument;
    const q = questionMap(guide.model).get(occ.id);
    return q ? questionMarkdown(study, guide, q) : undefined;
  }
  const guide = guideOf(study, doc);
  if (!guide) {
    const fm = (doc.model as TranscriptModel).frontMatter;
    return fm?.guide
      ? `\`@${occ.id}\` cannot be looked up: there is no guide \`${fm.guide.value}\` in this study.`
      : `\`@${occ.id}\` cannot be looked up: this transcript names no guide (add \`guide:\` to its front matter).`;
  }
  const q = questionMap(guide.model).get(occ.id);
  if (q) return questionMarkdown(study, guide, q);
  const lower = [...questionMap(guide.model).keys()].filter((id) => id.toLowerCase() === occ.id.toLowerCase());
  if (lower.length) return `**@${occ.id}** is not in guide \`${guideName(guide)}\` as written: question IDs are case-sensitive.${mean(lower, '@')}`;
  return `**@${occ.id}** is not a question of guide \`${guideName(guide)}\`.${mean(suggestions(occ.id, questionMap(guide.model).keys()), '@')}`;
}

/**
 * A question as Markdown: its text, section, prompts, follow-ups, roles,
 * whether it is optional, and in how many of the guide's transcripts it was asked.
 */
export function questionMarkdown(study: Study, guide: GuideDocument, q: QuestionDef, options: { guideName?: boolean; usage?: boolean } = {}): string {
  const gm = guide.model;
  const parts: string[] = [`**@${q.id}** ${md(oneLine(q.text)) || '(no text)'}`];
  const section = gm.sections[q.sectionIndex];
  const where: string[] = [];
  if (section) where.push(`**Section:** ${md(section.title || section.id)} (\`${section.id}\`)`);
  if (q.parentId) where.push(`**Follow-up of:** \`@${q.parentId}\``);
  if (options.guideName) where.push(`**Guide:** ${gm.title ? `${md(gm.title.value)} ` : ''}(\`${guideName(guide)}\`)`);
  if (where.length) parts.push(where.join('  \n'));
  if (q.prompts.length) parts.push(`**Prompts:**\n${q.prompts.map((p) => `- ${md(oneLine(p))}`).join('\n')}`);
  if (q.followups.length) {
    parts.push(`**Follow-ups:**\n${q.followups.map((f) => `- \`@${f.id}\` ${md(oneLine(f.text))}${f.optional ? '' : ' (expected)'}`).join('\n')}`);
  }
  const who = q.roles.length
    ? `**Roles:** ${q.roles.map((r) => { const label = gm.roles.find((x) => x.id === r)?.label; return label ? `${md(label)} (\`${r}\`)` : `\`${r}\``; }).join(', ')}`
    : '**Roles:** every participant';
  parts.push(`${who}  \n${q.optional ? '**Optional**: not counted in coverage.' : '**Expected**: counted in coverage.'}`);
  if (options.usage !== false) {
    const total = transcriptsFollowing(study, guide).length;
    parts.push(`Asked in ${study.askedCount(guide, q.id)} of ${plural(total, 'transcript')}.`);
  }
  return parts.join('\n\n');
}

function sectionMarkdown(gm: GuideModel, s: SectionDef | undefined): string | undefined {
  if (!s) return undefined;
  const parts = [`**Section** \`${s.id}\`${s.title ? `: ${md(s.title)}` : ''}`];
  if (s.note) parts.push(md(s.note));
  if (s.roles?.length) parts.push(`**Roles:** ${s.roles.map((r) => `\`${r}\``).join(', ')}`);
  const n = gm.questions.filter((q) => q.sectionIndex === gm.sections.indexOf(s)).length;
  parts.push(`${plural(n, 'question')}, follow-ups included.`);
  return parts.join('\n\n');
}

function guideMarkdown(study: Study, guide: GuideDocument): string {
  const gm = guide.model;
  const parts = [`**Guide** \`${guideName(guide)}\`${gm.title ? `: ${md(gm.title.value)}` : ''}`];
  parts.push(`${plural(gm.sections.length, 'section')}, ${plural(gm.questions.length, 'question')} (follow-ups included).`);
  if (gm.roles.length) parts.push(`**Roles:** ${gm.roles.map((r) => `${md(r.label)} (\`${r.id}\`)`).join(', ')}`);
  parts.push(`Followed by ${plural(transcriptsFollowing(study, guide).length, 'transcript')}.`);
  return parts.join('\n\n');
}

// ---------------------------------------------------------------- text helpers

/** A guide's ID, or its path when it has none. */
export function guideName(guide: GuideDocument): string {
  return guide.model.id?.value ?? guide.path;
}

function mean(names: string[], sigil = ''): string {
  if (names.length === 0) return '';
  const quoted = names.map((n) => `\`${sigil}${n}\``);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  return ` Did you mean ${list}?`;
}

/** Text on one line, runs of white space folded. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Study text made safe for Markdown: characters that would start markup are escaped, nothing else changes. */
export function md(text: string): string {
  // `_` inside a word (`job_title`) is no emphasis in CommonMark; leaving it keeps plain-text floats clean.
  return text
    .replace(/[\\`*[\]<>|]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, (c) => `\\${c}`)
    .replace(/^(\s*)#/, '$1\\#');
}
