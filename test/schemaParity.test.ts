/**
 * The JSON Schemas in schemas/ (which VS Code applies to guides and codebooks
 * through the YAML extension) and the language server's own parsers must give
 * the same verdict on a file: a researcher must never see one of them accept
 * what the other rejects. Each fixture below is run through both — ajv on the
 * YAML's data, and `parseGuide`/`parseCodebook`, which accept a file when they
 * report no problem at all — and both must agree with the fixture's verdict.
 *
 * A few rules cannot be written in a JSON Schema, which sees one file's data
 * after YAML has expanded its aliases: IDs unique across the tree, roles that
 * the guide declares, no aliases, and the nesting limit. Those fixtures are
 * listed apart: the parser rejects them and the schema cannot.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { parseCodebook } from '../server/src/core/codebook';
import { parseGuide } from '../server/src/core/guide';
import type { Problem } from '../server/src/core/model';

const root = resolve(__dirname, '..');
const fixtures = join(root, 'test', 'fixtures', 'schemas');
const example = join(root, 'examples', 'ppp-study');

function compile(file: string): ValidateFunction {
  const schema = JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8')) as Record<string, unknown>;
  return new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
}

interface Kind {
  validate: ValidateFunction;
  parse(text: string): { problems: Problem[] };
}

const guide: Kind = { validate: compile('guide.schema.json'), parse: parseGuide };
const codebook: Kind = { validate: compile('codebook.schema.json'), parse: parseCodebook };

/** Both verdicts on `text`, with what each said, for the failure message. */
function verdicts(kind: Kind, text: string): { schema: boolean; parser: boolean; why: string } {
  const schema = kind.validate(parse(text));
  const errors = (kind.validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  const problems = kind.parse(text).problems;
  return {
    schema,
    parser: problems.length === 0,
    why: `schema: ${schema ? 'accepts' : errors.join('; ')}\nparser: ${problems.length === 0 ? 'accepts' : problems.map((p) => `${p.code} ${p.message}`).join('; ')}`,
  };
}

function assertBoth(kind: Kind, text: string, valid: boolean): void {
  const v = verdicts(kind, text);
  assert.deepEqual({ schema: v.schema, parser: v.parser }, { schema: valid, parser: valid }, v.why);
}

/** A fixture written as one string per line. */
const doc = (...lines: string[]): string => `${lines.join('\n')}\n`;

interface Case {
  name: string;
  text: string;
}

// ---------------------------------------------------------------- guides

const GUIDE_HEAD = ['id: ppp', 'title: Interviews', 'roles:', '  swr: Social worker', '  tm: Team manager', 'sections:'];

/** A guide with the usual head and `lines` as its sections. */
const sections = (...lines: string[]): string => doc(...GUIDE_HEAD, ...lines);

/** A guide with one section holding `lines` as its questions. */
const questions = (...lines: string[]): string => sections('  - id: background', '    title: Background', '    questions:', ...lines);

const validGuides: Case[] = [
  { name: 'a guide with one section and one question', text: questions('      - id: job-title', '        text: What is your job title?') },
  {
    name: 'the example of SPEC §2: roles as a map, a note, section and follow-up roles, prompts, optional flags',
    text: sections(
      '  - id: background',
      '    title: Background',
      '    note: Clarify before starting.',
      '    roles: [swr, tm]',
      '    questions:',
      '      - id: job-title',
      "        text: Clarify interviewee's job title, length of time in post, overall experience.",
      '        prompts:',
      '          - How long in post?',
      '        optional: false',
      '        followups:',
      '          - id: team-knowledge',
      '            text: How long had the case been in your team?',
      '            roles: [tm]',
      '            optional: true',
    ),
  },
  { name: 'a guide without roles', text: doc('id: ppp', 'title: Interviews', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'roles as an empty map', text: doc('id: ppp', 'title: T', 'roles: {}', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'roles as an empty list', text: doc('id: ppp', 'title: T', 'roles: []', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'roles given with nothing after them', text: doc('id: ppp', 'title: T', 'roles:', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'an empty label of a role', text: doc('id: ppp', 'title: T', 'roles:', '  swr: ""', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'empty lists of prompts, follow-ups and roles', text: questions('      - id: q', '        text: Q?', '        prompts: []', '        followups: []', '        roles: []') },
  { name: 'optional fields given with nothing after them', text: sections('  - id: s', '    title: S', '    note:', '    roles:', '    questions:', '      - id: q', '        text: Q?', '        prompts:', '        roles:', '        followups:') },
  { name: 'an empty note', text: sections('  - id: s', '    title: S', '    note: ""', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'an optional question and an expected follow-up', text: questions('      - id: q', '        text: Q?', '        optional: true', '        followups:', '          - id: f', '            text: F?', '            optional: false') },
  { name: 'a follow-up of a follow-up', text: questions('      - id: q', '        text: Q?', '        followups:', '          - id: f', '            text: F?', '            followups:', '              - id: ff', '                text: FF?') },
  { name: 'numbers and true/false where text is expected, read as written', text: doc('id: ppp', 'title: 2011', 'roles:', '  swr: 7', 'sections:', '  - id: s', '    title: 3', '    note: true', '    questions:', '      - id: q', '        text: 42', '        prompts: [2011, false]') },
  { name: 'IDs that YAML reads as numbers: a numbered question `2.1`, a section `3`, a guide `2011`', text: doc('id: 2011', 'title: T', 'sections:', '  - id: 3', '    title: S', '    questions:', '      - id: 2.1', '        text: Q?', '        followups:', '          - id: 2.1.1', '            text: F?') },
  { name: 'a role whose ID YAML reads as a number, used by a section', text: doc('id: ppp', 'title: T', 'roles:', '  1: First', 'sections:', '  - id: s', '    title: S', '    roles: [1]', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'IDs that YAML reads as true or false', text: doc('id: true', 'title: T', 'sections:', '  - id: false', '    title: S', '    questions:', '      - id: true', '        text: Q?') },
];

const invalidGuides: Case[] = [
  { name: 'an empty file', text: '' },
  { name: 'a list instead of a guide', text: doc('- id: ppp') },
  { name: 'a guide without an id', text: doc('title: T', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'a guide without a title', text: doc('id: ppp', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'a guide with an empty title', text: doc('id: ppp', 'title: ""', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'a guide whose title is only spaces', text: doc('id: ppp', 'title: "   "', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'a guide without sections', text: doc('id: ppp', 'title: T') },
  { name: 'an empty list of sections', text: doc('id: ppp', 'title: T', 'sections: []') },
  { name: 'sections given with nothing after them', text: doc('id: ppp', 'title: T', 'sections:') },
  { name: 'sections as a map', text: doc('id: ppp', 'title: T', 'sections:', '  background:', '    title: B') },
  { name: 'a section that is a single word', text: sections('  - background') },
  { name: 'a section without an id', text: sections('  - title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'a section without a title', text: sections('  - id: s', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'a section without questions', text: sections('  - id: s', '    title: S') },
  { name: 'an empty list of questions', text: sections('  - id: s', '    title: S', '    questions: []') },
  { name: 'a question that is a single word', text: questions('      - job-title') },
  { name: 'a question without an id', text: questions('      - text: Q?') },
  { name: 'a question without text', text: questions('      - id: q') },
  { name: 'a question with empty text', text: questions('      - id: q', '        text: ""') },
  { name: 'a follow-up without text', text: questions('      - id: q', '        text: Q?', '        followups:', '          - id: f') },
  { name: 'a follow-up without an id', text: questions('      - id: q', '        text: Q?', '        followups:', '          - text: F?') },
  { name: 'a title that is a list', text: doc('id: ppp', 'title: [a, b]', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'section roles as a single word', text: sections('  - id: s', '    title: S', '    roles: tm', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'optional written as yes', text: questions('      - id: q', '        text: Q?', '        optional: yes') },
  { name: 'optional written as the text "true"', text: questions('      - id: q', '        text: Q?', '        optional: "true"') },
  { name: 'optional given with nothing after it', text: questions('      - id: q', '        text: Q?', '        optional:') },
  { name: 'prompts as a single text', text: questions('      - id: q', '        text: Q?', '        prompts: How long?') },
  { name: 'a prompt that is a map', text: questions('      - id: q', '        text: Q?', '        prompts:', '          - a: b') },
  { name: 'an empty prompt', text: questions('      - id: q', '        text: Q?', '        prompts:', '          -') },
  { name: 'follow-ups as a single text', text: questions('      - id: q', '        text: Q?', '        followups: more') },
  { name: 'a guide ID with capitals and a space', text: doc('id: PPP General', 'title: T', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'a guide ID starting with a hyphen', text: doc('id: -ppp', 'title: T', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'a guide ID that YAML reads as a number with a point', text: doc('id: 1.5', 'title: T', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'a question ID ending in a point', text: questions('      - id: Q3.', '        text: Q?') },
  { name: 'a question ID with a space', text: questions('      - id: job title', '        text: Q?') },
  { name: 'a question ID that YAML reads as a negative number', text: questions('      - id: -1', '        text: Q?') },
  { name: 'a section ID with a space', text: sections('  - id: back ground', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'a role ID with a space', text: doc('id: ppp', 'title: T', 'roles:', '  team manager: Team manager', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'roles as a list of IDs instead of a map', text: doc('id: ppp', 'title: T', 'roles: [swr, tm]', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'a role label that is a list', text: doc('id: ppp', 'title: T', 'roles:', '  swr: [a]', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'a role with no label', text: doc('id: ppp', 'title: T', 'roles:', '  swr:', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'a role listed twice on a section', text: sections('  - id: s', '    title: S', '    roles: [tm, tm]', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'a top-level field the guide does not have', text: doc('id: ppp', 'title: T', 'description: D', 'sections:', '  - id: s', '    title: S', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'a misspelt field of a question', text: questions('      - id: q', '        text: Q?', '        follow-ups: []') },
  { name: 'a question field on a section', text: sections('  - id: s', '    title: S', '    text: T', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'a field a follow-up does not have', text: questions('      - id: q', '        text: Q?', '        followups:', '          - id: f', '            text: F?', '            colour: red') },
];

/** Nested follow-ups, `levels` deep below the question. */
function nestedFollowups(levels: number): string {
  const lines = ['      - id: q0', '        text: Q?'];
  for (let i = 1; i <= levels; i++) {
    const pad = ' '.repeat(8 + 4 * (i - 1));
    lines.push(`${pad}followups:`, `${pad}  - id: q${i}`, `${pad}    text: F?`);
  }
  return questions(...lines);
}

const guidesOnlyTheParserRejects: Case[] = [
  { name: 'a question ID used twice', text: questions('      - id: q', '        text: Q?', '      - id: q', '        text: Again?') },
  { name: 'a section for a role the guide does not declare', text: sections('  - id: s', '    title: S', '    roles: [parent]', '    questions:', '      - id: q', '        text: Q?') },
  { name: 'a YAML alias', text: questions('      - id: q', '        text: &t Q?', '      - id: r', '        text: *t') },
  { name: 'follow-ups nested more than 32 levels deep', text: nestedFollowups(33) },
];

// ---------------------------------------------------------------- codebooks

const validCodebooks: Case[] = [
  { name: 'one code', text: doc('codes:', '  - id: benefit', '    label: Benefits') },
  {
    name: 'the example of SPEC §3: definitions, linked questions, colours, children, deprecation',
    text: doc(
      'codes:',
      '  - id: benefit',
      '    label: Benefits of the pre-proceedings process',
      '    description: Any advantage the interviewee sees in the PPP, for anyone.',
      '    whenToUse: The interviewee names a gain, even a small one.',
      '    whenNotToUse: Benefits of court proceedings themselves.',
      '    example: "It gave mum a real wake-up call."',
      '    questions: [benefits, worth-it]',
      '    color: "#2a9d8f"',
      '    children:',
      '      - id: family',
      '        label: Benefits for the family',
      '  - id: role',
      '    label: Roles in the process',
      '    children:',
      '      - id: la-lawyer',
      '        label: The local-authority lawyer',
      '  - id: lawyer-role',
      '    label: Role of the local-authority lawyer',
      '    deprecated: true',
      '    replacedBy: role/la-lawyer',
    ),
  },
  { name: 'codes given with nothing after them (an empty codebook)', text: doc('codes:') },
  { name: 'an empty list of codes', text: doc('codes: []') },
  { name: 'empty children', text: doc('codes:', '  - id: a', '    label: A', '    children: []', '  - id: b', '    label: B', '    children:') },
  { name: 'optional fields given with nothing after them', text: doc('codes:', '  - id: a', '    label: A', '    description:', '    whenToUse:', '    whenNotToUse:', '    example:', '    questions:', '    replacedBy:') },
  { name: 'an empty list of linked questions', text: doc('codes:', '  - id: a', '    label: A', '    questions: []') },
  { name: 'three-digit and upper-case colours', text: doc('codes:', '  - id: a', '    label: A', '    color: "#abc"', '  - id: b', '    label: B', '    color: "#AABBCC"') },
  { name: 'a code that is not deprecated', text: doc('codes:', '  - id: a', '    label: A', '    deprecated: false') },
  { name: 'numbers and true/false where text is expected, read as written', text: doc('codes:', '  - id: a', '    label: 2011', '    description: 42', '    example: true') },
  { name: 'IDs that YAML reads as numbers or true/false: a code `2011`, questions `2.1` and `true`', text: doc('codes:', '  - id: 2011', '    label: A', '    questions: [2.1, true]', '  - id: b', '    label: B', '    deprecated: true', '    replacedBy: 2011') },
];

const invalidCodebooks: Case[] = [
  { name: 'an empty file', text: '' },
  { name: 'a list instead of a codebook', text: doc('- id: a', '  label: A') },
  { name: 'a codebook without codes', text: doc('code:', '  - id: a', '    label: A') },
  { name: 'codes as a map', text: doc('codes:', '  benefit:', '    label: Benefits') },
  { name: 'a code that is a single word', text: doc('codes:', '  - benefit') },
  { name: 'an empty entry of codes', text: doc('codes:', '  -') },
  { name: 'a code without an id', text: doc('codes:', '  - label: A') },
  { name: 'a code without a label', text: doc('codes:', '  - id: a') },
  { name: 'a code with an empty label', text: doc('codes:', '  - id: a', '    label: ""') },
  { name: 'a code whose label is only spaces', text: doc('codes:', '  - id: a', '    label: "  "') },
  { name: 'a child code without a label', text: doc('codes:', '  - id: a', '    label: A', '    children:', '      - id: b') },
  { name: 'a label that is a list', text: doc('codes:', '  - id: a', '    label: [A]') },
  { name: 'a colour with four digits', text: doc('codes:', '  - id: a', '    label: A', '    color: "#abcd"') },
  { name: 'a colour without #', text: doc('codes:', '  - id: a', '    label: A', '    color: "2a9d8f"') },
  { name: 'a colour that is no hex number', text: doc('codes:', '  - id: a', '    label: A', '    color: "#ggg"') },
  { name: 'an unquoted colour, which YAML reads as a comment', text: doc('codes:', '  - id: a', '    label: A', '    color: #2a9d8f') },
  { name: 'a colour that YAML reads as a number', text: doc('codes:', '  - id: a', '    label: A', '    color: 123') },
  { name: 'a code ID with a space', text: doc('codes:', '  - id: a b', '    label: A') },
  { name: 'a code ID holding a path', text: doc('codes:', '  - id: a/b', '    label: A') },
  { name: 'a code ID with a point', text: doc('codes:', '  - id: a.b', '    label: A') },
  { name: 'a code ID that YAML reads as a number with a point', text: doc('codes:', '  - id: 1.5', '    label: A') },
  { name: 'a replacedBy that ends in a slash', text: doc('codes:', '  - id: a', '    label: A', '    deprecated: true', '    replacedBy: role/') },
  { name: 'a replacedBy with a space', text: doc('codes:', '  - id: a', '    label: A', '    replacedBy: la lawyer') },
  { name: 'linked questions as a single word', text: doc('codes:', '  - id: a', '    label: A', '    questions: reasons') },
  { name: 'a linked question that is no question ID', text: doc('codes:', '  - id: a', '    label: A', '    questions: [bad id]') },
  { name: 'a linked question that is a map', text: doc('codes:', '  - id: a', '    label: A', '    questions:', '      - a: b') },
  { name: 'a linked question listed twice', text: doc('codes:', '  - id: a', '    label: A', '    questions: [q, q]') },
  { name: 'deprecated written as yes', text: doc('codes:', '  - id: a', '    label: A', '    deprecated: yes') },
  { name: 'children as a map', text: doc('codes:', '  - id: a', '    label: A', '    children:', '      b:', '        label: B') },
  { name: 'a field a code does not have', text: doc('codes:', '  - id: a', '    label: A', '    definition: D') },
  { name: 'a top-level field the codebook does not have', text: doc('title: T', 'codes:', '  - id: a', '    label: A') },
];

function nestedCodes(levels: number): string {
  const lines = ['codes:', '  - id: c0', '    label: C'];
  for (let i = 1; i <= levels; i++) {
    const pad = ' '.repeat(4 * i);
    lines.push(`${pad}children:`, `${pad}  - id: c${i}`, `${pad}    label: C`);
  }
  return doc(...lines);
}

const codebooksOnlyTheParserRejects: Case[] = [
  { name: 'a code path defined twice', text: doc('codes:', '  - id: a', '    label: A', '  - id: a', '    label: Again') },
  { name: 'a YAML alias', text: doc('codes:', '  - id: a', '    label: &l A', '  - id: b', '    label: *l') },
  { name: 'codes nested more than 32 levels deep', text: nestedCodes(33) },
];

// ---------------------------------------------------------------- the tests

for (const [kind, name, valid, invalid, beyond, example_, prefix] of [
  [guide, 'guides', validGuides, invalidGuides, guidesOnlyTheParserRejects, 'ppp-general.guide.yaml', 'guide-'],
  [codebook, 'codebooks', validCodebooks, invalidCodebooks, codebooksOnlyTheParserRejects, 'themes.codebook.yaml', 'codebook-'],
] as const) {
  describe(`the JSON Schema and the parser agree on ${name}`, () => {
    describe('both accept', () => {
      for (const c of valid) it(c.name, () => assertBoth(kind, c.text, true));
      it('the example study\'s', () => assertBoth(kind, readFileSync(join(example, example_), 'utf8'), true));
    });

    describe('both reject', () => {
      for (const c of invalid) it(c.name, () => assertBoth(kind, c.text, false));
    });

    describe('both give each fixture of test/fixtures/schemas the verdict its name gives', () => {
      for (const file of readdirSync(fixtures).filter((f) => f.startsWith(prefix)).sort()) {
        it(file, () => assertBoth(kind, readFileSync(join(fixtures, file), 'utf8'), file.includes('unicode-ids')));
      }
    });

    describe('only the parser rejects what a JSON Schema cannot express', () => {
      for (const c of beyond) {
        it(c.name, () => {
          const v = verdicts(kind, c.text);
          assert.deepEqual({ schema: v.schema, parser: v.parser }, { schema: true, parser: false }, v.why);
        });
      }
    });
  });
}
