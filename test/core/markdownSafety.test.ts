/**
 * Study text is shown, never run as markup. Whatever a researcher types into a
 * guide, a codebook or a transcript — emphasis, links, HTML, table pipes,
 * backticks — must read as those same characters in hovers (and completion
 * details, which are hover text) and in the Markdown reports.
 *
 * Checked by rendering the Markdown with markdown-it (CommonMark with tables and
 * strikethrough, raw HTML allowed, as the most permissive viewer would): the page
 * made from a study full of special characters must be the page made from a
 * study with a plain word in the same places, with the special text standing as
 * text where the word stood.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { coverageReport } from '../../server/src/core/coverage';
import { codeCounts, codedSegments } from '../../server/src/core/counts';
import { getHover } from '../../server/src/core/languageService';
import { codeCountsMarkdown, segmentsMarkdown } from '../../server/src/core/render/codeTables';
import { coverageMarkdown } from '../../server/src/core/render/coverageReport';
import { escapeMarkdownCell, escapeMarkdownText, markdownCode, markdownCodeCell } from '../../server/src/core/render/escape';
import { Study } from '../../server/src/core/study';
import { LineIndex } from '../../server/src/core/text';

const renderer = new MarkdownIt({ html: true });
const render = (markdown: string): string => renderer.render(markdown);
const asHtml = (text: string): string => renderer.utils.escapeHtml(text);

/** Text holding every Markdown and HTML special a researcher might type. */
const SPECIALS = [
  '*stars* and **double stars** _under_ __double under__',
  '[link](https://example.org) ![picture](x.png) <https://example.org>',
  '<img src=x onerror=alert(1)>',
  '<b>bold</b> <script>alert(1)</script>',
  'a | b || c',
  '`one tick` and ``two ` ticks``',
  '~~struck~~ &amp; &#60; &copy; a\\b \\ end',
  'end_ snake_case _start *',
];

/** The plain word the special text is compared with: valid wherever the special text stands (an ID, a title). */
const PLAIN = 'zqxv';

/**
 * `build` gives Markdown showing `text` somewhere. Rendered, the Markdown built
 * from `special` must be the page built from the plain word, with `special` as
 * text where the word stood.
 */
function assertShownAsText(build: (text: string) => string | undefined, special: string): void {
  const plain = build(PLAIN);
  const got = build(special);
  assert.ok(plain !== undefined && plain.includes(PLAIN), `the plain word is not shown at all: ${plain}`);
  assert.ok(got !== undefined, 'nothing was shown for the special text');
  assert.equal(render(got), render(plain).split(PLAIN).join(asHtml(special)), `for ${JSON.stringify(special)}:\n${got}`);
}

// ---------------------------------------------------------------- the escapers themselves

/** Strings over the characters that mean something in Markdown or HTML, with letters and spaces between. */
const specialText = fc.string({
  unit: fc.constantFrom(...'*_`[]()!<>|~&;#\\-=+.:/"\' abcé1'.split(''), '&amp;', '&#60;', 'a_b', '<img src=x>', '[x](y)'),
  maxLength: 40,
});

describe('the Markdown escapers', () => {
  it('make running text read exactly as written', () => {
    fc.assert(fc.property(specialText, (s) => {
      assert.equal(render(`x ${escapeMarkdownText(s)} y`), `<p>x ${asHtml(s)} y</p>\n`);
    }), { numRuns: 2000 });
  });

  it('keep the lines of running text as lines, none of them a heading, a rule or a quote', () => {
    for (const s of ['First line\n# not a heading', 'Text\n---', 'Text\n===', '---', '> not a quote', '  # indented hash', '- - -']) {
      assert.equal(render(escapeMarkdownText(s)), `<p>${asHtml(s).split('\n').map((l) => l.trim()).join('\n')}</p>\n`, s);
    }
  });

  it('make a table cell read exactly as written, on one line, without splitting the row', () => {
    fc.assert(fc.property(specialText, (s) => {
      const table = render(`| h | i |\n|---|---|\n| x ${escapeMarkdownCell(s)} y | z |`);
      assert.equal(table, `<table>\n<thead>\n<tr>\n<th>h</th>\n<th>i</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>x ${asHtml(s)} y</td>\n<td>z</td>\n</tr>\n</tbody>\n</table>\n`);
    }), { numRuns: 2000 });
    assert.match(render(`| h |\n|---|\n| ${escapeMarkdownCell('two\nlines')} |`), /<td>two lines<\/td>/);
  });

  it('put any text in a code span that nothing in it can close', () => {
    fc.assert(fc.property(specialText.filter((s) => s !== ''), (s) => {
      assert.equal(render(`x ${markdownCode(s)} y`), `<p>x <code>${asHtml(s)}</code> y</p>\n`);
      assert.match(render(`| h | i |\n|---|---|\n| ${markdownCodeCell(s)} | z |`), new RegExp(`<td><code>${escapeRegExp(asHtml(s))}</code></td>\n<td>z</td>`));
    }), { numRuns: 2000 });
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------- hovers

/** A YAML double-quoted scalar holding `s` exactly. */
const y = (s: string): string => JSON.stringify(s);

/**
 * A study whose every piece of free text is `s`, and whose guide, one role, one
 * section, one question and one code have `s` as their ID (such IDs are reported,
 * and the items stay in the study, so hovers show them).
 */
function studyWith(s: string): { study: Study; texts: Map<string, string>; guide: string; codebook: string; transcript: string } {
  const guide = `${s}.guide.yaml`;
  const codebook = `${s}.codebook.yaml`;
  const transcript = `${s}.transcript`;
  const texts = new Map<string, string>([
    [guide, `id: ${y(s)}
title: ${y(s)}
roles:
  ${y(s)}: ${y(s)}
  swr: ${y(s)}
sections:
  - id: ${y(s)}
    title: ${y(s)}
    note: ${y(s)}
    roles: [${y(s)}]
    questions:
      - id: ${y(s)}
        text: ${y(s)}
  - id: main
    title: ${y(s)}
    questions:
      - id: q1
        text: ${y(s)}
        prompts: [${y(s)}]
        followups:
          - id: q1a
            text: ${y(s)}
`],
    [codebook, `codes:
  - id: star
    label: ${y(s)}
    description: ${y(s)}
    whenToUse: ${y(s)}
    whenNotToUse: ${y(s)}
    example: ${y(s)}
    questions: [q1]
  - id: ${y(s)}
    label: ${y(s)}
`],
    [transcript, `---
guide: ${y(s)}
role: ${y(s)}
participant: ${y(s)}
---
I: @q1 What happened?
R: {${s}}#star
`],
  ]);
  const study = Study.fromFiles([...texts].map(([path, text]) => ({ uri: path, path, text })));
  return { study, texts, guide, codebook, transcript };
}

/** The hover at the `n`th occurrence (from 0) of `anchor` in a file, `into` characters past its start. */
function hoverAt(s: string, file: 'guide' | 'codebook' | 'transcript', anchor: (s: string) => string, into: number, n = 0): string | undefined {
  const st = studyWith(s);
  const uri = st[file];
  const text = st.texts.get(uri)!;
  let at = -1;
  for (let i = 0; i <= n; i++) at = text.indexOf(anchor(s), at + 1);
  assert.ok(at >= 0, `${anchor(s)} is not in ${uri}`);
  return getHover(st.study, uri, new LineIndex(text).positionAt(at + into))?.contents;
}

describe('hovers show study text as text', () => {
  for (const special of SPECIALS) {
    describe(special, () => {
      it('on a code: its label, definition fields and linked question', () => {
        assertShownAsText((s) => hoverAt(s, 'transcript', () => '#star', 2), special);
      });

      it('on a question marker: its text, section, prompts and follow-ups', () => {
        assertShownAsText((s) => hoverAt(s, 'transcript', () => '@q1', 2), special);
      });

      it('on a question whose ID holds the text: its ID, its section\'s ID and roles', () => {
        assertShownAsText((s) => hoverAt(s, 'guide', (t) => `      - id: ${y(t)}`, 14), special);
      });

      it('on a section: its ID, title, note and roles', () => {
        assertShownAsText((s) => hoverAt(s, 'guide', (t) => `  - id: ${y(t)}`, 10), special);
      });

      it('on a code whose ID holds the text', () => {
        assertShownAsText((s) => hoverAt(s, 'codebook', (t) => `  - id: ${y(t)}`, 10), special);
      });

      it('on the guide named in the front matter: its ID, title and roles', () => {
        assertShownAsText((s) => hoverAt(s, 'transcript', () => 'guide: "', 8), special);
      });

      it('on the role named in the front matter: its ID, label and guide', () => {
        assertShownAsText((s) => hoverAt(s, 'transcript', () => 'role: "', 7), special);
      });

      it('on a guide that does not exist and a question looked up without it', () => {
        const hover = (s: string, anchor: string, into: number): string | undefined => {
          const text = `---\nguide: ${y(s)}\n---\nI: @q1 What?\n`;
          const study = Study.fromFiles([{ uri: 't.transcript', path: 't.transcript', text }]);
          return getHover(study, 't.transcript', new LineIndex(text).positionAt(text.indexOf(anchor) + into))?.contents;
        };
        assertShownAsText((s) => hover(s, 'guide: "', 8), special);
        assertShownAsText((s) => hover(s, '@q1', 1), special);
      });
    });
  }
});

// ---------------------------------------------------------------- reports

describe('Markdown reports show study text as text', () => {
  for (const special of SPECIALS) {
    describe(special, () => {
      it('in the coverage report: guide, file, sections, questions, participants and roles', () => {
        assertShownAsText((s) => coverageMarkdown(coverageReport(studyWith(s).study)), special);
      });

      it('in the coverage report filtered by a value no transcript has', () => {
        assertShownAsText((s) => coverageMarkdown(coverageReport(studyWith('ppp').study, new Map([['site', new Set([s])]]))), special);
      });

      it('in the code counts: code IDs and labels', () => {
        assertShownAsText((s) => codeCountsMarkdown(codeCounts(studyWith(s).study)), special);
      });

      it('in the coded segments: participant, excerpt and file', () => {
        assertShownAsText((s) => {
          const { study, texts } = studyWith(s);
          return segmentsMarkdown(codedSegments(study, (uri) => texts.get(uri)));
        }, special);
      });
    });
  }
});
