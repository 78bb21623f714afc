/**
 * Half-typed markup is the normal case while someone types (SPEC §4.3): every
 * editor feature must answer on any text at any position without an error.
 * These properties call the feature modules directly, not the façade (which
 * would hide an exception behind an empty result).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { diagnose } from '../../../server/src/core/diagnostics';
import { getCodeActions } from '../../../server/src/core/features/codeActions';
import { getCompletions } from '../../../server/src/core/features/completion';
import { getHover } from '../../../server/src/core/features/hover';
import { getDefinition, getReferences } from '../../../server/src/core/features/navigation';
import { prepareRename, rename } from '../../../server/src/core/features/rename';
import { getDocumentSymbols, getFoldingRanges, getWorkspaceSymbols } from '../../../server/src/core/features/symbols';
import { LineIndex, type Position } from '../../../server/src/core/text';
import { applyWorkspaceEdit, fixture } from '../../support/fixture';
import { CODEBOOK, GUIDE } from './base';

const TRANSCRIPT_PIECES = [
  '#', '@', '{', '}', '%%', '\\', ' ', '\n', '\r\n', '\n\n', 'I: ', 'R: ', 'a', 'benefit', 'benefit/family', '/', '-', '.',
  'reasons', 'job-title', 'role/la-lawyer', 'lawyer-role', 'Zoë', '👩‍👧', '(', '[', ']', ':', '---\n', 'guide: ppp\n',
  'role: swr\n', 'skipped:\n', '  - ', '  ', 'skipped: [', 'oversight', 'skipped: ~\n', '"', "'",
];
const YAML_PIECES = [
  'codes:\n', '  - id: ', '    label: ', '    children:\n', '      - id: ', '    questions: [', ']', 'reasons', 'benefit',
  '    replacedBy: ', 'role/la-lawyer', '\n', ' ', '-', ':', '#', '"', '{', '}', '    deprecated: true\n', 'x',
];

const text = (pieces: string[]): fc.Arbitrary<string> => fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((a) => a.join(''));

/** A position anywhere in `t`, sometimes past the end of its line or of the text. */
function positionIn(t: string, a: number, b: number): Position {
  const lines = new LineIndex(t);
  const line = a % (lines.lineCount + 1);
  const width = line < lines.lineCount ? lines.ends[line] - lines.starts[line] : 0;
  return { line, character: b % (width + 2) };
}

function exercise(uri: string, t: string, extra: string, a: number, b: number): void {
  const f = fixture(`${GUIDE}${CODEBOOK}${extra}//- /${uri}\n${t}`);
  const study = f.study;
  const text = f.texts.get(uri)!;
  const pos = positionIn(text, a, b);
  const lines = new LineIndex(text);

  for (const item of getCompletions(study, uri, text, pos)) {
    const r = item.textEdit.range;
    assert.equal(r.start.line, pos.line, 'a completion edit stays on the cursor line');
    assert.ok(r.start.character <= pos.character && pos.character <= r.end.character, 'a completion edit contains the cursor');
    assert.ok(r.end.character <= lines.ends[pos.line] - lines.starts[pos.line], 'a completion edit ends inside the line');
  }
  getHover(study, uri, pos);
  getDefinition(study, uri, pos);
  getReferences(study, uri, pos, true);
  prepareRename(study, uri, pos);
  const renamed = rename(study, uri, pos, 'new-name');
  if ('edit' in renamed) applyWorkspaceEdit(f.texts, renamed.edit); // throws on overlapping edits
  const diagnostics = diagnose(study, uri);
  for (const action of getCodeActions(study, uri, text, { start: pos, end: pos }, diagnostics)) {
    applyWorkspaceEdit(f.texts, action.edit);
  }
  getDocumentSymbols(study, uri);
  for (const r of getFoldingRanges(study, uri)) assert.ok(r.startLine < r.endLine && r.endLine < lines.lineCount);
}

describe('robustness', () => {
  it('every feature answers on any transcript text at any position', () => {
    fc.assert(fc.property(text(TRANSCRIPT_PIECES), fc.nat(), fc.nat(), (t, a, b) => exercise('t.transcript', t, '', a, b)), { numRuns: 200 });
  });

  it('every feature answers on any codebook text at any position', () => {
    fc.assert(fc.property(text(YAML_PIECES), fc.nat(), fc.nat(), (t, a, b) => exercise('x.codebook.yaml', t, '//- /t.transcript\n#benefit #x @reasons\n', a, b)), { numRuns: 200 });
  });

  it('workspace symbols answer any query', () => {
    const { study } = fixture(GUIDE + CODEBOOK);
    fc.assert(fc.property(fc.string(), (q) => { getWorkspaceSymbols(study, q); }), { numRuns: 200 });
  });
});
