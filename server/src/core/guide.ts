/**
 * The interview-guide parser (`*.guide.yaml`, SPEC §2): text in, `GuideModel`
 * out, never an exception. It walks the YAML AST with exact offsets (aliases
 * are reported, never expanded) and reports what a researcher must fix.
 *
 * Decisions where the SPEC is silent:
 * - No top-level `description`: the guide's fields are exactly those of
 *   schemas/guide.schema.json (which VS Code also applies), so that the editor's
 *   two validators never disagree. A `description` is reported as an unknown field.
 * - Section IDs and question IDs are separate namespaces: a section and a question
 *   may share an ID (markers only ever name questions); each must be unique among its kind.
 * - A section or question without an `id` is left out of the model together with
 *   what it contains, and the message says so.
 * - Numbers and booleans are read as written where text or an ID is expected
 *   (`id: 3.10` is the ID '3.10', `title: 2011` the title '2011').
 * - An empty `roles:` (no value) on a section or question means "not set";
 *   `roles: []` sets an empty list, i.e. the question is expected of everyone.
 * - Role lists that name an undeclared role keep that ID (the problem is reported).
 */
import type { GuideModel, Located, QuestionDef, SectionDef } from './model';
import { LineIndex } from './text';
import { writtenAs } from './written';
import { isGuideId, isQuestionId } from './ids';
import { MAX_NESTING, isAlias, isMap, isScalar, isSeq, scalarText, type Pair, type YAMLMap } from './yaml/read';
import { INVALID, SchemaReader, fieldSet, hasListEntries, internalProblem, kindPhrase, listPhrase } from './yaml/schema';

const GUIDE_FIELDS = fieldSet('a guide', ['id', 'title', 'note', 'roles', 'sections'] as const);
const SECTION_FIELDS = fieldSet('a section', ['id', 'title', 'note', 'roles', 'questions'] as const);
const QUESTION_NAMES = ['id', 'text', 'prompts', 'optional', 'condition', 'retired', 'roles', 'followups'] as const;
const QUESTION_FIELDS = fieldSet('a question', QUESTION_NAMES);
const FOLLOWUP_FIELDS = fieldSet('a follow-up', QUESTION_NAMES);

const ID_RULE = 'use letters, digits and `_`, with `.` or `-` only between them';

export function parseGuide(text: string): GuideModel {
  const lines = new LineIndex(text);
  const model: GuideModel = { kind: 'guide', lines, roles: [], sections: [], questions: [], problems: [] };
  try {
    new GuideReader(text, model).read();
    return model;
  } catch (err) {
    // Last resort: the reader is written not to throw, but a guide must never break the study.
    return {
      kind: 'guide',
      lines,
      roles: [],
      sections: [],
      questions: [],
      problems: [internalProblem(lines, 'guide', err)],
    };
  }
}

/** A question's first definition, for duplicate messages. */
interface FirstUse {
  sectionId: string;
  line: number;
}

class GuideReader {
  private readonly r: SchemaReader;
  /** Declared role IDs, in order. */
  private readonly roleIds: string[] = [];
  private readonly roleSet = new Set<string>();
  private readonly sectionLines = new Map<string, number>();
  private readonly questionFirst = new Map<string, FirstUse>();

  constructor(
    text: string,
    private readonly model: GuideModel,
  ) {
    this.r = new SchemaReader(text, 'guides');
  }

  read(): void {
    this.model.problems = this.r.readDocument(
      {
        readMap: (map) => this.readGuide(map),
        empty: 'The guide is empty: it needs an `id`, a `title` and `sections` with questions.',
        notAMapping: (found) => `A guide must be a set of fields (${listPhrase(GUIDE_FIELDS.names)}), not ${found}.`,
      },
      this.model.lines.ends[0],
    );
  }

  private readGuide(map: YAMLMap): void {
    const r = this.r;
    const model = this.model;
    const f = r.fields(map, GUIDE_FIELDS);
    const head = r.missingRange(map);

    const id = r.str(f.id, 'id', 'the guide');
    if (id === undefined || (id !== INVALID && id.value === '')) {
      const at = f.id ? r.range(f.id.key) : head;
      r.report('schema', at.start, at.end, 'The guide has no `id`: add one such as `id: ppp-general` (lower-case letters, digits and hyphens).');
    } else if (id !== INVALID) {
      model.id = id;
      if (!isGuideId(id.value)) {
        r.report('invalid-id', id.start, id.end, `'${id.value}' is not a valid guide ID: use lower-case letters, digits and hyphens, starting with a letter or digit (e.g. \`ppp-general\`).`);
      }
    }

    const title = r.str(f.title, 'title', 'the guide');
    if (title === undefined || (title !== INVALID && title.value.trim() === '')) {
      const at = f.title ? r.valueOrKeyRange(f.title) : head;
      r.report('schema', at.start, at.end, 'The guide has no `title`: add the title shown in reports, e.g. `title: Interviews with social workers`.');
    } else if (title !== INVALID) {
      model.title = title;
    }

    const note = r.str(f.note, 'note', 'the guide');
    if (note !== undefined && note !== INVALID && note.value.trim() !== '') model.note = note.value;

    if (f.roles) this.readRoles(f.roles);

    const sections = f.sections;
    if (!sections) {
      r.report('schema', head.start, head.end, 'The guide has no `sections`: add the interview\'s sections, each with its questions.');
    } else {
      const items = this.list(sections, 'sections', 'the guide');
      if (items) {
        for (const item of items) {
          if (isMap(item)) this.readSection(item);
          else this.r.entryNotAMapping(item, 'sections', 'a section with `id`, `title` and `questions`');
        }
      }
    }
  }

  // ------------------------------------------------------------ roles

  private readRoles(pair: Pair): void {
    const r = this.r;
    const v = pair.value;
    if (r.isEmpty(pair)) return;
    if (isAlias(v)) {
      r.alias(v);
      return;
    }
    if (isMap(v)) {
      for (const p of v.items) {
        const key = p.key;
        if (isAlias(key)) {
          r.alias(key);
          continue;
        }
        const id = isScalar(key) ? scalarText(key) : undefined;
        if (id === undefined) {
          const at = key ? r.headRange(key) : r.range(p.value);
          r.report('schema', at.start, at.end, 'Each role is written as `id: label`, e.g. `swr: Social worker`.');
          continue;
        }
        const at = r.range(key);
        if (this.roleSet.has(id)) {
          r.repeatedKey(key, `The role '${id}' is declared twice: keep one (only the first is read).`);
          continue;
        }
        let label = id;
        const lv = p.value;
        if (isAlias(lv)) {
          r.alias(lv);
        } else if (r.isEmpty(p)) {
          r.report('schema', at.start, at.end, `The role '${id}' has no label: write it as \`${id}: Social worker\`, say.`);
        } else if (isScalar(lv)) {
          label = scalarText(lv) ?? id;
        } else {
          r.report('schema', at.start, at.end, `The label of the role '${id}' must be text, not ${kindPhrase(lv)}.`);
        }
        this.addRole(id, label, at, false);
      }
      return;
    }
    if (isSeq(v)) {
      if (v.items.length === 0) return; // `roles: []`: no roles, as clear as `roles: {}`
      const at = r.range(pair.key);
      r.report('schema', at.start, at.end, '`roles` must map each role ID to its label, e.g. `swr: Social worker`, not be a list.');
      for (const item of v.items) {
        if (isAlias(item)) {
          r.alias(item);
          continue;
        }
        const id = isScalar(item) ? scalarText(item) : undefined;
        if (id === undefined) {
          this.r.entryNotAMapping(item, 'roles', 'a role ID');
          continue;
        }
        this.addRole(id, id, r.range(item), true);
      }
      return;
    }
    const at = r.valueOrKeyRange(pair);
    r.report('schema', at.start, at.end, '`roles` must map each role ID to its label, e.g. `swr: Social worker`.');
  }

  /** Declares a role; `fromList` when read from the (reported) list form, where repeats are not YAML errors. */
  private addRole(id: string, label: string, at: { start: number; end: number }, fromList: boolean): void {
    const r = this.r;
    if (!isQuestionId(id)) {
      r.report('invalid-id', at.start, at.end, `'${id}' is not a valid role ID: ${ID_RULE} (e.g. \`swr\`).`);
    }
    if (this.roleSet.has(id)) {
      // In a mapping the YAML reader already reports the repeated key.
      const first = this.model.roles.find((x) => x.id === id);
      if (fromList && first) {
        const line = this.model.lines.lineAt(first.start) + 1;
        r.report('duplicate-id', at.start, at.end, `The role ID '${id}' is already declared (line ${line}).`);
      }
      return;
    }
    this.roleSet.add(id);
    this.roleIds.push(id);
    this.model.roles.push({ id, label, start: at.start, end: at.end });
  }

  /** A `roles:` list on a section or question: role IDs, each declared by the guide. */
  private readRoleRefs(pair: Pair | undefined, of: string): string[] | undefined {
    const list = this.r.scalarList(pair, 'roles', of, 'a role ID');
    if (list === INVALID) return undefined;
    if (list === undefined) {
      // `roles: []` is an explicit empty list; `roles:` with nothing is "not set".
      return pair && isSeq(pair.value) ? [] : undefined;
    }
    const out: string[] = [];
    for (const ref of list) {
      if (out.includes(ref.value)) {
        this.r.report('schema', ref.start, ref.end, `'${ref.value}' is listed twice in \`roles\` of ${of}.`);
        continue;
      }
      out.push(ref.value);
      if (!this.roleSet.has(ref.value)) {
        this.r.report(
          'schema',
          ref.start,
          ref.end,
          this.roleIds.length > 0
            ? `'${ref.value}' is not one of this guide's roles (${this.roleIds.join(', ')}).`
            : `'${ref.value}' is not one of this guide's roles: the guide declares none (add them under \`roles:\` at the top).`,
        );
      }
    }
    return out;
  }

  // ------------------------------------------------------------ sections and questions

  private readSection(map: YAMLMap): void {
    const r = this.r;
    const model = this.model;
    const f = r.fields(map, SECTION_FIELDS);
    const id = this.readOwnId(f.id, map, 'section', 'questions', 'background');
    if (!id) return;
    const of = `the section '${id.value}'`;
    if (!isQuestionId(id.value)) {
      r.report('invalid-id', id.start, id.end, `'${id.value}' is not a valid section ID: ${ID_RULE} (e.g. \`background\`).`);
    }
    const line = model.lines.lineAt(id.start) + 1;
    const firstLine = this.sectionLines.get(id.value);
    if (firstLine !== undefined) {
      r.report('duplicate-id', id.start, id.end, `The section ID '${id.value}' is already used by the section on line ${firstLine}.`);
    } else {
      this.sectionLines.set(id.value, line);
    }

    const title = r.str(f.title, 'title', of);
    if (title === undefined || (title !== INVALID && title.value.trim() === '')) {
      const at = f.title ? r.valueOrKeyRange(f.title) : id;
      r.report('schema', at.start, at.end, `The section '${id.value}' has no \`title\`: add the heading shown in reports.`);
    }
    const note = r.str(f.note, 'note', of);
    const roles = this.readRoleRefs(f.roles, of);

    const whole = r.range(map);
    const section: SectionDef = {
      id: id.value,
      title: title !== undefined && title !== INVALID ? title.value : '',
      questions: [],
      idStart: id.start,
      idEnd: id.end,
      start: whole.start,
      end: whole.end,
    };
    const written = writtenAs(r.text, id.start, id.end, id.value);
    if (written) section.idWritten = written;
    if (note !== undefined && note !== INVALID) section.note = note.value;
    if (roles !== undefined) section.roles = roles;
    const sectionIndex = model.sections.length;
    model.sections.push(section);

    if (!f.questions) {
      r.report('schema', id.start, id.end, `The section '${id.value}' has no \`questions\`: add at least one question.`);
      return;
    }
    const items = this.list(f.questions, 'questions', of);
    if (!items) return;
    for (const item of items) {
      if (!isMap(item)) {
        this.r.entryNotAMapping(item, 'questions', 'a question with `id` and `text`');
        continue;
      }
      const q = this.readQuestion(item, sectionIndex, undefined, 0);
      if (q) section.questions.push(q);
    }
  }

  private readQuestion(map: YAMLMap, sectionIndex: number, parent: QuestionDef | undefined, depth: number): QuestionDef | undefined {
    const r = this.r;
    const model = this.model;
    const kind = parent ? 'follow-up' : 'question';
    const f = r.fields(map, parent ? FOLLOWUP_FIELDS : QUESTION_FIELDS);
    const id = this.readOwnId(f.id, map, kind, 'follow-ups', parent ? 'team-knowledge' : 'reasons');
    if (!id) return undefined;
    const of = `the ${kind} '${id.value}'`;
    if (!isQuestionId(id.value)) {
      r.report('invalid-id', id.start, id.end, `'${id.value}' is not a valid question ID: ${ID_RULE} (e.g. \`reasons\` or \`Q3.2\`).`);
    }

    const text = r.str(f.text, 'text', of);
    if (text === undefined || (text !== INVALID && text.value.trim() === '')) {
      const at = f.text ? r.valueOrKeyRange(f.text) : id;
      r.report('schema', at.start, at.end, `The ${kind} '${id.value}' has no \`text\`: add the question as the interviewer reads it.`);
    }

    const prompts: string[] = [];
    const promptList = r.scalarList(f.prompts, 'prompts', of, 'a prompt');
    if (promptList !== undefined && promptList !== INVALID) for (const p of promptList) prompts.push(p.value);

    const optional = r.boolean(f.optional, 'optional', of);
    const condition = r.str(f.condition, 'condition', of);
    const retired = r.boolean(f.retired, 'retired', of);
    const ownRoles = this.readRoleRefs(f.roles, of);
    const sectionRoles = model.sections[sectionIndex].roles;

    const whole = r.range(map);
    const q: QuestionDef = {
      id: id.value,
      text: text !== undefined && text !== INVALID ? text.value : '',
      prompts,
      optional: typeof optional === 'boolean' ? optional : parent !== undefined,
      retired: retired === true,
      roles: ownRoles ?? sectionRoles ?? [],
      sectionIndex,
      followups: [],
      idStart: id.start,
      idEnd: id.end,
      start: whole.start,
      end: whole.end,
    };
    const written = writtenAs(r.text, id.start, id.end, id.value);
    if (written) q.idWritten = written;
    if (ownRoles !== undefined) q.ownRoles = ownRoles;
    if (condition !== undefined && condition !== INVALID && condition.value.trim() !== '') q.condition = condition.value;
    if (parent) q.parentId = parent.id;
    model.questions.push(q);

    const first = this.questionFirst.get(id.value);
    if (first) {
      r.report('duplicate-id', id.start, id.end, `The question ID '${id.value}' is already used in section '${first.sectionId}' (line ${first.line}).`);
    } else {
      this.questionFirst.set(id.value, { sectionId: model.sections[sectionIndex].id, line: model.lines.lineAt(id.start) + 1 });
    }

    if (f.followups && !r.isEmpty(f.followups)) {
      const items = this.list(f.followups, 'followups', of, true);
      if (items) {
        for (const item of items) {
          if (!isMap(item)) {
            this.r.entryNotAMapping(item, 'followups', 'a follow-up with `id` and `text`');
            continue;
          }
          if (depth + 1 >= MAX_NESTING) {
            const at = r.headRange(item);
            r.report('schema', at.start, at.end, `Follow-ups are nested more than ${MAX_NESTING} levels deep here; the deeper ones are left out.`);
            break;
          }
          const fq = this.readQuestion(item, sectionIndex, q, depth + 1);
          if (fq) q.followups.push(fq);
        }
      }
    }
    return q;
  }

  // ------------------------------------------------------------ helpers

  /**
   * The `id` of a section or question. Reports a missing one (the item is then
   * left out with its `contents`) and returns undefined.
   */
  private readOwnId(pair: Pair | undefined, map: YAMLMap, kind: string, contents: string, example: string): Located | undefined {
    const r = this.r;
    const article = kind === 'question' ? 'This question' : kind === 'section' ? 'This section' : 'This follow-up';
    const holds = kind === 'section' || hasListEntries(map, 'followups') ? ` together with its ${contents}` : '';
    if (pair && (isMap(pair.value) || isSeq(pair.value))) {
      const at = r.range(pair.key);
      r.report('schema', at.start, at.end, `The \`id\` of this ${kind} must be a single ID, not ${kindPhrase(pair.value)}, so it is left out of the guide${holds}.`);
      return undefined;
    }
    const id = r.str(pair, 'id', `this ${kind}`);
    if (id !== undefined && id !== INVALID && id.value !== '') return id;
    if (id === INVALID) return undefined;
    const at = pair ? r.range(pair.key) : r.missingRange(map);
    r.report('schema', at.start, at.end, `${article} has no \`id\`, so it is left out of the guide${holds}: add an ID such as \`id: ${example}\`.`);
    return undefined;
  }

  /** The items of a list field; reports a field that is not a list, or an empty one (unless `mayBeEmpty`). */
  private list(pair: Pair, field: string, of: string, mayBeEmpty = false): unknown[] | undefined {
    const r = this.r;
    const v = pair.value;
    if (isAlias(v)) {
      r.alias(v);
      return undefined;
    }
    if (r.isEmpty(pair) || (isSeq(v) && v.items.length === 0)) {
      if (!mayBeEmpty) {
        const at = isSeq(v) ? r.range(v) : r.range(pair.key);
        const what = field === 'sections' ? 'section' : 'question';
        r.report('schema', at.start, at.end, `\`${field}\` of ${of} is empty: add at least one ${what}.`);
      }
      return undefined;
    }
    if (!isSeq(v)) {
      const at = r.valueOrKeyRange(pair);
      r.report('schema', at.start, at.end, `\`${field}\` of ${of} must be a list (each entry starting with \`- id:\`), not ${kindPhrase(v)}.`);
      return undefined;
    }
    return v.items;
  }
}
