/**
 * The analysis commands (`matrix`, `segments`, `memos`) on a study of another shape than the example:
 * a housing study with numbered question IDs (Q1, Q2.1), a follow-up asked in the same paragraph as its
 * question, two roles, a list-valued attribute (`areas`), a parent code (`support`) used only through its
 * children, a span with two codes, and a nested span. Every expected cell was counted by hand from the
 * transcripts in test/fixtures/housing-study.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { MatrixResult, MemoRow, SegmentRow } from '../../server/src/protocol';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const STUDY = path.join(ROOT, 'test/fixtures/housing-study');

function json<T>(...args: string[]): T {
  const r = spawnSync(process.execPath, [CLI, ...args, STUDY, '--format', 'json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'nothing said on standard error');
  return JSON.parse(r.stdout) as T;
}

/** The table as `code: column=segments/transcripts …`, empty cells left out, as a person reads it off the page. */
function table(m: MatrixResult): string[] {
  return m.rows.map((r) => `${r.code}: ${m.columns.filter((c) => r.cells[c.key].segments > 0).map((c) => `${c.key}=${r.cells[c.key].segments}/${r.cells[c.key].transcripts}`).join(' ')}`.trimEnd());
}

describe('analysis on a study of another shape (housing: numbered questions, two roles, list attributes)', () => {
  it('counts codes by question, a parent with the children it is only used through, and a follow-up sharing its question\'s answer', () => {
    const m = json<MatrixResult>('matrix', '--by', 'question');
    assert.deepEqual(m.columns.map((c) => c.key), ['housing:Q1', 'housing:Q2', 'housing:Q2.1', 'housing:Q3', 'housing:Q4']);
    assert.deepEqual(table(m), [
      'support: housing:Q1=1/1 housing:Q2=3/2 housing:Q2.1=2/1 housing:Q4=1/1',
      'support/family: housing:Q1=1/1 housing:Q2=1/1 housing:Q2.1=1/1 housing:Q4=1/1',
      'support/services: housing:Q2=2/2 housing:Q2.1=1/1',
      'repairs: housing:Q3=6/3',
      'repairs/slow: housing:Q3=5/3',
      'trust: housing:Q2=2/2 housing:Q2.1=1/1 housing:Q4=1/1',
    ]);
    assert.deepEqual(m.rows.map((r) => `${r.code} ${r.depth}`), ['support 0', 'support/family 1', 'support/services 1', 'repairs 0', 'repairs/slow 1', 'trust 0']);
  });

  it('with --exact, a parent used only through its children counts nothing', () => {
    const m = json<MatrixResult>('matrix', '--by', 'question', '--exact');
    assert.deepEqual(table(m).slice(0, 4), ['support:', 'support/family: housing:Q1=1/1 housing:Q2=1/1 housing:Q2.1=1/1 housing:Q4=1/1', 'support/services: housing:Q2=2/2 housing:Q2.1=1/1', 'repairs: housing:Q3=1/1']);
  });

  it('counts a transcript under each value of a list attribute, with group sizes', () => {
    const m = json<MatrixResult>('matrix', '--by', 'areas');
    assert.deepEqual(m.columns, [{ key: 'east', label: 'east', size: 2 }, { key: 'north', label: 'north', size: 2 }]);
    assert.deepEqual(table(m), [
      'support: east=4/2 north=4/2',
      'support/family: east=2/1 north=3/2',
      'support/services: east=2/2 north=1/1',
      'repairs: east=4/2 north=5/2',
      'repairs/slow: east=4/2 north=4/2',
      'trust: east=2/2 north=2/2',
    ]);
  });

  it('compares the two roles, and keeps one area with --where on a list value', () => {
    const byRole = json<MatrixResult>('matrix', '--by', 'role');
    assert.deepEqual(byRole.columns.map((c) => `${c.key} ${c.size}`), ['officer 1', 'tenant 2']);
    assert.deepEqual(table(byRole)[0], 'support: officer=1/1 tenant=4/2');
    const north = json<MatrixResult>('matrix', '--by', 'transcript', '--where', 'areas=north');
    assert.deepEqual(north.columns.map((c) => c.key), ['o01.transcript', 't01.transcript']);
    assert.deepEqual(table(north)[3], 'repairs: o01.transcript=2/1 t01.transcript=3/1');
  });

  it('counts overlapping pairs for codes together: a span with two codes, and a span inside another', () => {
    const m = json<MatrixResult>('matrix', '--by', 'code');
    assert.deepEqual(table(m), [
      'support: support=5/3 trust=2/2',
      'support/family: support/family=3/2 trust=1/1',
      'support/services: support/services=2/2 trust=1/1',
      'repairs: repairs=6/3 repairs/slow=2/1',
      'repairs/slow: repairs=2/1 repairs/slow=5/3',
      'trust: support=2/2 support/family=1/1 support/services=1/1 trust=3/3',
    ]);
  });

  it('retrieves the passages behind a cell, by numbered question, with the paragraphs around them', () => {
    const rows = json<SegmentRow[]>('segments', '--code', 'support', '--question', 'Q2.1', '--context', '1');
    assert.deepEqual(rows.map((r) => `${r.participant} ${r.questions.join('+')} #${r.code}: ${r.excerpt}`), [
      'T01 Q2+Q2.1 #support/family: My sister, every time',
      'T01 Q2+Q2.1 #support/services: The advice centre wrote letters',
    ]);
    // Each turn is a paragraph: the question asked before the answer, and the next question after it.
    assert.deepEqual(rows[0].before, ['I: What helped when things went wrong? Who helped most?']);
    assert.deepEqual(rows[0].after, ['I: How are repairs handled?']);
    assert.deepEqual(rows[0].attributes.areas, ['north', 'east'], 'a list stays a list');
    assert.equal(rows[0].attributes.years, 4, 'a number stays a number');
  });

  it('lists the passages behind a cell of codes that occur together', () => {
    const rows = json<SegmentRow[]>('segments', '--code', 'support', '--overlapping', 'trust');
    assert.deepEqual(rows.map((r) => `${r.participant} #${r.code}: ${r.excerpt}`), [
      'O01 #support/family: Families help more than we do',
      'T01 #support/services: The advice centre wrote letters',
    ]);
    // The cell counts those two pairs, in two transcripts.
    const m = json<MatrixResult>('matrix', '--by', 'code');
    assert.deepEqual(m.rows.find((r) => r.code === 'support')!.cells.trust, { segments: 2, transcripts: 2 });
  });

  it('lists every memo with its question and the codes of its paragraph', () => {
    const memos = json<MemoRow[]>('memos');
    assert.deepEqual(memos.map((m) => `${m.file}:${m.range.start.line + 1} ${m.questions.join(',')} [${m.codes.join(', ')}] ${m.text}`), [
      'o01.transcript:16 Q4 [support/family, trust] Officer view of family support.',
      't01.transcript:17 Q3 [repairs/slow] Ask the officers whether three months is usual.',
      't02.transcript:14 Q2 [trust, support/services] A tenant with no family support: compare T01.',
    ]);
    assert.deepEqual(json<MemoRow[]>('memos', '--where', 'role=officer').map((m) => m.file), ['o01.transcript']);
  });
});
