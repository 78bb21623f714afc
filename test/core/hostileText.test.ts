/**
 * Study text written to attack whoever reads the outputs: names and excerpts that a spreadsheet would run
 * as formulas, and terminal escape sequences (colours, a cleared screen, a new window title, a hidden link)
 * in names, labels, titles and the transcript itself. CSV cells that a spreadsheet would run are written as
 * text, with `raw` to keep every value exactly; diagnostic messages, reports and import notes reach the
 * terminal with each control character shown as a visible symbol (␛ for ESC), never as itself.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { codeCounts, codedSegments } from '../../server/src/core/counts';
import { coverageReport } from '../../server/src/core/coverage';
import { diagnose } from '../../server/src/core/diagnostics';
import { printable } from '../../server/src/core/printable';
import { readRefiCodebook } from '../../server/src/core/refi/importCodebook';
import { codeCountsCsv, codeCountsMarkdown, segmentsCsv, segmentsMarkdown } from '../../server/src/core/render/codeTables';
import { coverageCsv, coverageHtml, coverageMarkdown } from '../../server/src/core/render/coverageReport';
import { csvText, safeCell } from '../../server/src/core/render/csv';
import { fixture } from '../support/fixture';

/** Control characters a terminal obeys: C0 but tab and line feed, DEL, C1. */
// eslint-disable-next-line no-control-regex -- the control characters are exactly what must be matched
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

// YAML's double quotes write the escape character as \e and BEL as \a: the study files hold the real characters.
const STUDY = fixture(`//- /g.guide.yaml
id: g
title: "\\e]0;pwned\\a Guide \\e[2J"
roles:
  swr: "\\e[31mSocial worker"
sections:
  - id: s
    title: "Section \\e[8mhidden"
    questions:
      - id: q1
        text: "Why? \\e]8;;http://evil.example\\e\\\\click\\e]8;;\\e\\\\"
      - id: q2
        text: "\\x9b31mAnd then?"
//- /c.codebook.yaml
codes:
  - id: trust
    label: "=HYPERLINK(\\"http://evil.example\\",\\"Trust\\")"
  - id: harm
    label: "\\t=cmd|' /C calc'!A0 \\e[1;31mHarm"
  - id: plain
    label: A plain label
//- /t.transcript
---
guide: g
participant: "+1 \\e[5mSW01"
role: "\\e[31mboss"
site: "@SUM(A1:A9)"
interviewer: "-2+3"
---
I: @q1 {=1+1 said \x1b[2Jhere}#trust
R: {-indented}#harm and {a plain passage}#plain
`);

const texts = (uri: string): string | undefined => STUDY.texts.get(uri);

/** CSV read back as Excel or R would read it: the cells as text. */
const cells = (csv: string): string[][] => parse(csv, { bom: true, record_delimiter: ['\r\n'], relax_column_count: false });

describe('CSV a spreadsheet will not run', () => {
  it('puts a quote before cells starting with =, +, -, @, a tab or a carriage return, and leaves others alone', () => {
    const hostile = ['=1+1', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://evil.example")'];
    const ordinary = ['', 'text', 'a=b', 'x-y', '3', '1.5', "it's", ' =not at the start'];
    for (const c of hostile) assert.equal(safeCell(c), `'${c}`, JSON.stringify(c));
    for (const c of ordinary) assert.equal(safeCell(c), c, JSON.stringify(c));
    const csv = csvText([['value'], ...hostile.map((c) => [c]), ...ordinary.map((c) => [c])]);
    assert.deepEqual(cells(csv).slice(1).map((r) => r[0]), [...hostile.map((c) => `'${c}`), ...ordinary]);
    assert.deepEqual(cells(csvText([['value'], ...hostile.map((c) => [c])], { raw: true })).slice(1).map((r) => r[0]), hostile);
  });

  it('the segments, code counts and coverage CSVs write hostile study text as text, and raw gives it back exactly', () => {
    const segments = codedSegments(STUDY.study, texts);
    const seg = cells(segmentsCsv(segments));
    assert.deepEqual(seg[0], ['file', 'participant', 'role', 'site', 'interviewer', 'question', 'code', 'start line', 'end line', 'text']);
    assert.deepEqual(seg[1], ['t.transcript', "'+1 ␛[5mSW01", '␛[31mboss', "'@SUM(A1:A9)", "'-2+3", 'q1', 'trust', '8', '8', "'=1+1 said ␛[2Jhere"]);
    assert.equal(seg[2][9], "'-indented");
    assert.equal(seg[3][9], 'a plain passage');
    const raw = cells(segmentsCsv(segments, { raw: true }));
    assert.deepEqual(raw.slice(1).map((r) => r[9]), segments.map((s) => s.excerpt));
    assert.equal(raw[1][1], '+1 \x1b[5mSW01');

    const counts = cells(codeCountsCsv(codeCounts(STUDY.study)));
    assert.deepEqual(counts.slice(1).map((r) => r[1]), ["'=HYPERLINK(\"http://evil.example\",\"Trust\")", "'\t=cmd|' /C calc'!A0 ␛[1;31mHarm", 'A plain label']);
    const coverage = cells(coverageCsv(coverageReport(STUDY.study)));
    assert.deepEqual(coverage[1].slice(2, 6), ["'+1 ␛[5mSW01", '␛[31mboss', "'@SUM(A1:A9)", "'-2+3"]);
    assert.deepEqual(cells(coverageCsv(coverageReport(STUDY.study), { raw: true }))[1].slice(2, 6), ['+1 \x1b[5mSW01', '\x1b[31mboss', '@SUM(A1:A9)', '-2+3']);
  });
});

describe('no control character reaches the terminal', () => {
  it('printable shows each control character as its symbol, and keeps tabs, line feeds and all other text', () => {
    assert.equal(printable('a\x1b[1;31mred\x1b[0m b\x1b]0;title\x07c d\x1bc\x00\x7f\x9b31m'), 'a␛[1;31mred␛[0m b␛]0;title␇c d␛c␀␡�31m');
    assert.equal(printable('over\rwritten'), 'over␍written');
    assert.equal(printable('a\r\nb', true), 'a\r\nb');
    assert.equal(printable('tab\tand\nline, é, 😀, \u00a0, “quotes”'), 'tab\tand\nline, é, 😀, \u00a0, “quotes”');
  });

  it('diagnostic messages quote hostile names, titles and texts without their control characters', () => {
    const messages = STUDY.study.documents().flatMap((d) => diagnose(STUDY.study, d.uri).flatMap((x) => [x.message, ...(x.related ?? []).map((r) => r.message)]));
    assert.ok(messages.includes("'␛[31mboss' is not a role of guide 'g' (swr: ␛[31mSocial worker)."), messages.join('\n'));
    assert.ok(messages.includes("The question 'q2' was not asked: “�31mAnd then?”"), messages.join('\n'));
    for (const m of messages) assert.doesNotMatch(m, CONTROL, JSON.stringify(m));
  });

  it('Markdown, HTML and safe CSV reports hold no control character; the raw CSV keeps them', () => {
    const report = coverageReport(STUDY.study);
    const segments = codedSegments(STUDY.study, texts);
    const outputs = {
      coverageMarkdown: coverageMarkdown(report), coverageHtml: coverageHtml(report), coverageCsv: coverageCsv(report),
      codeCountsMarkdown: codeCountsMarkdown(codeCounts(STUDY.study)), codeCountsCsv: codeCountsCsv(codeCounts(STUDY.study)),
      segmentsMarkdown: segmentsMarkdown(segments), segmentsCsv: segmentsCsv(segments),
    };
    for (const [name, text] of Object.entries(outputs)) assert.doesNotMatch(text.replace(/\r\n/g, '\n'), CONTROL, name);
    assert.match(outputs.segmentsMarkdown, /␛\\\[5mSW01/);
    assert.match(outputs.coverageHtml, /<h2>␛\]0;pwned␇ Guide ␛\[2J <small>g<\/small><\/h2>/);
    // eslint-disable-next-line no-control-regex -- the control characters are exactly what must be matched
    assert.match(segmentsCsv(segments, { raw: true }), /\x1b\[2J/);
  });

  it('import notes and errors quote names from the file without their control characters', () => {
    const qdc = '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="Trust \x1b[2J\x1b]0;pwned\x07now"/></Codes></CodeBook>';
    const r = readRefiCodebook(new TextEncoder().encode(qdc), 'x.qdc');
    assert.ok(r.ok);
    assert.deepEqual(r.codebook.notes.slice(0, 1), ["'Trust ␛[2J␛]0;pwned␇now' became 'Trust-2J0-pwnednow'."]);
    const bad = readRefiCodebook(new TextEncoder().encode('<CodeBook><Codes></CodeBook>'), 'evil\x1b[2J.qdc');
    assert.ok(!bad.ok);
    assert.doesNotMatch(bad.error, CONTROL);
  });
});
