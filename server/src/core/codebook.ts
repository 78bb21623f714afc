/**
 * The codebook parser (`*.codebook.yaml`, SPEC §3): text in, `CodebookModel`
 * out, never an exception. It walks the YAML AST with exact offsets (aliases
 * are reported, never expanded) and reports what a researcher must fix.
 *
 * Checked here, within one file: the shape of every code, ID and path patterns,
 * colours, and a code path defined twice. Checked by the study, across files:
 * a path defined in two codebooks, `questions` naming no guide question,
 * `replacedBy` naming no code.
 *
 * Decisions where the SPEC is silent:
 * - The top level allows `codes` only; `codes:` with no value or `codes: []` is
 *   an empty codebook (no problem), a missing `codes` is one.
 * - A code without an `id` is left out together with its children; a code with an
 *   invalid `id` stays in, with the path as written.
 * - A `questions` entry that is not a valid question ID, and a `replacedBy` that is
 *   not a valid code path, are reported as `invalid-id` and left out of the model
 *   (so the study does not report them a second time as unknown).
 * - A `color` that is not `#RGB`/`#RRGGBB` is reported and left out of the model.
 * - Numbers and booleans are read as written where text or an ID is expected.
 */
import type { CodeDef, CodebookModel } from './model';
import { LineIndex } from './text';
import { writtenAs } from './written';
import { isCodePath, isCodeSegment, isQuestionId } from './ids';
import { MAX_NESTING, isAlias, isMap, isSeq, type Pair, type YAMLMap } from './yaml/read';
import { INVALID, SchemaReader, fieldSet, hasListEntries, internalProblem, kindPhrase } from './yaml/schema';

const CODEBOOK_FIELDS = fieldSet('a codebook', ['codes'] as const);
const CODE_FIELDS = fieldSet('a code', [
  'id',
  'label',
  'description',
  'whenToUse',
  'whenNotToUse',
  'example',
  'questions',
  'color',
  'deprecated',
  'replacedBy',
  'children',
] as const);

const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

export function parseCodebook(text: string): CodebookModel {
  const lines = new LineIndex(text);
  const model: CodebookModel = { kind: 'codebook', lines, codes: [], problems: [] };
  try {
    new CodebookReader(text, model).read();
    return model;
  } catch (err) {
    // Last resort: the reader is written not to throw, but a codebook must never break the study.
    return { kind: 'codebook', lines, codes: [], problems: [internalProblem(lines, 'codebook', err)] };
  }
}

class CodebookReader {
  private readonly r: SchemaReader;
  /** Line (1-based) of each path's first definition in this file. */
  private readonly pathLines = new Map<string, number>();

  constructor(
    text: string,
    private readonly model: CodebookModel,
  ) {
    this.r = new SchemaReader(text, 'codebooks');
  }

  read(): void {
    this.model.problems = this.r.readDocument(
      {
        readMap: (map) => this.readCodebook(map),
        empty: 'The codebook is empty: start it with `codes:` followed by a list of codes.',
        notAMapping: (found) => `A codebook must be a set of fields with \`codes:\` followed by a list of codes, not ${found}.`,
      },
      this.model.lines.ends[0],
    );
  }

  private readCodebook(map: YAMLMap): void {
    const r = this.r;
    const f = r.fields(map, CODEBOOK_FIELDS);
    const codes = f.codes;
    if (!codes) {
      const at = r.missingRange(map);
      r.report('schema', at.start, at.end, 'The codebook has no `codes`: add `codes:` followed by a list of codes.');
      return;
    }
    this.readCodeList(codes, null, 0, 'the codebook');
  }

  /** The codes of a `codes:` or `children:` field. */
  private readCodeList(pair: Pair, parent: string | null, depth: number, of: string): void {
    const r = this.r;
    const v = pair.value;
    if (r.isEmpty(pair)) return;
    const field = parent === null ? 'codes' : 'children';
    if (isAlias(v)) {
      r.alias(v);
      return;
    }
    if (!isSeq(v)) {
      const at = r.valueOrKeyRange(pair);
      r.report('schema', at.start, at.end, `\`${field}\` of ${of} must be a list of codes (each entry starting with \`- id:\`), not ${kindPhrase(v)}.`);
      return;
    }
    for (const item of v.items) {
      if (!isMap(item)) {
        r.entryNotAMapping(item, field, 'a code with `id` and `label`');
        continue;
      }
      if (depth >= MAX_NESTING) {
        const at = r.headRange(item);
        r.report('schema', at.start, at.end, `Codes are nested more than ${MAX_NESTING} levels deep here; the deeper ones are left out.`);
        return;
      }
      this.readCode(item, parent, depth);
    }
  }

  private readCode(map: YAMLMap, parent: string | null, depth: number): void {
    const r = this.r;
    const model = this.model;
    const f = r.fields(map, CODE_FIELDS);

    // ---- id and path
    const withChildren = hasListEntries(map, 'children') ? ' together with its children' : '';
    if (f.id && (isMap(f.id.value) || isSeq(f.id.value))) {
      const at = r.range(f.id.key);
      r.report('schema', at.start, at.end, `The \`id\` of this code must be a single ID, not ${kindPhrase(f.id.value)}, so it is left out of the codebook${withChildren}.`);
      return;
    }
    const id = r.str(f.id, 'id', 'this code');
    if (id === INVALID) return;
    if (id === undefined || id.value === '') {
      const at = f.id ? r.range(f.id.key) : r.missingRange(map);
      r.report('schema', at.start, at.end, `This code has no \`id\`, so it is left out of the codebook${withChildren}: add an ID such as \`id: benefit\`.`);
      return;
    }
    if (!isCodeSegment(id.value)) {
      r.report('invalid-id', id.start, id.end, `'${id.value}' is not a valid code ID: use letters, digits and \`_\`, with \`-\` only between them (no spaces, \`/\` or \`.\`), e.g. \`la-lawyer\`.`);
    }
    const path = parent === null ? id.value : `${parent}/${id.value}`;
    const of = `the code '${path}'`;
    const firstLine = this.pathLines.get(path);
    if (firstLine !== undefined) {
      r.report('duplicate-id', id.start, id.end, `The code '${path}' is already defined on line ${firstLine}.`);
    } else {
      this.pathLines.set(path, model.lines.lineAt(id.start) + 1);
    }

    const whole = r.range(map);
    const code: CodeDef = {
      path,
      id: id.value,
      parent,
      questions: [],
      deprecated: false,
      idStart: id.start,
      idEnd: id.end,
      start: whole.start,
      end: whole.end,
    };
    const written = writtenAs(r.text, id.start, id.end, id.value);
    if (written) code.idWritten = written;

    // ---- text fields
    const label = r.str(f.label, 'label', of);
    if (label === undefined || (label !== INVALID && label.value.trim() === '')) {
      const at = f.label ? r.valueOrKeyRange(f.label) : id;
      r.report('schema', at.start, at.end, `The code '${path}' has no \`label\`: add a short name for it, e.g. \`label: Benefits for the family\`.`);
    } else if (label !== INVALID) {
      code.label = label.value;
    }
    const description = r.str(f.description, 'description', of);
    if (description !== undefined && description !== INVALID) code.description = description.value;
    const whenToUse = r.str(f.whenToUse, 'whenToUse', of);
    if (whenToUse !== undefined && whenToUse !== INVALID) code.whenToUse = whenToUse.value;
    const whenNotToUse = r.str(f.whenNotToUse, 'whenNotToUse', of);
    if (whenNotToUse !== undefined && whenNotToUse !== INVALID) code.whenNotToUse = whenNotToUse.value;
    const example = r.str(f.example, 'example', of);
    if (example !== undefined && example !== INVALID) code.example = example.value;

    // ---- linked questions
    const questions = r.scalarList(f.questions, 'questions', of, 'a question ID');
    if (questions !== undefined && questions !== INVALID) {
      for (const q of questions) {
        if (!isQuestionId(q.value)) {
          r.report('invalid-id', q.start, q.end, `'${q.value}' is not a valid question ID: question IDs use letters, digits and \`_\`, with \`.\` or \`-\` only between them (e.g. \`reasons\` or \`Q3.2\`).`);
        } else {
          // A repeat is reported but kept, so that renaming the question edits every entry.
          if (code.questions.some((x) => x.value === q.value)) {
            r.report('schema', q.start, q.end, `'${q.value}' is listed twice in \`questions\` of ${of}.`);
          }
          const w = writtenAs(r.text, q.start, q.end, q.value);
          if (w) q.written = w;
          code.questions.push(q);
        }
      }
    }

    // ---- colour
    if (f.color) {
      if (r.isEmpty(f.color)) {
        const at = r.range(f.color.key);
        r.report('schema', at.start, at.end, `\`color\` of ${of} is empty. Put colours in quotes, e.g. \`color: "#2a9d8f"\`: without them YAML reads \`#\` as the start of a comment.`);
      } else {
        const color = r.str(f.color, 'color', of);
        if (color !== undefined && color !== INVALID) {
          if (COLOR.test(color.value)) code.color = color.value;
          else r.report('schema', color.start, color.end, `'${color.value}' is not a colour: use #RGB or #RRGGBB, e.g. "#2a9d8f".`);
        }
      }
    }

    // ---- deprecation
    const deprecated = r.boolean(f.deprecated, 'deprecated', of);
    if (deprecated === true) code.deprecated = true;
    const replacedBy = r.str(f.replacedBy, 'replacedBy', of);
    if (replacedBy !== undefined && replacedBy !== INVALID) {
      if (isCodePath(replacedBy.value)) {
        const w = writtenAs(r.text, replacedBy.start, replacedBy.end, replacedBy.value);
        if (w) replacedBy.written = w;
        code.replacedBy = replacedBy;
      }
      else r.report('invalid-id', replacedBy.start, replacedBy.end, `'${replacedBy.value}' is not a valid code path: write the full path of the replacement code, segments joined by \`/\`, e.g. \`role/la-lawyer\`.`);
    }

    model.codes.push(code);
    if (f.children) this.readCodeList(f.children, path, depth + 1, of);
  }
}
