/**
 * A code's definition written into a REFI-QDA `Description`, and read back.
 * Other tools show the description as it is, so it is written for people:
 *
 *     Benefits of the pre-proceedings process
 *
 *     Description: Any advantage the interviewee sees in the PPP, for anyone.
 *
 *     When to use: The interviewee names a gain, even a small one.
 *
 *     Linked questions: ppp-benefits, worth-it
 *
 * The label comes first, on one line; each field that is set follows as a
 * paragraph that starts with its name, always in the same order. A paragraph
 * that starts with no field name continues the field before it, so a field's
 * text may hold paragraphs of its own.
 */

export interface CodeDefinition {
  label: string;
  description?: string;
  whenToUse?: string;
  whenNotToUse?: string;
  example?: string;
  questions?: string[];
  deprecated?: boolean;
  replacedBy?: string;
}

type TextField = 'description' | 'whenToUse' | 'whenNotToUse' | 'example' | 'questions' | 'deprecated' | 'replacedBy';

/** The fields in the order they are written, with the name that introduces each. */
const FIELDS: readonly (readonly [TextField, string])[] = [
  ['description', 'Description'],
  ['whenToUse', 'When to use'],
  ['whenNotToUse', 'When not to use'],
  ['example', 'Example'],
  ['questions', 'Linked questions'],
  ['deprecated', 'Deprecated'],
  ['replacedBy', 'Replaced by'],
];

const HEADING = new RegExp(`^(${FIELDS.map(([, name]) => name).join('|')}):[ \\t]*`);

/** Line breaks as `\n`, both ends trimmed. */
function normalize(s: string): string {
  return s.replace(/\r\n?/g, '\n').trim();
}

export function formatDefinition(def: CodeDefinition): string {
  const blocks = [normalize(def.label).replace(/\s*\n\s*/g, ' ')];
  for (const [field, name] of FIELDS) {
    let value: string | undefined;
    if (field === 'questions') value = def.questions?.length ? def.questions.join(', ') : undefined;
    else if (field === 'deprecated') value = def.deprecated ? 'yes' : undefined;
    else value = def[field];
    if (value !== undefined && value.trim() !== '') blocks.push(`${name}: ${normalize(value)}`);
  }
  return blocks.join('\n\n');
}

function paragraphs(text: string): string[] {
  return normalize(text).split(/\n[ \t]*\n\s*/);
}

/** Whether a description has the shape `formatDefinition` writes (a one-line label, then named fields). */
export function looksLikeDefinition(text: string): boolean {
  const blocks = paragraphs(text);
  return blocks.length >= 2 && !blocks[0].includes('\n') && HEADING.test(blocks[1]);
}

/** Reads a description written by `formatDefinition`. A first paragraph alone is the label. */
export function parseDefinition(text: string): CodeDefinition {
  const blocks = paragraphs(text);
  const def: CodeDefinition = { label: blocks[0].replace(/\s*\n\s*/g, ' ') };
  const values = new Map<TextField, string>();
  let current = -1;
  for (const block of blocks.slice(1)) {
    const m = HEADING.exec(block);
    const index = m ? FIELDS.findIndex(([, name]) => name === m[1]) : -1;
    if (m && index > current) {
      current = index;
      values.set(FIELDS[index][0], block.slice(m[0].length));
    } else if (current >= 0) {
      const field = FIELDS[current][0];
      values.set(field, `${values.get(field)}\n\n${block}`);
    } else {
      // Text before any named field: the description, as other tools' descriptions are.
      current = 0;
      values.set('description', block);
    }
  }
  for (const [field, raw] of values) {
    const value = raw.trim();
    if (field === 'questions') {
      const ids = value.split(/[\s,;]+/).filter((s) => s !== '');
      if (ids.length) def.questions = ids;
    } else if (field === 'deprecated') {
      if (!/^(no|false)\b/i.test(value)) def.deprecated = true;
    } else if (value !== '') {
      def[field] = value;
    }
  }
  return def;
}
