/**
 * The transcript front matter is read without the YAML parser when it is plain
 * `key: value` lines (nearly every transcript), and by the parser otherwise. The
 * two must agree exactly: these tests compare them on the same front matter, forcing
 * the parser with a trailing comment line (which changes nothing the model holds).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readPlainFrontMatter, parseTranscript } from '../../server/src/core/transcript';
import type { FrontMatter, TranscriptModel } from '../../server/src/core/model';
import { LineIndex } from '../../server/src/core/text';

const BODY = 'I: @reasons Why?\nR: Because. #aim\n';

function transcript(frontMatter: string, eol: string): string {
  return `---${eol}${frontMatter}---${eol}${BODY}`;
}

/** Whether the plain reader accepts this front matter (the close fence is the last line before the body). */
function readsPlain(text: string): boolean {
  const lines = new LineIndex(text);
  let close = 1;
  while (!/^---\s*$/.test(text.slice(lines.starts[close], lines.ends[close]))) close++;
  const fm: FrontMatter = { start: 0, end: 0, yamlStart: 0, yamlEnd: 0, skippedForm: 'none', skipped: [], attributes: [] };
  return readPlainFrontMatter(text, lines, close, fm);
}

/** What the model holds of the front matter, without the offsets the forcing comment moves. */
function essence(model: TranscriptModel): unknown {
  const fm = model.frontMatter;
  if (!fm) return undefined;
  const { end: _end, yamlEnd, ...rest } = fm;
  return { ...rest, problems: model.problems.filter((p) => p.start < yamlEnd) };
}

/** Compares the plain reading with the parser's when the plain reader takes the front matter; returns whether it did. */
function assertSameAsParser(frontMatter: string, eol = '\n'): boolean {
  const plain = transcript(frontMatter, eol);
  if (!readsPlain(plain)) return false; // The parser reads it either way.
  const forced = transcript(`${frontMatter}# forces the YAML parser${eol}`, eol);
  assert.equal(readsPlain(forced), false, 'a comment line must leave the front matter to the YAML parser');
  assert.deepStrictEqual(essence(parseTranscript(plain)), essence(parseTranscript(forced)), JSON.stringify(frontMatter));
  return true;
}

describe('front matter read without the YAML parser', () => {
  it('reads the usual front matter exactly as the YAML parser does', () => {
    const fm = [
      'guide: ppp-general', 'participant: SW07', 'role: swr', 'date: 2011-05-12', 'site: Ynys Môn',
      'years-qualified: 016', 'consent: True', 'interviewer: Zoë “Z” O’Neill', "team: Children's services, north",
      'skipped:', '  whose-idea: answered under reasons – see [00.12.31]', '  hopes: ran out of time', '',
    ].join('\n');
    assert.equal(assertSameAsParser(fm), true);
    assert.equal(assertSameAsParser(fm.replace(/\n/g, '\r\n'), '\r\n'), true);
    assert.equal(assertSameAsParser(fm.replace(/\n/g, '\r'), '\r'), true);
  });

  it('reads `skipped` as a list, as one ID, or empty, exactly as the YAML parser does', () => {
    assert.equal(assertSameAsParser('guide: g\nskipped:\n    - whose-idea\n    - Q3.2\n'), true);
    assert.equal(assertSameAsParser('skipped: whose-idea\nrole: tm\n'), true);
    assert.equal(assertSameAsParser('skipped:\nrole: tm\n'), true);
  });

  it('leaves anything unusual to the YAML parser', () => {
    for (const fm of [
      'guide: "ppp-general"\n', 'site:\n', 'site: ~\n', 'site: null\n', 'site: a # note\n', 'time: 10:30\n',
      'speakers: [I, R]\n', 'a: 1\na: 2\n', 'true: x\n', 'name with spaces: x\n', '\nguide: g\n', 'guide: g\n  more\n',
      'skipped:\n- a\n', 'skipped:\n  - a\n   - b\n', 'skipped:\n  a: x\n  a: y\n', 'skipped:\n  a:\n', 'list: [a, b]\n',
      'site: - x\n', 'site: |\n  x\n', 'site:\ta\n', 'key:value\n', 'skipped:\n  True: a\n  true: b\n', 'skipped:\n  1: a\n  01: b\n',
    ]) {
      assert.equal(assertSameAsParser(fm), false, JSON.stringify(fm));
    }
  });

  it('agrees with the YAML parser on any front matter made of likely and unlikely lines', () => {
    const chars = [...'aB10 :#-.,[{"\'é–\\~!&*|>%@`?', '\t', '😀', '\u00a0'];
    const scalar = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('ppp-general', 'swr', 'Borough A', 'Ynys Môn', 'whose-idea', 'Q3.2', '2010-01-01', 'ran out of time', '16') },
      fc.constantFrom(
        '', ' ', 'ppp-general', 'swr', '016', '0x1F', '1e3', '.inf', '.NaN', 'true', 'True', 'FALSE', 'null', 'Null', '~',
        'Borough A', 'Ynys Môn', "mum's", 'a "b"', 'a, b', 'a [b]', 'C#', 'a #b', 'a:b', 'a: b', '- x', '-x', '? x', '|',
        '&a', '*a', '!t', '%x', '@x', '`x', "'q'", '"q"', 'x  ', 'a\\b', '😀', 'yes', 'off', '2010-01-01', '+1', '-1',
        '1_000', '0o17', '.5', 'x:', 'x :', 'Q3.2', 'whose-idea', '2.50', '-3.5e2', '12', '9007199254740993',
        '[PO, AM]', '[1, 2.5, "3", true]', '[]',
      ),
      fc.string({ unit: fc.constantFrom(...chars), maxLength: 10 }),
    );
    const key = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('guide', 'role', 'participant', 'skipped', 'site', 'date', 'years-qualified', '_x', 'K-9') },
      fc.constantFrom('true', 'Null', 'speakers', 'a b', 'x.y', 'é', 'Site', 'skipped'),
    );
    const indent = fc.constantFrom(' ', '  ', '  ', '    ', '\t');
    const entry = fc.oneof(
      { weight: 12, arbitrary: fc.tuple(key, scalar).map(([k, v]) => `${k}: ${v}\n`) },
      { weight: 1, arbitrary: key.map((k) => `${k}:\n`) },
      { weight: 2, arbitrary: fc.tuple(indent, fc.array(scalar, { minLength: 1, maxLength: 3 })).map(([i, vs]) => `skipped:\n${vs.map((v) => `${i}- ${v}\n`).join('')}`) },
      { weight: 2, arbitrary: fc.tuple(indent, fc.array(fc.tuple(scalar, scalar), { minLength: 1, maxLength: 3 })).map(([i, ps]) => `skipped:\n${ps.map(([a, b]) => `${i}${a}: ${b}\n`).join('')}`) },
      { weight: 1, arbitrary: fc.constantFrom('\n', '# note\n', '  continued\n', '- x\n', '  - y\n') },
    );
    let plain = 0;
    let runs = 0;
    fc.assert(fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\r\n', '\r'), (entries, eol) => {
      runs++;
      if (assertSameAsParser(entries.join('').replace(/\n/g, eol), eol)) plain++;
    }), { numRuns: 3000 });
    // The comparison means something only if the plain reader took a fair share of the cases.
    assert.ok(plain > runs / 10, `only ${plain} of ${runs} front matters were read without the parser`);
  });
});

describe('a key given twice in the front matter', () => {
  it('is read the first time, as in guides and codebooks, and reported where it is given again', () => {
    const text = transcript('guide: first\nsite: A\nrole: swr\nguide: second\nsite: B\nskipped: [q1]\nskipped: [q2]\n', '\n');
    const model = parseTranscript(text);
    const fm = model.frontMatter!;
    assert.equal(fm.guide?.value, 'first');
    assert.equal(text.slice(fm.guideLine!.start, fm.guideLine!.end), 'guide: first');
    assert.deepEqual(fm.attributes.map((a) => `${a.key}=${a.value}`), ['site=A']);
    assert.deepEqual(fm.skipped.map((s) => s.id), ['q1']);
    assert.deepEqual(model.problems.map((p) => `${p.code} '${text.slice(p.start, p.end)}' ${p.message}`), [
      "invalid-front-matter 'guide' `guide` is given twice in the front matter: keep one (only the first is read).",
      "invalid-front-matter 'site' `site` is given twice in the front matter: keep one (only the first is read).",
      "invalid-front-matter 'skipped' `skipped` is given twice in the front matter: keep one (only the first is read).",
    ]);
  });

  it('is read the first time whatever form either value takes', () => {
    for (const [fm, guide] of [
      ['guide: "first"\nguide: second\n', 'first'],
      ['guide: first\nguide: "second"\n', 'first'],
      ['guide: first # note\nguide:\n', 'first'],
      ['guide:\nguide: second\n', undefined],
    ] as const) {
      const model = parseTranscript(transcript(fm, '\n'));
      assert.equal(model.frontMatter?.guide?.value, guide, JSON.stringify(fm));
      assert.deepEqual(model.problems.map((p) => p.message), ['`guide` is given twice in the front matter: keep one (only the first is read).'], JSON.stringify(fm));
    }
  });

  it('leaves a key repeated inside `skipped` to the YAML reader\'s own message', () => {
    const text = transcript('skipped:\n  a: x\n  a: y\nskipped: [b]\n', '\n');
    const model = parseTranscript(text);
    assert.deepEqual(model.problems.map((p) => `'${text.slice(p.start, p.end)}' ${p.message}`), [
      "'a' The front matter is not valid YAML: Map keys must be unique.",
      "'skipped' `skipped` is given twice in the front matter: keep one (only the first is read).",
    ]);
  });
});
