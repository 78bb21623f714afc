/**
 * Code definitions, question locations and decorations: what an editor shows without reading the
 * study itself. Locations read as `path:line:col` (1-based), decorations as the text they tint.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getCodeDefinitions, getDecorations, getQuestionLocation } from '../../../server/src/core/languageService';
import { LineIndex } from '../../../server/src/core/text';
import { fixture, renderLocation } from '../../support/fixture';
import { GUIDE, study } from './base';

const COLOURED = `//- /a.codebook.yaml
codes:
  - id: benefit
    label: Benefits
    color: "#2a9d8f"
    children:
      - id: family
        label: For the family
        children:
          - id: child
            label: For the child
      - id: money
        label: Money
        color: "#e76f51"
  - id: risk
    label: Risk
    color: red
  - id: old
    label: Old
    deprecated: true
    replacedBy: risk
//- /b.codebook.yaml
codes:
  - id: benefit
    label: Benefits (again)
    color: "#000"
  - id: extra
    label: Extra
    description: |
      Something
      more.
    whenToUse: Always.
    whenNotToUse: Never.
    example: "It was extra."
`;

describe('code definitions', () => {
  it('lists every code once, in codebook order, the first definition of a path winning', () => {
    const defs = getCodeDefinitions(fixture(COLOURED).study);
    assert.deepEqual(defs.map((d) => `${d.code} "${d.label}" at ${renderLocation(d.location)}`), [
      'benefit "Benefits" at a.codebook.yaml:2:9',
      'benefit/family "For the family" at a.codebook.yaml:6:13',
      'benefit/family/child "For the child" at a.codebook.yaml:9:17',
      'benefit/money "Money" at a.codebook.yaml:11:13',
      'risk "Risk" at a.codebook.yaml:14:9',
      'old "Old" at a.codebook.yaml:17:9',
      'extra "Extra" at b.codebook.yaml:5:9',
    ]);
  });

  it('gives each code its own colour, else its nearest coloured ancestor\'s; a colour that is no #RGB/#RRGGBB counts as none', () => {
    const colours = Object.fromEntries(getCodeDefinitions(fixture(COLOURED).study).map((d) => [d.code, d.color ?? null]));
    assert.deepEqual(colours, {
      'benefit': '#2a9d8f', 'benefit/family': '#2a9d8f', 'benefit/family/child': '#2a9d8f', 'benefit/money': '#e76f51',
      'risk': null, 'old': null, 'extra': null,
    });
  });

  it('carries the definition fields, deprecation and replacement', () => {
    const defs = getCodeDefinitions(fixture(COLOURED).study);
    const { location: _l, ...extra } = defs.find((d) => d.code === 'extra')!;
    assert.deepEqual(extra, {
      code: 'extra', label: 'Extra', deprecated: false,
      description: 'Something\nmore.', whenToUse: 'Always.', whenNotToUse: 'Never.', example: 'It was extra.',
    });
    const { location: _o, ...old } = defs.find((d) => d.code === 'old')!;
    assert.deepEqual(old, { code: 'old', label: 'Old', deprecated: true, replacedBy: 'risk' });
  });
});

describe('question locations', () => {
  it('finds a question and a follow-up in their guide, and nothing for an unknown ID or a file that is no guide', () => {
    const f = study('');
    const at = (guide: string, id: string): string | undefined => {
      const l = getQuestionLocation(f.study, guide, id);
      return l && renderLocation(l);
    };
    assert.equal(at('ppp.guide.yaml', 'reasons'), 'ppp.guide.yaml:19:13');
    assert.equal(at('ppp.guide.yaml', 'whose-idea'), 'ppp.guide.yaml:22:17');
    // (The fixture's first line is its `//-` header, so index 19 is the file's line 19.)
    assert.equal(GUIDE.split('\n')[19].trim(), '- id: reasons');
    assert.equal(GUIDE.split('\n')[22].trim(), '- id: whose-idea');
    assert.equal(at('ppp.guide.yaml', 'nothing'), undefined);
    assert.equal(at('themes.codebook.yaml', 'reasons'), undefined);
  });
});

describe('decorations', () => {
  const transcript = `//- /sw01.transcript
R: {Mum came}#benefit/family and {paid}#benefit/money #risk.
R: {Dad}#unknown/code {left}#risk #extra
R: A paragraph code. #benefit

R: {Nested {inner}#benefit/money outer}#benefit
`;

  /** Each decoration as `code colour "text it tints"`. */
  function tints(range?: { start: { line: number; character: number }; end: { line: number; character: number } }): string[] {
    const f = fixture(COLOURED + transcript);
    const text = f.texts.get('sw01.transcript')!;
    const lines = new LineIndex(text);
    return getDecorations(f.study, 'sw01.transcript', range)
      .map((d) => `${d.code} ${d.color} "${text.slice(lines.offsetAt(d.range.start), lines.offsetAt(d.range.end))}"`);
  }

  it('tints the spans of codes that have a colour, with their inner text, in document order', () => {
    assert.deepEqual(tints(), [
      'benefit/family #2a9d8f "Mum came"',
      'benefit/money #e76f51 "paid"',
      'benefit/money #e76f51 "inner"',
      'benefit #2a9d8f "Nested {inner}#benefit/money outer"',
    ]);
  });

  it('keeps the spans that overlap the range asked for', () => {
    assert.deepEqual(tints({ start: { line: 4, character: 0 }, end: { line: 4, character: 10 } }), [
      'benefit #2a9d8f "Nested {inner}#benefit/money outer"',
    ]);
    assert.deepEqual(tints({ start: { line: 1, character: 0 }, end: { line: 3, character: 0 } }), []);
  });

  it('gives nothing for a document that is not a transcript', () => {
    assert.deepEqual(getDecorations(fixture(COLOURED).study, 'a.codebook.yaml'), []);
  });
});
