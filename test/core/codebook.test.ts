/**
 * The codebook parser (SPEC §3, and §5 for the problems it reports itself).
 *
 * Tests parse a small codebook written inline and compare readable renderings
 * with what a person reading the fixture would write down:
 *
 *   problems  `5:13 schema "#2a9d8" '#2a9d8' is not a colour: …`
 *             (start position, code, the text the range covers, the message)
 *   codes     `benefit/family "Benefits for the family" parent=benefit questions=… color=… deprecated → role/x`
 *
 * Positions are 1-based `line:column`, as an editor's status bar and the CLI show
 * them, with columns counted in UTF-16 units (LSP positions are these minus one).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { parseCodebook } from '../../server/src/core/codebook';
import type { CodebookModel } from '../../server/src/core/model';

// ---------------------------------------------------------------- helpers

/** A fixture written as one string per line. */
const doc = (...lines: string[]): string => lines.join('\n');

/** Quotes covered text, line breaks shown as ⏎ (`\n`) and ␍ (`\r`). */
const q = (s: string): string => `"${s.replace(/\n/g, '⏎').replace(/\r/g, '␍')}"`;

function pos(model: CodebookModel, offset: number): string {
  const p = model.lines.positionAt(offset);
  return `${p.line + 1}:${p.character + 1}`;
}

/** Each problem as `line:col code "covered text" message`. */
function problems(text: string, model = parseCodebook(text)): string[] {
  return model.problems.map((p) => `${pos(model, p.start)} ${p.code} ${q(text.slice(p.start, p.end))} ${p.message}`);
}

/** Just the codes and covered texts, for tests about which problems fire rather than their wording. */
function brief(text: string): string[] {
  return parseCodebook(text).problems.map((p) => `${p.code} ${q(text.slice(p.start, p.end))}`);
}

/** Each code as one line: path, label, parent and whatever else it sets. */
function codes(model: CodebookModel): string[] {
  return model.codes.map((c) => {
    const parts = [c.path, c.label === undefined ? '(no label)' : q(c.label)];
    if (c.parent !== null) parts.push(`parent=${c.parent}`);
    if (c.questions.length) parts.push(`questions=${c.questions.map((x) => x.value).join(',')}`);
    if (c.color) parts.push(`color=${c.color}`);
    if (c.deprecated) parts.push('deprecated');
    if (c.replacedBy) parts.push(`→ ${c.replacedBy.value}`);
    return parts.join(' ');
  });
}

function assertRangesValid(text: string, model: CodebookModel): void {
  let last = 0;
  for (const p of model.problems) {
    assert.ok(p.start >= 0 && p.start <= p.end && p.end <= text.length, `range ${p.start}-${p.end} outside 0-${text.length}`);
    assert.ok(p.start >= last, 'problems are in text order');
    assert.ok(p.message.length > 0);
    last = p.start;
  }
  for (const c of model.codes) {
    assert.ok(c.idStart >= 0 && c.idStart <= c.idEnd && c.idEnd <= text.length);
    assert.ok(c.start >= 0 && c.start <= c.end && c.end <= text.length);
    for (const x of c.questions) assert.ok(x.start >= 0 && x.start <= x.end && x.end <= text.length);
  }
}

const CODEBOOK = doc(
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
  '        children:',
  '          - id: children',
  '            label: Benefits for the children',
  '            color: "#abc"',
  '      - id: la',
  '        label: Benefits for the local authority',
  '  - id: role',
  '    label: Roles in the process',
  '    children:',
  '      - id: la-lawyer',
  '        label: The local-authority lawyer',
  '        questions:',
  '          - Q3.2',
  '  - id: lawyer-role',
  '    label: Role of the local-authority lawyer',
  '    deprecated: true',
  '    replacedBy: role/la-lawyer',
  '',
);

// ---------------------------------------------------------------- the model of a valid codebook

describe('a well-formed codebook', () => {
  const model = parseCodebook(CODEBOOK);

  it('has no problems', () => {
    assert.deepEqual(problems(CODEBOOK, model), []);
  });

  it('lists codes depth first, parents before children, with full paths', () => {
    assert.equal(model.kind, 'codebook');
    assert.deepEqual(codes(model), [
      'benefit "Benefits of the pre-proceedings process" questions=benefits,worth-it color=#2a9d8f',
      'benefit/family "Benefits for the family" parent=benefit',
      'benefit/family/children "Benefits for the children" parent=benefit/family color=#abc',
      'benefit/la "Benefits for the local authority" parent=benefit',
      'role "Roles in the process"',
      'role/la-lawyer "The local-authority lawyer" parent=role questions=Q3.2',
      'lawyer-role "Role of the local-authority lawyer" deprecated → role/la-lawyer',
    ]);
    assert.deepEqual(model.codes.map((c) => c.id), ['benefit', 'family', 'children', 'la', 'role', 'la-lawyer', 'lawyer-role']);
  });

  it('reads the definition fields of the classic codebook structure', () => {
    const benefit = model.codes[0];
    assert.equal(benefit.description, 'Any advantage the interviewee sees in the PPP, for anyone.');
    assert.equal(benefit.whenToUse, 'The interviewee names a gain, even a small one.');
    assert.equal(benefit.whenNotToUse, 'Benefits of court proceedings themselves.');
    assert.equal(benefit.example, 'It gave mum a real wake-up call.');
    assert.equal(benefit.deprecated, false);
  });

  it('records the offsets of each ID, each linked question, each replacement and each whole code', () => {
    for (const c of model.codes) assert.equal(CODEBOOK.slice(c.idStart, c.idEnd), c.id);
    for (const c of model.codes) for (const x of c.questions) assert.equal(CODEBOOK.slice(x.start, x.end), x.value);
    const old = model.codes[6];
    assert.equal(CODEBOOK.slice(old.replacedBy?.start, old.replacedBy?.end), 'role/la-lawyer');
    assert.equal(CODEBOOK.slice(old.start, old.end), 'id: lawyer-role\n    label: Role of the local-authority lawyer\n    deprecated: true\n    replacedBy: role/la-lawyer');
  });

  it('reads IDs in any script', () => {
    const text = doc(
      'codes:',
      '  - id: Nutzen',
      '    label: Nutzen des Verfahrens',
      '    questions: [Q3.2, größe-des-teams]',
      '    children:',
      '      - id: für-die-familie',
      '        label: Nutzen für die Familie',
      '      - id: großeltern_2',
      '        label: Großeltern',
      '        deprecated: true',
      '        replacedBy: Nutzen/für-die-familie',
    );
    const m = parseCodebook(text);
    assert.deepEqual(problems(text, m), []);
    assert.deepEqual(m.codes.map((c) => c.path), ['Nutzen', 'Nutzen/für-die-familie', 'Nutzen/großeltern_2']);
  });

  it('accepts an empty codebook that says `codes:`', () => {
    assert.deepEqual(problems('codes: []\n'), []);
    assert.deepEqual(problems('codes:\n'), []);
    assert.deepEqual(parseCodebook('codes:\n').codes, []);
  });
});

// ---------------------------------------------------------------- quoted values

describe('quoted values', () => {
  const text = doc(
    'codes:',
    '  - id: "benefit"',
    "    label: 'Benefits'",
    '    questions: ["benefits", \'worth-it\']',
    '    children:',
    "      - id: 'family'",
    '        label: Family',
    '  - id: old',
    '    label: Old',
    '    replacedBy: "benefit/family"',
  );
  const model = parseCodebook(text);

  it('have ranges without their quotes, so that a rename replaces exactly the ID', () => {
    assert.deepEqual(problems(text, model), []);
    const [benefit, family, old] = model.codes;
    assert.equal(text.slice(benefit.idStart, benefit.idEnd), 'benefit');
    assert.equal(benefit.idStart, text.indexOf('"benefit"') + 1);
    assert.equal(text.slice(family.idStart, family.idEnd), 'family');
    assert.deepEqual(benefit.questions.map((x) => text.slice(x.start, x.end)), ['benefits', 'worth-it']);
    assert.equal(text.slice(old.replacedBy?.start, old.replacedBy?.end), 'benefit/family');
    assert.equal(benefit.label, 'Benefits');
  });

  it('keep their quotes out of problem ranges too', () => {
    const bad = doc('codes:', '  - id: "la lawyer"', '    label: L', '    color: "#12"', "    questions: ['why?']");
    assert.deepEqual(brief(bad), ['invalid-id "la lawyer"', 'schema "#12"', 'invalid-id "why?"']);
  });
});

// ---------------------------------------------------------------- problems

describe('problems in a codebook', () => {
  it('leaves out a code without an id together with its children, and says so', () => {
    const text = doc(
      'codes:',
      '  - label: Nameless',
      '    children:',
      '      - id: lost',
      '        label: Lost',
      '  - id: kept',
      '    label: Kept',
      '    children:',
      '      - label: Childless and nameless',
      '      - id:',
      '        label: Empty ID',
      '      - id: [a, b]',
      '        label: List ID',
    );
    const model = parseCodebook(text);
    assert.deepEqual(problems(text, model), [
      '2:5 schema "label" This code has no `id`, so it is left out of the codebook together with its children: add an ID such as `id: benefit`.',
      '9:9 schema "label" This code has no `id`, so it is left out of the codebook: add an ID such as `id: benefit`.',
      '10:9 schema "id" This code has no `id`, so it is left out of the codebook: add an ID such as `id: benefit`.',
      '12:9 schema "id" The `id` of this code must be a single ID, not a list, so it is left out of the codebook.',
    ]);
    assert.deepEqual(codes(model), ['kept "Kept"']);
  });

  it('reports an invalid code ID, and keeps the code with its path', () => {
    const text = doc(
      'codes:',
      '  - id: role',
      '    label: Roles',
      '    children:',
      '      - id: la lawyer',
      '        label: The local-authority lawyer',
      '  - id: role/la-lawyer',
      '    label: A path as an ID',
    );
    const model = parseCodebook(text);
    assert.deepEqual(problems(text, model), [
      "5:13 invalid-id \"la lawyer\" 'la lawyer' is not a valid code ID: use letters, digits and `_`, with `-` only between them (no spaces, `/` or `.`), e.g. `la-lawyer`.",
      "7:9 invalid-id \"role/la-lawyer\" 'role/la-lawyer' is not a valid code ID: use letters, digits and `_`, with `-` only between them (no spaces, `/` or `.`), e.g. `la-lawyer`.",
    ]);
    assert.deepEqual(model.codes.map((c) => c.path), ['role', 'role/la lawyer', 'role/la-lawyer']);
  });

  it('reports a code path defined twice in one file, at every definition after the first', () => {
    const text = doc(
      'codes:',
      '  - id: benefit',
      '    label: Benefits',
      '    children:',
      '      - id: family',
      '        label: Family',
      '      - id: family',
      '        label: Family again',
      '  - id: benefit',
      '    label: Benefits again',
      '    children:',
      '      - id: family',
      '        label: Family a third time',
      '  - id: family',
      '    label: A top-level family is another path',
    );
    const model = parseCodebook(text);
    assert.deepEqual(problems(text, model), [
      "7:13 duplicate-id \"family\" The code 'benefit/family' is already defined on line 5.",
      "9:9 duplicate-id \"benefit\" The code 'benefit' is already defined on line 2.",
      "12:13 duplicate-id \"family\" The code 'benefit/family' is already defined on line 5.",
    ]);
    assert.equal(model.codes.length, 6);
  });

  it('reports a code without a label, and keeps it', () => {
    const text = doc('codes:', '  - id: benefit', '    label: Benefits', '    children:', '      - id: family', '        description: Benefits for the family.', '      - id: la', '        label: " "');
    const model = parseCodebook(text);
    assert.deepEqual(problems(text, model), [
      "5:13 schema \"family\" The code 'benefit/family' has no `label`: add a short name for it, e.g. `label: Benefits for the family`.",
      "8:17 schema \" \" The code 'benefit/la' has no `label`: add a short name for it, e.g. `label: Benefits for the family`.",
    ]);
    assert.deepEqual(codes(model), ['benefit "Benefits"', 'benefit/family (no label) parent=benefit', 'benefit/la (no label) parent=benefit']);
  });

  it('reports a colour that is not #RGB or #RRGGBB, and an unquoted one that YAML read as a comment', () => {
    const text = doc(
      'codes:',
      '  - id: a', '    label: A', '    color: "#2a9d8"',
      '  - id: b', '    label: B', '    color: #2a9d8f',
      '  - id: c', '    label: C', '    color: teal',
      '  - id: d', '    label: D', '    color: "#ABCDEF"',
    );
    const model = parseCodebook(text);
    assert.deepEqual(problems(text, model), [
      "4:13 schema \"#2a9d8\" '#2a9d8' is not a colour: use #RGB or #RRGGBB, e.g. \"#2a9d8f\".",
      "7:5 schema \"color\" `color` of the code 'b' is empty. Put colours in quotes, e.g. `color: \"#2a9d8f\"`: without them YAML reads `#` as the start of a comment.",
      "10:12 schema \"teal\" 'teal' is not a colour: use #RGB or #RRGGBB, e.g. \"#2a9d8f\".",
    ]);
    assert.deepEqual(model.codes.map((c) => c.color ?? '-'), ['-', '-', '-', '#ABCDEF']);
  });

  it('reports `deprecated` that is not true or false', () => {
    const text = doc('codes:', '  - id: a', '    label: A', '    deprecated: yes', '  - id: b', '    label: B', '    deprecated: [true]');
    const model = parseCodebook(text);
    assert.deepEqual(problems(text, model), [
      "4:17 schema \"yes\" `deprecated` of the code 'a' must be true or false, not 'yes'.",
      "7:5 schema \"deprecated\" `deprecated` of the code 'b' must be true or false.",
    ]);
    assert.deepEqual(model.codes.map((c) => c.deprecated), [false, false]);
  });

  it('reports a `replacedBy` that is not a code path, and leaves it out', () => {
    const text = doc('codes:', '  - id: lawyer-role', '    label: L', '    deprecated: true', '    replacedBy: role/');
    const model = parseCodebook(text);
    assert.deepEqual(problems(text, model), [
      "5:17 invalid-id \"role/\" 'role/' is not a valid code path: write the full path of the replacement code, segments joined by `/`, e.g. `role/la-lawyer`.",
    ]);
    assert.equal(model.codes[0].replacedBy, undefined);
    assert.equal(model.codes[0].deprecated, true);
  });

  it('reports linked questions that are not question IDs, written as one value, or repeated', () => {
    const text = doc(
      'codes:',
      '  - id: a', '    label: A', '    questions: [why?, reasons, reasons]',
      '  - id: b', '    label: B', '    questions: ppp-benefits, worth-it',
      '  - id: c', '    label: C', '    questions: {reasons: true}',
    );
    const model = parseCodebook(text);
    assert.deepEqual(problems(text, model), [
      "4:17 invalid-id \"why?\" 'why?' is not a valid question ID: question IDs use letters, digits and `_`, with `.` or `-` only between them (e.g. `reasons` or `Q3.2`).",
      "4:32 schema \"reasons\" 'reasons' is listed twice in `questions` of the code 'a'.",
      "7:16 schema \"ppp-benefits, worth-it\" `questions` of the code 'b' must be a list, e.g. `questions: [ppp-benefits, worth-it]`.",
      "10:5 schema \"questions\" `questions` of the code 'c' must be a list of entries, each a question ID, not a set of fields.",
    ]);
    // A repeat stays in the model so that renaming the question edits both entries.
    assert.deepEqual(codes(model), ['a "A" questions=reasons,reasons', 'b "B" questions=ppp-benefits,worth-it', 'c "C"']);
    assert.deepEqual(model.codes[1].questions.map((x) => text.slice(x.start, x.end)), ['ppp-benefits', 'worth-it']);
  });

  it('reports an unknown field, suggesting the nearest allowed one or listing them', () => {
    const text = doc('codes:', '  - id: a', '    label: A', '    colour: "#abc"', '    when_to_use: Always.', '    definition: What the PPM is for.');
    assert.deepEqual(problems(text), [
      '4:5 schema "colour" `colour` is not a field of a code. Did you mean `color`?',
      '5:5 schema "when_to_use" `when_to_use` is not a field of a code. Did you mean `whenToUse`?',
      '6:5 schema "definition" `definition` is not a field of a code. Its fields are `id`, `label`, `description`, `whenToUse`, `whenNotToUse`, `example`, `questions`, `color`, `deprecated`, `replacedBy` and `children`.',
    ]);
  });

  it('reports fields of the wrong type', () => {
    const text = doc('codes:', '  - id: a', '    label: [A]', '    description:', '      long: text', '    children:', '      family:', '        label: Family');
    assert.deepEqual(problems(text), [
      "3:5 schema \"label\" `label` of the code 'a' must be text, not a list.",
      "4:5 schema \"description\" `description` of the code 'a' must be text, not a set of fields.",
      "6:5 schema \"children\" `children` of the code 'a' must be a list of codes (each entry starting with `- id:`), not a set of fields.",
    ]);
  });

  it('skips entries that are not mappings, saying so', () => {
    const text = doc('codes:', '  - benefit', '  -', '  - id: a', '    label: A', '    children: [x]');
    assert.deepEqual(problems(text), [
      '2:5 schema "benefit" Each entry of `codes` must be a code with `id` and `label`; this one is a single value, so it is left out.',
      '3:3 schema "-" Each entry of `codes` must be a code with `id` and `label`; this one is empty, so it is left out.',
      '6:16 schema "x" Each entry of `children` must be a code with `id` and `label`; this one is a single value, so it is left out.',
    ]);
  });

  it('reports a codebook without `codes`, or whose `codes` is not a list', () => {
    assert.deepEqual(problems(doc('code:', '  - id: benefit', '    label: B')), [
      '1:1 schema "code" `code` is not a field of a codebook. Did you mean `codes`?',
      '1:1 schema "code" The codebook has no `codes`: add `codes:` followed by a list of codes.',
    ]);
    assert.deepEqual(problems(doc('codes:', '  benefit:', '    label: B')), [
      '1:1 schema "codes" `codes` of the codebook must be a list of codes (each entry starting with `- id:`), not a set of fields.',
    ]);
  });

  it('reports a file that is not a mapping, but not when it is invalid YAML already', () => {
    assert.deepEqual(problems(''), ['1:1 schema "" The codebook is empty: start it with `codes:` followed by a list of codes.']);
    assert.deepEqual(problems('~'), ['1:1 schema "~" The codebook is empty: start it with `codes:` followed by a list of codes.']);
    assert.deepEqual(problems('- id: a\n  label: A\n'), ['1:1 schema "- id: a" A codebook must be a set of fields with `codes:` followed by a list of codes, not a list.']);
    assert.deepEqual(problems('42'), ['1:1 schema "42" A codebook must be a set of fields with `codes:` followed by a list of codes, not a single value.']);
    assert.ok(brief('codes: [').every((line) => line.startsWith('yaml-syntax')));
  });

  it('reports YAML aliases instead of expanding them', () => {
    const text = doc('codes:', '  - &b', '    id: benefit', '    label: &l Benefits', '  - *b', '  - id: other', '    label: *l', '    questions: [*l]');
    const model = parseCodebook(text);
    assert.deepEqual(problems(text, model), [
      '5:5 schema "*b" YAML aliases (`*name`) are not supported in codebooks: write the value out in full.',
      '7:12 schema "*l" YAML aliases (`*name`) are not supported in codebooks: write the value out in full.',
      '8:17 schema "*l" YAML aliases (`*name`) are not supported in codebooks: write the value out in full.',
    ]);
    assert.deepEqual(codes(model), ['benefit "Benefits"', 'other (no label)']);
  });

  it('survives an alias bomb quickly, expanding nothing', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 30; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    lines.push('codes: *a29');
    const text = doc(...lines);
    const started = performance.now();
    const model = parseCodebook(text);
    assert.ok(performance.now() - started < 1000);
    assert.ok(model.problems.some((p) => p.message.startsWith('YAML aliases') && text.slice(p.start, p.end) === '*a29'));
  });

  it('stops at codes nested too deeply instead of recursing without end', () => {
    const lines = ['codes:'];
    let indent = '  ';
    for (let i = 0; i < 40; i++) {
      lines.push(`${indent}- id: c${i}`, `${indent}  label: C${i}`, `${indent}  children:`);
      indent += '    ';
    }
    lines.push(`${indent}- id: last`, `${indent}  label: Last`);
    const model = parseCodebook(doc(...lines));
    assert.deepEqual(model.problems.map((p) => p.message), ['Codes are nested more than 32 levels deep here; the deeper ones are left out.']);
    assert.equal(model.codes.length, 32);
  });

  it('reports a repeated field once, naming it', () => {
    const text = doc('codes:', '  - id: a', '    label: A', '    label: B');
    const model = parseCodebook(text);
    assert.deepEqual(problems(text, model), ['4:5 yaml-syntax "label" `label` is given twice here: keep one (only the first is read).']);
    assert.equal(model.codes[0].label, 'A');
  });

  it('agrees with the JSON schema on its example files', () => {
    const fixtures = resolve(__dirname, '..', 'fixtures', 'schemas');
    const read = (name: string): string => readFileSync(join(fixtures, name), 'utf8');
    const cases: Record<string, string[]> = {
      'codebook-unicode-ids.yaml': [],
      'codebook-bad-code-id.yaml': ['invalid-id "la lawyer"'],
      'codebook-bad-colour.yaml': ['schema "#2a9d8"'],
      'codebook-bad-replaced-by.yaml': ['invalid-id "role/"'],
      'codebook-children-not-list.yaml': ['schema "children"'],
      'codebook-code-id-with-slash.yaml': ['invalid-id "role/la-lawyer"'],
      'codebook-code-without-label.yaml': ['schema "family"'],
      'codebook-misspelt-codes.yaml': ['schema "code"', 'schema "code"'],
      'codebook-questions-not-list.yaml': ['schema "ppp-benefits, worth-it"'],
      'codebook-unknown-field.yaml': ['schema "definition"'],
      'codebook-unquoted-colour.yaml': ['schema "color"'],
    };
    for (const [name, expected] of Object.entries(cases)) assert.deepEqual(brief(read(name)), expected, name);
  });
});

// ---------------------------------------------------------------- line breaks and BOM

describe('positions', () => {
  const lines = ['codes:', '  - id: "benefit"', '    label: Benefits', '    questions: [reasons]', '  - id: la lawyer', '    label: L'];

  it('are exact with CRLF line breaks', () => {
    const text = lines.join('\r\n') + '\r\n';
    const model = parseCodebook(text);
    assert.deepEqual(brief(text), ['invalid-id "la lawyer"']);
    assert.deepEqual(problems(text, model).map((p) => p.slice(0, 4)), ['5:9 ']);
    assert.equal(text.slice(model.codes[0].idStart, model.codes[0].idEnd), 'benefit');
    assert.equal(text.slice(model.codes[0].questions[0].start, model.codes[0].questions[0].end), 'reasons');
    assert.equal(model.codes[0].label, 'Benefits');
  });

  it('are exact after a byte-order mark, which counts as a character on line 1', () => {
    const text = '\ufeff' + lines.join('\n');
    const model = parseCodebook(text);
    assert.deepEqual(brief(text), ['invalid-id "la lawyer"']);
    assert.equal(model.codes[0].idStart, text.indexOf('benefit'));
    assert.equal(text.slice(model.codes[0].questions[0].start, model.codes[0].questions[0].end), 'reasons');
  });

  it('are exact with lone CR line breaks, which YAML alone would not see', () => {
    const text = lines.join('\r');
    const model = parseCodebook(text);
    assert.deepEqual(problems(text, model).map((p) => p.slice(0, 4)), ['5:9 ']);
    assert.deepEqual(model.codes.map((c) => c.path), ['benefit', 'la lawyer']);
  });
});

// ---------------------------------------------------------------- never throws

const FRAGMENTS = [
  'codes:\n', '  - id: a\n', '    label: A\n', '    children:\n', '      - id: b\n', '        label: B\n',
  '    questions: [x, y]\n', '    color: "#abc"\n', '    deprecated: true\n', '    replacedBy: a/b\n',
  '- ', '  ', '    ', ': ', '[', ']', '{', '}', ',', '"', "'", '&a ', '*a', '!!str ', '? ', '#', '|\n', '>-\n',
  '---\n', '...\n', '\r\n', '\r', '\n', '\t', '\ufeff', 'é', '😀', '\u0000', '%YAML 1.2\n', '<<: *a\n',
];
const plain = fc.string({ maxLength: 200 });
const unicode = fc.string({ unit: 'binary', maxLength: 200 });
const fragments = fc.string({ unit: fc.constantFrom(...FRAGMENTS), maxLength: 60 });
/** A valid codebook with a random cut or insertion: what a half-typed edit looks like. */
const edits = fc
  .tuple(fc.nat(CODEBOOK.length), fc.nat(40), fc.constantFrom('', ...FRAGMENTS))
  .map(([at, cut, insert]) => CODEBOOK.slice(0, at) + insert + CODEBOOK.slice(Math.min(CODEBOOK.length, at + cut)));
const anyText = fc.oneof(plain, unicode, fragments, edits);

describe('parseCodebook on any input', () => {
  it('never throws, and every range lies within the text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const model = parseCodebook(text);
        assertRangesValid(text, model);
        assert.ok(!model.problems.some((p) => p.message.startsWith('Transcript Coder could not read')), 'no internal error');
      }),
      { numRuns: 1000 },
    );
  });

  it('lists every code after its parent, with a path that extends the parent\'s', () => {
    fc.assert(
      fc.property(fc.oneof(fragments, edits), (text) => {
        const seen = new Set<string>();
        for (const c of parseCodebook(text).codes) {
          if (c.parent === null) assert.equal(c.path, c.id);
          else {
            assert.ok(seen.has(c.parent), `${c.path} after its parent`);
            assert.equal(c.path, `${c.parent}/${c.id}`);
          }
          seen.add(c.path);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('survives deeply nested garbage', () => {
    for (const text of ['['.repeat(5000), '{a: '.repeat(3000), 'codes:\n' + '- '.repeat(3000) + 'x', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')]) {
      assertRangesValid(text, parseCodebook(text));
    }
  });
});
