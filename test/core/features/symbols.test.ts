/**
 * Outline, folding and workspace symbols (SPEC §6). An outline is shown as an
 * indented tree, `name — detail  1:1-3:5` (the symbol's range, 1-based);
 * folding ranges as `first-last` lines (1-based).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getDocumentSymbols, getFoldingRanges, getWorkspaceSymbols } from '../../../server/src/core/languageService';
import type { DocumentSymbol } from '../../../server/src/core/features/types';
import { renderLocation, type Fixture } from '../../support/fixture';
import { study } from './base';

function outline(f: Fixture, uri: string): string[] {
  const out: string[] = [];
  const walk = (symbols: DocumentSymbol[], depth: number): void => {
    for (const s of symbols) {
      const r = s.range;
      out.push(`${'  '.repeat(depth)}${s.name}${s.detail ? ` — ${s.detail}` : ''}  ${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`);
      assert.ok(contains(s.range, s.selectionRange), `${s.name}: its selection range lies inside its range`);
      walk(s.children, depth + 1);
    }
  };
  walk(getDocumentSymbols(f.study, uri), 0);
  return out;
}

function contains(outer: DocumentSymbol['range'], inner: DocumentSymbol['range']): boolean {
  const le = (a: { line: number; character: number }, b: { line: number; character: number }): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

function folding(f: Fixture, uri: string): string[] {
  return getFoldingRanges(f.study, uri).map((r) => `${r.startLine + 1}-${r.endLine + 1}${r.kind ? ` ${r.kind}` : ''}`);
}

const TRANSCRIPT = `//- /sw01.transcript
---
guide: ppp
role: swr
---
I: @job-title Your job?
R: Senior practitioner.

I: @reasons Why the meeting?
R: {Mum kept missing
appointments, and
the baby was due}#aim/warning

I: @jobtitle Again?
R: Yes. %% a memo
over two lines %%

I: @experience And before?
R: Four years.
`;

describe('document symbols', () => {
  it('outline a transcript\'s markers under their guide sections, unknown ones under Other', () => {
    assert.deepEqual(outline(study(TRANSCRIPT), 'sw01.transcript'), [
      'Background — background  5:4-18:15',
      '  @job-title — What is your job title?  5:4-6:24',
      '  @experience — What is your experience of pre-proceedings meetings?  17:4-18:15',
      'The meeting — the-meeting  8:4-11:30',
      '  @reasons — What were the reasons for the meeting?  8:4-11:30',
      "Other — not in guide 'ppp'  13:4-15:18",
      "  @jobtitle — not in guide 'ppp'  13:4-15:18",
    ]);
  });

  it('list the markers flat when the transcript\'s guide is unknown; two markers in one paragraph split it', () => {
    assert.deepEqual(outline(study('//- /sw01.transcript\n---\nguide: nope\n---\n@reasons Why? @benefits\n'), 'sw01.transcript'), [
      '@reasons  4:1-4:15',
      '@benefits  4:15-4:24',
    ]);
  });

  it('outline a guide\'s sections and questions, follow-ups nested', () => {
    assert.deepEqual(outline(study(''), 'ppp.guide.yaml'), [
      'background — Background  7:5-15:67',
      '  job-title — What is your job title?  10:9-13:30',
      '  experience — What is your experience of pre-proceedings meetings?  14:9-15:67',
      'the-meeting — The meeting  16:5-25:38',
      '  reasons — What were the reasons for the meeting?  19:9-23:37',
      '    whose-idea — Whose idea was it?  22:13-23:37',
      '  benefits — What were the benefits?  24:9-25:38',
      'managers — For team managers  26:5-31:46',
      '  oversight — How do you oversee the process?  30:9-31:46',
    ]);
  });

  it('outline a codebook\'s code tree', () => {
    assert.deepEqual(outline(study(''), 'themes.codebook.yaml').map((l) => l.replace(/ {2}\d.*$/, '')), [
      'benefit — Benefits of the process',
      '  family — Benefits for the family',
      '  child — Benefits for the child',
      'aim — Aims of the meeting',
      '  warning — A warning',
      'role — Roles in the process',
      '  la-lawyer — The local-authority lawyer',
      'lawyer-role — Role of the lawyer',
    ]);
  });

  it('give nothing for a document the study does not hold', () => {
    assert.deepEqual(getDocumentSymbols(study('').study, 'nope.transcript'), []);
  });
});

describe('folding ranges', () => {
  it('fold a transcript\'s front matter, answer regions, memos and spans of three lines or more', () => {
    assert.deepEqual(folding(study(TRANSCRIPT), 'sw01.transcript'), [
      '1-4',
      '5-6',
      '8-11',
      '9-10',
      '13-15',
      '14-15 comment',
      '17-18',
    ]);
  });

  it('fold a guide\'s sections and questions and a codebook\'s codes', () => {
    const f = study('');
    assert.deepEqual(folding(f, 'ppp.guide.yaml'), ['7-15', '10-13', '14-15', '16-25', '19-23', '22-23', '24-25', '26-31', '30-31']);
    assert.deepEqual(folding(f, 'themes.codebook.yaml'), ['2-13', '10-11', '12-13', '14-19', '18-19', '20-24', '23-24', '25-28']);
  });
});

describe('workspace symbols', () => {
  const names = (query: string): string[] => getWorkspaceSymbols(study('').study, query).map((s) => `${s.name} | ${s.containerName} | ${renderLocation(s.location)}`);

  it('find codes and questions whose ID contains the query, ignoring case', () => {
    assert.deepEqual(names('LAWYER'), [
      '#role/la-lawyer — The local-authority lawyer | themes.codebook.yaml | themes.codebook.yaml:23:13',
      '#lawyer-role — Role of the lawyer | themes.codebook.yaml | themes.codebook.yaml:25:9',
    ]);
  });

  it('rank IDs containing the query before subsequence matches and label or text matches', () => {
    assert.deepEqual(names('benef').map((n) => n.split(' | ')[0]), [
      '#benefit — Benefits of the process',
      '#benefit/family — Benefits for the family',
      '#benefit/child — Benefits for the child',
      '@benefits — What were the benefits?',
    ]);
    assert.deepEqual(names('jbt').map((n) => n.split(' | ')[0]), ['@job-title — What is your job title?']);
    assert.deepEqual(names('oversee').map((n) => n.split(' | ').slice(0, 2).join(' | ')), ['@oversight — How do you oversee the process? | ppp › For team managers']);
  });

  it('list everything for an empty query, and nothing for a query that matches nothing', () => {
    assert.equal(names('').length, 8 + 6);
    assert.deepEqual(names('zzz'), []);
  });
});
