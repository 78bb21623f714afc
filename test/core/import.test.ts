/**
 * Importing transcripts and guides (SPEC §12): each reader on the files real tools write, the rendered
 * transcript read back with the real parser, and the plain text that other programs receive.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseGuide } from '../../server/src/core/guide';
import { guideFromBlocks, statedId, wordsId } from '../../server/src/core/import/guide';
import { blocksFromHtml, blocksFromText } from '../../server/src/core/import/guideSources';
import { isInterviewerLabel, labelVariants, parseRename, validLabel } from '../../server/src/core/import/labels';
import { renderTranscript } from '../../server/src/core/import/render';
import { readSrt, readVtt } from '../../server/src/core/import/subtitles';
import { readTextTranscript } from '../../server/src/core/import/textTranscript';
import type { ImportedTurn } from '../../server/src/core/import/turns';
import { plainTextOf } from '../../server/src/core/refi/plainText';
import { parseTranscript } from '../../server/src/core/transcript';
import { checkStudy } from '../../server/src/host/loadStudy';
import { MemoryStudyHost } from '../../server/src/host/memoryHost';

const SEED = '/work/shared/seed/000_59ba962f420f7d77.txt';

/** The turns as `Label [time]: text` lines, as a person would read them. */
function shown(turns: ImportedTurn[]): string[] {
  return turns.map((t) => `${t.label}${t.start === null ? '' : ` [${t.start}]`}: ${t.text}`);
}

/** The rendered transcript's plain text, as `export refi` writes it. */
function plainOf(text: string): string {
  return plainTextOf(text, parseTranscript(text)).text;
}

describe('reading subtitle files', () => {
  it('reads a Teams WebVTT file by its voice tags, joining consecutive cues of one speaker into one turn', () => {
    const vtt = `WEBVTT

6a1f0b7e-3c2d-4b5e-9f10-2a3b4c5d6e7f/12-0
00:00:03.120 --> 00:00:06.480
<v Interviewer 1>Could you start with your job title?</v>

6a1f0b7e-3c2d-4b5e-9f10-2a3b4c5d6e7f/13-0
00:00:06.500 --> 00:00:08.000
<v Interviewer 1>And how long you&#39;ve been in post?</v>

6a1f0b7e-3c2d-4b5e-9f10-2a3b4c5d6e7f/14-0
00:01:07.000 --> 00:01:12.250
<v Sam Jones>I&apos;m a senior practitioner &amp; I
manage two &lt;new&gt; workers.</v>
`;
    const r = readVtt(vtt, 'SW07.vtt');
    assert.deepEqual(shown(r.turns), [
      "Interviewer 1 [3.12]: Could you start with your job title? And how long you've been in post?",
      "Sam Jones [67]: I'm a senior practitioner & I manage two <new> workers.",
    ]);
    assert.deepEqual(r.notes, []);
  });

  it('reads a Zoom WebVTT file by the names before the colon, and keeps a colon inside the words', () => {
    const vtt = 'WEBVTT\n\n1\n00:00:02.310 --> 00:00:05.120\nJane Smith: Hello, shall we start?\n\n2\n00:00:05.500 --> 00:00:09.000\nSW 07: Yes. The reason was: mum missed appointments.\n\n3\n00:00:09.100 --> 00:00:11.000\nSW 07: Twice.\n';
    assert.deepEqual(shown(readVtt(vtt, 'z.vtt').turns), [
      'Jane Smith [2.31]: Hello, shall we start?',
      'SW 07 [5.5]: Yes. The reason was: mum missed appointments. Twice.',
    ]);
  });

  it('labels a Whisper SubRip file that names nobody "Speaker", starting a new turn after a pause, and says so', () => {
    const srt = '1\r\n00:00:00,000 --> 00:00:02,000\r\nSo tell me about the meeting.\r\n\r\n2\r\n00:00:02,100 --> 00:00:03,000\r\n<i>Well,</i>\r\n\r\n3\r\n00:00:06,000 --> 00:00:08,500\r\nit was in March.\r\n';
    const r = readSrt(srt, 'w.srt');
    assert.deepEqual(shown(r.turns), ['Speaker [0]: So tell me about the meeting. Well,', 'Speaker [6]: it was in March.']);
    assert.match(r.notes.join(' '), /names no speaker.*labelled 'Speaker'.*pause of 2 seconds/);
  });

  it("reads WhisperX's [SPEAKER_00]: labels", () => {
    const srt = '1\n00:00:01,000 --> 00:00:02,000\n[SPEAKER_00]: Hello.\n\n2\n00:00:02,000 --> 00:00:03,000\n[SPEAKER_01]: Hi.\n';
    assert.deepEqual(shown(readSrt(srt, 'x.srt').turns), ['SPEAKER_00 [1]: Hello.', 'SPEAKER_01 [2]: Hi.']);
  });

  it('keeps text that stands outside any cue with the cue before it, and an empty cue does not swallow the next', () => {
    const srt = '1\n00:00:01,000 --> 00:00:02,000\nFirst line\n\nstray words\n\n2\n00:00:03,000 --> 00:00:04,000\n\n3\n00:00:09,000 --> 00:00:10,000\nLast\n';
    const r = readSrt(srt, 'x.srt');
    assert.deepEqual(shown(r.turns), ['Speaker [1]: First line stray words', 'Speaker [9]: Last']);
    assert.match(r.notes[0], /one block of text stands outside any cue/);
  });

  it('never throws and never loses a word of cue text (WebVTT written from arbitrary cues)', () => {
    const word = fc.string({ unit: fc.constantFrom(...'ab é:<>&;#@{}%\\'.split(''), '&amp;', '😀'), minLength: 1, maxLength: 12 })
      .filter((s) => s.trim() !== '' && !s.includes('-->'));
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('A', 'B b', 'Ç 3'), word), { minLength: 1, maxLength: 8 }), (cues) => {
      const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      const vtt = `WEBVTT\n\n${cues.map(([who, text], i) => `00:00:${String(i).padStart(2, '0')}.000 --> 00:00:${String(i).padStart(2, '0')}.900\n<v ${who}>${escape(text)}</v>`).join('\n\n')}\n`;
      const r = readVtt(vtt, 'p.vtt');
      const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
      assert.equal(squash(r.turns.map((t) => t.text).join(' ')), squash(cues.map(([, t]) => t).join(' ')));
      assert.equal(r.turns.every((t, i) => i === 0 || t.label !== r.turns[i - 1].label), true);
    }), { numRuns: 300 });
  });
});

describe('every reader', () => {
  it('never throws on arbitrary input, and gives only turns that hold words', () => {
    const any = fc.string({ unit: fc.constantFrom(...'ab:<>&;# \n\r\t-0123456789.,[]()v'.split(''), '-->', 'WEBVTT', '<v A>', '00:00:01.000'), maxLength: 200 });
    fc.assert(fc.property(any, (text) => {
      for (const r of [readVtt(text, 'x.vtt'), readSrt(text, 'x.srt'), readTextTranscript(text, 'x.txt')]) {
        assert.ok(r.turns.every((t) => t.text.trim() !== ''), JSON.stringify(r.turns));
      }
    }), { numRuns: 500 });
  });

  it('keeps the words of every cue of a SubRip file, and of every line of a Name: text file', () => {
    const words = fc.string({ unit: fc.constantFrom(...'ab é#@{}%\\'.split(''), '😀', '&amp;'), minLength: 1, maxLength: 15 }).filter((s) => s.trim() !== '');
    const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('I', 'R', 'Mum'), words), { minLength: 1, maxLength: 8 }), (lines) => {
      const srt = lines.map(([, t], i) => `${i + 1}\n00:00:${String(i * 3).padStart(2, '0')},000 --> 00:00:${String(i * 3 + 1).padStart(2, '0')},000\n${t}`).join('\n\n');
      assert.equal(squash(readSrt(srt, 's.srt').turns.map((t) => t.text).join(' ')), squash(lines.map(([, t]) => t.replace(/&amp;/g, '&')).join(' ')));
      const txt = lines.map(([who, t]) => `${who}: ${t}`).join('\n');
      const turns = readTextTranscript(txt, 't.txt').turns;
      assert.equal(squash(turns.map((t) => t.text).join(' ')), squash(lines.map(([, t]) => t).join(' ')));
      assert.ok(turns.every((t, i) => i === 0 || t.label !== turns[i - 1].label), 'consecutive lines of one speaker are one turn');
    }), { numRuns: 300 });
  });
});

describe('reading text transcripts', () => {
  it('reads "Name: text" lines, with a tab after the colon, and lines that go on with the turn', () => {
    const txt = 'Interview with SW07, May 2011\n\nInterviewer: Could you start with your job title?\n\nSW07:\tSenior practitioner.\nFour years now.\nInterviewer: Thanks.\nSW07: OK.\n';
    assert.deepEqual(shown(readTextTranscript(txt, 'SW07.txt').turns), [
      ': Interview with SW07, May 2011',
      'Interviewer: Could you start with your job title?',
      'SW07: Senior practitioner.\nFour years now.',
      'Interviewer: Thanks.',
      'SW07: OK.',
    ]);
  });

  it('keeps a name that begins one line only as words of the turn before, and says so', () => {
    const txt = 'I: Why?\nR: Well.\nWhat I said was: no.\nI: And then?\nR: Court.\n';
    const r = readTextTranscript(txt, 'x.txt');
    assert.deepEqual(shown(r.turns), ['I: Why?', 'R: Well.\nWhat I said was: no.', 'I: And then?', 'R: Court.']);
    assert.match(r.notes[0], /'What I said was:' begins only one line/);
  });

  it('reads the export of a transcription service: speaker and time on a line, the words below', () => {
    const txt = 'Speaker 1  0:03\nSo, thanks for coming.\n\nSpeaker 2  0:07\nNo problem.\nIt was a long day.\n\nSpeaker 1  1:02:15\nRight.\n';
    const r = readTextTranscript(txt, 'otter.txt');
    assert.deepEqual(shown(r.turns), ['Speaker 1 [3]: So, thanks for coming.', 'Speaker 2 [7]: No problem.\nIt was a long day.', 'Speaker 1 [3735]: Right.']);
  });

  it('reads [hh:mm:ss] before a name as the turn\'s start', () => {
    assert.deepEqual(shown(readTextTranscript('[00:01:02] I: Hello\n[00:01:05] R: Hi\n', 't.txt').turns), ['I [62]: Hello', 'R [65]: Hi']);
  });
});

describe('speaker labels', () => {
  it('tells interviewer labels: I, Interviewer and labels starting with Interviewer, or those given', () => {
    assert.deepEqual(['I', 'Interviewer', 'Interviewer 2', 'INTERVIEWER', 'R', 'Int'].map((l) => isInterviewerLabel(l)), [true, true, true, true, false, false]);
    assert.deepEqual(['I', 'Int', 'R'].map((l) => isInterviewerLabel(l, ['Int'])), [false, true, false]);
  });

  it('groups spellings of one label that differ in case, spacing or a number, but not services\' numbered speakers', () => {
    assert.deepEqual(labelVariants(['Interviewer1', 'R', 'interviewer', 'Interviewer 2', 'Speaker 1', 'Speaker 2']), [['Interviewer1', 'interviewer', 'Interviewer 2']]);
  });

  it('makes labels valid for the format, and refuses an invalid new label', () => {
    assert.equal(validLabel('Jane Smith (she/her)', 'Speaker'), 'Jane Smith');
    assert.equal(validLabel("Dr. O'Brien", 'Speaker'), 'Dr. O Brien');
    assert.equal(validLabel('A very long speaker label that goes on and on', 'Speaker'), 'A very long speaker label that g');
    assert.equal(validLabel('???', 'Speaker'), 'Speaker');
    assert.deepEqual(parseRename('Interviewer 1=I'), { from: 'Interviewer 1', to: 'I' });
    assert.match((parseRename('R=Mum: x') as { error: string }).error, /cannot start a speaker turn/);
  });
});

describe('writing the transcript', () => {
  it('writes front matter, one paragraph per turn with its timestamp, renamed labels and the markers given', () => {
    const turns: ImportedTurn[] = [
      { label: 'Interviewer 1', text: 'Could you start with your job title?', start: 3.9 },
      { label: 'Sam (she/her)', text: 'Senior practitioner.\nFour years.', start: 3725.2 },
      { label: 'Interviewer 1', text: 'Whose idea was it?', start: null },
    ];
    const r = renderTranscript(turns, { participant: 'SW07', guide: 'ppp-general', role: 'swr', renames: new Map([['Interviewer 1', 'I']]), markers: new Map([[0, ['job-title']], [2, ['whose-idea', 'reasons']]]) });
    assert.equal(r.text, `---
participant: SW07
guide: ppp-general
role: swr
speakers:
  - I
  - Sam
---

I: @job-title [00:00:03] Could you start with your job title?

Sam: [01:02:05] Senior practitioner.
Four years.

I: @whose-idea @reasons Whose idea was it?
`);
    assert.match(r.notes.join(' '), /'Sam \(she\/her\)' is written as 'Sam'/);
    const model = parseTranscript(r.text);
    assert.deepEqual(model.markers.map((m) => m.id), ['job-title', 'whose-idea', 'reasons']);
    assert.deepEqual(model.turns.map((t) => t.label), ['I', 'Sam', 'I']);
  });

  it('reports spellings of one speaker so that they can be mapped', () => {
    const r = renderTranscript([{ label: 'Interviewer1', text: 'a', start: null }, { label: 'R', text: 'b', start: null }, { label: 'interviewer', text: 'c', start: null }], { participant: 'p' });
    assert.match(r.notes.join(' '), /'Interviewer1', 'interviewer' differ only in case, spacing or a number.*--speaker "interviewer=Interviewer1"/);
  });

  it('escapes markup and indents a line that would read as a turn, so the plain text is the source\'s', () => {
    const text = 'I said {this} #not-a-code and @nobody, 50% %% not a memo %% \\#x C# a@b.org #5\nR: not a turn\n\\{';
    const r = renderTranscript([{ label: 'R', text, start: null }], { participant: 'p' });
    assert.equal(r.text.split('---\n')[2], '\nR: I said \\{this\\} \\#not-a-code and \\@nobody, 50% \\%% not a memo \\%% \\\\#x C# a@b.org #5\n R: not a turn\n\\\\{\n');
    assert.equal(plainOf(r.text), `R: ${text.replace('\nR:', '\n R:')}\n`);
  });

  // Text over the characters that are markup somewhere, and the shapes of turns and front matter.
  const piece = fc.constantFrom('#', '@', '{', '}', '%', '%%', '\\', ':', ' ', '\t', 'a', 'é', 'Z9', '😀', '\r\n', '\n', '\r', 'R: ', 'Mum said: ', 'I:\t', '---', '(', '[', '\u00a0', '_', '-', '/', '.', '#5', '@q1');
  const words = fc.array(piece, { maxLength: 30 }).map((p) => p.join(''));
  const label = fc.constantFrom('I', 'R', 'Interviewer 1', 'SW07', 'Dr. Who', 'Jane (she/her)', '', 'A label far longer than thirty-two characters');

  it('keeps every word of arbitrary text: the plain text holds each turn as Label: text, with no markup and no error', () => {
    fc.assert(fc.property(fc.array(fc.record({ label, text: words, start: fc.option(fc.nat(400000)) }), { maxLength: 6 }), (turns) => {
      const r = renderTranscript(turns, { participant: 'P 1' });
      const model = parseTranscript(r.text);
      assert.deepEqual([model.codes.length, model.markers.length, model.spans.length, model.memos.length], [0, 0, 0, 0], r.text);
      assert.deepEqual(model.problems, [], r.text);
      // Every turn with a label, and nothing else, reads as a speaker turn, in order.
      assert.deepEqual(model.turns.map((t) => t.label), turns.filter((t) => t.label !== '').map((t) => validLabel(t.label, 'Speaker')), r.text);
      // The words, whitespace aside, are the source's, with the labels and timestamps added.
      const squash = (s: string): string => s.replace(/[\s\u0085]+/gu, ' ').trim();
      const expected = turns.map((t) => {
        const head = [t.label === '' ? '' : `${validLabel(t.label, 'Speaker')}:`, t.start === null ? '' : stamp(t.start)].filter((s) => s !== '').join(' ');
        return `${head} ${t.text}`;
      }).join(' ');
      assert.equal(squash(plainOf(r.text)), squash(expected), r.text);
    }), { numRuns: 1000 });
  });
});

function stamp(seconds: number): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `[${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}]`;
}

describe('importing a guide', () => {
  /** The guide's problems when checked as a study of its own. */
  function checked(yaml: string): string[] {
    const out: string[] = [];
    checkStudy(new MemoryStudyHost({ 'g.guide.yaml': yaml }), (_key, diagnostics) => out.push(...diagnostics.map((d) => `${d.code}: ${d.message}`)));
    return out;
  }

  it('turns the seed guide (text with bullets and a capitals heading) into a guide that passes check', () => {
    const r = guideFromBlocks(blocksFromText(readFileSync(SEED, 'utf8'), false), 'general interviews.txt');
    assert.ok(!('error' in r));
    assert.deepEqual(checked(r.yaml), []);
    const g = parseGuide(r.yaml);
    assert.equal(g.title?.value, 'Guide for ‘general interviews’ with social workers and team managers');
    assert.equal(g.id?.value, 'general-interviews');
    assert.deepEqual(g.sections.map((s) => s.title), ['Questions', 'EXTRA QUESTIONS FOR TEAM MANAGERS']);
    assert.equal(r.questions, 39);
    assert.equal(g.questions[0].text, 'Clarify interviewee’s job title, length of time in post, overall experience.');
  });

  it('takes [Q2.1]-style numbers as question IDs, nested items as follow-ups, italics as notes and prompts', () => {
    const md = '# PPP interviews\n\n*Read the consent form aloud first.*\n\n## Background\n\n1. [Q1.1] What is your **job title**?\n   - How long in post?\n   - *Probe: earlier posts*\n2. [Q1.2] How often do you use PPMs?\n\n## Closing\n\n(Thank the participant.)\n\n- Anything else?\n';
    const r = guideFromBlocks(blocksFromText(md, true), 'ppp.md');
    assert.ok(!('error' in r));
    assert.deepEqual(checked(r.yaml), []);
    assert.equal(r.yaml.split('\n').slice(3).join('\n'), `id: ppp
title: PPP interviews
note: Read the consent form aloud first.
sections:
  - id: background
    title: Background
    questions:
      - id: Q1.1
        text: What is your job title?
        prompts:
          - "Probe: earlier posts"
        followups:
          - id: long-post
            text: How long in post?
      - id: Q1.2
        text: How often do you use PPMs?
  - id: closing
    title: Closing
    note: (Thank the participant.)
    questions:
      - id: anything-else
        text: Anything else?
`);
  });

  it('reads plain bullets under headings, numbers such as 2.1, and questions written as paragraphs', () => {
    const txt = 'Parents guide\n\nPART A: YOUR FAMILY\n• How many children?\n  o Their ages?\n2.1 Who came to the meeting?\n2.1 Who chaired it?\n\nPart B: The meeting\nWhat did you think of it?\nThank them.\n';
    const r = guideFromBlocks(blocksFromText(txt, false), 'parents.txt');
    assert.ok(!('error' in r));
    assert.deepEqual(checked(r.yaml), []);
    const g = parseGuide(r.yaml);
    assert.deepEqual(g.questions.map((q) => `${q.id}${q.parentId ? ` (under ${q.parentId})` : ''}`), [
      'many-children', 'ages (under many-children)', 'came-meeting', 'chaired', 'think',
    ]);
    assert.match(r.notes.join(' '), /2\.1 stand before more than one question/);
    assert.equal(g.sections[1].note, 'Thank them.');
  });

  it('reads the headings, nested lists and italics of a Word document\'s HTML', () => {
    const html = '<p>Guide title</p><h1>Background</h1><ul><li>What is your job? &amp; team<ul><li>How long?</li><li><em>Probe gently</em></li></ul></li></ul><p><em>Read the consent aloud.</em></p><ol><li>[Q9] Anything else?</li></ol>';
    const r = guideFromBlocks(blocksFromHtml(html), 'g.docx');
    assert.ok(!('error' in r));
    assert.deepEqual(checked(r.yaml), []);
    const g = parseGuide(r.yaml);
    assert.equal(g.title?.value, 'Guide title');
    assert.deepEqual(g.questions.map((q) => `${q.id}: ${q.text}`), ['job-team: What is your job? & team', 'long: How long?', 'Q9: Anything else?']);
    assert.deepEqual(g.questions[0].prompts, ['Probe gently']);
    assert.equal(g.sections[0].note, 'Read the consent aloud.');
  });

  it('refuses a document with no question, saying what it looks for', () => {
    const r = guideFromBlocks(blocksFromText('Just a title\n\nSome words.\n', false), 'x.txt');
    assert.match((r as { error: string }).error, /holds no question/);
  });

  it('states IDs only from numbers meant as IDs, and makes the rest from the words', () => {
    assert.deepEqual(statedId('[Q2.1] How?'), { id: 'Q2.1', text: 'How?' });
    assert.deepEqual(statedId('Q3: Why?'), { id: 'Q3', text: 'Why?' });
    assert.deepEqual(statedId('1. Why?'), { text: '1. Why?' });
    assert.equal(wordsId('How long have you been in post?'), 'long-post');
    assert.equal(wordsId('Où était la réunion ?'), 'où-était-la');
  });
});

describe('the examples of docs/import.md', () => {
  const page = readFileSync(new URL('../../docs/import.md', import.meta.url), 'utf8');
  const blocks = (lang: string): string[] => [...page.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);

  it('show what the import writes for the Teams file', () => {
    const read = readVtt(blocks('vtt')[0], 'SW07.vtt');
    const r = renderTranscript(read.turns, { participant: 'SW07', guide: 'ppp-general', role: 'swr', renames: new Map([['Interviewer 1', 'I']]) });
    assert.equal(r.text, blocks('text')[0]);
  });

  it('show how words that look like markup are written', () => {
    const r = renderTranscript([
      { label: 'I', text: 'And the {reasons} she gave?', start: 842 },
      { label: 'R', text: 'She wrote #notfair and @council on the letter, 100% sure.\nI: told her it would be fine, she said.', start: 845 },
    ], { participant: 'SW12', guide: 'ppp-general', role: 'swr' });
    assert.equal(r.text, blocks('text')[1]);
    assert.match(plainOf(r.text), /^R: \[00:14:05\] She wrote #notfair and @council on the letter, 100% sure\.$/m);
  });

  it('show what the import writes for the Markdown guide', () => {
    const r = guideFromBlocks(blocksFromText(blocks('markdown')[0], true), 'ppm.md');
    assert.ok(!('error' in r));
    assert.equal(r.yaml, blocks('yaml')[0]);
  });
});
