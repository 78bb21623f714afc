/**
 * The CSV outputs (`codes`, `codes --segments`, `report`) as Excel and R read them:
 * UTF-8 (with a byte-order mark under --bom), one record per CRLF-ended line, and
 * fields with commas, quotes and line breaks quoted so that a strict CSV parser
 * (csv-parse, RFC 4180) gives back exactly the values of the JSON output.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { exampleStudy, fixtures, run } from './helpers';

const csvStudy = path.join(fixtures, 'csv-study');

const outputs = new Map<string, string>();
/** Runs the CLI (once per argument list) and returns its standard output, failing on a non-zero exit. */
function out(args: string[]): string {
  const key = args.join('\u0000');
  const cached = outputs.get(key);
  if (cached !== undefined) return cached;
  const r = run(args);
  assert.equal(r.status, 0, r.stderr);
  outputs.set(key, r.stdout);
  return r.stdout;
}

/**
 * Parses CSV strictly, as Excel and R do: a stray quote or a short row is an error, and a line break
 * outside quotes ends the record whether it is CRLF or LF (csv-parse would otherwise take the first
 * record's CRLF as the only delimiter and read an unquoted LF as text, which neither program does).
 */
function records(csv: string): Record<string, string>[] {
  return parse(csv, { bom: true, columns: true, record_delimiter: ['\r\n', '\n'], skip_empty_lines: false, relax_quotes: false, relax_column_count: false });
}

interface SegmentJson {
  code: string;
  file: string;
  participant: string;
  attributes: Record<string, string>;
  question: string | null;
  range: { start: { line: number }; end: { line: number } };
  excerpt: string;
}

describe('CSV for Excel and R', () => {
  test('--bom starts the file with the UTF-8 byte-order mark, and only then', () => {
    const withBom = Buffer.from(out(['codes', csvStudy, '--segments', '--format', 'csv', '--bom']), 'utf8');
    assert.deepEqual([...withBom.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const without = Buffer.from(out(['codes', csvStudy, '--segments', '--format', 'csv']), 'utf8');
    assert.equal(without.subarray(0, 4).toString(), 'file');
    for (const cmd of [['codes', csvStudy], ['report', csvStudy]]) {
      assert.deepEqual([...Buffer.from(out([...cmd, '--format', 'csv', '--bom']), 'utf8').subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    }
  });

  test('an excerpt with a comma, quotes, a line break and accents comes back from a CSV parser unchanged', () => {
    const rows = records(out(['codes', csvStudy, '--segments', '--format', 'csv', '--bom']));
    const json = JSON.parse(out(['codes', csvStudy, '--segments', '--format', 'json'])) as SegmentJson[];
    assert.equal(rows.length, json.length);
    assert.equal(rows[0].text, 'She said, "no way",\nand left – à bientôt');
    json.forEach((j, i) => {
      assert.deepEqual(rows[i], {
        file: j.file, participant: j.participant, role: '', site: j.attributes.site, question: j.question ?? '', code: j.code,
        'start line': String(j.range.start.line + 1), 'end line': String(j.range.end.line + 1), text: j.excerpt,
      });
    });
    assert.equal(rows[0].participant, 'Smith, J.');
    assert.equal(rows[0].site, 'The "Old" Mill, Leeds');
    assert.equal(rows[1].code, 'émotion');
    assert.equal(rows[3].text, 'A plain line\nand another plain line', 'a line break alone is quoted too');
  });

  test('records end in CRLF while a line break inside a field stays as written', () => {
    const csv = out(['codes', csvStudy, '--segments', '--format', 'csv']);
    assert.ok(csv.startsWith('file,participant,role,site,question,code,start line,end line,text\r\n'));
    assert.ok(csv.endsWith('\r\n'));
    assert.match(csv, /"She said, ""no way"",\nand left – à bientôt"\r\n/);
  });

  test('code counts: a label with a comma and quotes reads back as the JSON label', () => {
    const rows = records(out(['codes', csvStudy, '--format', 'csv', '--bom']));
    const json = JSON.parse(out(['codes', csvStudy, '--format', 'json'])) as { code: string; label: string; segments: number }[];
    assert.deepEqual(rows.map((r) => [r.code, r.label, Number(r.segments)]), json.map((j) => [j.code, j.label, j.segments]));
    assert.equal(rows[0].label, 'Help, "real" help');
  });

  test('the coverage report: participants and attributes with commas and quotes read back intact', () => {
    const rows = records(out(['report', csvStudy, '--format', 'csv', '--bom']));
    assert.equal(rows.length, 1);
    assert.equal(rows[0].participant, 'Smith, J.');
    assert.equal(rows[0].site, 'The "Old" Mill, Leeds');
    assert.equal(rows[0].q1, 'asked');
  });

  test('every CSV of the example study parses strictly, with as many rows as the JSON', () => {
    const segments = records(out(['codes', exampleStudy, '--segments', '--format', 'csv', '--bom']));
    assert.equal(segments.length, (JSON.parse(out(['codes', exampleStudy, '--segments', '--format', 'json'])) as unknown[]).length);
    const excerpts = (JSON.parse(out(['codes', exampleStudy, '--segments', '--format', 'json'])) as SegmentJson[]).map((s) => s.excerpt);
    assert.deepEqual(segments.map((s) => s.text), excerpts);
    const counts = records(out(['codes', exampleStudy, '--format', 'csv']));
    assert.equal(counts.length, (JSON.parse(out(['codes', exampleStudy, '--format', 'json'])) as unknown[]).length);
    const report = records(out(['report', exampleStudy, '--format', 'csv']));
    assert.equal(report.length, 5);
  });
});
