/**
 * The interview-guide parser (SPEC §2, and §5 for the problems it reports itself).
 *
 * Tests parse a small guide written inline and compare readable renderings
 * with what a person reading the fixture would write down:
 *
 *   problems  `8:13 schema "job-title" The question 'job-title' has no …`
 *             (start position, code, the text the range covers, the message)
 *   outline   `§ background "Background" roles=swr,tm`
 *             `  - job-title "Clarify …" required roles=swr,tm`
 *             `    - team-knowledge "How long …" optional roles=tm (own)`
 *             (follow-ups indented under their question, as in the guide)
 *
 * Positions are 1-based `line:column`, as an editor's status bar and the CLI show
 * them, with columns counted in UTF-16 units (LSP positions are these minus one).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { parseGuide } from '../../server/src/core/guide';
import type { GuideModel, QuestionDef } from '../../server/src/core/model';

// ---------------------------------------------------------------- helpers

/** A fixture written as one string per line. */
const doc = (...lines: string[]): string => lines.join('\n');

/** Quotes covered text, line breaks shown as ⏎ (`\n`) and ␍ (`\r`). */
const q = (s: string): string => `"${s.replace(/\n/g, '⏎').replace(/\r/g, '␍')}"`;

function pos(model: GuideModel, offset: number): string {
  const p = model.lines.positionAt(offset);
  return `${p.line + 1}:${p.character + 1}`;
}

/** Each problem as `line:col code "covered text" message`. */
function problems(text: string, model = parseGuide(text)): string[] {
  return model.problems.map((p) => `${pos(model, p.start)} ${p.code} ${q(text.slice(p.start, p.end))} ${p.message}`);
}

/** Just the codes and covered texts, for tests about which problems fire rather than their wording. */
function brief(text: string): string[] {
  return parseGuide(text).problems.map((p) => `${p.code} ${q(text.slice(p.start, p.end))}`);
}

function depth(model: GuideModel, question: QuestionDef): number {
  let d = 0;
  let parent = question.parentId;
  while (parent !== undefined) {
    d++;
    parent = model.questions.find((x) => x.id === parent)?.parentId;
  }
  return d;
}

/** The guide as a person would outline it: sections, then questions with their follow-ups indented. */
function outline(model: GuideModel): string[] {
  const out: string[] = [];
  let section = -1;
  for (const question of model.questions) {
    while (section < question.sectionIndex) {
      section++;
      const s = model.sections[section];
      out.push(`§ ${s.id} ${q(s.title)}${s.roles ? ` roles=${s.roles.join(',')}` : ''}${s.note ? ` note=${q(s.note)}` : ''}`);
    }
    const indent = '  '.repeat(depth(model, question) + 1);
    const roles = question.roles.length ? ` roles=${question.roles.join(',')}` : '';
    const own = question.ownRoles ? ' (own)' : '';
    const prompts = question.prompts.length ? ` prompts=${question.prompts.map(q).join('|')}` : '';
    out.push(`${indent}- ${question.id} ${q(question.text)} ${question.optional ? 'optional' : 'required'}${roles}${own}${prompts}`);
  }
  for (section++; section < model.sections.length; section++) out.push(`§ ${model.sections[section].id} ${q(model.sections[section].title)}`);
  return out;
}

/** Every problem range lies within the text, and problems come in text order. */
function assertRangesValid(text: string, model: GuideModel): void {
  let last = 0;
  for (const p of model.problems) {
    assert.ok(p.start >= 0 && p.start <= p.end && p.end <= text.length, `range ${p.start}-${p.end} outside 0-${text.length}`);
    assert.ok(p.start >= last, 'problems are in text order');
    assert.ok(p.message.length > 0);
    last = p.start;
  }
  for (const question of model.questions) {
    assert.ok(question.idStart >= 0 && question.idStart <= question.idEnd && question.idEnd <= text.length);
    assert.ok(question.start >= 0 && question.start <= question.end && question.end <= text.length);
  }
}

const GUIDE = doc(
  'id: ppp-general',
  'title: General interviews with social workers and team managers',
  'roles:',
  '  swr: Social worker',
  '  tm: Team manager',
  'sections:',
  '  - id: background',
  '    title: Background',
  '    note: Clarify before starting.',
  '    roles: [swr, tm]',
  '    questions:',
  '      - id: job-title',
  "        text: Clarify interviewee's job title.",
  '        prompts:',
  '          - How long in post?',
  '        optional: false',
  '        followups:',
  '          - id: team-knowledge',
  '            text: How long had the case been in your team?',
  '            roles: [tm]',
  '            followups:',
  '              - id: team-knowledge.before',
  '                text: And before that?',
  '                optional: false',
  '      - id: Q3.2',
  '        text: How big is your team?',
  '        optional: true',
  '  - id: decision',
  '    title: The decision',
  '    questions:',
  '      - id: reasons',
  '        text: What were the reasons for doing the PPM?',
  '        followups:',
  '          - id: whose-idea',
  '            text: Whose idea was it?',
  '  - id: tm-extras',
  '    title: For team managers',
  '    roles: [tm]',
  '    questions:',
  '      - id: managing',
  '        text: How do you manage your team around this process?',
  '        roles: []',
  '',
);

// ---------------------------------------------------------------- the model of a valid guide

describe('a well-formed guide', () => {
  const model = parseGuide(GUIDE);

  it('has no problems', () => {
    assert.deepEqual(problems(GUIDE, model), []);
  });

  it('reads the id, the title and the roles with their labels', () => {
    assert.equal(model.kind, 'guide');
    assert.equal(model.id?.value, 'ppp-general');
    assert.equal(GUIDE.slice(model.id?.start, model.id?.end), 'ppp-general');
    assert.equal(model.title?.value, 'General interviews with social workers and team managers');
    assert.deepEqual(model.roles.map((r) => `${r.id}=${r.label} ${q(GUIDE.slice(r.start, r.end))}`), [
      'swr=Social worker "swr"',
      'tm=Team manager "tm"',
    ]);
  });

  it('lists sections, questions and follow-ups in guide order, with effective roles and optional defaults', () => {
    assert.deepEqual(outline(model), [
      '§ background "Background" roles=swr,tm note="Clarify before starting."',
      '  - job-title "Clarify interviewee\'s job title." required roles=swr,tm prompts="How long in post?"',
      '    - team-knowledge "How long had the case been in your team?" optional roles=tm (own)',
      '      - team-knowledge.before "And before that?" required roles=swr,tm',
      '  - Q3.2 "How big is your team?" optional roles=swr,tm',
      '§ decision "The decision"',
      '  - reasons "What were the reasons for doing the PPM?" required',
      '    - whose-idea "Whose idea was it?" optional',
      '§ tm-extras "For team managers" roles=tm',
      '  - managing "How do you manage your team around this process?" required (own)',
    ]);
  });

  it('gives each follow-up its parent and its section', () => {
    const byId = new Map(model.questions.map((x) => [x.id, x]));
    assert.equal(byId.get('team-knowledge')?.parentId, 'job-title');
    assert.equal(byId.get('team-knowledge.before')?.parentId, 'team-knowledge');
    assert.equal(byId.get('team-knowledge.before')?.sectionIndex, 0);
    assert.equal(byId.get('whose-idea')?.parentId, 'reasons');
    assert.equal(byId.get('whose-idea')?.sectionIndex, 1);
    assert.equal(byId.get('job-title')?.parentId, undefined);
  });

  it('hangs follow-ups below their question and keeps only top-level questions in a section', () => {
    assert.deepEqual(model.sections.map((s) => s.questions.map((x) => x.id)), [['job-title', 'Q3.2'], ['reasons'], ['managing']]);
    const jobTitle = model.sections[0].questions[0];
    assert.deepEqual(jobTitle.followups.map((x) => x.id), ['team-knowledge']);
    assert.deepEqual(jobTitle.followups[0].followups.map((x) => x.id), ['team-knowledge.before']);
    // The flat list holds the very same objects as the tree.
    assert.equal(model.questions[1], jobTitle.followups[0]);
  });

  it('treats `roles: []` as set and empty, so the question is expected of everyone', () => {
    const managing = model.questions.find((x) => x.id === 'managing');
    assert.deepEqual(managing?.ownRoles, []);
    assert.deepEqual(managing?.roles, []);
  });

  it('records the offsets of each ID and of each whole question, without the trailing line break', () => {
    for (const question of model.questions) assert.equal(GUIDE.slice(question.idStart, question.idEnd), question.id);
    for (const section of model.sections) assert.equal(GUIDE.slice(section.idStart, section.idEnd), section.id);
    const q32 = model.questions.find((x) => x.id === 'Q3.2');
    assert.ok(q32);
    assert.equal(GUIDE.slice(q32.start, q32.end), 'id: Q3.2\n        text: How big is your team?\n        optional: true');
    const tmExtras = model.sections[2];
    assert.ok(GUIDE.slice(tmExtras.start, tmExtras.end).startsWith('id: tm-extras'));
    assert.ok(GUIDE.slice(tmExtras.start, tmExtras.end).endsWith('roles: []'));
  });

  it('reads text written as a YAML block, without its final line break', () => {
    const text = doc(
      'id: g', 'title: T', 'sections:', '  - id: s', '    title: S', '    note: >', '      Clarify before', '      starting.', '    questions:',
      '      - id: a',
      '        text: |',
      '          First line.',
      '          Second line.',
      '',
    );
    const m = parseGuide(text);
    assert.deepEqual(problems(text, m), []);
    assert.equal(m.sections[0].note, 'Clarify before starting.');
    assert.equal(m.questions[0].text, 'First line.\nSecond line.');
  });

  it('reads IDs in any script, and numbers as written', () => {
    const text = doc(
      'id: familien-2024',
      'title: Interviews mit Fachkräften',
      'roles:',
      '  leitung: Teamleitung',
      'sections:',
      '  - id: Hintergrund',
      '    title: Hintergrund',
      '    questions:',
      '      - id: größe-des-teams',
      '        text: Wie groß ist Ihr Team?',
      '        roles: [leitung]',
      '      - id: 3.10',
      '        text: 2011',
    );
    const m = parseGuide(text);
    assert.deepEqual(problems(text, m), []);
    assert.deepEqual(m.questions.map((x) => `${x.id} ${x.text}`), ['größe-des-teams Wie groß ist Ihr Team?', '3.10 2011']);
  });
});

// ---------------------------------------------------------------- quoted values

describe('guides as researchers write them', () => {
  const text = doc(
    'id: g',
    'title: Interviews',
    'note: Read the consent form aloud first.',
    'sections:',
    '  - id: s',
    '    title: S',
    '    questions:',
    '      - id: services',
    '        text: Have you used the service?',
    '        followups:',
    '          - id: experience',
    '            text: What was it like?',
    '            condition: if yes to services',
    '            optional: false',
    '      - id: pilot-only',
    '        text: A question dropped after the pilot',
    '        retired: true',
    '        followups:',
    '          - id: pilot-followup',
    '            text: Its follow-up',
    '            retired: false',
    '',
  );

  it('reads a note for the whole interview, a condition and a retired flag, with no problem', () => {
    const model = parseGuide(text);
    assert.deepEqual(problems(text, model), []);
    assert.equal(model.note, 'Read the consent form aloud first.');
    assert.deepEqual(model.questions.map((x) => `${x.id} ${x.condition ?? '-'} ${x.retired ? 'retired' : 'current'}`), [
      'services - current', 'experience if yes to services current', 'pilot-only - retired', 'pilot-followup - current',
    ]);
  });

  it('reports a note, a condition or a retired flag of the wrong type', () => {
    const bad = text
      .replace('note: Read the consent form aloud first.', 'note: [consent]')
      .replace('condition: if yes to services', 'condition: {yes: services}')
      .replace('retired: true', 'retired: yes');
    assert.deepEqual(problems(bad), [
      '3:1 schema "note" `note` of the guide must be text, not a list.',
      "13:13 schema \"condition\" `condition` of the follow-up 'experience' must be text, not a set of fields.",
      "17:18 schema \"yes\" `retired` of the question 'pilot-only' must be true or false, not 'yes'.",
    ]);
  });
});

describe('quoted values', () => {
  const text = doc(
    'id: "ppp-general"',
    "title: 'General'",
    'roles:',
    '  "swr": Social worker',
    'sections:',
    "  - id: 'background'",
    '    title: "Background"',
    '    questions:',
    '      - id: "benefit"',
    "        text: 'What, if anything, was the benefit?'",
    '        roles: ["swr"]',
    '',
  );
  const model = parseGuide(text);

  it('have ranges without their quotes, so that a rename replaces exactly the ID', () => {
    assert.deepEqual(problems(text, model), []);
    assert.equal(text.slice(model.id?.start, model.id?.end), 'ppp-general');
    assert.equal(text.slice(model.title?.start, model.title?.end), 'General');
    assert.equal(text.slice(model.roles[0].start, model.roles[0].end), 'swr');
    assert.equal(text.slice(model.sections[0].idStart, model.sections[0].idEnd), 'background');
    const benefit = model.questions[0];
    assert.equal(text.slice(benefit.idStart, benefit.idEnd), 'benefit');
    assert.equal(benefit.idStart, text.indexOf('"benefit"') + 1);
    assert.equal(benefit.text, 'What, if anything, was the benefit?');
  });

  it('keep their quotes out of problem ranges too', () => {
    const bad = doc('id: "PPP General"', 'title: t', 'sections:', '  - id: s', '    title: S', '    questions:', "      - id: 'Q3.'", '        text: x');
    assert.deepEqual(brief(bad), ['invalid-id "PPP General"', 'invalid-id "Q3."']);
  });
});

// ---------------------------------------------------------------- problems

describe('problems in a guide', () => {
  it('reports a question without text, and keeps the question', () => {
    const text = doc('id: g', 'title: T', 'sections:', '  - id: decision', '    title: Decision', '    questions:', '      - id: reasons', '        optional: true');
    const model = parseGuide(text);
    assert.deepEqual(problems(text, model), [
      '7:13 schema "reasons" The question \'reasons\' has no `text`: add the question as the interviewer reads it.',
    ]);
    assert.deepEqual(outline(model), ['§ decision "Decision"', '  - reasons "" optional']);
  });

  it('reports an empty text and a follow-up without text', () => {
    const text = doc(
      'id: g', 'title: T', 'sections:', '  - id: s', '    title: S', '    questions:',
      '      - id: a',
      '        text: ""',
      '        followups:',
      '          - id: b',
    );
    assert.deepEqual(problems(text), [
      '8:16 schema "" The question \'a\' has no `text`: add the question as the interviewer reads it.',
      '10:17 schema "b" The follow-up \'b\' has no `text`: add the question as the interviewer reads it.',
    ]);
  });

  it('reports a guide without id, title and sections', () => {
    const text = doc('roles:', '  swr: Social worker');
    assert.deepEqual(problems(text), [
      '1:1 schema "roles" The guide has no `id`: add one such as `id: ppp-general` (lower-case letters, digits and hyphens).',
      '1:1 schema "roles" The guide has no `title`: add the title shown in reports, e.g. `title: Interviews with social workers`.',
      "1:1 schema \"roles\" The guide has no `sections`: add the interview's sections, each with its questions.",
    ]);
  });

  it('reports empty values of required fields on their keys', () => {
    const text = doc('id:', 'title:', 'sections:');
    assert.deepEqual(problems(text), [
      '1:1 schema "id" The guide has no `id`: add one such as `id: ppp-general` (lower-case letters, digits and hyphens).',
      '2:1 schema "title" The guide has no `title`: add the title shown in reports, e.g. `title: Interviews with social workers`.',
      '3:1 schema "sections" `sections` of the guide is empty: add at least one section.',
    ]);
  });

  it('reports an empty list of sections and a section without questions', () => {
    assert.deepEqual(problems(doc('id: g', 'title: T', 'sections: []')), [
      '3:11 schema "[]" `sections` of the guide is empty: add at least one section.',
    ]);
    const text = doc('id: g', 'title: T', 'sections:', '  - id: a', '    title: A', '  - id: b', '    title: B', '    questions: []');
    assert.deepEqual(problems(text), [
      "4:9 schema \"a\" The section 'a' has no `questions`: add at least one question.",
      "8:16 schema \"[]\" `questions` of the section 'b' is empty: add at least one question.",
    ]);
  });

  it('reports a section without a title', () => {
    const text = doc('id: g', 'title: T', 'sections:', '  - id: a', '    questions:', '      - id: x', '        text: X?');
    assert.deepEqual(problems(text), ["4:9 schema \"a\" The section 'a' has no `title`: add the heading shown in reports."]);
  });

  it('reports IDs that do not match their patterns, and keeps the items', () => {
    const text = doc(
      'id: PPP General',
      'title: T',
      'roles:',
      '  team manager: Team manager',
      'sections:',
      '  - id: part one',
      '    title: A',
      '    questions:',
      '      - id: Q3.',
      '        text: X?',
    );
    const model = parseGuide(text);
    assert.deepEqual(problems(text, model), [
      "1:5 invalid-id \"PPP General\" 'PPP General' is not a valid guide ID: use lower-case letters, digits and hyphens, starting with a letter or digit (e.g. `ppp-general`).",
      "4:3 invalid-id \"team manager\" 'team manager' is not a valid role ID: use letters, digits and `_`, with `.` or `-` only between them (e.g. `swr`).",
      "6:9 invalid-id \"part one\" 'part one' is not a valid section ID: use letters, digits and `_`, with `.` or `-` only between them (e.g. `background`).",
      "9:13 invalid-id \"Q3.\" 'Q3.' is not a valid question ID: use letters, digits and `_`, with `.` or `-` only between them (e.g. `reasons` or `Q3.2`).",
    ]);
    assert.equal(model.id?.value, 'PPP General');
    assert.deepEqual(model.roles.map((r) => r.id), ['team manager']);
    assert.deepEqual(outline(model), ['§ part one "A"', '  - Q3. "X?" required']);
  });

  it('reports a question ID used twice, follow-ups included, naming where the first is', () => {
    const text = doc(
      'id: g', 'title: T', 'sections:',
      '  - id: decision',
      '    title: Decision',
      '    questions:',
      '      - id: reasons',
      '        text: Why?',
      '        followups:',
      '          - id: whose-idea',
      '            text: Whose idea?',
      '  - id: views',
      '    title: Views',
      '    questions:',
      '      - id: reasons',
      '        text: Why again?',
      '        followups:',
      '          - id: whose-idea',
      '            text: Whose idea, again?',
      '          - id: reasons',
      '            text: A third time?',
    );
    const model = parseGuide(text);
    assert.deepEqual(problems(text, model), [
      "15:13 duplicate-id \"reasons\" The question ID 'reasons' is already used in section 'decision' (line 7).",
      "18:17 duplicate-id \"whose-idea\" The question ID 'whose-idea' is already used in section 'decision' (line 10).",
      "20:17 duplicate-id \"reasons\" The question ID 'reasons' is already used in section 'decision' (line 7).",
    ]);
    // Every definition stays in the model; the study uses the first.
    assert.deepEqual(model.questions.map((x) => x.id), ['reasons', 'whose-idea', 'reasons', 'whose-idea', 'reasons']);
  });

  it('reports a section ID used twice, but not a section and a question sharing an ID', () => {
    const text = doc(
      'id: g', 'title: T', 'sections:',
      '  - id: closing', '    title: A', '    questions:', '      - id: closing', '        text: Anything else?',
      '  - id: closing', '    title: B', '    questions:', '      - id: thanks', '        text: Thank you.',
    );
    assert.deepEqual(problems(text), [
      "9:9 duplicate-id \"closing\" The section ID 'closing' is already used by the section on line 4.",
    ]);
  });

  it('reports an unknown field, suggesting the nearest allowed one', () => {
    const text = doc(
      'id: g', 'titel: T', 'sections:', '  - id: s', '    title: S', '    questions:',
      '      - id: worth-it',
      '        text: Was it worth it?',
      '        follow-ups: []',
      '        Optional: true',
    );
    assert.deepEqual(problems(text), [
      '1:1 schema "id" The guide has no `title`: add the title shown in reports, e.g. `title: Interviews with social workers`.',
      '2:1 schema "titel" `titel` is not a field of a guide. Did you mean `title`?',
      '9:9 schema "follow-ups" `follow-ups` is not a field of a question. Did you mean `followups`?',
      '10:9 schema "Optional" `Optional` is not a field of a question. Did you mean `optional`?',
    ]);
  });

  it('lists the allowed fields when no field is near the unknown one', () => {
    const text = doc('id: g', 'title: T', 'description: Our guide', 'sections:', '  - id: s', '    title: S', '    interviewer: Ann', '    questions:', '      - id: a', '        text: A?');
    assert.deepEqual(problems(text), [
      '3:1 schema "description" `description` is not a field of a guide. Its fields are `id`, `title`, `note`, `roles` and `sections`.',
      '7:5 schema "interviewer" `interviewer` is not a field of a section. Its fields are `id`, `title`, `note`, `roles` and `questions`.',
    ]);
  });

  it('reports a key that is not a field name', () => {
    const text = doc('id: g', 'title: T', '? [a, b]', ': x', '"": y', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: a', '        text: A?');
    assert.deepEqual(problems(text), [
      '3:3 schema "[a, b]" A field name must be a single word such as `id`.',
      '5:1 schema """" A field name must be a single word such as `id`.',
    ]);
  });

  it('reports fields of the wrong type', () => {
    const text = doc(
      'id: g', 'title: T', 'sections:', '  - id: s', '    title: [S]', '    questions:',
      '      - id: a',
      '        text:',
      '          - What?',
      '        optional: yes',
      '        prompts: {x: y}',
      '        followups: none',
    );
    assert.deepEqual(problems(text), [
      "5:5 schema \"title\" `title` of the section 's' must be text, not a list.",
      "8:9 schema \"text\" `text` of the question 'a' must be text, not a list.",
      "10:19 schema \"yes\" `optional` of the question 'a' must be true or false, not 'yes'.",
      "11:9 schema \"prompts\" `prompts` of the question 'a' must be a list of entries, each a prompt, not a set of fields.",
      "12:20 schema \"none\" `followups` of the question 'a' must be a list (each entry starting with `- id:`), not a single value.",
    ]);
  });

  it('reports `sections` that is not a list', () => {
    const text = doc('id: g', 'title: T', 'sections:', '  background:', '    title: Background');
    assert.deepEqual(problems(text), [
      '3:1 schema "sections" `sections` of the guide must be a list (each entry starting with `- id:`), not a set of fields.',
    ]);
  });

  it('reports roles written as a list, and still reads the role IDs', () => {
    const text = doc('id: g', 'title: T', 'roles: [swr, tm, swr]', 'sections:', '  - id: s', '    title: S', '    roles: [tm]', '    questions:', '      - id: a', '        text: A?');
    const model = parseGuide(text);
    assert.deepEqual(problems(text, model), [
      '3:1 schema "roles" `roles` must map each role ID to its label, e.g. `swr: Social worker`, not be a list.',
      "3:18 duplicate-id \"swr\" The role ID 'swr' is already declared (line 3).",
    ]);
    assert.deepEqual(model.roles.map((r) => `${r.id}=${r.label}`), ['swr=swr', 'tm=tm']);
    assert.deepEqual(model.questions[0].roles, ['tm']);
  });

  it('accepts an empty list of roles as no roles', () => {
    const text = doc('id: g', 'title: T', 'roles: []', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: a', '        text: A?');
    assert.deepEqual(problems(text), []);
    assert.deepEqual(parseGuide(text).roles, []);
  });

  it('reports roles written as a single value, a role without a label and a role declared twice', () => {
    assert.deepEqual(problems(doc('id: g', 'title: T', 'roles: swr', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: a', '        text: A?')), [
      '3:8 schema "swr" `roles` must map each role ID to its label, e.g. `swr: Social worker`.',
    ]);
    const text = doc('id: g', 'title: T', 'roles:', '  swr:', '  tm: Team manager', '  swr: Again', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: a', '        text: A?');
    const model = parseGuide(text);
    assert.deepEqual(problems(text, model), [
      "4:3 schema \"swr\" The role 'swr' has no label: write it as `swr: Social worker`, say.",
      "6:3 yaml-syntax \"swr\" The role 'swr' is declared twice: keep one (only the first is read).",
    ]);
    assert.deepEqual(model.roles.map((r) => `${r.id}=${r.label}`), ['swr=swr', 'tm=Team manager']);
  });

  it('reports a role that the guide does not declare, naming the declared ones', () => {
    const text = doc(
      'id: g', 'title: T', 'roles:', '  swr: Social worker', '  tm: Team manager', 'sections:',
      '  - id: s', '    title: S', '    roles: [swr, parent]', '    questions:',
      '      - id: a', '        text: A?', '        roles: [tm, tm]',
    );
    const model = parseGuide(text);
    assert.deepEqual(problems(text, model), [
      "9:18 schema \"parent\" 'parent' is not one of this guide's roles (swr, tm).",
      "13:21 schema \"tm\" 'tm' is listed twice in `roles` of the question 'a'.",
    ]);
    assert.deepEqual(model.sections[0].roles, ['swr', 'parent']);
    assert.deepEqual(model.questions[0].roles, ['tm']);
  });

  it('reports a role reference in a guide that declares no roles', () => {
    const text = doc('id: g', 'title: T', 'sections:', '  - id: s', '    title: S', '    roles: [tm]', '    questions:', '      - id: a', '        text: A?');
    assert.deepEqual(problems(text), [
      "6:13 schema \"tm\" 'tm' is not one of this guide's roles: the guide declares none (add them under `roles:` at the top).",
    ]);
  });

  it('reports a section\'s roles written as a single value, and reads it as a list', () => {
    const text = doc('id: g', 'title: T', 'roles:', '  swr: S', '  tm: T', 'sections:', '  - id: s', '    title: S', '    roles: swr, tm', '    questions:', '      - id: a', '        text: A?');
    const model = parseGuide(text);
    assert.deepEqual(problems(text, model), ["9:12 schema \"swr, tm\" `roles` of the section 's' must be a list, e.g. `roles: [swr, tm]`."]);
    assert.deepEqual(model.sections[0].roles, ['swr', 'tm']);
    assert.deepEqual(model.questions[0].roles, ['swr', 'tm']);
  });

  it('skips list entries that are not mappings, saying so', () => {
    const text = doc(
      'id: g', 'title: T', 'sections:',
      '  - Background',
      '  - id: s', '    title: S', '    questions:',
      '      - What is your job title?',
      '      -',
      '      - [a, b]',
      '      - id: a', '        text: A?',
      '        prompts:', '          - [x]', '          -',
    );
    const model = parseGuide(text);
    assert.deepEqual(problems(text, model), [
      '4:5 schema "Background" Each entry of `sections` must be a section with `id`, `title` and `questions`; this one is a single value, so it is left out.',
      '8:9 schema "What is your job title?" Each entry of `questions` must be a question with `id` and `text`; this one is a single value, so it is left out.',
      '9:7 schema "-" Each entry of `questions` must be a question with `id` and `text`; this one is empty, so it is left out.',
      '10:9 schema "[a, b]" Each entry of `questions` must be a question with `id` and `text`; this one is a list, so it is left out.',
      "14:13 schema \"[x]\" Each entry of `prompts` of the question 'a' must be a prompt, not a list.",
      "15:11 schema \"-\" An entry of `prompts` of the question 'a' is empty: write a prompt or remove the entry.",
    ]);
    assert.deepEqual(outline(model), ['§ s "S"', '  - a "A?" required']);
  });

  it('leaves out a section or question without an id together with what it holds, and says so', () => {
    const text = doc(
      'id: g', 'title: T', 'sections:',
      '  - title: Nameless', '    questions:', '      - id: lost', '        text: Lost?',
      '  - id: s', '    title: S', '    questions:',
      '      - text: No ID?',
      '        followups:', '          - id: f', '            text: F?',
      '      - id: a', '        text: A?',
      '        followups:', '          - id:', '            text: Empty ID?',
      '          - id: [x]', '            text: List ID?',
    );
    const model = parseGuide(text);
    assert.deepEqual(problems(text, model), [
      '4:5 schema "title" This section has no `id`, so it is left out of the guide together with its questions: add an ID such as `id: background`.',
      '11:9 schema "text" This question has no `id`, so it is left out of the guide together with its follow-ups: add an ID such as `id: reasons`.',
      '18:13 schema "id" This follow-up has no `id`, so it is left out of the guide: add an ID such as `id: team-knowledge`.',
      '20:13 schema "id" The `id` of this follow-up must be a single ID, not a list, so it is left out of the guide.',
    ]);
    assert.deepEqual(outline(model), ['§ s "S"', '  - a "A?" required']);
  });

  it('stops at follow-ups nested too deeply instead of recursing without end', () => {
    const lines = ['id: g', 'title: T', 'sections:', '  - id: s', '    title: S', '    questions:'];
    let indent = '      ';
    for (let i = 0; i < 40; i++) {
      lines.push(`${indent}- id: q${i}`, `${indent}  text: Q${i}?`, `${indent}  followups:`);
      indent += '    ';
    }
    lines.push(`${indent}- id: last`, `${indent}  text: Last?`);
    const model = parseGuide(doc(...lines));
    assert.deepEqual(model.problems.map((p) => p.message), ['Follow-ups are nested more than 32 levels deep here; the deeper ones are left out.']);
    assert.equal(model.questions.length, 32);
  });

  it('reports YAML aliases instead of expanding them, and accepts anchors', () => {
    const text = doc(
      'id: g', 'title: &t Title', 'sections:',
      '  - id: s', '    title: *t', '    questions:',
      '      - &q', '        id: a', '        text: A?',
      '      - *q',
    );
    const model = parseGuide(text);
    assert.deepEqual(problems(text, model), [
      '5:12 schema "*t" YAML aliases (`*name`) are not supported in guides: write the value out in full.',
      '10:9 schema "*q" YAML aliases (`*name`) are not supported in guides: write the value out in full.',
    ]);
    assert.equal(model.title?.value, 'Title');
    assert.equal(model.sections[0].title, '');
    assert.deepEqual(model.questions.map((x) => x.id), ['a']);
  });

  it('survives an alias bomb quickly, expanding nothing', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 30; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    lines.push('sections: *a29');
    const text = doc(...lines);
    const started = performance.now();
    const model = parseGuide(text);
    assert.ok(performance.now() - started < 1000);
    assert.ok(model.problems.some((p) => p.message.startsWith('YAML aliases') && text.slice(p.start, p.end) === '*a29'));
    assert.ok(model.problems.some((p) => p.message.startsWith('`a0` is not a field of a guide')));
  });

  it('reports a repeated field once, naming it', () => {
    const text = doc('id: g', 'title: T', 'title: U', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: a', '        text: A?');
    const model = parseGuide(text);
    assert.deepEqual(problems(text, model), ['3:1 yaml-syntax "title" `title` is given twice here: keep one (only the first is read).']);
    assert.equal(model.title?.value, 'T');
  });

  it('reports invalid YAML, and still reads what it can', () => {
    const text = doc('id: g', 'title: T', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: a', '        text: "Unclosed?');
    const model = parseGuide(text);
    // The reader finds the missing quote only at the end of the text, after the final line break:
    // the problem is shown on the last line that has something on it, a line the file has.
    assert.deepEqual(problems(text), ['8:9 yaml-syntax "text: "Unclosed?" This is not valid YAML: Missing closing "quote.']);
    assert.deepEqual(model.questions.map((x) => x.id), ['a']);
  });

  it('reports a file that is not a mapping, but not when it is invalid YAML already', () => {
    assert.deepEqual(problems(''), ['1:1 schema "" The guide is empty: it needs an `id`, a `title` and `sections` with questions.']);
    assert.deepEqual(problems('# just a comment'), ['1:1 schema "# just a comment" The guide is empty: it needs an `id`, a `title` and `sections` with questions.']);
    assert.deepEqual(problems('null'), ['1:1 schema "null" The guide is empty: it needs an `id`, a `title` and `sections` with questions.']);
    assert.deepEqual(problems('- id: a\n- id: b\n'), ['1:1 schema "- id: a" A guide must be a set of fields (`id`, `title`, `note`, `roles` and `sections`), not a list.']);
    assert.deepEqual(problems('Interview guide'), ['1:1 schema "Interview guide" A guide must be a set of fields (`id`, `title`, `note`, `roles` and `sections`), not a single value.']);
    assert.ok(brief('[a, b').every((line) => line.startsWith('yaml-syntax')));
  });

  it('agrees with the JSON schema on its example files', () => {
    const fixtures = resolve(__dirname, '..', 'fixtures', 'schemas');
    const read = (name: string): string => readFileSync(join(fixtures, name), 'utf8');
    const cases: Record<string, string[]> = {
      'guide-unicode-ids.yaml': [],
      'guide-bad-id.yaml': ['invalid-id "PPP General"'],
      'guide-bad-role-id.yaml': ['invalid-id "team manager"'],
      'guide-empty-sections.yaml': ['schema "[]"'],
      'guide-missing-sections.yaml': ['schema "id"'],
      'guide-nested-followup-without-id.yaml': ['schema "text"'],
      'guide-optional-not-boolean.yaml': ['schema "sometimes"'],
      'guide-question-id-trailing-dot.yaml': ['invalid-id "Q3."'],
      'guide-question-without-text.yaml': ['schema "job-title"'],
      'guide-section-roles-not-list.yaml': ['schema "tm"'],
      'guide-unknown-field.yaml': ['schema "follow-ups"'],
    };
    for (const [name, expected] of Object.entries(cases)) assert.deepEqual(brief(read(name)), expected, name);
  });
});

// ---------------------------------------------------------------- line breaks and BOM

describe('positions', () => {
  const lines = ['id: g', 'title: T', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: "a"', '        text: A?', '      - id: b'];

  it('are exact with CRLF line breaks', () => {
    const text = lines.join('\r\n') + '\r\n';
    const model = parseGuide(text);
    assert.deepEqual(problems(text, model), ["9:13 schema \"b\" The question 'b' has no `text`: add the question as the interviewer reads it."]);
    assert.equal(text.slice(model.questions[0].idStart, model.questions[0].idEnd), 'a');
    assert.equal(model.questions[0].text, 'A?');
    assert.ok(!text.slice(model.questions[0].start, model.questions[0].end).endsWith('\r'));
  });

  it('are exact after a byte-order mark, which counts as a character on line 1', () => {
    const text = '\ufeff' + lines.join('\n');
    const model = parseGuide(text);
    assert.deepEqual(problems(text, model), ["9:13 schema \"b\" The question 'b' has no `text`: add the question as the interviewer reads it."]);
    assert.equal(model.id?.value, 'g');
    assert.equal(model.id?.start, 5);
    assert.equal(text.slice(model.questions[0].idStart, model.questions[0].idEnd), 'a');
  });

  it('are exact with lone CR line breaks, which YAML alone would not see', () => {
    const text = lines.join('\r');
    const model = parseGuide(text);
    assert.deepEqual(problems(text, model), ["9:13 schema \"b\" The question 'b' has no `text`: add the question as the interviewer reads it."]);
    assert.deepEqual(model.questions.map((x) => x.text), ['A?', '']);
  });
});

// ---------------------------------------------------------------- never throws

const FRAGMENTS = [
  'id: g\n', 'title: T\n', 'sections:\n', '  - id: s\n', '    title: S\n', '    questions:\n', '      - id: a\n',
  '        text: A?\n', '        followups:\n', '          - id: b\n', 'roles:\n', '  swr: S\n', '    roles: [swr, x]\n',
  '        optional: maybe\n', '- ', '  ', '    ', ': ', '[', ']', '{', '}', ',', '"', "'", '&a ', '*a', '!!str ', '? ',
  '#', '|\n', '>-\n', '---\n', '...\n', '\r\n', '\r', '\n', '\t', '\ufeff', 'é', '😀', '\u0000', '%YAML 1.2\n', '<<: *a\n',
];
const plain = fc.string({ maxLength: 200 });
const unicode = fc.string({ unit: 'binary', maxLength: 200 });
const fragments = fc.string({ unit: fc.constantFrom(...FRAGMENTS), maxLength: 60 });
/** A valid guide with a random cut or insertion: what a half-typed edit looks like. */
const edits = fc
  .tuple(fc.nat(GUIDE.length), fc.nat(40), fc.constantFrom('', ...FRAGMENTS))
  .map(([at, cut, insert]) => GUIDE.slice(0, at) + insert + GUIDE.slice(Math.min(GUIDE.length, at + cut)));
const anyText = fc.oneof(plain, unicode, fragments, edits);

describe('parseGuide on any input', () => {
  it('never throws, and every range lies within the text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const model = parseGuide(text);
        assertRangesValid(text, model);
        assert.ok(!model.problems.some((p) => p.message.startsWith('Transcript Coder could not read')), 'no internal error');
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps the question list consistent with the section tree', () => {
    fc.assert(
      fc.property(fc.oneof(fragments, edits), (text) => {
        const model = parseGuide(text);
        const fromTree: QuestionDef[] = [];
        const walk = (list: QuestionDef[]): void => {
          for (const x of list) {
            fromTree.push(x);
            walk(x.followups);
          }
        };
        for (const s of model.sections) walk(s.questions);
        assert.deepEqual(fromTree, model.questions);
        for (const x of model.questions) assert.ok(x.sectionIndex >= 0 && x.sectionIndex < model.sections.length);
      }),
      { numRuns: 500 },
    );
  });

  it('survives deeply nested garbage', () => {
    for (const text of ['['.repeat(5000), '{a: '.repeat(3000), '- '.repeat(3000) + 'x', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')]) {
      assertRangesValid(text, parseGuide(text));
    }
  });
});
