import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { coverageReport } from '../../server/src/core/coverage';
import { codeCounts } from '../../server/src/core/counts';
import { diagnose } from '../../server/src/core/diagnostics';
import { Study, type UsageIndex } from '../../server/src/core/study';
import { fixture } from '../support/fixture';

const GUIDE = `id: g
title: Guide
roles:
  swr: Social worker
  tm: Team manager
sections:
  - id: s1
    title: One
    questions:
      - id: q1
        text: Q one?
        followups:
          - id: q1a
            text: Follow-up?
      - id: q2
        text: Q two?
  - id: s2
    title: Two
    roles: [tm]
    questions:
      - id: q3
        text: Q three?
`;

const CODEBOOK = `codes:
  - id: a
    label: A
    questions: [q1]
    children:
      - id: b
        label: B
  - id: c
    label: C
    deprecated: true
    replacedBy: a/b
`;

/** Fragments that transcripts are assembled from: markup, half-typed markup and plain text. */
const fragment = fc.constantFrom(
  '@q1 ', '@q2 ', '@q3 ', '@q1a ', '@nope ', '@Q1 ', '#a ', '#a/b ', '#c ', '#zz ', '#A ', '{', '}', '}#a', '}#a/b #c', '%%', '%% memo %%',
  '\\#', '\\{', 'I: ', 'R: ', '\n', '\n\n', 'text ', 'é ', '😀 ', ' ', '@', '#',
);
const body = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(''));
const frontMatter = fc.record({
  guide: fc.constantFrom('guide: g\n', 'guide: h\n', ''),
  role: fc.constantFrom('role: swr\n', 'role: tm\n', 'role: x\n', ''),
  skipped: fc.constantFrom('', 'skipped: [q2]\n', 'skipped:\n  q3: no time\n', 'skipped: [nope]\n'),
  // Labels shared with other transcripts and with file names, so that `duplicate-participant` comes and goes.
  participant: fc.constantFrom('', 'participant: P1\n', 'participant: " P1 "\n', 'participant: t1\n', 'participant: t3\n'),
}).map((f) => `---\n${f.guide}${f.participant}${f.role}${f.skipped}---\n`);
const transcript = fc.tuple(fc.boolean(), frontMatter, body).map(([withFm, fm, b]) => (withFm ? fm + b : b));

const PATHS = ['t1.transcript', 't2.transcript', 'sub/t3.transcript', 'g.guide.yaml', 'h.guide.yaml', 'c.codebook.yaml'];
const guideText = fc.constantFrom(GUIDE, GUIDE.replace('id: g', 'id: h'), GUIDE.replace('- id: q2\n        text: Q two?\n', ''), 'id: g\nsections: [', '');
const codebookText = fc.constantFrom(CODEBOOK, CODEBOOK.replace('id: b', 'id: d'), 'codes:\n  - id: zz\n    label: Z\n', '');

type Edit = { kind: 'set'; path: string; text: string } | { kind: 'delete'; path: string } | { kind: 'observe' };
const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...PATHS.slice(0, 3)), transcript).map(([path, text]) => ({ kind: 'set' as const, path, text })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('g.guide.yaml', 'h.guide.yaml'), guideText).map(([path, text]) => ({ kind: 'set' as const, path, text })) },
  { weight: 1, arbitrary: codebookText.map((text) => ({ kind: 'set' as const, path: 'c.codebook.yaml', text })) },
  { weight: 1, arbitrary: fc.constantFrom(...PATHS).map((path) => ({ kind: 'delete' as const, path })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'observe' as const }) },
);

function usageSnapshot(u: UsageIndex): unknown {
  const codes = [...u.codes].map(([p, c]) => [p, c.segments, [...c.byDoc].sort()]).sort();
  const asked = [...u.asked].map(([g, byId]) => [g, [...byId].map(([id, docs]) => [id, [...docs].sort()]).sort()]).sort();
  return { codes, asked };
}

/** Everything a user can observe of a study: diagnostics of every file, counts, coverage, usage. */
function observe(study: Study): unknown {
  return {
    diagnostics: study.documents().map((d) => [d.uri, diagnose(study, d.uri)]),
    counts: codeCounts(study),
    coverage: coverageReport(study),
    usage: usageSnapshot(study.usage()),
  };
}

describe('the study index', () => {
  it('after any sequence of edits, one document at a time, equals the study built from scratch', () => {
    fc.assert(
      fc.property(transcript, transcript, fc.array(edit, { maxLength: 25 }), (t1, t2, edits) => {
        const files = new Map<string, string>([['g.guide.yaml', GUIDE], ['c.codebook.yaml', CODEBOOK], ['t1.transcript', t1], ['t2.transcript', t2]]);
        let study = Study.fromFiles([...files].map(([p, text]) => ({ uri: p, path: p, text })));
        observe(study); // the derived indexes exist before the edits, so they are updated rather than rebuilt
        for (const e of edits) {
          if (e.kind === 'set') { files.set(e.path, e.text); study = study.withDocument(e.path, e.path, e.text); }
          else if (e.kind === 'delete') { files.delete(e.path); study = study.withoutDocument(e.path); }
          else observe(study);
        }
        const scratch = Study.fromFiles([...files].map(([p, text]) => ({ uri: p, path: p, text })));
        assert.deepEqual(observe(study), observe(scratch));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps guide and codebook indexes when only a transcript changes, and the usage index when only a guide changes', () => {
    const { study } = fixture(`//- /g.guide.yaml\n${GUIDE}//- /c.codebook.yaml\n${CODEBOOK}//- /t.transcript\n@q1 #a\n`);
    const guides = study.guideIndex();
    const codes = study.codeIndex();
    const usage = study.usage();
    const edited = study.withDocument('t.transcript', 't.transcript', '@q2 #a/b\n');
    assert.equal(edited.guideIndex(), guides);
    assert.equal(edited.codeIndex(), codes);
    assert.equal(edited.usage().codes.get('a/b')?.segments, 1);
    const guideEdited = study.withDocument('g.guide.yaml', 'g.guide.yaml', GUIDE.replace('Q one?', 'Question one?'));
    assert.equal(guideEdited.usage(), usage);
    assert.notEqual(guideEdited.guideIndex(), guides);
  });

  it('ignores files that are not study files', () => {
    const study = Study.empty().withDocument('notes.txt', 'notes.txt', '#a @q1');
    assert.equal(study.size, 0);
  });
});

describe('coverage', () => {
  const study = (body: string, extra = ''): Study => fixture(`//- /g.guide.yaml\n${GUIDE}//- /t.transcript\n---\nguide: g\n${extra}---\n${body}`).study;
  const row = (s: Study) => coverageReport(s).guides[0].transcripts[0];

  it('counts asked over expected, leaving out optional follow-ups and other roles\' questions', () => {
    const r = row(study('@q1 @q1a @q3', 'role: swr\n'));
    assert.deepEqual([r.asked, r.expected, r.percent], [1, 2, 50]);
    assert.deepEqual(r.cells, { q1: 'asked', q1a: 'asked', q2: 'not-asked', q3: 'asked' });
    assert.deepEqual(r.missing, ['q2']);
  });

  it('removes skipped questions from expected unless they were asked anyway', () => {
    assert.deepEqual((({ asked, expected, cells }) => ({ asked, expected, cells }))(row(study('@q1', 'role: tm\nskipped: [q2, q3]\n'))),
      { asked: 1, expected: 1, cells: { q1: 'asked', q1a: 'not-expected', q2: 'skipped', q3: 'skipped' } });
    const asked = row(study('@q1 @q2', 'role: swr\nskipped: [q2]\n'));
    assert.deepEqual([asked.asked, asked.expected, asked.cells.q2], [2, 2, 'asked']);
  });

  it('shows — when nothing is expected, and a skipped optional question as skipped', () => {
    const { study: s } = fixture('//- /g.guide.yaml\nid: g\ntitle: T\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: o\n        text: O?\n        optional: true\n//- /t.transcript\n---\nskipped: [o]\n---\nhi\n');
    const r = coverageReport(s).guides[0].transcripts[0];
    assert.deepEqual([r.asked, r.expected, r.percent, r.cells.o], [0, 0, null, 'skipped']);
  });

  it('sums sections and the guide over their questions', () => {
    const { study: s } = fixture(`//- /g.guide.yaml\n${GUIDE}//- /a.transcript\n---\nrole: tm\n---\n@q1 @q3\n//- /b.transcript\n---\nrole: swr\n---\n@q2\n`);
    const g = coverageReport(s).guides[0];
    assert.deepEqual(g.sections.map((x) => [x.id, x.asked, x.expected]), [['s1', 2, 4], ['s2', 1, 1]]);
    assert.deepEqual([g.asked, g.expected, g.percent], [3, 5, 60]);
    assert.deepEqual(g.sections[0].questions.map((q) => [q.id, q.askedIn, q.expectedIn, q.askedAnyIn]), [['q1', 1, 2, 1], ['q1a', 0, 0, 0], ['q2', 1, 2, 1]]);
  });

  it('leaves a transcript whose guide cannot be resolved out of every report', () => {
    const { study: s } = fixture(`//- /g.guide.yaml\n${GUIDE}//- /t.transcript\n---\nguide: nope\n---\n@q1\n`);
    assert.deepEqual(coverageReport(s).guides[0].transcripts, []);
  });
});

describe('code counts', () => {
  it('counts a segment coded twice with one code once, and sums descendants per transcript', () => {
    const { study } = fixture(`//- /c.codebook.yaml\n${CODEBOOK}//- /t.transcript\n{x}#a/b #a/b\n{y}#a\n\n#a/b\n//- /u.transcript\n{z}#a/b #unknown\n`);
    const rows = codeCounts(study).map((r) => [r.code, r.known, r.segments, r.transcripts, r.totalSegments, r.totalTranscripts]);
    assert.deepEqual(rows, [
      ['a', true, 1, 1, 4, 2],
      ['a/b', true, 3, 2, 3, 2],
      ['c', true, 0, 0, 0, 0],
      ['unknown', false, 1, 1, 1, 1],
    ]);
    assert.deepEqual(codeCounts(study, { uri: 'u.transcript' }).map((r) => [r.code, r.segments]), [['a', 0], ['a/b', 1], ['c', 0], ['unknown', 1]]);
  });
});
