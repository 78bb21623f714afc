/**
 * The transcript scanner (SPEC §4, §5 for the problems it reports itself).
 *
 * Most tests parse a small fixture and compare a readable rendering of the
 * model with the lines a person would write down when reading the fixture:
 *
 *   markers     `@reasons 2:4-2:12`             (token range)
 *   codes       `#aim/warning span "We wanted…"` (target and the excerpt of its segment)
 *   spans       `{} 1:5-1:20 "inner excerpt" #a #b`, or `{ 1:5 unclosed`
 *   memos       `%% 1:5-1:20 ¶0 "%% the memo %%"`   (¶ = index of the paragraph it is attached to)
 *   paragraphs  `¶ 1:1-2:7 "excerpt"`
 *   turns       `I 3:1`
 *   problems    `1:5 unclosed-span "{"`          (start position, code, the text it covers)
 *
 * Quoted text is shown as written, with each line break shown as ⏎.
 * Positions are 1-based `line:column`, as an editor's status bar shows them,
 * with columns counted in UTF-16 units (LSP positions are these minus one).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { excerptOf, excerptsOf, parseTranscript } from '../../server/src/core/transcript';
import type { TranscriptModel } from '../../server/src/core/model';
import { codePointLength, toCodePointOffset } from '../../server/src/core/text';

// ---------------------------------------------------------------- helpers

/** A fixture written as one string per line. */
const doc = (...lines: string[]): string => lines.join('\n');

interface Parsed {
  text: string;
  model: TranscriptModel;
}

const parse = (text: string): Parsed => ({ text, model: parseTranscript(text) });

/** Quotes text for a rendered line: as written, except that each line break (`\n`, `\r\n` or `\r`) is shown as ⏎. */
const q = (s: string): string => `"${s.replace(/\r\n|\r|\n/g, '⏎')}"`;

function pos(model: TranscriptModel, offset: number): string {
  const p = model.lines.positionAt(offset);
  return `${p.line + 1}:${p.character + 1}`;
}

const rng = (model: TranscriptModel, start: number, end: number): string => `${pos(model, start)}-${pos(model, end)}`;

const excerpt = ({ text, model }: Parsed, start: number, end: number): string => excerptOf(text, model, start, end);

function markers(p: Parsed): string[] {
  return p.model.markers.map((m) => `@${m.id} ${rng(p.model, m.start, m.end)}`);
}

function codes(p: Parsed): string[] {
  return p.model.codes.map((c) => `#${c.path} ${c.target} ${q(excerpt(p, c.segStart, c.segEnd))}`);
}

function spans(p: Parsed): string[] {
  return p.model.spans.map((s) => s.close < 0
    ? `{ ${pos(p.model, s.open)} unclosed`
    : [`{} ${rng(p.model, s.open, s.close + 1)} ${q(excerpt(p, s.open + 1, s.close))}`, ...s.codes.map((i) => `#${p.model.codes[i].path}`)].join(' '));
}

function memos(p: Parsed): string[] {
  return p.model.memos.map((m) => `%% ${rng(p.model, m.start, m.end)} ¶${m.paragraph}${m.closed ? '' : ' unclosed'} ${q(p.text.slice(m.start, m.end))}`);
}

function paragraphs(p: Parsed): string[] {
  return p.model.paragraphs.map((r) => `¶ ${rng(p.model, r.start, r.end)} ${q(excerpt(p, r.start, r.end))}`);
}

function turns(p: Parsed): string[] {
  return p.model.turns.map((t) => `${t.label} ${pos(p.model, t.start)}`);
}

function problems(p: Parsed): string[] {
  return p.model.problems.map((pr) => `${pos(p.model, pr.start)} ${pr.code} ${q(p.text.slice(pr.start, pr.end))}`);
}

/** Everything the scanner found in the body, in one list. */
function render(p: Parsed): string[] {
  return [...turns(p), ...paragraphs(p), ...markers(p), ...codes(p), ...spans(p), ...memos(p), ...problems(p)];
}

/** The front matter's located values, each with the text its range covers. */
function frontMatter({ text, model }: Parsed): string[] {
  const fm = model.frontMatter;
  if (!fm) return [];
  const out: string[] = [];
  const at = (s: number, e: number): string => q(text.slice(s, e));
  if (fm.guide) out.push(`guide ${fm.guide.value} ${at(fm.guide.start, fm.guide.end)}`);
  if (fm.guideLine) out.push(`guide line ${at(fm.guideLine.start, fm.guideLine.end)}`);
  if (fm.role) out.push(`role ${fm.role.value} ${at(fm.role.start, fm.role.end)}`);
  if (fm.participant) out.push(`participant ${fm.participant.value} ${at(fm.participant.start, fm.participant.end)}`);
  if (fm.skippedForm !== 'none') out.push(`skipped (${fm.skippedForm})`);
  for (const s of fm.skipped) out.push(`skipped ${s.id}${s.reason === undefined ? '' : ` = ${q(s.reason)}`} ${at(s.start, s.end)}`);
  if (fm.speakers) out.push(`speakers ${fm.speakers.join(', ')}`);
  for (const a of fm.attributes) out.push(`attribute ${a.key} = ${q(a.value)} ${at(a.start, a.end)}`);
  return out;
}

// ---------------------------------------------------------------- the SPEC example

const SPEC_EXAMPLE = doc(
  '---',
  'guide: ppp-general',
  'participant: SW07',
  'role: swr',
  'date: 2011-05-12',
  'site: Borough A',
  'skipped:',
  '  whose-idea: answered under reasons',
  '---',
  '',
  "I: @job-title Could you start with your job title and how long you've been in post?",
  "R: I'm a senior practitioner, about four years now. {Before that I was in the",
  'assessment team for six years}#career/history #experience',
  '',
  'I: @reasons What were the reasons for doing the PPM?',
  'R: Mum kept missing appointments. {We wanted her to see how serious it was}#aim/warning',
  '%% Compare with SW03, who describes the same aim as "a last chance". %%',
  '#reasons/non-engagement',
);

describe('the SPEC §4 example', () => {
  it('reads as the SPEC describes it', () => {
    const p = parse(SPEC_EXAMPLE);
    assert.deepEqual(frontMatter(p), [
      'guide ppp-general "ppp-general"',
      'guide line "guide: ppp-general"',
      'role swr "swr"',
      'participant SW07 "SW07"',
      'skipped (map)',
      'skipped whose-idea = "answered under reasons" "whose-idea"',
      'attribute date = "2011-05-12" "2011-05-12"',
      'attribute site = "Borough A" "Borough A"',
    ]);
    assert.deepEqual(render(p), [
      'I 11:1',
      'R 12:1',
      'I 15:1',
      'R 16:1',
      '¶ 11:1-11:84 "I: Could you start with your job title and how long you\'ve been in post?"',
      '¶ 12:1-13:58 "R: I\'m a senior practitioner, about four years now. Before that I was in the⏎assessment team for six years"',
      '¶ 15:1-15:53 "I: What were the reasons for doing the PPM?"',
      '¶ 16:1-18:24 "R: Mum kept missing appointments. We wanted her to see how serious it was"',
      '@job-title 11:4-11:14',
      '@reasons 15:4-15:12',
      '#career/history span "Before that I was in the⏎assessment team for six years"',
      '#experience span "Before that I was in the⏎assessment team for six years"',
      '#aim/warning span "We wanted her to see how serious it was"',
      '#reasons/non-engagement paragraph "R: Mum kept missing appointments. We wanted her to see how serious it was"',
      '{} 12:53-13:31 "Before that I was in the⏎assessment team for six years" #career/history #experience',
      '{} 16:35-16:76 "We wanted her to see how serious it was" #aim/warning',
      '%% 17:1-17:72 ¶3 "%% Compare with SW03, who describes the same aim as "a last chance". %%"',
    ]);
    assert.equal(p.text.slice(p.model.bodyStart, p.model.bodyStart + 4), '\nI: ');
  });
});

// ---------------------------------------------------------------- front matter

describe('front matter', () => {
  it('a skipped list gives IDs without reasons, each located on the ID as written (inside quotes)', () => {
    const p = parse(doc('---', 'guide: g', 'skipped: [whose-idea, "Q3.2"]', '---', 'I: hi'));
    assert.deepEqual(frontMatter(p), [
      'guide g "g"',
      'guide line "guide: g"',
      'skipped (list)',
      'skipped whose-idea "whose-idea"',
      'skipped Q3.2 "Q3.2"',
    ]);
    assert.deepEqual(problems(p), []);
  });

  it('a skipped block list reads like a flow list', () => {
    const p = parse(doc('---', 'skipped:', '  - a', "  - 'b'", '---'));
    assert.deepEqual(frontMatter(p), ['skipped (list)', 'skipped a "a"', 'skipped b "b"']);
  });

  it('a skipped map gives each ID its reason, and an ID with no reason has none', () => {
    const p = parse(doc('---', 'skipped:', '  whose-idea: answered under reasons', '  outcome:', '---'));
    assert.deepEqual(frontMatter(p), [
      'skipped (map)',
      'skipped whose-idea = "answered under reasons" "whose-idea"',
      'skipped outcome "outcome"',
    ]);
    assert.deepEqual(p.model.frontMatter?.skippedKey && p.text.slice(p.model.frontMatter.skippedKey.start, p.model.frontMatter.skippedKey.end), 'skipped');
  });

  it('a single skipped ID written without a list is read as a list of one', () => {
    const p = parse(doc('---', 'skipped: whose-idea', '---'));
    assert.deepEqual(frontMatter(p), ['skipped (list)', 'skipped whose-idea "whose-idea"']);
  });

  it('speakers is read as a list of labels', () => {
    const p = parse(doc('---', 'speakers: [I, R, "Dr. Ng"]', '---'));
    assert.deepEqual(p.model.frontMatter?.speakers, ['I', 'R', 'Dr. Ng']);
  });

  it('case attributes are kept as text exactly as written: dates, leading zeros, yes/true, decimals', () => {
    const p = parse(doc('---', 'date: 2011-05-12', 'age: 042', 'consent: yes', 'recorded: true', 'hours: 1.50', 'site: "Borough A"', 'note:', '---'));
    assert.deepEqual(frontMatter(p), [
      'attribute date = "2011-05-12" "2011-05-12"',
      'attribute age = "042" "042"',
      'attribute consent = "yes" "yes"',
      'attribute recorded = "true" "true"',
      'attribute hours = "1.50" "1.50"',
      'attribute site = "Borough A" ""Borough A""',
      'attribute note = "" ""',
    ]);
    assert.deepEqual(problems(p), []);
  });

  it('case attributes keep their YAML type: lists stay lists, decimal numbers and booleans keep theirs, dates stay text', () => {
    const typed = (...lines: string[]): Record<string, unknown> =>
      Object.fromEntries((parse(doc('---', ...lines, '---')).model.frontMatter?.attributes ?? []).map((a) => [a.key, a.typed]));
    const plain = ['date: 2011-05-12', 'years: 12', 'hours: 2.50', 'big: -3.5e2', 'age: 042', 'hex: 0x1F', 'consent: True', 'note: yes'];
    const expected = { date: '2011-05-12', years: 12, hours: 2.5, big: -350, age: '042', hex: '0x1F', consent: true, note: 'yes' };
    assert.deepEqual(typed(...plain), expected);
    // The same lines read by the YAML parser (a comment line forces it) give the same values.
    assert.deepEqual(typed(...plain, '# a comment'), expected);
    assert.deepEqual(typed('coders: [PO, AM]', 'waves:', '  - 1', '  - "2"', 'site: "12"'), { coders: ['PO', 'AM'], waves: [1, '2'], site: '12' });
  });

  it('guide, role and participant give their values located on the text', () => {
    const p = parse(doc('---', 'guide: "ppp-general"   # the general guide', 'role: tm', 'participant: TM02', '---'));
    assert.deepEqual(frontMatter(p), [
      'guide ppp-general "ppp-general"',
      'guide line "guide: "ppp-general"   # the general guide"',
      'role tm "tm"',
      'participant TM02 "TM02"',
    ]);
  });

  it('the body starts on the line after the closing ---, and the front matter is not body text', () => {
    const p = parse(doc('---', 'note: asked @Q1 (#x) at home', '---', 'I: @Q2 hi'));
    assert.deepEqual(render(p), ['I 4:1', '¶ 4:1-4:10 "I: hi"', '@Q2 4:4-4:7']);
    assert.equal(p.model.bodyStart, p.text.indexOf('I:'));
    assert.deepEqual(frontMatter(p), ['attribute note = "asked @Q1 (#x) at home" "asked @Q1 (#x) at home"']);
  });

  it('a closing --- may carry trailing spaces, and an empty front matter is no problem', () => {
    const p = parse(doc('---', '---  ', 'I: hi'));
    assert.ok(p.model.frontMatter);
    assert.deepEqual(problems(p), []);
    assert.deepEqual(turns(p), ['I 3:1']);
  });

  it('a first line --- with no closing --- is invalid-front-matter on line 0, and the file is read as body', () => {
    const p = parse(doc('---', 'guide: g', '', 'I: @Q1 hi #a'));
    assert.equal(p.model.frontMatter, undefined);
    assert.equal(p.model.bodyStart, 0);
    assert.deepEqual(problems(p), ['1:1 invalid-front-matter "---"']);
    // Read as body: `guide: g` even looks like a speaker turn, so it starts a paragraph of its own.
    assert.deepEqual(render(p), [
      'guide 2:1',
      'I 4:1',
      '¶ 1:1-1:4 "---"',
      '¶ 2:1-2:9 "guide: g"',
      '¶ 4:1-4:13 "I: hi"',
      '@Q1 4:4-4:7',
      '#a paragraph "I: hi"',
      '1:1 invalid-front-matter "---"',
    ]);
  });

  it('front matter must open on the very first line', () => {
    const p = parse(doc('', '---', 'guide: g', '---'));
    assert.equal(p.model.frontMatter, undefined);
    assert.deepEqual(problems(p), []);
  });

  it('front matter that is not valid YAML is invalid-front-matter at the error, and the body still parses', () => {
    const p = parse(doc('---', 'guide: g', 'role: [swr', '---', 'I: @Q1 hi'));
    assert.ok(p.model.problems.some((pr) => /not valid YAML/.test(pr.message)));
    for (const pr of p.model.problems) {
      assert.equal(pr.code, 'invalid-front-matter');
      assert.ok(pr.start >= p.model.frontMatter!.yamlStart && pr.end <= p.model.frontMatter!.end, `${pr.start}-${pr.end}`);
    }
    assert.deepEqual(markers(p), ['@Q1 5:4-5:7']);
    assert.deepEqual(turns(p), ['I 5:1']);
  });

  it('a duplicated key is invalid YAML', () => {
    const p = parse(doc('---', 'guide: a', 'guide: b', '---'));
    assert.deepEqual(p.model.problems.map((pr) => pr.code), ['invalid-front-matter']);
  });

  it('front matter that is a list, not a map, is invalid-front-matter over the YAML', () => {
    const p = parse(doc('---', '- guide', '- g', '---', 'I: hi'));
    assert.deepEqual(problems(p), ['2:1 invalid-front-matter "- guide⏎- g⏎"']);
    assert.deepEqual(turns(p), ['I 5:1']);
  });

  it('front matter that is a lone scalar is invalid-front-matter too', () => {
    const p = parse(doc('---', 'just some words', '---'));
    assert.deepEqual(p.model.problems.map((pr) => pr.code), ['invalid-front-matter']);
  });

  it('guide, role or participant with a list value is invalid-front-matter on the value', () => {
    const p = parse(doc('---', 'guide: [a, b]', 'role: {x: 1}', '---'));
    assert.deepEqual(problems(p), ['2:8 invalid-front-matter "[a, b]"', '3:7 invalid-front-matter "{x: 1}"']);
    assert.equal(p.model.frontMatter?.guide, undefined);
    assert.ok(p.model.frontMatter?.guideLine);
  });

  it('speakers that is not a list is invalid-front-matter on the value', () => {
    const p = parse(doc('---', 'speakers: I', '---'));
    assert.deepEqual(problems(p), ['2:11 invalid-front-matter "I"']);
    assert.equal(p.model.frontMatter?.speakers, undefined);
  });
});

// ---------------------------------------------------------------- speaker turns

describe('speaker turns', () => {
  it('I:, R:, SW07:, Interviewer: and Dr. Ng: start turns, labelled without the colon', () => {
    const p = parse(doc('I: a', 'R: b', 'SW07: c', 'Interviewer: d', 'Dr. Ng: e', 'team_lead-2: f', 'Sozialarbeiterin: g'));
    assert.deepEqual(turns(p), ['I 1:1', 'R 2:1', 'SW07 3:1', 'Interviewer 4:1', 'Dr. Ng 5:1', 'team_lead-2 6:1', 'Sozialarbeiterin 7:1']);
    for (const t of p.model.turns) assert.equal(p.text.slice(t.start, t.end), t.label);
  });

  it('a tab after the colon also starts a turn', () => {
    assert.deepEqual(turns(parse('R:\tyes')), ['R 1:1']);
  });

  it('a label of 32 characters starts a turn, one of 33 does not', () => {
    const l32 = 'A'.repeat(32);
    const l33 = 'B'.repeat(33);
    assert.deepEqual(turns(parse(doc(`${l32}: yes`, `${l33}: no`))), [`${l32} 1:1`]);
  });

  it('an indented line is not a turn', () => {
    assert.deepEqual(turns(parse(doc(' I: indented', '\tR: tabbed'))), []);
  });

  it('a colon not followed by a space is no turn: `Note:x`, `12:30`, and `I:` alone at the end of a line', () => {
    assert.deepEqual(turns(parse(doc('Note:x', '12:30 we met', 'I:', 'R (laughing): no'))), []);
  });

  it('without speakers any label starts a turn, so `Mum said: no` is one', () => {
    assert.deepEqual(turns(parse(doc('I: what happened?', 'Mum said: no'))), ['I 1:1', 'Mum said 2:1']);
  });

  it('with speakers only the listed labels start turns, so `Mum said: no` is not one', () => {
    const p = parse(doc('---', 'speakers: [I, R]', '---', 'I: what happened?', 'R: well.', 'Mum said: no', 'SW07: hi'));
    assert.deepEqual(turns(p), ['I 4:1', 'R 5:1']);
    assert.deepEqual(paragraphs(p), ['¶ 4:1-4:18 "I: what happened?"', '¶ 5:1-7:9 "R: well.⏎Mum said: no⏎SW07: hi"']);
  });

  it('a turn line starts a new paragraph even without a blank line', () => {
    const p = parse(doc('I: @Q1 question #a', 'R: answer', 'more answer #b'));
    assert.deepEqual(paragraphs(p), ['¶ 1:1-1:19 "I: question"', '¶ 2:1-3:15 "R: answer⏎more answer"']);
    assert.deepEqual(codes(p), ['#a paragraph "I: question"', '#b paragraph "R: answer⏎more answer"']);
  });

  it('a turn may follow an opening front matter directly', () => {
    assert.deepEqual(turns(parse(doc('---', 'guide: g', '---', 'I: hi'))), ['I 4:1']);
  });
});

// ---------------------------------------------------------------- paragraphs

describe('paragraphs', () => {
  it('blank lines, including lines of spaces and tabs, separate paragraphs', () => {
    const p = parse(doc('one', 'one more', '', 'two', ' \t ', 'three', '', '', ''));
    assert.deepEqual(paragraphs(p), ['¶ 1:1-2:9 "one⏎one more"', '¶ 4:1-4:4 "two"', '¶ 6:1-6:6 "three"']);
  });

  it('a paragraph runs from its first to its last non-blank character', () => {
    const p = parse(doc('   indented start', 'trailing end   \t', ''));
    assert.deepEqual(p.model.paragraphs.map((r) => p.text.slice(r.start, r.end)), ['indented start\ntrailing end']);
  });

  it('an empty file and a blank file have no paragraphs', () => {
    assert.deepEqual(render(parse('')), []);
    assert.deepEqual(render(parse('  \n\t\n')), []);
  });
});

// ---------------------------------------------------------------- question markers

describe('question markers', () => {
  it('@ at the start of a line, after whitespace, (, [ or { is a marker', () => {
    const p = parse(doc('@Q1 a', 'b @Q2 (@Q3) [@Q4] {@Q5}#x', 'c\t@Q6'));
    assert.deepEqual(markers(p), ['@Q1 1:1-1:4', '@Q2 2:3-2:6', '@Q3 2:8-2:11', '@Q4 2:14-2:17', '@Q5 2:20-2:23', '@Q6 3:3-3:6']);
  });

  it('name@example.org is no marker, nor is @ after a letter, `)`, `}` or `.`', () => {
    const p = parse(doc('mail name@example.org', '(a)@Q1 {b}@Q2 .@Q3'));
    assert.deepEqual(markers(p), []);
  });

  it('the ID is the longest match: `@Q3.2.` ends before the final `.`, `@whose-idea,` before the comma', () => {
    const p = parse('I: @Q3.2. then @whose-idea, then @a-b.c_d?');
    assert.deepEqual(p.model.markers.map((m) => m.id), ['Q3.2', 'whose-idea', 'a-b.c_d']);
  });

  it('a lone @ is text', () => {
    const p = parse(doc('@', 'a @ b', '@.x', '@-'));
    assert.deepEqual(markers(p), []);
    assert.deepEqual(problems(p), []);
  });

  it('IDs may use letters of any script: @Frage-ä1, @Wohnsituation, @問題2', () => {
    const p = parse('I: @Frage-ä1 @Wohnsituation @問題2');
    assert.deepEqual(markers(p), ['@Frage-ä1 1:4-1:13', '@Wohnsituation 1:14-1:28', '@問題2 1:29-1:33']);
  });
});

// ---------------------------------------------------------------- codes

describe('codes', () => {
  it('# at the start of a line, after whitespace, (, [, { or } is a code', () => {
    const p = parse(doc('#a x', 'y #b (#c) [#d] {#e z}#f', '\t#g'));
    assert.deepEqual(p.model.codes.map((c) => `#${c.path} ${rng(p.model, c.start, c.end)}`),
      ['#a 1:1-1:3', '#b 2:3-2:5', '#c 2:7-2:9', '#d 2:12-2:14', '#e 2:17-2:19', '#f 2:22-2:24', '#g 3:2-3:4']);
  });

  it('C# is no code, nor is # after a letter, `)`, `.` or a closing %%', () => {
    const p = parse(doc('we use C# and F#', 'a#b (x)#c .#d %% m %%#e'));
    assert.deepEqual(codes(p), []);
  });

  it('#5 and a lone # are text; #5a and #2011-review are codes', () => {
    const p = parse('item #5, # and #12. but #5a and #2011-review');
    assert.deepEqual(p.model.codes.map((c) => c.path), ['5a', '2011-review']);
  });

  it('in `#a/` the slash is text: the code is `a`', () => {
    assert.deepEqual(parse('so #a/ then').model.codes.map((c) => c.path), ['a']);
  });

  it('`#benefit/family.` is the code benefit/family', () => {
    const p = parse('That helped. #benefit/family.');
    assert.deepEqual(p.model.codes.map((c) => `${c.path} ${q(p.text.slice(c.start, c.end))}`), ['benefit/family "#benefit/family"']);
  });

  it('a path is the longest match of the code-path pattern: `#la-lawyer/x_y`, `#a--b`, `#a/b/`', () => {
    const p = parse('#la-lawyer/x_y, #a--b #a/b/ #Größe/ä');
    assert.deepEqual(p.model.codes.map((c) => c.path), ['la-lawyer/x_y', 'a', 'a/b', 'Größe/ä']);
  });

  it('#Benefit/family is kept as written', () => {
    assert.deepEqual(parse('x #Benefit/family').model.codes.map((c) => c.path), ['Benefit/family']);
  });

  it('a code that stands alone codes the paragraph it stands in, wherever it stands', () => {
    const p = parse(doc('#first R: not a turn', 'middle #mid', 'end', '#last', '', 'other'));
    assert.deepEqual(codes(p), [
      '#first paragraph "R: not a turn⏎middle⏎end"',
      '#mid paragraph "R: not a turn⏎middle⏎end"',
      '#last paragraph "R: not a turn⏎middle⏎end"',
    ]);
    for (const c of p.model.codes) assert.deepEqual([c.segStart, c.segEnd], [p.model.paragraphs[0].start, p.model.paragraphs[0].end]);
  });
});

// ---------------------------------------------------------------- spans

describe('spans', () => {
  it('a code after a closing brace codes the span', () => {
    const p = parse('R: It was {a wake-up call}#aim/warning for her.');
    assert.deepEqual(codes(p), ['#aim/warning span "a wake-up call"']);
    assert.deepEqual(spans(p), ['{} 1:11-1:27 "a wake-up call" #aim/warning']);
    const c = p.model.codes[0];
    assert.equal(p.text.slice(c.segStart, c.segEnd), 'a wake-up call');
    assert.deepEqual(problems(p), []);
  });

  it('a run of codes right after } codes the span: `}#a #b` and `}#a\\t#b`', () => {
    const p = parse(doc('{one}#a #b  #c', '{two}#d\t#e'));
    assert.deepEqual(codes(p), ['#a span "one"', '#b span "one"', '#c span "one"', '#d span "two"', '#e span "two"']);
    assert.deepEqual(spans(p), ['{} 1:1-1:6 "one" #a #b #c', '{} 2:1-2:6 "two" #d #e']);
  });

  it('`} #a` codes the paragraph, and the span has no code: span-without-code at the }', () => {
    const p = parse('R: {we talked} #a');
    assert.deepEqual(codes(p), ['#a paragraph "R: we talked"']);
    assert.deepEqual(spans(p), ['{} 1:4-1:15 "we talked"']);
    assert.deepEqual(problems(p), ['1:14 span-without-code "}"']);
  });

  it('`}#a, #b`: the comma ends the run, so #b codes the paragraph', () => {
    const p = parse('R: {we talked}#a, #b');
    assert.deepEqual(codes(p), ['#a span "we talked"', '#b paragraph "R: we talked,"']);
  });

  it('a run ends at any text: `}#a and #b`, `}#a @Q1 #b`', () => {
    const p = parse(doc('{x}#a and #b', '', '{y}#c @Q1 #d'));
    assert.deepEqual(codes(p), ['#a span "x"', '#b paragraph "x and"', '#c span "y"', '#d paragraph "y"']);
  });

  it('a run does not continue onto the next line', () => {
    const p = parse(doc('{x}#a', '#b'));
    assert.deepEqual(codes(p), ['#a span "x"', '#b paragraph "x"']);
  });

  it('#5 after } is text, so the span has no code', () => {
    const p = parse('{x}#5');
    assert.deepEqual(codes(p), []);
    assert.deepEqual(problems(p), ['1:3 span-without-code "}"']);
  });

  it('spans nest: in `{a {b}#x c}#y` #x codes b and #y codes the whole', () => {
    const p = parse('{a {b}#x c}#y');
    assert.deepEqual(codes(p), ['#x span "b"', '#y span "a b c"']);
    assert.deepEqual(spans(p), ['{} 1:1-1:12 "a b c" #y', '{} 1:4-1:7 "b" #x']);
    assert.deepEqual(problems(p), []);
  });

  it('a span may cross lines and paragraphs, and its excerpt keeps speaker labels', () => {
    const p = parse(doc('I: {Why?', '', 'R: Because', 'it was time.}#reasons'));
    assert.deepEqual(codes(p), ['#reasons span "Why?⏎R: Because⏎it was time."']);
    assert.deepEqual(turns(p), ['I 1:1', 'R 3:1']);
    assert.deepEqual(paragraphs(p), ['¶ 1:1-1:9 "I: Why?"', '¶ 3:1-4:22 "R: Because⏎it was time."']);
  });

  it('an unclosed span is unclosed-span at its {, and the markers and codes inside it still count', () => {
    const p = parse(doc('R: {it started @Q4 with #a', 'and went on'));
    assert.deepEqual(problems(p), ['1:4 unclosed-span "{"']);
    assert.deepEqual(spans(p), ['{ 1:4 unclosed']);
    assert.deepEqual(markers(p), ['@Q4 1:16-1:19']);
    assert.deepEqual(codes(p), ['#a paragraph "R: it started with⏎and went on"']);
  });

  it('an unmatched } is unmatched-brace, and a code after it codes the paragraph', () => {
    const p = parse('R: so} #a and }#b');
    assert.deepEqual(problems(p), ['1:6 unmatched-brace "}"', '1:15 unmatched-brace "}"']);
    assert.deepEqual(codes(p), ['#a paragraph "R: so} and }"', '#b paragraph "R: so} and }"']);
    assert.deepEqual(spans(p), []);
  });

  it('an inner unclosed { makes the outer } close it, leaving the outer { unclosed', () => {
    const p = parse('{a {b}#x');
    assert.deepEqual(spans(p), ['{ 1:1 unclosed', '{} 1:4-1:7 "b" #x']);
    assert.deepEqual(problems(p), ['1:1 unclosed-span "{"']);
  });

  it('an empty span `{ }#a` is empty-span over the whole span; the code still codes it', () => {
    const p = parse('R: { }#a');
    assert.deepEqual(problems(p), ['1:4 empty-span "{ }"']);
    assert.deepEqual(codes(p), ['#a span ""']);
  });

  it('a span holding only markup (a marker, a memo) is empty too; `{}` without code is empty and codeless', () => {
    const p = parse('{@Q1}#a {%% m %%}#b {}');
    assert.deepEqual(problems(p), ['1:1 empty-span "{@Q1}"', '1:9 empty-span "{%% m %%}"', '1:21 empty-span "{}"', '1:22 span-without-code "}"']);
  });
});

// ---------------------------------------------------------------- memos

describe('memos', () => {
  it('a memo on one line is attached to its paragraph, and markers and codes inside it are text', () => {
    const p = parse(doc('I: hi', 'R: fine %% compare @Q1 and #a with SW03 %% really #b'));
    assert.deepEqual(memos(p), ['%% 2:9-2:43 ¶1 "%% compare @Q1 and #a with SW03 %%"']);
    assert.deepEqual(markers(p), []);
    assert.deepEqual(codes(p), ['#b paragraph "R: fine really"']);
    assert.deepEqual(problems(p), []);
  });

  it('a memo may cross lines; the lines inside it start no turn and hold no markup', () => {
    const p = parse(doc('R: yes %% first line', 'I: @Q2 not a turn #x', 'end %% #after', 'I: @Q3 a turn'));
    assert.deepEqual(memos(p), ['%% 1:8-3:7 ¶0 "%% first line⏎I: @Q2 not a turn #x⏎end %%"']);
    assert.deepEqual(turns(p), ['R 1:1', 'I 4:1']);
    assert.deepEqual(markers(p), ['@Q3 4:4-4:7']);
    assert.deepEqual(codes(p), ['#after paragraph "R: yes"']);
  });

  it('a memo on a line of its own belongs to the paragraph it stands in', () => {
    const p = parse(doc('I: hi', '', 'R: yes', '%% memo %%', '', 'I: next'));
    assert.deepEqual(memos(p), ['%% 4:1-4:11 ¶1 "%% memo %%"']);
  });

  it('an unclosed memo is unclosed-memo at its %% and reads to the end of its paragraph; later paragraphs still count', () => {
    const p = parse(doc('R: fine %% half-typed @Q1 #a', 'still the memo #b', '', 'I: @Q2 next #c'));
    assert.deepEqual(problems(p), ['1:9 unclosed-memo "%%"']);
    assert.deepEqual(memos(p), ['%% 1:9-2:18 ¶0 unclosed "%% half-typed @Q1 #a⏎still the memo #b"']);
    assert.deepEqual(markers(p), ['@Q2 4:4-4:7']);
    assert.deepEqual(codes(p), ['#c paragraph "I: next"']);
    assert.deepEqual(turns(p), ['R 1:1', 'I 4:1']);
  });

  it('an unclosed memo ends before the next speaker turn, which starts a new paragraph', () => {
    const p = parse(doc('R: fine %% half-typed', 'I: @Q2 next #c'));
    assert.deepEqual(memos(p), ['%% 1:9-1:22 ¶0 unclosed "%% half-typed"']);
    assert.deepEqual(turns(p), ['R 1:1', 'I 2:1']);
    assert.deepEqual(markers(p), ['@Q2 2:4-2:7']);
    assert.deepEqual(codes(p), ['#c paragraph "I: next"']);
  });

  it('with speakers, an unclosed memo runs over a line whose label is not a speaker', () => {
    const p = parse(doc('---', 'speakers: [I, R]', '---', 'R: fine %% half-typed', 'Mum said: no #x', 'I: @Q2 next'));
    assert.deepEqual(memos(p), ['%% 4:9-5:16 ¶0 unclosed "%% half-typed⏎Mum said: no #x"']);
    assert.deepEqual(markers(p), ['@Q2 6:4-6:7']);
    assert.deepEqual(codes(p), []);
  });

  it('a memo closes within its paragraph: a `%%` after a blank line does not close it', () => {
    const p = parse(doc('R: a %% half-typed', '', 'second %% memo %% b #x'));
    assert.deepEqual(memos(p), ['%% 1:6-1:19 ¶0 unclosed "%% half-typed"', '%% 3:8-3:18 ¶1 "%% memo %%"']);
    assert.deepEqual(codes(p), ['#x paragraph "second b"']);
  });

  it('a memo may cross lines within its paragraph', () => {
    const p = parse(doc('R: a %% long', 'memo %% b #x'));
    assert.deepEqual(memos(p), ['%% 1:6-2:8 ¶0 "%% long⏎memo %%"']);
    assert.deepEqual(codes(p), ['#x paragraph "R: a b"']);
  });

  it('`\\%%` inside a memo does not close it, and a single % is text', () => {
    const p = parse('R: 50% %% a \\%% b %% #x');
    assert.deepEqual(memos(p), ['%% 1:8-1:21 ¶0 "%% a \\%% b %%"']);
    assert.deepEqual(codes(p), ['#x paragraph "R: 50%"']);
  });

  it('%%%% is an empty memo', () => {
    const p = parse('a %%%% b');
    assert.deepEqual(memos(p), ['%% 1:3-1:7 ¶0 "%%%%"']);
    assert.deepEqual(paragraphs(p), ['¶ 1:1-1:9 "a b"']);
  });
});

// ---------------------------------------------------------------- escapes

describe('escapes', () => {
  it('\\{ \\} \\# \\@ \\% stand for the literal characters; excerpts drop the backslash', () => {
    const p = parse('R: \\{ \\} \\#a \\@Q1 \\%% done #x');
    assert.deepEqual(render(p), ['R 1:1', '¶ 1:1-1:30 "R: { } #a @Q1 %% done"', '#x paragraph "R: { } #a @Q1 %% done"']);
    assert.deepEqual(p.model.escapes.map((o) => p.text.slice(o, o + 2)), ['\\{', '\\}', '\\#', '\\@', '\\%']);
  });

  it('\\#code is no code and \\{ opens no span', () => {
    const p = parse('\\#code \\{x}#a');
    assert.deepEqual(p.model.codes.map((c) => `${c.path} ${c.target}`), ['a paragraph']);
    assert.deepEqual(problems(p), ['1:11 unmatched-brace "}"']);
  });

  it('a backslash before any other character is text, kept in excerpts', () => {
    const p = parse('C:\\Users\\x and a\\b #a');
    assert.deepEqual(codes(p), ['#a paragraph "C:\\Users\\x and a\\b"']);
    assert.deepEqual(p.model.escapes, []);
  });

  it('a backslash at the end of a line escapes nothing', () => {
    const p = parse(doc('a \\', '#b'));
    assert.deepEqual(p.model.escapes, []);
    assert.deepEqual(codes(p), ['#b paragraph "a \\"']);
  });
});

// ---------------------------------------------------------------- transcription conventions

describe('transcription conventions', () => {
  it('[laughs], [inaudible] and [00:12:31] are plain text, kept in excerpts', () => {
    const p = parse('R: [00:12:31] It was [laughs] a [inaudible] time. #a');
    assert.deepEqual(render(p), ['R 1:1', '¶ 1:1-1:53 "R: [00:12:31] It was [laughs] a [inaudible] time."', '#a paragraph "R: [00:12:31] It was [laughs] a [inaudible] time."']);
  });

  it('`[#x]` is a code (# after [) and `[@Q1]` a marker', () => {
    const p = parse('R: yes [#x] [@Q1]');
    assert.deepEqual(codes(p), ['#x paragraph "R: yes [] []"']);
    assert.deepEqual(markers(p), ['@Q1 1:14-1:17']);
  });
});

// ---------------------------------------------------------------- excerpts

describe('excerpts', () => {
  it('remove markers, braces, codes, memos and escape backslashes, and keep the speaker label', () => {
    const p = parse('I: @Q1 So {what \\{really\\} happened}#a #b %% memo @Q2 %% next? \\#5');
    const para = p.model.paragraphs[0];
    assert.equal(excerpt(p, para.start, para.end), 'I: So what {really} happened next? #5');
  });

  it('fold runs of spaces, trim each line, drop blank lines, and join lines with \\n', () => {
    const p = parse(doc('R:   lots   of\t space   ', '', '   and more   '));
    assert.equal(excerpt(p, 0, p.text.length), 'R: lots of space\nand more');
  });

  it('of a range that starts or ends inside a token or memo, drop the part of it in the range', () => {
    const p = parse('ab #code cd %% memo %% ef');
    assert.equal(excerpt(p, 5, p.text.length), 'cd ef');
    assert.equal(excerpt(p, 0, 15), 'ab cd');
  });

  it('of an empty range is empty', () => {
    const p = parse('a b');
    assert.equal(excerpt(p, 1, 1), '');
  });
});

// ---------------------------------------------------------------- positions

const POSITION_FIXTURE = doc(
  '---',
  'guide: g',
  'date: 2011-05-12',
  '---',
  'I: @Q1 Why {did you',
  'call}#a #b %% a',
  'memo %%',
  '',
  'R: \\#x {half #c',
  '%% open',
  '',
  'I: } #d @Q2',
);

describe('positions', () => {
  it('a CRLF file gives the same positions as its LF version, and \\r is in no token, range or excerpt', () => {
    const lf = parse(POSITION_FIXTURE);
    const crlf = parse(POSITION_FIXTURE.replace(/\n/g, '\r\n'));
    assert.deepEqual(render(crlf), render(lf));
    assert.deepEqual(frontMatter(crlf), frontMatter(lf));
    assert.deepEqual(render(crlf).slice(0, 4), ['I 5:1', 'R 9:1', 'I 12:1', '¶ 5:1-7:8 "I: Why did you⏎call"']);
    const { text, model } = crlf;
    const ranges: [number, number][] = [
      ...model.markers.map((m): [number, number] => [m.start, m.end]),
      ...model.codes.flatMap((c): [number, number][] => [[c.start, c.end], [c.segStart, c.segEnd]]),
      ...model.memos.filter((m) => !m.closed).map((m): [number, number] => [m.start, m.end]),
      ...model.paragraphs.map((r): [number, number] => [r.start, r.end]),
      ...model.turns.map((t): [number, number] => [t.start, t.end]),
      ...model.problems.map((pr): [number, number] => [pr.start, pr.end]),
    ];
    for (const [s, e] of ranges) {
      assert.ok(!text.slice(s, e).endsWith('\r') && !text.slice(s, e).startsWith('\n'), q(text.slice(s, e)));
      assert.ok(!excerptOf(text, model, s, e).includes('\r'));
    }
    // Offsets are exact: the CRLF version's offsets are the LF version's plus one per line break before them.
    const shift = (o: number): number => o + lf.model.lines.lineAt(o);
    assert.deepEqual(crlf.model.markers, lf.model.markers.map((m) => ({ ...m, start: shift(m.start), end: shift(m.end) })));
    assert.deepEqual(crlf.model.codes, lf.model.codes.map((c) => ({ ...c, start: shift(c.start), end: shift(c.end), segStart: shift(c.segStart), segEnd: shift(c.segEnd) })));
    assert.equal(crlf.model.bodyStart, shift(lf.model.bodyStart));
    assert.equal(text.slice(model.frontMatter!.guide!.start, model.frontMatter!.guide!.end), 'g');
    assert.equal(text.slice(model.frontMatter!.guideLine!.start, model.frontMatter!.guideLine!.end), 'guide: g');
  });

  it('lone \\r line breaks work like \\n', () => {
    const lf = parse(POSITION_FIXTURE);
    const cr = parse(POSITION_FIXTURE.replace(/\n/g, '\r'));
    assert.deepEqual(render(cr), render(lf));
    assert.deepEqual(frontMatter(cr), frontMatter(lf));
  });

  it('a UTF-8 BOM: front matter is still recognised, and the BOM is one UTF-16 unit at offset 0', () => {
    const p = parse(`\ufeff${doc('---', 'guide: g', '---', 'I: @Q1 hi')}`);
    assert.ok(p.model.frontMatter);
    assert.equal(p.model.frontMatter.start, 1);
    assert.deepEqual(problems(p), []);
    assert.deepEqual(frontMatter(p), ['guide g "g"', 'guide line "guide: g"']);
    assert.deepEqual(markers(p), ['@Q1 4:4-4:7']);
    assert.deepEqual(p.model.lines.positionAt(1), { line: 0, character: 1 });
  });

  it('a BOM before a body: the first line still starts a turn and markup, one column later', () => {
    const p = parse('\ufeffI: @Q1 #a');
    assert.deepEqual(render(p), ['I 1:2', '¶ 1:2-1:11 "I:"', '@Q1 1:5-1:8', '#a paragraph "I:"']);
    assert.equal(p.model.markers[0].start, 4);
    assert.equal(parse('\ufeff#a').model.codes[0].start, 1);
  });

  it('a BOM before an unclosed front matter: invalid-front-matter covers the `---`, not the BOM', () => {
    const p = parse('\ufeff---\nx');
    assert.deepEqual(problems(p), ['1:2 invalid-front-matter "---"']);
  });

  it('non-ASCII and astral characters before a token: UTF-16 columns in positions, code points on request', () => {
    const text = 'R: 𝒜 Größe 😀👍🏽 @Q1 #a';
    const p = parse(text);
    const m = p.model.markers[0];
    const c = p.model.codes[0];
    assert.equal(text.slice(m.start, m.end), '@Q1');
    assert.equal(text.slice(c.start, c.end), '#a');
    // UTF-16: 𝒜 2, Größe 5, 😀 2, 👍 2, 🏽 2.
    assert.deepEqual(p.model.lines.positionAt(m.start), { line: 0, character: 19 });
    assert.deepEqual(p.model.lines.positionAt(c.start), { line: 0, character: 23 });
    // Code points: 𝒜 1, 😀 1, 👍 1, 🏽 1.
    assert.equal(toCodePointOffset(text, m.start), 15);
    assert.equal(toCodePointOffset(text, c.start), 19);
    assert.equal(codePointLength(text, m.start, c.end), 6);
    assert.equal(p.model.lines.offsetAt({ line: 0, character: 19 }), m.start);
  });

  it('astral characters on an earlier line do not shift later lines', () => {
    const p = parse(doc('R: 😀😀😀', '@Q1'));
    assert.deepEqual(markers(p), ['@Q1 2:1-2:4']);
  });

  it('astral letters may form IDs and paths, and their ranges cover whole characters', () => {
    const p = parse('@𝒜1 #𝒜/𝒞');
    assert.deepEqual(p.model.markers.map((m) => [m.id, m.end - m.start]), [['𝒜1', 4]]);
    assert.deepEqual(p.model.codes.map((c) => [c.path, c.end - c.start]), [['𝒜/𝒞', 6]]);
  });
});

// ---------------------------------------------------------------- properties

const FRAGMENTS = [
  '{', '}', '}#', '#a/b', '#a', '#5', '#', '@Q1', '@', '@Q3.2.', '%%', '%', '\\', '\\{', '\\%',
  '\n', '\r\n', '\r', '\n\n', 'I: ', 'Dr. Ng: ', '---\n', '---', 'guide: g\n', 'speakers: [I]\n', 'skipped: [a]\n',
  ' ', '\t', 'a', 'text', '(', '[', ']', ',', '.', '😀', '𝒜', 'ä', '\ufeff', '\u00a0', ':',
];

const plain = fc.string({ maxLength: 200 });
const unicode = fc.string({ unit: 'binary', maxLength: 200 });
const graphemes = fc.string({ unit: 'grapheme', maxLength: 100 });
const fragments = fc.string({ unit: fc.constantFrom(...FRAGMENTS), maxLength: 80 });
/** Fragment soup that may open with a front matter (with or without a BOM). */
const transcripts = fc.tuple(fc.constantFrom('', '---\n', '\ufeff---\n', '---\r\n', '---\nguide: g\n---\n'), fragments).map(([a, b]) => a + b);
const anyText = fc.oneof(plain, unicode, graphemes, fragments, transcripts);

const RUNS = { numRuns: 600 };

function rangesOf(model: TranscriptModel): [string, number, number][] {
  const fm = model.frontMatter;
  return [
    ...model.markers.map((m): [string, number, number] => ['marker', m.start, m.end]),
    ...model.codes.flatMap((c): [string, number, number][] => [['code', c.start, c.end], ['segment', c.segStart, c.segEnd]]),
    ...model.spans.map((s): [string, number, number] => ['span', s.open, s.close < 0 ? s.open + 1 : s.close + 1]),
    ...model.memos.map((m): [string, number, number] => ['memo', m.start, m.end]),
    ...model.paragraphs.map((r): [string, number, number] => ['paragraph', r.start, r.end]),
    ...model.turns.map((t): [string, number, number] => ['turn', t.start, t.end]),
    ...model.problems.map((p): [string, number, number] => [p.code, p.start, p.end]),
    ...model.escapes.map((o): [string, number, number] => ['escape', o, o + 2]),
    ['body', model.bodyStart, model.bodyStart],
    ...(fm ? [['front matter', fm.start, fm.end] as [string, number, number], ['yaml', fm.yamlStart, fm.yamlEnd] as [string, number, number]] : []),
  ];
}

describe('properties of the scanner', () => {
  it('parseTranscript never throws, and its safety net never fires', () => {
    fc.assert(fc.property(anyText, (text) => {
      const model = parseTranscript(text);
      assert.ok(!model.problems.some((p) => p.message.includes('could not read this file completely')), JSON.stringify(model.problems));
    }), RUNS);
  });

  it('every range lies within the text, start <= end', () => {
    fc.assert(fc.property(anyText, (text) => {
      for (const [what, s, e] of rangesOf(parseTranscript(text))) {
        assert.ok(Number.isInteger(s) && Number.isInteger(e) && s >= 0 && s <= e && e <= text.length, `${what} ${s}-${e} in ${text.length}`);
      }
    }), RUNS);
  });

  it('every marker slices back to @id and every code to #path', () => {
    fc.assert(fc.property(anyText, (text) => {
      const model = parseTranscript(text);
      for (const m of model.markers) assert.equal(text.slice(m.start, m.end), `@${m.id}`);
      for (const c of model.codes) assert.equal(text.slice(c.start, c.end), `#${c.path}`);
    }), RUNS);
  });

  it('every closed span has open < close, and spans never partially overlap', () => {
    fc.assert(fc.property(anyText, (text) => {
      const { spans: all } = parseTranscript(text);
      const closed = all.filter((s) => s.close >= 0);
      for (const s of closed) {
        assert.ok(s.open < s.close);
        assert.equal(text[s.open], '{');
        assert.equal(text[s.close], '}');
      }
      for (const a of closed) {
        for (const b of closed) {
          if (a === b) continue;
          const disjoint = a.close < b.open || b.close < a.open;
          const nested = (a.open < b.open && b.close < a.close) || (b.open < a.open && a.close < b.close);
          assert.ok(disjoint || nested, `{${a.open} }${a.close} vs {${b.open} }${b.close}`);
        }
      }
    }), RUNS);
  });

  it('a span code segments its span, a paragraph code its paragraph', () => {
    fc.assert(fc.property(anyText, (text) => {
      const model = parseTranscript(text);
      model.spans.forEach((s) => {
        for (const i of s.codes) {
          const c = model.codes[i];
          assert.deepEqual([c.target, c.segStart, c.segEnd], ['span', s.open + 1, s.close]);
          assert.ok(c.start > s.close);
        }
      });
      for (const c of model.codes) {
        if (c.target === 'paragraph') {
          assert.ok(model.paragraphs.some((r) => r.start === c.segStart && r.end === c.segEnd && r.start <= c.start && c.end <= r.end));
        }
      }
    }), RUNS);
  });

  it('paragraphs, tokens and memos come in text order and do not overlap', () => {
    fc.assert(fc.property(anyText, (text) => {
      const model = parseTranscript(text);
      const ordered = (rs: { start: number; end: number }[], strict: boolean): void => {
        for (let i = 1; i < rs.length; i++) assert.ok(strict ? rs[i - 1].end < rs[i].start : rs[i - 1].end <= rs[i].start);
      };
      ordered(model.paragraphs, true);
      ordered(model.memos, false);
      ordered([...model.markers, ...model.codes].sort((a, b) => a.start - b.start), false);
      for (const t of model.turns) assert.ok(model.paragraphs.some((r) => r.start === t.start));
      for (const m of model.memos) {
        assert.equal(text.slice(m.start, m.start + 2), '%%');
        assert.ok(m.paragraph >= 0 && m.paragraph < model.paragraphs.length);
        if (m.closed) assert.ok(m.end - m.start >= 4 && text.slice(m.end - 2, m.end) === '%%');
      }
    }), RUNS);
  });

  it('markers, codes and escapes stand in the body and outside memos; escapes are a backslash and a markup character', () => {
    fc.assert(fc.property(anyText, (text) => {
      const model = parseTranscript(text);
      const inMemo = (o: number): boolean => model.memos.some((m) => m.start <= o && o < m.end);
      for (const t of [...model.markers, ...model.codes]) assert.ok(t.start >= model.bodyStart && !inMemo(t.start), `${t.start}`);
      for (const o of model.escapes) {
        assert.ok(o >= model.bodyStart && !inMemo(o));
        assert.match(text.slice(o, o + 2), /^\\[{}#@%]$/);
      }
    }), RUNS);
  });

  it('a paragraph holds no blank line, and a turn label starts its line and paragraph and is followed by a colon', () => {
    fc.assert(fc.property(anyText, (text) => {
      const model = parseTranscript(text);
      for (const r of model.paragraphs) {
        assert.ok(r.start < r.end);
        const lines = text.slice(r.start, r.end).split(/\r\n|\r|\n/);
        assert.ok(lines.every((l) => /[^ \t\u00a0\ufeff]/.test(l)), q(text.slice(r.start, r.end)));
      }
      for (const t of model.turns) {
        const line = model.lines.lineAt(t.start);
        assert.ok(t.start === model.lines.starts[line] || t.start === model.bodyStart);
        assert.equal(text.slice(t.start, t.end), t.label);
        assert.match(text.slice(t.end), /^ *:[ \t]/);
      }
    }), RUNS);
  });

  it('an unclosed memo ends within its paragraph', () => {
    fc.assert(fc.property(anyText, (text) => {
      const model = parseTranscript(text);
      for (const m of model.memos) {
        if (m.closed) continue;
        const r = model.paragraphs[m.paragraph];
        assert.ok(r.start <= m.start && m.end <= r.end, `memo ${m.start}-${m.end} in paragraph ${r.start}-${r.end}`);
      }
    }), RUNS);
  });

  it('excerptOf never throws, whatever the range, and holds no line break other than \\n', () => {
    fc.assert(fc.property(anyText, fc.nat(), fc.nat(), (text, a, b) => {
      const model = parseTranscript(text);
      const n = text.length + 1;
      const [s, e] = [a % n, b % n].sort((x, y) => x - y);
      const x = excerptOf(text, model, s, e);
      assert.ok(!x.includes('\r'));
      for (const c of model.codes) excerptOf(text, model, c.segStart, c.segEnd);
    }), RUNS);
  });

  it('the excerpts of many ranges at once are those of each range on its own, and what the markup rules say', () => {
    // What an excerpt is, written as plainly as possible: remove every piece of markup, then read the lines.
    const reference = (text: string, model: TranscriptModel, start: number, end: number): string => {
      const cut = new Set<number>();
      const drop = (s: number, e: number): void => { for (let i = Math.max(s, start); i < Math.min(e, end); i++) cut.add(i); };
      for (const m of [...model.memos, ...model.markers, ...model.codes]) drop(m.start, m.end);
      for (const o of model.escapes) drop(o, o + 1);
      for (const sp of model.spans) { drop(sp.open, sp.open + 1); if (sp.close >= 0) drop(sp.close, sp.close + 1); }
      let kept = '';
      for (let i = start; i < end; i++) if (!cut.has(i)) kept += text[i];
      return kept.split(/\r\n|\r|\n/).map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim()).filter((l) => l !== '').join('\n');
    };
    // White space of every kind that trimming and folding treat differently.
    const spaced = fc.string({ unit: fc.constantFrom(...FRAGMENTS, '  ', ' \t ', '\u2003', '\u3000', '\v', ' \n ', '\\}'), maxLength: 80 });
    fc.assert(fc.property(fc.oneof(anyText, spaced), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }), (text, picks) => {
      const model = parseTranscript(text);
      const n = text.length + 1;
      const ranges = [
        ...picks.map(([a, b]) => { const [start, end] = [a % n, b % n].sort((x, y) => x - y); return { start, end }; }),
        ...model.codes.map((c) => ({ start: c.segStart, end: c.segEnd })),
        ...model.paragraphs,
      ];
      const batch = excerptsOf(text, model, ranges);
      ranges.forEach((r, i) => {
        const expected = reference(text, model, r.start, r.end);
        assert.equal(excerptOf(text, model, r.start, r.end), expected, JSON.stringify({ text, r }));
        assert.equal(batch[i], expected, JSON.stringify({ text, r }));
      });
    }), { numRuns: 3000 });
  });

  it('CRLF and lone CR line breaks parse like LF', () => {
    const lfOnly = fc.string({ unit: fc.constantFrom(...FRAGMENTS.filter((f) => !f.includes('\r'))), maxLength: 80 });
    fc.assert(fc.property(fc.constantFrom('', '---\n', '---\nguide: g\n---\n'), lfOnly, (head, body) => {
      const text = head + body;
      const lf = render(parse(text));
      assert.deepEqual(render(parse(text.replace(/\n/g, '\r\n'))), lf);
      assert.deepEqual(render(parse(text.replace(/\n/g, '\r'))), lf);
    }), { numRuns: 300 });
  });
});

describe('empty spans', () => {
  it('a span is reported empty exactly when its excerpt is empty', () => {
    fc.assert(fc.property(transcripts, (text) => {
      const model = parseTranscript(text);
      const reported = new Set(model.problems.filter((p) => p.code === 'empty-span').map((p) => p.start));
      for (const span of model.spans) {
        if (span.close < 0) continue;
        assert.equal(reported.has(span.open), excerptOf(text, model, span.open + 1, span.close) === '', JSON.stringify(text));
      }
    }), { numRuns: 2000 });
  });

  it('reads twenty thousand nested spans (a quadratic check would not finish)', () => {
    const n = 20000;
    const text = `I: @q ${'{'.repeat(n)}a${'}#x'.repeat(n)}\n${'{ '.repeat(n)}${'}#y '.repeat(n)}\n`;
    const model = parseTranscript(text);
    assert.equal(model.problems.filter((p) => p.code === 'empty-span').length, n);
    assert.equal(model.codes.length, 2 * n);
  });
});
