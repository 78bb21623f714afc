/**
 * What an editor needs to show codes and open definitions without reading the study itself:
 * every code's definition and where it stands, where a guide defines a question, and the colours
 * coded passages are tinted with.
 *
 * A code's colour is its own `color`, else its nearest coloured ancestor's; a colour that is not
 * `#RGB`/`#RRGGBB` (reported as a `schema` problem) counts as none. Only codebook codes have
 * colours: a code that is not in the codebook is left untinted, as it is flagged instead.
 */
import { parentPath } from '../ids';
import { questionMap, type Study } from '../study';
import type { Range } from '../text';
import type { Location } from './types';

const COLOR = /^#(?:[0-9a-fA-F]{3}){1,2}$/;

/** A code as its codebook defines it (its first definition, SPEC §3), with where its ID stands. */
export interface CodeDefinitionInfo {
  code: string;
  label: string;
  description?: string;
  whenToUse?: string;
  whenNotToUse?: string;
  example?: string;
  deprecated: boolean;
  replacedBy?: string;
  color?: string;
  location: Location;
}

/** A coded passage to tint: a span's inner text and its code's colour. */
export interface CodeDecorationInfo {
  range: Range;
  code: string;
  color: string;
}

/** Every code of the study's codebooks, first definitions only, in codebook order (file path, then position). */
export function getCodeDefinitions(study: Study): CodeDefinitionInfo[] {
  const colors = colorResolver(study);
  return [...study.codeIndex().byPath.values()].map(({ doc, def }) => {
    const out: CodeDefinitionInfo = {
      code: def.path,
      label: def.label ?? def.id,
      deprecated: def.deprecated,
      location: { uri: doc.uri, range: doc.model.lines.range(def.idStart, def.idEnd) },
    };
    if (def.description !== undefined) out.description = def.description;
    if (def.whenToUse !== undefined) out.whenToUse = def.whenToUse;
    if (def.whenNotToUse !== undefined) out.whenNotToUse = def.whenNotToUse;
    if (def.example !== undefined) out.example = def.example;
    if (def.replacedBy !== undefined) out.replacedBy = def.replacedBy.value;
    const color = colors(def.path);
    if (color !== undefined) out.color = color;
    return out;
  });
}

/** Where guide `guideUri` defines question `id` (its first definition's ID), or undefined. */
export function getQuestionLocation(study: Study, guideUri: string, id: string): Location | undefined {
  const doc = study.get(guideUri);
  if (!doc || doc.kind !== 'guide' || doc.model.kind !== 'guide') return undefined;
  const q = questionMap(doc.model).get(id);
  return q ? { uri: doc.uri, range: doc.model.lines.range(q.idStart, q.idEnd) } : undefined;
}

/**
 * The coded spans of transcript `uri` whose code has a colour, in document order, keeping those
 * that overlap `range` when it is given. Paragraph codes are not tinted: they colour nothing in particular.
 */
export function getDecorations(study: Study, uri: string, range?: Range): CodeDecorationInfo[] {
  const doc = study.get(uri);
  if (!doc || doc.model.kind !== 'transcript') return [];
  const model = doc.model;
  const from = range ? model.lines.offsetAt(range.start) : 0;
  const to = range ? model.lines.offsetAt(range.end) : model.lines.length;
  const colors = colorResolver(study);
  const out: CodeDecorationInfo[] = [];
  for (const use of model.codes) {
    if (use.target !== 'span' || use.segStart > to || use.segEnd < from) continue;
    const color = colors(use.path);
    if (color !== undefined) out.push({ range: model.lines.range(use.segStart, use.segEnd), code: use.path, color });
  }
  return out;
}

/** Code path → its colour (its own, else its nearest coloured ancestor's), remembered for one request. */
function colorResolver(study: Study): (path: string) => string | undefined {
  const byPath = study.codeIndex().byPath;
  const known = new Map<string, string | undefined>();
  const resolve = (path: string): string | undefined => {
    if (known.has(path)) return known.get(path);
    const entry = byPath.get(path);
    let color: string | undefined;
    if (entry) {
      const own = entry.def.color;
      const parent = parentPath(path);
      color = own !== undefined && COLOR.test(own) ? own : parent !== null ? resolve(parent) : undefined;
    }
    known.set(path, color);
    return color;
  };
  return resolve;
}
