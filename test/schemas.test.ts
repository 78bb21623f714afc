/**
 * The JSON Schemas contributed to VS Code for `*.guide.yaml` and `*.codebook.yaml`
 * (schemas/), checked with ajv against the bundled example study and against
 * hand-written malformed files in test/fixtures/schemas/. Each malformed file must be
 * rejected with an error that names the offending field, not merely rejected.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const root = resolve(__dirname, '..');
const fixtures = join(root, 'test', 'fixtures', 'schemas');
const example = join(root, 'examples', 'ppp-study');

const readYaml = (file: string): unknown => parse(readFileSync(file, 'utf8'));
const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

const guideSchema = readJson(join(root, 'schemas', 'guide.schema.json'));
const codebookSchema = readJson(join(root, 'schemas', 'codebook.schema.json'));

/**
 * Strict mode makes ajv refuse unknown keywords and type-less object schemas. A list of
 * types (`["string", "number"]`) is plain draft-07, which ajv's strict mode asks to allow.
 */
function compile(schema: Record<string, unknown>): ValidateFunction {
  return new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
}
const validateGuide = compile(guideSchema);
const validateCodebook = compile(codebookSchema);

/** An error as "which field, where, why": the field a person would be told about. */
interface Named {
  /** JSON pointer of the object or value the error is on. */
  at: string;
  keyword: string;
  /** The field the error names. */
  field: string;
}

function named(e: ErrorObject): Named {
  const p = e.params as Record<string, unknown>;
  const field =
    (p.missingProperty as string | undefined) ??
    (p.additionalProperty as string | undefined) ??
    (p.propertyName as string | undefined) ??
    e.propertyName ??
    e.instancePath.split('/').pop() ??
    '';
  return { at: e.instancePath, keyword: e.keyword, field };
}

function errorsOf(validate: ValidateFunction, data: unknown): Named[] {
  return validate(data) ? [] : (validate.errors ?? []).map(named);
}

function assertValid(validate: ValidateFunction, file: string): void {
  const errors = errorsOf(validate, readYaml(file));
  assert.deepEqual(errors, [], `${file} should validate`);
}

function assertRejected(validate: ValidateFunction, file: string, expected: Named): void {
  const errors = errorsOf(validate, readYaml(join(fixtures, file)));
  assert.ok(errors.length > 0, `${file} should be rejected`);
  assert.ok(
    errors.some((e) => e.at === expected.at && e.keyword === expected.keyword && e.field === expected.field),
    `${file}: expected a ${expected.keyword} error naming "${expected.field}" at "${expected.at}", got ${JSON.stringify(errors)}`,
  );
}

interface Case {
  name: string;
  file: string;
  expected: Named;
}

const guideCases: Case[] = [
  {
    name: 'a guide whose sections list is empty is rejected at sections',
    file: 'guide-empty-sections.yaml',
    expected: { at: '/sections', keyword: 'minItems', field: 'sections' },
  },
  {
    name: 'a guide without sections is rejected for the missing sections field',
    file: 'guide-missing-sections.yaml',
    expected: { at: '', keyword: 'required', field: 'sections' },
  },
  {
    name: 'a question without text is rejected for the missing text field',
    file: 'guide-question-without-text.yaml',
    expected: { at: '/sections/0/questions/0', keyword: 'required', field: 'text' },
  },
  {
    name: 'a guide ID with capitals and spaces is rejected at id',
    file: 'guide-bad-id.yaml',
    expected: { at: '/id', keyword: 'pattern', field: 'id' },
  },
  {
    name: 'a misspelt field is rejected and named',
    file: 'guide-unknown-field.yaml',
    expected: { at: '/sections/0/questions/0', keyword: 'additionalProperties', field: 'follow-ups' },
  },
  {
    name: 'a follow-up of a follow-up without an ID is rejected for the missing id field',
    file: 'guide-nested-followup-without-id.yaml',
    expected: { at: '/sections/0/questions/0/followups/0/followups/0', keyword: 'required', field: 'id' },
  },
  {
    name: 'a role ID with a space is rejected and named',
    file: 'guide-bad-role-id.yaml',
    expected: { at: '/roles', keyword: 'propertyNames', field: 'team manager' },
  },
  {
    name: 'section roles given as a string instead of a list are rejected at roles',
    file: 'guide-section-roles-not-list.yaml',
    expected: { at: '/sections/0/roles', keyword: 'type', field: 'roles' },
  },
  {
    name: 'an optional flag that is not a boolean is rejected at optional',
    file: 'guide-optional-not-boolean.yaml',
    expected: { at: '/sections/0/questions/0/optional', keyword: 'type', field: 'optional' },
  },
  {
    name: 'a question ID ending in a dot is rejected at id',
    file: 'guide-question-id-trailing-dot.yaml',
    expected: { at: '/sections/0/questions/0/id', keyword: 'pattern', field: 'id' },
  },
];

const codebookCases: Case[] = [
  {
    name: 'a colour with five hex digits is rejected at color',
    file: 'codebook-bad-colour.yaml',
    expected: { at: '/codes/0/color', keyword: 'pattern', field: 'color' },
  },
  {
    name: 'an unquoted colour, which YAML reads as a comment, is rejected at color',
    file: 'codebook-unquoted-colour.yaml',
    expected: { at: '/codes/0/color', keyword: 'type', field: 'color' },
  },
  {
    name: 'a child code without a label is rejected for the missing label field',
    file: 'codebook-code-without-label.yaml',
    expected: { at: '/codes/0/children/0', keyword: 'required', field: 'label' },
  },
  {
    name: 'a code ID with a space is rejected at id',
    file: 'codebook-bad-code-id.yaml',
    expected: { at: '/codes/0/children/0/id', keyword: 'pattern', field: 'id' },
  },
  {
    name: 'a code ID holding a whole path is rejected at id',
    file: 'codebook-code-id-with-slash.yaml',
    expected: { at: '/codes/0/id', keyword: 'pattern', field: 'id' },
  },
  {
    name: 'children written as a map instead of a list are rejected at children',
    file: 'codebook-children-not-list.yaml',
    expected: { at: '/codes/0/children', keyword: 'type', field: 'children' },
  },
  {
    name: 'an unknown code field is rejected and named',
    file: 'codebook-unknown-field.yaml',
    expected: { at: '/codes/0', keyword: 'additionalProperties', field: 'definition' },
  },
  {
    name: 'a replacedBy that is not a code path is rejected at replacedBy',
    file: 'codebook-bad-replaced-by.yaml',
    expected: { at: '/codes/0/replacedBy', keyword: 'pattern', field: 'replacedBy' },
  },
  {
    name: 'linked questions given as a string instead of a list are rejected at questions',
    file: 'codebook-questions-not-list.yaml',
    expected: { at: '/codes/0/questions', keyword: 'type', field: 'questions' },
  },
  {
    name: 'a misspelt top-level codes key is rejected and named',
    file: 'codebook-misspelt-codes.yaml',
    expected: { at: '', keyword: 'additionalProperties', field: 'code' },
  },
];

describe('the schemas themselves', () => {
  test('both schemas are draft-07 and compile under ajv strict mode', () => {
    for (const schema of [guideSchema, codebookSchema]) {
      assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
      assert.doesNotThrow(() => compile(schema));
    }
  });

  test('every property of both schemas has a title and a description for hovers', () => {
    const missing: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (Array.isArray(node)) {
        node.forEach((n, i) => visit(n, `${where}/${i}`));
        return;
      }
      if (!node || typeof node !== 'object') return;
      const obj = node as Record<string, unknown>;
      for (const key of ['properties', 'definitions']) {
        const map = obj[key] as Record<string, Record<string, unknown>> | undefined;
        for (const [name, sub] of Object.entries(map ?? {})) {
          if (typeof sub.title !== 'string' || typeof sub.description !== 'string') {
            missing.push(`${where}/${key}/${name}`);
          }
        }
      }
      for (const [k, v] of Object.entries(obj)) visit(v, `${where}/${k}`);
    };
    visit(guideSchema, 'guide');
    visit(codebookSchema, 'codebook');
    assert.deepEqual(missing, []);
  });
});

describe('the guide schema', () => {
  test('the example study guide validates', () => {
    assertValid(validateGuide, join(example, 'ppp-general.guide.yaml'));
  });

  test('question, section and role IDs with Unicode letters and dotted IDs are accepted', () => {
    assertValid(validateGuide, join(fixtures, 'guide-unicode-ids.yaml'));
  });

  for (const c of guideCases) {
    test(c.name, () => assertRejected(validateGuide, c.file, c.expected));
  }
});

describe('the codebook schema', () => {
  test('the example study codebook validates', () => {
    assertValid(validateCodebook, join(example, 'themes.codebook.yaml'));
  });

  test('code IDs with Unicode letters and three-digit colours are accepted', () => {
    assertValid(validateCodebook, join(fixtures, 'codebook-unicode-ids.yaml'));
  });

  for (const c of codebookCases) {
    test(c.name, () => assertRejected(validateCodebook, c.file, c.expected));
  }
});

test('every malformed fixture has a test and every test has a fixture', () => {
  const valid = ['guide-unicode-ids.yaml', 'codebook-unicode-ids.yaml'];
  const onDisk = readdirSync(fixtures).filter((f) => f.endsWith('.yaml')).sort();
  const tested = [...guideCases, ...codebookCases].map((c) => c.file).concat(valid).sort();
  assert.deepEqual(onDisk, tested);
});

// The example study must be consistent with itself, so that it shows only the
// problems it contains on purpose (examples/ppp-study/README.md).

interface GuideQuestion {
  id: string;
  followups?: GuideQuestion[];
}
interface Guide {
  sections: { id: string; questions: GuideQuestion[] }[];
}
interface Code {
  id: string;
  questions?: string[];
  deprecated?: boolean;
  replacedBy?: string;
  children?: Code[];
}

function guideQuestionIds(guide: Guide): string[] {
  const ids: string[] = [];
  const walk = (q: GuideQuestion): void => {
    ids.push(q.id);
    q.followups?.forEach(walk);
  };
  guide.sections.forEach((s) => s.questions.forEach(walk));
  return ids;
}

function codePaths(codes: Code[], parent = ''): { path: string; code: Code; depth: number }[] {
  return codes.flatMap((code) => {
    const path = parent ? `${parent}/${code.id}` : code.id;
    return [{ path, code, depth: path.split('/').length }, ...codePaths(code.children ?? [], path)];
  });
}

describe('the example study', () => {
  const guide = readYaml(join(example, 'ppp-general.guide.yaml')) as Guide;
  const codebook = readYaml(join(example, 'themes.codebook.yaml')) as { codes: Code[] };
  const questionIds = guideQuestionIds(guide);
  const codes = codePaths(codebook.codes);

  test('question IDs are unique across the guide, follow-ups included', () => {
    assert.equal(new Set(questionIds).size, questionIds.length);
  });

  test('every question the codebook links to is a question of the guide', () => {
    const known = new Set(questionIds);
    const unknown = codes.flatMap(({ path, code }) =>
      (code.questions ?? []).filter((q) => !known.has(q)).map((q) => `${path}: ${q}`));
    assert.deepEqual(unknown, []);
  });

  test('the codebook has at least 25 unique codes, nested up to three levels', () => {
    const paths = codes.map((c) => c.path);
    assert.ok(paths.length >= 25, `only ${paths.length} codes`);
    assert.equal(new Set(paths).size, paths.length);
    assert.equal(Math.max(...codes.map((c) => c.depth)), 3);
  });

  test('exactly one code is deprecated and it is replaced by an existing code', () => {
    const deprecated = codes.filter((c) => c.code.deprecated);
    assert.equal(deprecated.length, 1);
    const replacement = deprecated[0].code.replacedBy;
    assert.ok(replacement && codes.some((c) => c.path === replacement), `replacedBy ${replacement}`);
  });

  test('the study holds at least five transcripts', () => {
    const transcripts = readdirSync(example).filter((f) => f.endsWith('.transcript'));
    assert.ok(transcripts.length >= 5, transcripts.join(', '));
  });
});
