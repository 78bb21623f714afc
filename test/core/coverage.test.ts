/**
 * Coverage and the coverage report (SPEC §4.2) for guides as researchers write them: a retired
 * question, a conditional follow-up, follow-ups of follow-ups, skip reasons, and a guide without
 * roles. Each format is read as a person reads it: Markdown and CSV as lines, HTML by what its rows
 * say, JSON as the fields a client reads.
 */
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { coverageReport, transcriptCoverage } from '../../server/src/core/coverage';
import type { TranscriptModel } from '../../server/src/core/model';
import { coverageCsv, coverageHtml, coverageMarkdown } from '../../server/src/core/render/coverageReport';
import { cspHash } from '../../server/src/core/render/sha256';
import { wireCoverage } from '../../server/src/wire';
import { fixture } from '../support/fixture';

const STUDY = `//- /ppp.guide.yaml
id: ppp
title: Interviews
sections:
  - id: the-meeting
    title: The meeting
    questions:
      - id: reasons
        text: What were the reasons?
      - id: arrangements
        text: How was it arranged?
        followups:
          - id: parents-invited
            text: Were both parents invited?
            followups:
              - id: same-meeting
                text: To the same meeting?
      - id: service
        text: Did the family use the advice service?
        followups:
          - id: service-view
            text: What did they make of it?
            condition: if yes to service
            optional: false
      - id: pilot-consent
        text: How did you hear about the study?
        retired: true
//- /a.transcript
---
participant: A
skipped:
  service-view: the family never used it
---
I: @reasons @arrangements @parents-invited @same-meeting @service @pilot-consent Tell me.
R: Yes.
//- /b.transcript
---
participant: B
skipped: [arrangements]
---
I: @reasons Why?
R: Because.
`;

const { study } = fixture(STUDY);
const report = coverageReport(study);

function coverageOf(uri: string): string {
  const model = study.get(uri)!.model as TranscriptModel;
  const r = study.resolveGuide(model);
  assert.equal(r.status, 'ok');
  if (r.status !== 'ok') return '';
  const c = transcriptCoverage(model, r.guide.model);
  return `${c.asked}/${c.expected} ${[...c.cells].map(([id, cell]) => `${id}=${cell}`).join(' ')}`;
}

describe('coverage of a guide with a retired question', () => {
  it('never expects a retired question, and shows it asked where a transcript still marks it', () => {
    assert.equal(coverageOf('a.transcript'),
      '3/3 reasons=asked arrangements=asked parents-invited=asked same-meeting=asked service=asked service-view=skipped pilot-consent=asked');
    assert.equal(coverageOf('b.transcript'),
      '1/3 reasons=asked arrangements=skipped parents-invited=not-expected same-meeting=not-expected service=not-asked service-view=not-asked pilot-consent=not-expected');
  });
});

describe('the coverage report in Markdown', () => {
  const md = coverageMarkdown(report).split('\n');

  it('has no Role column for a guide without roles, and a Skipped column with the reasons given', () => {
    assert.ok(md.includes('| Participant | Asked | Coverage | Not asked | Skipped | File |'), md.join('\n'));
    assert.ok(md.includes('| A | 3/3 | 100% | — | service-view (the family never used it) | a.transcript |'));
    assert.ok(md.includes('| B | 1/3 | 33% | service, service-view | arrangements | b.transcript |'));
  });

  it('indents follow-ups of follow-ups, shows a condition, and draws retired questions apart, counted in no total', () => {
    const start = md.indexOf('#### The meeting (`the-meeting`)');
    assert.deepEqual(md.slice(start, start + 20), [
      '#### The meeting (`the-meeting`)',
      '',
      '| Question | A | B | Asked |',
      '|---|:---:|:---:|:---:|',
      '| reasons: What were the reasons? | ✓ | ✓ | 2/2 |',
      '| arrangements: How was it arranged? | ✓ | – | 1/1 |',
      '| ↳ parents-invited: Were both parents invited? | ✓ |  | asked in 1 |',
      '| · ↳ same-meeting: To the same meeting? | ✓ |  | asked in 1 |',
      '| service: Did the family use the advice service? | ✓ | ✗ | 1/2 |',
      '| ↳ service-view: What did they make of it? *(if yes to service)* | – | ✗ | 0/1 |',
      '| **Section total** |  |  | 4/6 (67%) |',
      '',
      '#### Retired questions',
      '',
      'Dropped from the guide: never expected, and counted in no total.',
      '',
      '| Question | A | B | Asked |',
      '|---|:---:|:---:|:---:|',
      '| pilot-consent: How did you hear about the study? | ✓ |  | asked in 1 |',
      '',
    ]);
  });

  it('keeps the Role column where the guide declares roles', () => {
    const withRoles = fixture(STUDY.replace('title: Interviews\n', 'title: Interviews\nroles:\n  swr: Social worker\n').replace('participant: A\n', 'participant: A\nrole: swr\n'));
    const lines = coverageMarkdown(coverageReport(withRoles.study)).split('\n');
    assert.ok(lines.includes('| Participant | Role | Asked | Coverage | Not asked | Skipped | File |'), lines.join('\n'));
    assert.ok(lines.includes('| B |  | 1/3 | 33% | service, service-view | arrangements | b.transcript |'));
  });
});

describe('the coverage report as CSV', () => {
  const rows = parse(coverageCsv(report)) as string[][];

  it('has no role column without roles, a skip reasons column, a condition in its question\'s heading, and retired questions last', () => {
    assert.deepEqual(rows, [
      ['guide', 'file', 'participant', 'asked', 'expected', 'percent', 'skip reasons', 'reasons', 'arrangements', 'parents-invited', 'same-meeting', 'service', 'service-view (if yes to service)', 'pilot-consent (retired)'],
      ['ppp', 'a.transcript', 'A', '3', '3', '100', 'service-view: the family never used it', 'asked', 'asked', 'asked', 'asked', 'asked', 'skipped', 'asked'],
      ['ppp', 'b.transcript', 'B', '1', '3', '33', '', 'asked', 'skipped', 'not-expected', 'not-expected', 'not-asked', 'not-asked', 'not-expected'],
    ]);
  });
});

describe('the coverage report as HTML', () => {
  const html = coverageHtml(report);
  /** Each row of the matrix as `class: text of its heading`, tags removed. */
  const rows = [...html.matchAll(/<tr( class="[^"]*")?><th( class="[^"]*")?[^>]*>(.*?)<\/th>/g)]
    .map((m) => `${(m[1] ?? m[2] ?? '').replace(/ class="|"/g, '').trim()}: ${m[3].replace(/<[^>]+>/g, '')}`);

  it('indents each follow-up by its depth, shows conditions, and draws retired questions apart', () => {
    assert.deepEqual(rows, [
      'question: Question',
      'section: The meeting the-meeting',
      'question: reasons What were the reasons?',
      'question: arrangements How was it arranged?',
      'question followup depth-1: parents-invited Were both parents invited? (optional)',
      'question followup depth-2: same-meeting To the same meeting? (optional)',
      'question: service Did the family use the advice service?',
      'question followup depth-1: service-view What did they make of it? (if yes to service)',
      'section-total: Section total',
      'section retired: Retired questions dropped from the guide: never expected, counted in no total',
      'question: pilot-consent How did you hear about the study?',
      ': Transcript total',
    ]);
    assert.match(html, /\.matrix th\.depth-2 \{ padding-left: [\d.]+em; \}/);
  });

  it('carries a Content Security Policy that lets nothing load or run, and names its one style by its hash', () => {
    const policies = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)].map((m) => m[1].replace(/&#39;/g, "'"));
    const styles = [...html.matchAll(/<style>([^]*?)<\/style>/g)].map((m) => m[1]);
    assert.equal(styles.length, 1);
    const hash = createHash('sha256').update(styles[0], 'utf8').digest('base64');
    assert.deepEqual(policies, [`default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'`]);
    assert.equal(/<script|\sstyle=|\son\w+=/i.test(html), false, 'no script, no style attribute (the policy would block it), no handler');
  });

  it('takes the policy it is given instead of its own, and allows a script given with a nonce under its own', () => {
    const given = coverageHtml(report, { csp: "default-src 'none'; style-src 'nonce-n1'", nonce: 'n1' });
    assert.equal([...given.matchAll(/Content-Security-Policy/g)].length, 1);
    assert.ok(given.includes('content="default-src &#39;none&#39;; style-src &#39;nonce-n1&#39;"'));
    assert.ok(given.includes('<style nonce="n1">'));
    const scripted = coverageHtml(report, { nonce: 'n2', script: 'console.log(1)' });
    assert.match(scripted, /content="default-src &#39;none&#39;; style-src &#39;sha256-[A-Za-z0-9+/]+=*&#39;; script-src &#39;nonce-n2&#39;;/);
    assert.ok(scripted.includes('<script nonce="n2">console.log(1)</script>'));
  });

  it('hashes as SHA-256 does, whatever the text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
      assert.equal(cspHash(text), `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`);
    }), { numRuns: 300 });
    for (const n of [55, 56, 63, 64, 65, 119, 120]) assert.equal(cspHash('a'.repeat(n)), `sha256-${createHash('sha256').update('a'.repeat(n)).digest('base64')}`);
  });

  it('gives each skipped question with its reason, in the cell\'s tooltip and in a list under the table', () => {
    assert.match(html, /<td class="cell skipped" title="A: skipped \(the family never used it\)">–<\/td>/);
    assert.match(html, /<li>A: service-view \(the family never used it\)<\/li><li>B: arrangements<\/li>/);
  });
});

describe('the coverage report as JSON', () => {
  const guide = wireCoverage(report, (u) => u).guides[0];
  const question = (id: string): unknown => {
    const q = guide.sections[0].questions.find((x) => x.id === id)!;
    return { id: q.id, parent: q.parent, condition: q.condition, retired: q.retired, askedIn: q.askedIn, expectedIn: q.expectedIn, askedAnyIn: q.askedAnyIn };
  };

  it('carries conditions and retired questions on their questions, and skip reasons on their transcripts', () => {
    assert.deepEqual(question('service-view'), { id: 'service-view', parent: 'service', condition: 'if yes to service', retired: undefined, askedIn: 0, expectedIn: 1, askedAnyIn: 0 });
    assert.deepEqual(question('pilot-consent'), { id: 'pilot-consent', parent: null, condition: undefined, retired: true, askedIn: 0, expectedIn: 0, askedAnyIn: 1 });
    assert.deepEqual(question('same-meeting'), { id: 'same-meeting', parent: 'parents-invited', condition: undefined, retired: undefined, askedIn: 0, expectedIn: 0, askedAnyIn: 1 });
    assert.deepEqual(guide.transcripts.map((t) => [t.participant, t.skipReasons]), [['A', { 'service-view': 'the family never used it' }], ['B', {}]]);
  });
});

describe('transcripts whose guide was not found', () => {
  const LOST = `${STUDY}//- /c.transcript
---
guide: ppp-v2
participant: C <script>alert(1)</script>
site: north
---
I: @reasons Why?
//- /d.transcript
---
guide: ppp
participant: D
site: south
---
I: @reasons Why?
`;
  const lost = coverageReport(fixture(LOST).study);

  it('are listed apart, each with the guide it names, and counted in no guide', () => {
    assert.deepEqual(lost.unresolved?.map((t) => [t.file, t.participant, t.guide, t.attributes]), [['c.transcript', 'C <script>alert(1)</script>', 'ppp-v2', { site: 'north' }]]);
    assert.deepEqual(lost.guides[0].transcripts.map((t) => t.participant), ['A', 'B', 'D']);
    // A study whose transcripts all find their guide reports as before, without the list.
    assert.equal('unresolved' in report, false);
  });

  it('are listed whichever way the guide is not found: none named among two guides, or no guide at all', () => {
    const two = coverageReport(fixture(`${LOST}//- /zz.guide.yaml\nid: other\ntitle: Other\nsections: []\n//- /e.transcript\nparticipant: E\n`).study);
    // With two guides, a transcript that names none cannot be placed either.
    assert.deepEqual(two.unresolved?.map((t) => [t.file, t.guide]), [['a.transcript', null], ['b.transcript', null], ['c.transcript', 'ppp-v2'], ['e.transcript', null]]);
    const none = coverageReport(fixture('//- /a.transcript\n---\nguide: ppp\n---\nI: hello\n//- /b.transcript\nI: hello\n').study);
    assert.deepEqual(none.guides, []);
    assert.deepEqual(none.unresolved?.map((t) => [t.file, t.participant, t.guide]), [['a.transcript', 'a', 'ppp'], ['b.transcript', 'b', null]]);
    const md = coverageMarkdown(none).split('\n');
    assert.ok(md.includes('This study has no interview guide (`*.guide.yaml`), so there is nothing to cover.'), md.join('\n'));
    assert.ok(md.includes('| a | `ppp`: no guide has this ID | a.transcript |'), md.join('\n'));
    assert.ok(md.includes('| b | none named | b.transcript |'), md.join('\n'));
  });

  it('are chosen by the same filter as the rest of the report', () => {
    const where = (site: string): string[] | undefined => coverageReport(fixture(LOST).study, new Map([['site', new Set([site])]])).unresolved?.map((t) => t.participant);
    assert.deepEqual(where('north'), ['C <script>alert(1)</script>']);
    assert.equal(where('south'), undefined);
  });

  it('have a section of their own in Markdown, after the guides\' coverage', () => {
    const md = coverageMarkdown(lost).split('\n');
    const at = md.indexOf('## Transcripts whose guide was not found');
    assert.ok(at > md.indexOf('## ppp — Interviews'), md.join('\n'));
    assert.deepEqual(md.slice(at, at + 6), [
      '## Transcripts whose guide was not found',
      '',
      '1 transcript is counted in no coverage because its guide was not found: correct its `guide:` line, or add the guide it names to the study.',
      '',
      '| Participant | Guide | File |',
      '|---|---|---|',
    ]);
    assert.equal(md[at + 6], '| C \\<script\\>alert(1)\\</script\\> | `ppp-v2`: no guide has this ID | c.transcript |');
  });

  it('are rows of the CSV with the guide they name, their case data, and "no" in a column saying whether it was found', () => {
    const rows = parse(coverageCsv(lost)) as string[][];
    assert.deepEqual(rows[0].slice(0, 8), ['guide', 'guide found', 'file', 'participant', 'site', 'asked', 'expected', 'percent']);
    assert.deepEqual(rows.map((r) => [r[0], r[1], r[3], r[4], r[5]]), [
      ['guide', 'guide found', 'participant', 'site', 'asked'],
      ['ppp', 'yes', 'A', '', '3'], ['ppp', 'yes', 'B', '', '1'], ['ppp', 'yes', 'D', 'south', '1'], ['ppp-v2', 'no', 'C <script>alert(1)</script>', 'north', ''],
    ]);
    assert.ok(rows[4].slice(5).every((cell) => cell === ''), rows[4].join(','));
  });

  it('have a section of their own in HTML, with study text escaped', () => {
    const html = coverageHtml(lost);
    assert.match(html, /<section class="guide unresolved"><h2>Transcripts whose guide was not found<\/h2>/);
    assert.ok(html.includes('<tr><td>C &lt;script&gt;alert(1)&lt;/script&gt;</td><td><code>ppp-v2</code>: no guide has this ID</td><td>c.transcript</td></tr>'), html);
    assert.equal(html.includes('<script>'), false);
  });

  it('are in the JSON as `unresolved`, with their URIs as the client knows them', () => {
    const wire = wireCoverage(lost, (u) => `file:///study/${u}`);
    assert.deepEqual(wire.unresolved, [{
      file: 'c.transcript', uri: 'file:///study/c.transcript', participant: 'C <script>alert(1)</script>', role: null, attributes: { site: 'north' }, guide: 'ppp-v2',
    }]);
    assert.equal('unresolved' in wireCoverage(report, (u) => u), false);
  });
});
