/**
 * Hovers (SPEC §6): what a code or question means and how the study uses it,
 * as Markdown that reads well both rendered (VS Code) and as plain text in a
 * terminal float (Neovim): short paragraphs, bold labels, bullet lists, no HTML.
 */
import { parentPath } from '../ids';
import type { GuideModel, QuestionDef, SectionDef, TranscriptModel } from '../model';
import { plural } from '../render/words';
import { questionMap, type CodeEntry, type GuideDocument, type Study, type StudyDocument } from '../study';
import { didYouMean, suggestions } from '../suggest';
import { escapeMarkdownText, markdownCode } from '../render/escape';
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
      return `There is no guide ${markdownCode(occ.id)} in this study.${mean(suggestions(occ.id, known))}`;
    }
    case 'role': {
      const guide = occ.role === 'definition' ? doc as GuideDocument : guideOf(study, doc);
      const role = guide?.model.roles.find((r) => r.id === occ.id);
      if (!guide) return undefined;
      if (!role) return `${markdownCode(occ.id)} is not a role of guide ${markdownCode(guideName(guide))}.${mean(suggestions(occ.id, guide.model.roles.map((r) => r.id)))}`;
      return `**Role** ${markdownCode(role.id)}: ${escapeMarkdownText(role.label)}\n\nIn guide ${markdownCode(guideName(guide))}.`;
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
      ? `**#${escapeMarkdownText(occ.path)}** is not in the codebook as written: codes are case-sensitive.${mean(sameButCase, '#')}`
      : `**#${escapeMarkdownText(occ.path)}** is not in the codebook.${mean(suggestions(occ.path, index.byPath.keys()), '#')}`,
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
  if (options.title !== false) parts.push(`**#${escapeMarkdownText(def.path)}**${def.label ? ` · ${escapeMarkdownText(def.label)}` : ''}`);
  if (def.deprecated) {
    parts.push(def.replacedBy ? `**Deprecated**: use ${markdownCode(`#${def.replacedBy.value}`)} instead.` : '**Deprecated**: do not use this code for new coding.');
  }
  if (def.description) parts.push(escapeMarkdownText(def.description));
  const fields: string[] = [];
  if (def.whenToUse) fields.push(`**When to use:** ${escapeMarkdownText(def.whenToUse)}`);
  if (def.whenNotToUse) fields.push(`**When not to use:** ${escapeMarkdownText(def.whenNotToUse)}`);
  if (def.example) fields.push(`**Example:** “${escapeMarkdownText(def.example)}”`);
  // Two trailing spaces: a line break in Markdown, so the fields stay on their own lines.
  if (fields.length) parts.push(fields.join('  \n'));

  const linked = linkedFrom(study, def.path);
  if (linked) {
    const from = linked.from === def.path ? '' : ` (from ${markdownCode(`#${linked.from}`)})`;
    const lines = linked.ids.map((id) => {
      const defs = guidesDefining(study, id);
      if (defs.length === 0) return `- ${markdownCode(`@${id}`)} (not in any guide)`;
      const first = defs[0];
      const where = study.guides().length > 1 ? ` (${defs.map((d) => escapeMarkdownText(guideName(d.guide))).join(', ')})` : '';
      return `- ${markdownCode(`@${id}`)} ${escapeMarkdownText(oneLine(first.question.text)) || '(no text)'}${where}`;
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
      return `No guide of this study has a question ${markdownCode(occ.id)}.${mean(suggestions(occ.id, study.guideIndex().questionIds))}`;
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
      ? `${markdownCode(`@${occ.id}`)} cannot be looked up: there is no guide ${markdownCode(fm.guide.value)} in this study.`
      : `${markdownCode(`@${occ.id}`)} cannot be looked up: this transcript names no guide (add \`guide:\` to its front matter).`;
  }
  const q = questionMap(guide.model).get(occ.id);
  if (q) return questionMarkdown(study, guide, q);
  const lower = [...questionMap(guide.model).keys()].filter((id) => id.toLowerCase() === occ.id.toLowerCase());
  if (lower.length) return `**@${escapeMarkdownText(occ.id)}** is not in guide ${markdownCode(guideName(guide))} as written: question IDs are case-sensitive.${mean(lower, '@')}`;
  return `**@${escapeMarkdownText(occ.id)}** is not a question of guide ${markdownCode(guideName(guide))}.${mean(suggestions(occ.id, questionMap(guide.model).keys()), '@')}`;
}

/**
 * A question as Markdown: its text, section, prompts, follow-ups, roles,
 * whether it is optional, and in how many of the guide's transcripts it was asked.
 */
export function questionMarkdown(study: Study, guide: GuideDocument, q: QuestionDef, options: { guideName?: boolean; usage?: boolean } = {}): string {
  const gm = guide.model;
  const parts: string[] = [`**@${escapeMarkdownText(q.id)}** ${escapeMarkdownText(oneLine(q.text)) || '(no text)'}`];
  const section = gm.sections[q.sectionIndex];
  const where: string[] = [];
  if (section) where.push(`**Section:** ${escapeMarkdownText(section.title || section.id)} (${markdownCode(section.id)})`);
  if (q.parentId) where.push(`**Follow-up of:** ${markdownCode(`@${q.parentId}`)}`);
  if (options.guideName) where.push(`**Guide:** ${gm.title ? `${escapeMarkdownText(gm.title.value)} ` : ''}(${markdownCode(guideName(guide))})`);
  if (where.length) parts.push(where.join('  \n'));
  if (q.prompts.length) parts.push(`**Prompts:**\n${q.prompts.map((p) => `- ${escapeMarkdownText(oneLine(p))}`).join('\n')}`);
  if (q.followups.length) {
    parts.push(`**Follow-ups:**\n${q.followups.map((f) => `- ${markdownCode(`@${f.id}`)} ${escapeMarkdownText(oneLine(f.text))}${f.optional ? '' : ' (expected)'}`).join('\n')}`);
  }
  const who = q.roles.length
    ? `**Roles:** ${q.roles.map((r) => { const label = gm.roles.find((x) => x.id === r)?.label; return label ? `${escapeMarkdownText(label)} (${markdownCode(r)})` : markdownCode(r); }).join(', ')}`
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
  const parts = [`**Section** ${markdownCode(s.id)}${s.title ? `: ${escapeMarkdownText(s.title)}` : ''}`];
  if (s.note) parts.push(escapeMarkdownText(s.note));
  if (s.roles?.length) parts.push(`**Roles:** ${s.roles.map(markdownCode).join(', ')}`);
  const n = gm.questions.filter((q) => q.sectionIndex === gm.sections.indexOf(s)).length;
  parts.push(`${plural(n, 'question')}, follow-ups included.`);
  return parts.join('\n\n');
}

function guideMarkdown(study: Study, guide: GuideDocument): string {
  const gm = guide.model;
  const parts = [`**Guide** ${markdownCode(guideName(guide))}${gm.title ? `: ${escapeMarkdownText(gm.title.value)}` : ''}`];
  parts.push(`${plural(gm.sections.length, 'section')}, ${plural(gm.questions.length, 'question')} (follow-ups included).`);
  if (gm.roles.length) parts.push(`**Roles:** ${gm.roles.map((r) => `${escapeMarkdownText(r.label)} (${markdownCode(r.id)})`).join(', ')}`);
  parts.push(`Followed by ${plural(transcriptsFollowing(study, guide).length, 'transcript')}.`);
  return parts.join('\n\n');
}

// ---------------------------------------------------------------- text helpers

/** A guide's ID, or its path when it has none. */
export function guideName(guide: GuideDocument): string {
  return guide.model.id?.value ?? guide.path;
}

/** " Did you mean `@a` or `@b`?" in Markdown, each name as a code span whatever it holds. */
function mean(names: string[], sigil = ''): string {
  return didYouMean(names, sigil, markdownCode);
}

/** Text on one line, runs of white space folded. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
