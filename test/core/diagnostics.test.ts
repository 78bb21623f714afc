import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { diagnose } from '../../server/src/core/diagnostics';
import { DIAGNOSTIC_CODES, FILE_CODES, type DiagnosticCode, type SeverityOverrides } from '../../server/src/core/diagnosticCodes';
import { fixture } from '../support/fixture';

const GUIDE = `//- /ppp.guide.yaml
id: ppp
title: PPP interviews
roles:
  swr: Social worker
  tm: Team manager
sections:
  - id: background
    title: Background
    questions:
      - id: job-title
        text: Your job title?
      - id: experience
        text: Your experience of PPMs?
        followups:
          - id: how-often
            text: How often?
  - id: meeting
    title: The meeting
    questions:
      - id: reasons
        text: What were the reasons?
      - id: whose-idea
        text: Whose idea?
  - id: managers
    title: Team managers
    roles: [tm]
    questions:
      - id: managing
        text: Managing the team?
`;

const CODEBOOK = `//- /themes.codebook.yaml
codes:
  - id: benefit
    label: Benefits
    questions: [reasons]
    children:
      - id: family
        label: Benefits for the family
  - id: lawyer-role
    label: Role of the lawyer
    deprecated: true
    replacedBy: benefit/family
`;

/** Diagnostics of one file as `line:col severity code: message` (1-based, as the CLI prints them). */
function diags(text: string, file: string, overrides?: SeverityOverrides): string[] {
  const { study } = fixture(text);
  return diagnose(study, file, overrides).map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code}: ${d.message}`);
}

/** Only `line:col code`, for tests about where and what rather than wording. */
function codes(text: string, file: string, overrides?: SeverityOverrides): string[] {
  return diags(text, file, overrides).map((d) => d.replace(/ (error|warning|information|hint) /, ' ').replace(/:( .*)$/, '').trim());
}

const COMPLETE = `---
guide: ppp
participant: SW01
role: swr
---
I: @job-title What is your job title?
R: Senior practitioner. {Mum understood the concerns}#benefit/family
I: @experience And PPMs? @how-often
R: Many.
I: @reasons Why? @whose-idea
R: Because. #benefit
`;

describe('transcript diagnostics', () => {
  it('reports nothing for a transcript that asks every expected question with known codes', () => {
    assert.deepEqual(diags(GUIDE + CODEBOOK + `//- /sw01.transcript\n${COMPLETE}`, 'sw01.transcript'), []);
  });

  it('flags a marker that is not in the guide, with did-you-mean, on the whole token', () => {
    const t = COMPLETE.replace('@whose-idea', '@whose-idee');
    const { study } = fixture(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`);
    const d = diagnose(study, 'sw01.transcript').find((x) => x.code === 'unknown-question')!;
    assert.equal(d.severity, 'error');
    assert.deepEqual(d.range, { start: { line: 9, character: 17 }, end: { line: 9, character: 28 } });
    assert.match(d.message, /'@whose-idee' is not in guide 'ppp'.*Did you mean `@whose-idea`\?/);
    assert.deepEqual(d.data?.suggestions, ['whose-idea']);
    assert.equal(d.related?.[0].uri, 'ppp.guide.yaml');
  });

  it('reports an unasked question on the guide line, naming its ID and text', () => {
    const t = COMPLETE.replace(' @whose-idea', '');
    assert.deepEqual(diags(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`, 'sw01.transcript'), [
      "2:1 warning unasked-question: The question 'whose-idea' was not asked: “Whose idea?”",
    ]);
  });

  it('gives the condition of an unasked question, and how to record that it did not hold', () => {
    const guide = GUIDE.replace('        text: Whose idea?\n', '        text: Whose idea?\n        condition: if the meeting was not routine\n');
    const t = COMPLETE.replace(' @whose-idea', '');
    assert.deepEqual(diags(guide + CODEBOOK + `//- /sw01.transcript\n${t}`, 'sw01.transcript'), [
      "2:1 warning unasked-question: The question 'whose-idea' was not asked: “Whose idea?” (its condition: “if the meeting was not routine”; if it did not hold, list the question under `skipped`)",
    ]);
  });

  it('reports unasked questions on line 1 when the transcript has no front matter', () => {
    const text = `//- /ppp.guide.yaml
id: ppp
title: T
sections:
  - id: s
    title: S
    questions:
      - id: a
        text: A?
      - id: b
        text: B?
//- /x.transcript
I: @a Hello`;
    assert.deepEqual(codes(text, 'x.transcript'), ['1:1 unasked-question']);
  });

  it('reports a whole missing section once instead of each of its questions', () => {
    const t = COMPLETE.replace(/I: @reasons[^\n]*\nR: Because. #benefit\n/, '');
    const out = diags(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`, 'sw01.transcript');
    assert.equal(out.length, 1);
    assert.match(out[0], /^2:1 warning missing-section: No question of section 'meeting' \(The meeting\) was asked: 2 expected questions \(reasons, whose-idea\)/);
  });

  it('does not report a section as missing when one of its optional follow-ups was asked', () => {
    const t = COMPLETE.replace('I: @experience And PPMs? @how-often', 'I: And PPMs? @how-often').replace('@job-title', '');
    // Background's expected questions are unasked, but a follow-up of it has a marker: they are reported one by one.
    assert.deepEqual(codes(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`, 'sw01.transcript'), ['2:1 unasked-question', '2:1 unasked-question']);
  });

  it('does not report a section whose questions are all for another role', () => {
    // `managers` is for tm only; the swr transcript is complete without it.
    assert.deepEqual(codes(GUIDE + CODEBOOK + `//- /sw01.transcript\n${COMPLETE}`, 'sw01.transcript'), []);
    const tm = COMPLETE.replace('role: swr', 'role: tm');
    assert.deepEqual(codes(GUIDE + CODEBOOK + `//- /tm01.transcript\n${tm}`, 'tm01.transcript'), ['2:1 missing-section']);
  });

  it('notes a question marked twice on the second marker, pointing at the first', () => {
    const t = COMPLETE.replace('R: Many.', 'R: Many. @reasons');
    const { study } = fixture(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`);
    const d = diagnose(study, 'sw01.transcript');
    assert.deepEqual(d.map((x) => `${x.range.start.line}:${x.range.start.character} ${x.code}`), ['9:3 duplicate-question']);
    assert.equal(d[0].severity, 'information');
    assert.deepEqual(d[0].related?.[0].range.start, { line: 8, character: 9 });
  });

  it('notes a question meant for another role', () => {
    const t = `${COMPLETE}I: @managing How do you manage?\n`;
    assert.deepEqual(diags(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`, 'sw01.transcript'), [
      "12:4 information role-mismatch: The question '@managing' is meant for tm (Team manager), but this participant's role is swr (Social worker).",
    ]);
  });

  it('checks skipped entries: unknown ones are errors, asked ones are noted, and skipping removes the warning', () => {
    const withSkip = (skipped: string, body: string): string => GUIDE + CODEBOOK + `//- /sw01.transcript\n${body.replace('role: swr', `role: swr\nskipped:\n${skipped}`)}`;
    const noWhose = COMPLETE.replace(' @whose-idea', '');
    assert.deepEqual(codes(withSkip('  whose-idea: ran out of time', noWhose), 'sw01.transcript'), []);
    assert.deepEqual(codes(withSkip('  - whose-idea', noWhose), 'sw01.transcript'), []);
    assert.deepEqual(codes(withSkip('  - whose-idea', COMPLETE), 'sw01.transcript'), ['6:5 skipped-but-asked']);
    assert.deepEqual(diags(withSkip('  - whos-idea', noWhose), 'sw01.transcript'), [
      "2:1 warning unasked-question: The question 'whose-idea' was not asked: “Whose idea?”",
      "6:5 error unknown-question: 'whos-idea' is listed as skipped, but guide 'ppp' has no such question. Did you mean `whose-idea`?",
    ]);
  });

  it('flags a marker that names a section, saying which of its questions to mark, instead of calling it unknown', () => {
    const t = `${COMPLETE}I: @meeting Tell me about the meeting.\n`;
    assert.deepEqual(diags(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`, 'sw01.transcript'), [
      "12:4 error section-marker: '@meeting' names the section 'meeting' (The meeting), not a question: mark one of its questions, such as '@reasons' or '@whose-idea'.",
    ]);
    const { study } = fixture(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`);
    const d = diagnose(study, 'sw01.transcript')[0];
    assert.deepEqual(d.data?.suggestions, ['reasons', 'whose-idea']);
    assert.deepEqual(d.related?.map((r) => `${r.uri}:${r.range.start.line + 1} ${r.message}`), ['ppp.guide.yaml:17 section \'meeting\'']);
  });

  it('says a section listed as skipped is no question, naming the questions to list instead', () => {
    const t = COMPLETE.replace('role: swr', 'role: swr\nskipped: [meeting]').replace(/I: @reasons[^\n]*\nR: Because. #benefit\n/, '');
    assert.deepEqual(diags(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`, 'sw01.transcript'), [
      "2:1 warning missing-section: No question of section 'meeting' (The meeting) was asked: 2 expected questions (reasons, whose-idea) have no marker.",
      "5:11 error unknown-question: 'meeting' is listed as skipped, but it names a section of guide 'ppp', not a question: list the section's questions instead (reasons, whose-idea).",
    ]);
  });

  it('names at most three questions of a section, leaving out follow-ups and retired questions', () => {
    const guide = GUIDE.replace('      - id: job-title\n        text: Your job title?\n', '      - id: job-title\n        text: Your job title?\n        retired: true\n')
      .replace('      - id: experience\n', '      - id: team\n        text: Your team?\n      - id: post\n        text: Your post?\n        optional: true\n      - id: experience\n');
    const t = COMPLETE.replace('I: @job-title', 'I: @background @team @post');
    assert.deepEqual(diags(guide + CODEBOOK + `//- /sw01.transcript\n${t}`, 'sw01.transcript'), [
      "6:4 error section-marker: '@background' names the section 'background' (Background), not a question: mark one of its questions, such as '@team', '@post' or '@experience'.",
    ]);
  });

  it('warns on the `{` of a span that opens in one answer and closes in another: a `}` forgotten, and a later one', () => {
    const t = COMPLETE.replace('R: Many.', 'R: {Many, and\nI: tell me more.').replace('R: Because. #benefit', 'R: Because}#benefit');
    assert.deepEqual(diags(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`, 'sw01.transcript'), [
      "9:4 warning span-crosses-question: This span opens in the answer to '@experience' and closes in the answer to '@reasons' (line 12), so it codes across the question '@reasons' (line 11). Is a `}` missing before line 11?",
    ]);
  });

  it('warns on a span that opens before a marker of its paragraph: its passage would count for the question before', () => {
    const t = COMPLETE.replace('I: @reasons Why? @whose-idea\nR: Because. #benefit', '{I: @reasons Why? @whose-idea\nR: Because.}#benefit');
    assert.deepEqual(diags(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`, 'sw01.transcript'), [
      "10:1 warning span-crosses-question: This span starts before the marker '@reasons' in its paragraph, so the passage it codes counts as said in the answer to '@experience', not in the answer to '@reasons'. Put the `{` after '@reasons'.",
    ]);
    const first = '---\nguide: ppp\nrole: swr\nskipped: [job-title, experience, how-often, whose-idea]\n---\n{Hello. @reasons Why?}#benefit\n';
    assert.deepEqual(diags(GUIDE + CODEBOOK + `//- /sw01.transcript\n${first}`, 'sw01.transcript'), [
      "6:1 warning span-crosses-question: This span starts before the marker '@reasons' in its paragraph, so the passage it codes counts as said before the first question marker, not in the answer to '@reasons'. Put the `{` after '@reasons'.",
    ]);
  });

  it('names the marker that starts the next answer when a span opens between markers of one paragraph', () => {
    const t = COMPLETE.replace('I: @experience And PPMs? @how-often\nR: Many.', 'I: @experience {And PPMs? @how-often\nR: Many.').replace('R: Because. #benefit', 'R: Because.}#benefit');
    assert.deepEqual(codes(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`, 'sw01.transcript'), ['8:16 span-crosses-question']);
    assert.match(diags(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`, 'sw01.transcript')[0], /opens in the answer to '@experience' and closes in the answer to '@reasons' \(line 11\), so it codes across the question '@reasons' \(line 10\)/);
  });

  it('lets a span run over the markers of one paragraph, which share one answer, and checks spans whatever the guide', () => {
    // @reasons and @whose-idea stand in one paragraph: one answer region.
    const shared = COMPLETE.replace('I: @reasons Why? @whose-idea', 'I: @reasons {Why? @whose-idea}#benefit');
    assert.deepEqual(codes(GUIDE + CODEBOOK + `//- /sw01.transcript\n${shared}`, 'sw01.transcript'), []);
    const unknownGuide = `${COMPLETE.replace('guide: ppp', 'guide: nope').replace('R: Many.', 'R: {Many.')}`.replace('R: Because. #benefit', 'R: Because.}#benefit');
    assert.deepEqual(codes(GUIDE + CODEBOOK + `//- /sw01.transcript\n${unknownGuide}`, 'sw01.transcript'), ['2:8 unknown-guide', '9:4 span-crosses-question']);
  });

  it('flags unknown, deprecated and wrongly cased codes on the whole token', () => {
    const t = `${COMPLETE}R: {More}#benefit/famly #lawyer-role #Benefit/family\n`;
    assert.deepEqual(diags(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`, 'sw01.transcript'), [
      "12:10 warning unknown-code: The code '#benefit/famly' is not in any codebook. Did you mean `#benefit/family`?",
      "12:25 warning deprecated-code: The code '#lawyer-role' is deprecated: use '#benefit/family' instead.",
      "12:38 warning case-mismatch: The code '#Benefit/family' is not in the codebook as written; codes are case-sensitive. Did you mean `#benefit/family`?",
    ]);
    const { study } = fixture(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`);
    const unknown = diagnose(study, 'sw01.transcript').find((d) => d.code === 'unknown-code')!;
    assert.equal(unknown.range.end.character - unknown.range.start.character, '#benefit/famly'.length);
  });

  it('flags a question ID written in the wrong case instead of calling it unknown', () => {
    const t = COMPLETE.replace('@reasons', '@Reasons');
    assert.deepEqual(codes(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`, 'sw01.transcript'), ['2:1 unasked-question', '10:4 case-mismatch']);
  });

  it('reports markup errors where they stand', () => {
    const t = `${COMPLETE}R: closed } here\nR: {no code} here\nR: { }#benefit\nR: %% memo never closed\nR: {open and never closed #benefit\n`;
    assert.deepEqual(codes(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`, 'sw01.transcript'), [
      '12:11 unmatched-brace', '13:12 span-without-code', '14:4 empty-span', '15:4 unclosed-memo', '16:4 unclosed-span',
    ]);
  });

  it('asks for a guide when the study has several and the transcript names none', () => {
    const second = '//- /other.guide.yaml\nid: other\ntitle: Other\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: q\n        text: Q?\n';
    const out = diags(GUIDE + second + CODEBOOK + '//- /x.transcript\nI: @nonsense #benefit\n', 'x.transcript');
    assert.deepEqual(out, ["1:1 error missing-guide: This transcript names no guide, and the study has 2 guides: add `guide:` to the front matter (other, ppp)."]);
  });

  it('uses the only guide when the transcript names none', () => {
    assert.deepEqual(codes(GUIDE + CODEBOOK + `//- /sw01.transcript\n${COMPLETE.replace('guide: ppp\n', '')}`, 'sw01.transcript'), []);
  });

  it('flags an unknown guide and then checks no markers, but still checks codes', () => {
    const t = COMPLETE.replace('guide: ppp', 'guide: pp').replace('#benefit\n', '#nope\n');
    assert.deepEqual(diags(GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`, 'sw01.transcript'), [
      "2:8 error unknown-guide: There is no guide 'pp' in this study. Did you mean `ppp`?",
      "11:13 warning unknown-code: The code '#nope' is not in any codebook.",
    ]);
  });

  it('flags a role the guide does not have, and a missing role when the guide declares roles', () => {
    assert.deepEqual(codes(GUIDE + CODEBOOK + `//- /sw01.transcript\n${COMPLETE.replace('role: swr', 'role: parent')}`, 'sw01.transcript'), ['4:7 unknown-role']);
    assert.deepEqual(codes(GUIDE + CODEBOOK + `//- /sw01.transcript\n${COMPLETE.replace('role: swr\n', '')}`, 'sw01.transcript'), ['1:1 unknown-role']);
  });

  it('flags front matter that is not valid YAML or not a mapping', () => {
    assert.deepEqual(codes(GUIDE + '//- /x.transcript\n---\nguide: [ppp\n---\nI: hi\n', 'x.transcript').filter((c) => c.includes('invalid-front-matter')).length > 0, true);
    assert.ok(codes(GUIDE + '//- /x.transcript\n---\n- just\n- a list\n---\nI: hi\n', 'x.transcript').includes('2:1 invalid-front-matter'));
    assert.deepEqual(codes(GUIDE + '//- /x.transcript\n---\nguide: ppp\nI: never closed\n', 'x.transcript').slice(0, 1), ['1:1 invalid-front-matter']);
  });

  it('applies severity overrides and turns codes off', () => {
    const t = `${COMPLETE}R: #nope\n`;
    const text = GUIDE + CODEBOOK + `//- /sw01.transcript\n${t}`;
    assert.deepEqual(diags(text, 'sw01.transcript', { 'unknown-code': 'error' }).map((d) => d.split(':')[0] + d.split(' ')[1]), ['12error']);
    assert.deepEqual(diags(text, 'sw01.transcript', { 'unknown-code': 'off' }), []);
    assert.deepEqual(diags(text, 'sw01.transcript', { 'unknown-code': 'loud' as never }).length, 1);
  });
});

describe('guide and codebook diagnostics', () => {
  it('flags a guide ID used twice on the later guide in path order', () => {
    const other = GUIDE.replace('//- /ppp.guide.yaml', '//- /z-copy.guide.yaml');
    assert.deepEqual(codes(GUIDE + other, 'z-copy.guide.yaml'), ['1:5 duplicate-id']);
    assert.deepEqual(codes(GUIDE + other, 'ppp.guide.yaml'), []);
  });

  it('flags a code path defined in two codebooks on the later one', () => {
    const more = '//- /zz-more.codebook.yaml\ncodes:\n  - id: benefit\n    label: Again\n';
    const out = diags(GUIDE + CODEBOOK + more, 'zz-more.codebook.yaml');
    assert.deepEqual(out, ["2:9 error duplicate-id: The code 'benefit' is already defined in themes.codebook.yaml; uses of it follow that definition."]);
    assert.deepEqual(codes(GUIDE + CODEBOOK + more, 'themes.codebook.yaml'), []);
  });

  it('flags codebook links to questions no guide has, and replacements that are no code', () => {
    const cb = CODEBOOK.replace('questions: [reasons]', 'questions: [reasons, reason-why]').replace('replacedBy: benefit/family', 'replacedBy: benefit/famly');
    assert.deepEqual(diags(GUIDE + cb, 'themes.codebook.yaml'), [
      "4:26 warning unknown-question-ref: No guide of this study has a question 'reason-why'.",
      "11:17 error unknown-replacement: 'benefit/famly' (the replacement of 'lawyer-role') is not a code of this study. Did you mean `benefit/family`?",
    ]);
  });

  it('reports YAML syntax errors in a guide without failing', () => {
    const out = codes('//- /bad.guide.yaml\nid: bad\nsections: [\n', 'bad.guide.yaml');
    assert.ok(out.some((c) => c.endsWith('yaml-syntax')), out.join('\n'));
  });
});

describe('every diagnostic code', () => {
  const guideWith = (body: string): string => `//- /ppp.guide.yaml\n${body}`;
  /** One small study per code that makes exactly that code fire in the named file. */
  const cases: Record<string, [string, string]> = {
    'unknown-question': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE}I: @nope\n`, 't.transcript'],
    'unasked-question': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE.replace(' @whose-idea', '')}`, 't.transcript'],
    'missing-section': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE.replace('role: swr', 'role: tm')}`, 't.transcript'],
    'duplicate-question': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE}I: @reasons\n`, 't.transcript'],
    'role-mismatch': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE}I: @managing\n`, 't.transcript'],
    'skipped-but-asked': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE.replace('role: swr', 'role: swr\nskipped: [reasons]')}`, 't.transcript'],
    'unknown-code': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE}R: #nope\n`, 't.transcript'],
    'deprecated-code': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE}R: #lawyer-role\n`, 't.transcript'],
    'case-mismatch': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE}R: #BENEFIT\n`, 't.transcript'],
    'unclosed-span': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE}R: {never closed\n`, 't.transcript'],
    'unmatched-brace': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE}R: stray }\n`, 't.transcript'],
    'span-without-code': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE}R: {no code} here\n`, 't.transcript'],
    'empty-span': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE}R: {  }#benefit\n`, 't.transcript'],
    'span-crosses-question': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE.replace('R: Many.', 'R: {Many.').replace('R: Because. #benefit', 'R: Because.}#benefit')}`, 't.transcript'],
    'duplicate-participant': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE}//- /coder-b/t.transcript\n${COMPLETE}`, 't.transcript'],
    'section-marker': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE}I: @meeting\n`, 't.transcript'],
    'unclosed-memo': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE}R: %% open\n`, 't.transcript'],
    'missing-guide': [GUIDE + guideWith('id: other\ntitle: O\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: q\n        text: Q?\n').replace('/ppp.guide.yaml\nid: other', '/other.guide.yaml\nid: other') + '//- /t.transcript\nhello\n', 't.transcript'],
    'unknown-guide': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE.replace('guide: ppp', 'guide: nope')}`, 't.transcript'],
    'unknown-role': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE.replace('role: swr', 'role: judge')}`, 't.transcript'],
    'invalid-front-matter': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE.replace('participant: SW01', 'participant: [SW01')}`, 't.transcript'],
    'yaml-syntax': [guideWith('id: ppp\ntitle: [\n'), 'ppp.guide.yaml'],
    'schema': [GUIDE.replace('        text: Whose idea?\n', ''), 'ppp.guide.yaml'],
    'duplicate-id': [GUIDE.replace('id: whose-idea', 'id: reasons'), 'ppp.guide.yaml'],
    'invalid-id': [GUIDE.replace('id: whose-idea', 'id: whose idea'), 'ppp.guide.yaml'],
    'unknown-question-ref': [GUIDE + CODEBOOK.replace('questions: [reasons]', 'questions: [nope]'), 'themes.codebook.yaml'],
    'unknown-replacement': [GUIDE + CODEBOOK.replace('replacedBy: benefit/family', 'replacedBy: nope'), 'themes.codebook.yaml'],
    'identifying-name': [GUIDE + CODEBOOK + `//- /names.private.yaml\nKai Brennan: Sam Jones\n//- /t.transcript\n${COMPLETE}R: Kai called.\n`, 't.transcript'],
    'identifying-detail': [GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE}R: Ring 07700 900123.\n`, 't.transcript'],
  };

  it('has a case for every code in the table that a text can produce (test/lsp/reading.test.ts shows unreadable files)', () => {
    assert.deepEqual(Object.keys(cases).sort(), Object.keys(DIAGNOSTIC_CODES).filter((c) => !FILE_CODES.has(c as DiagnosticCode)).sort());
    assert.deepEqual([...FILE_CODES], ['unreadable-file', 'invalid-names-list']);
  });

  it('can be set in VS Code\'s settings: the extension lists every code under transcriptCoder.diagnostics.severity', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { properties: Record<string, { description: string }> }> } };
    };
    const listed = manifest.contributes.configuration.properties['transcriptCoder.diagnostics.severity'].properties;
    assert.deepEqual(Object.keys(listed).sort(), Object.keys(DIAGNOSTIC_CODES).sort());
    for (const [code, { severity }] of Object.entries(DIAGNOSTIC_CODES)) assert.match(listed[code].description, new RegExp(`Default: ${severity}\\.$`), code);
  });

  for (const [code, [text, file]] of Object.entries(cases)) {
    it(`reports ${code} with its default severity, and nothing when that code is turned off`, () => {
      const { study } = fixture(text);
      const found = diagnose(study, file).filter((d) => d.code === code);
      assert.ok(found.length > 0, `${code} did not fire: ${diagnose(study, file).map((d) => d.code).join(', ')}`);
      for (const d of found) {
        assert.equal(d.severity, DIAGNOSTIC_CODES[code as keyof typeof DIAGNOSTIC_CODES].severity);
        assert.ok(d.message.length > 10);
      }
      assert.deepEqual(diagnose(study, file, { [code]: 'off' }).filter((d) => d.code === code), []);
      // The clean study stays silent for this code.
      const clean = fixture(GUIDE + CODEBOOK + `//- /t.transcript\n${COMPLETE}`).study;
      assert.deepEqual(clean.documents().flatMap((doc) => diagnose(clean, doc.uri)).filter((d) => d.code === code), []);
    });
  }
});

describe('deprecated codes', () => {
  it('does not recommend a replacement that is no code', () => {
    const cb = CODEBOOK.replace('replacedBy: benefit/family', 'replacedBy: nothing/here');
    const { study } = fixture(GUIDE + cb + `//- /t.transcript\n${COMPLETE}R: #lawyer-role\n`);
    const d = diagnose(study, 't.transcript').find((x) => x.code === 'deprecated-code')!;
    assert.equal(d.message, "The code '#lawyer-role' is deprecated (its replacement '#nothing/here' is not in the codebook).");
    assert.equal(d.data?.replacedBy, undefined);
  });
});

describe('duplicate participants', () => {
  const TWO_GUIDES = `${GUIDE}//- /parents.guide.yaml\nid: parents\ntitle: Parents\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: q\n        text: Q?\n${CODEBOOK}`;

  it('warns on the participant value of both transcripts, naming the other file and pointing at it', () => {
    const text = TWO_GUIDES + `//- /a/sw01.transcript\n${COMPLETE}//- /b/sw01-coded.transcript\n${COMPLETE.replace('participant: SW01', 'participant: " SW01 "')}`;
    const { study } = fixture(text);
    const a = diagnose(study, 'a/sw01.transcript').filter((d) => d.code === 'duplicate-participant');
    assert.deepEqual(a.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.character} ${d.message}`), [
      "2:13-17 The participant 'SW01' is also the participant of b/sw01-coded.transcript (guide 'ppp'), so reports count this person twice. If it is another coder's copy of the same interview, keep each coder's copies in a separate copy of the study and compare them with Compare Coders; otherwise give each transcript its own participant label.",
    ]);
    assert.deepEqual(a[0].related?.map((r) => `${r.uri} ${r.range.start.line}:${r.range.start.character} ${r.message}`), ['b/sw01-coded.transcript 2:14 also participant \'SW01\'']);
    const b = diagnose(study, 'b/sw01-coded.transcript').filter((d) => d.code === 'duplicate-participant');
    assert.match(b[0].message, /^The participant 'SW01' is also the participant of a\/sw01\.transcript /);
  });

  it('says nothing when the two transcripts follow different guides, or name different participants', () => {
    const other = '---\nguide: parents\nparticipant: SW01\n---\nI: @q Q?\n';
    const { study } = fixture(TWO_GUIDES + `//- /sw01.transcript\n${COMPLETE}//- /parent.transcript\n${other}//- /sw02.transcript\n${COMPLETE.replace('SW01', 'sw01')}`);
    for (const doc of study.transcripts()) assert.deepEqual(diagnose(study, doc.uri).filter((d) => d.code === 'duplicate-participant'), [], doc.uri);
  });

  it('counts a transcript without participant under its file name, and says so on its first line', () => {
    const noParticipant = COMPLETE.replace('participant: SW01\n', '');
    const { study } = fixture(TWO_GUIDES + `//- /coder-a/SW01.transcript\n${noParticipant}//- /coder-b/SW01.transcript\n${noParticipant}//- /third.transcript\n${COMPLETE}`);
    const d = diagnose(study, 'coder-a/SW01.transcript').filter((x) => x.code === 'duplicate-participant');
    assert.equal(d.length, 1);
    assert.deepEqual(d[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } });
    assert.match(d[0].message, /^This transcript has no `participant:`, so its participant is its file name 'SW01', which is also the participant of coder-b\/SW01\.transcript and 1 other transcript \(guide 'ppp'\)/);
    assert.equal(d[0].related?.length, 2);
  });

  it('takes the transcript that names no guide as following the study\'s only guide', () => {
    const { study } = fixture(GUIDE + CODEBOOK + `//- /a.transcript\n${COMPLETE}//- /b.transcript\n${COMPLETE.replace('guide: ppp\n', '')}`);
    assert.deepEqual(diagnose(study, 'b.transcript').filter((x) => x.code === 'duplicate-participant').map((x) => x.range.start.line), [1]);
  });

  it('follows edits: a participant renamed in one file clears the warning in the other', () => {
    const { study } = fixture(GUIDE + CODEBOOK + `//- /a.transcript\n${COMPLETE}//- /b.transcript\n${COMPLETE}`);
    assert.equal(diagnose(study, 'b.transcript').filter((x) => x.code === 'duplicate-participant').length, 1);
    const renamed = study.withDocument('a.transcript', 'a.transcript', COMPLETE.replace('SW01', 'SW02'));
    assert.equal(diagnose(renamed, 'b.transcript').filter((x) => x.code === 'duplicate-participant').length, 0);
    const back = renamed.withDocument('a.transcript', 'a.transcript', COMPLETE);
    assert.equal(diagnose(back, 'b.transcript').filter((x) => x.code === 'duplicate-participant').length, 1);
  });
});
