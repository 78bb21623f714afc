import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { makeUnreadable } from '../host/helpers';
import { parseFixture } from '../support/fixture';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const EXAMPLE = path.join(ROOT, 'examples/ppp-study');

function run(args: string[], cwd = ROOT): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Writes a multi-file fixture into a new temporary study folder. */
function study(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tc-cli-'));
  for (const f of parseFixture(text)) {
    const file = path.join(dir, f.path);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, f.text);
  }
  return dir;
}

const SMALL = `//- /g.guide.yaml
id: g
title: Small guide
roles:
  swr: Social worker
  tm: Team manager
sections:
  - id: s1
    title: First
    questions:
      - id: q1
        text: First question?
      - id: q2
        text: Second question?
//- /c.codebook.yaml
codes:
  - id: benefit
    label: Benefits
    children:
      - id: family
        label: For the family
  - id: unused
    label: Never used
//- /a.transcript
---
guide: g
participant: <img src=x onerror=alert(1)>
role: swr
site: "Borough, A"
---
I: @q1 Hello?
R: {Fine, "really"}#benefit/family #benefit
I: @q2 And?
R: Yes. #emerging
//- /sub/b.transcript
---
guide: g
participant: TM1
role: tm
---
I: @q1 Hi
R: {Good}#benefit/family
`;

describe('transcript-coder check', () => {
  it('prints the example study\'s diagnostics like a compiler, sorted, and exits 0 without errors', () => {
    const r = run(['check', 'examples/ppp-study']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    const summary = lines.pop()!;
    assert.match(summary, /^\d+ warnings?, \d+ notes? in \d+ of \d+ files\.$/);
    assert.ok(lines.length >= 5);
    for (const line of lines) assert.match(line, /^examples\/ppp-study\/[\w./-]+\.transcript:\d+:\d+: (warning|information) [a-z-]+: .+/);
    const keys = lines.map((l) => { const m = /^(.*?):(\d+):(\d+):/.exec(l)!; return [m[1], Number(m[2]), Number(m[3])] as const; });
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]));
    assert.deepEqual(keys, sorted);
    for (const code of ['unasked-question', 'missing-section', 'unknown-code', 'deprecated-code']) assert.ok(r.stdout.includes(` ${code}: `), code);
  });

  it('prints paths relative to the current folder', () => {
    const r = run(['check', '.'], EXAMPLE);
    assert.match(r.stdout, /^sw\d\d-[\w-]+\.transcript:\d+:\d+: /m);
  });

  it('exits 1 when the study has an error, and prints JSON with LSP ranges on request', () => {
    const dir = study(`${SMALL}//- /c.transcript\n---\nguide: g\nrole: swr\n---\nI: @q3 {unclosed\n`);
    const text = run(['check', dir]);
    assert.equal(text.status, 1);
    assert.match(text.stdout, /c\.transcript:5:4: error unknown-question: The question '@q3' is not in guide 'g'\. Did you mean `@q1` or `@q2`\?/);
    assert.match(text.stdout, /c\.transcript:5:8: error unclosed-span: /);
    const json = run(['check', dir, '--format', 'json']);
    assert.equal(json.status, 1);
    const items = JSON.parse(json.stdout) as { file: string; range: unknown; severity: string; code: string; message: string }[];
    const unknown = items.find((d) => d.code === 'unknown-question')!;
    assert.deepEqual(unknown, {
      file: 'c.transcript', range: { start: { line: 4, character: 3 }, end: { line: 4, character: 6 } },
      severity: 'error', code: 'unknown-question', message: unknown.message,
    });
    assert.ok(items.some((d) => d.file === 'a.transcript' && d.code === 'unknown-code'));
  });

  it('reports two transcripts of one guide that name the same participant, in both files, sorted with their other problems', () => {
    const dir = study(`${SMALL}//- /coder-b/b.transcript\n---\nguide: g\nparticipant: " TM1"\nrole: tm\n---\nI: @q1 Hi\n`);
    const r = run(['check', '.'], dir);
    const lines = r.stdout.split('\n').filter((l) => l.includes('duplicate-participant'));
    assert.deepEqual(lines.map((l) => l.replace(/: The participant.*/, '')), [
      'coder-b/b.transcript:3:15: warning duplicate-participant',
      'sub/b.transcript:3:14: warning duplicate-participant',
    ]);
    assert.match(lines[1], /The participant 'TM1' is also the participant of coder-b\/b\.transcript \(guide 'g'\)/);
    const json = JSON.parse(run(['check', dir, '--format', 'json']).stdout) as { file: string; code: string }[];
    assert.deepEqual(json.filter((d) => d.code === 'duplicate-participant').map((d) => d.file), ['coder-b/b.transcript', 'sub/b.transcript']);
  });

  it('finds a shared participant however the front matter is written: long, with CRLF line breaks, in UTF-16', () => {
    const long = `---\r\nguide: g\r\nnote: "${'a long note '.repeat(400)}"\r\nparticipant: TM1\r\nrole: tm\r\n---\r\nI: @q1 Hi\r\n`;
    const dir = study(`${SMALL}//- /long.transcript\n${long}`);
    const utf16 = `\uFEFF---\nguide: g\nparticipant: TM1\nrole: tm\n---\nI: @q1 Hi\n`;
    writeFileSync(path.join(dir, 'wide.transcript'), Buffer.from(utf16, 'utf16le'));
    const json = JSON.parse(run(['check', dir, '--format', 'json']).stdout) as { file: string; code: string; range: { start: { line: number; character: number } } }[];
    assert.deepEqual(json.filter((d) => d.code === 'duplicate-participant').map((d) => `${d.file} ${d.range.start.line}:${d.range.start.character}`),
      ['long.transcript 3:13', 'sub/b.transcript 2:13', 'wide.transcript 2:13']);
  });

  it('applies severities and exclusions from the folder\'s .vscode/settings.json', () => {
    const dir = study(`${SMALL}//- /drafts/c.transcript\n---\nguide: g\nrole: swr\n---\nI: @nope\n//- /.vscode/settings.json
{
  // as VS Code writes it, comments and all
  "transcriptCoder.diagnostics.severity": { "unknown-code": "error", "unasked-question": "off" },
  "transcriptCoder.exclude": ["drafts/**"],
}
`);
    const items = JSON.parse(run(['check', dir, '--format', 'json']).stdout) as { file: string; code: string; severity: string }[];
    assert.ok(!items.some((d) => d.file.startsWith('drafts/')), 'excluded files are not checked');
    assert.equal(items.find((d) => d.code === 'unknown-code')?.severity, 'error');
    assert.ok(!items.some((d) => d.code === 'unasked-question'));
    assert.equal(run(['check', dir]).status, 1);
  });

  it('warns about settings it cannot use, and only about those', () => {
    const dir = study(`${SMALL}//- /.vscode/settings.json
{ "transcriptCoder.diagnostics.severity": { "unknown-code": "loud", "no-such-code": "off" }, "transcriptCoder.exclude": "drafts" }
`);
    const r = run(['check', dir]);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 3, r.stderr);
    assert.match(lines[0], /^transcript-coder: warning: transcriptCoder\.diagnostics\.severity in \.vscode\/settings\.json sets 'unknown-code' to "loud"; use error, warning, information, hint or off\.$/);
    assert.match(lines[1], /names 'no-such-code', which is no problem code/);
    assert.match(lines[2], /transcriptCoder\.exclude in \.vscode\/settings\.json must be a list of patterns/);
    assert.equal(r.status, 0, 'warnings about settings do not fail the check');
    const good = study(`${SMALL}//- /.vscode/settings.json\n{ "transcriptCoder.exclude": ["drafts/**"], // fine\n}\n`);
    assert.equal(run(['check', good]).stderr, '');
  });

  it('points a YAML error found at the end of a file at its last line, one the file has', () => {
    const guide = 'id: g\ntitle: T\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: q\n        text: "Unclosed?\n';
    const dir = study(`//- /g.guide.yaml\n${guide}`);
    const r = run(['check', dir]);
    assert.equal(r.status, 1);
    const lines = guide.split('\n').length - 1;
    assert.equal(lines, 8);
    assert.match(r.stdout, /g\.guide\.yaml:8:9: error yaml-syntax: This is not valid YAML: Missing closing "quote\./);
  });

  it('fails with exit status 2 when a folder holds no study files (a mistyped folder must not pass in CI)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tc-empty-'));
    const r = run(['check', dir]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^transcript-coder: no study files in .*tc-empty-\w+ \(no \*\.guide\.yaml, \*\.codebook\.yaml or \*\.transcript\): check the folder's name\n$/);
  });
});

describe('transcript-coder report', () => {
  it('prints a Markdown coverage report of the example study', () => {
    const r = run(['report', 'examples/ppp-study']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^# Coverage report/);
    assert.match(r.stdout, /^## ppp-general — /m);
    assert.match(r.stdout, /^\| SW01 \| swr \| 28\/29 \| 97% \| venue \| whose-idea \(answered under reasons – [^|]*\) \| sw01-borough-a\.transcript \|$/m);
  });

  it('gives the JSON of the contract, with cells for every question', () => {
    const dir = study(SMALL);
    const report = JSON.parse(run(['report', dir, '--format', 'json']).stdout);
    assert.equal(report.guides.length, 1);
    const g = report.guides[0];
    assert.equal(g.id, 'g');
    assert.deepEqual(g.transcripts.map((t: { file: string; participant: string; role: string | null; asked: number; expected: number; cells: object }) => [t.file, t.participant, t.role, t.asked, t.expected, t.cells]), [
      ['a.transcript', '<img src=x onerror=alert(1)>', 'swr', 2, 2, { q1: 'asked', q2: 'asked' }],
      ['sub/b.transcript', 'TM1', 'tm', 1, 2, { q1: 'asked', q2: 'not-asked' }],
    ]);
    assert.deepEqual(g.sections[0].questions.map((q: { id: string }) => q.id), ['q1', 'q2']);
  });

  it('keeps only the transcripts --where selects', () => {
    const dir = study(SMALL);
    const report = JSON.parse(run(['report', dir, '--format', 'json', '--where', 'role=tm']).stdout);
    assert.deepEqual(report.guides[0].transcripts.map((t: { participant: string }) => t.participant), ['TM1']);
    const none = JSON.parse(run(['report', dir, '--format', 'json', '--where', 'role=tm', '--where', 'site=Borough, A']).stdout);
    assert.deepEqual(none.guides[0].transcripts, []);
  });

  it('lists a transcript whose guide was not found in every format, apart from the coverage it is not counted in', () => {
    const dir = study(`${SMALL}//- /z.transcript\n---\nguide: g-old\nparticipant: Z9 <script>alert(1)</script>\nrole: tm\n---\nI: @q1 Hello?\n`);
    const md = run(['report', dir]);
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.stdout, /^## Transcripts whose guide was not found$/m);
    assert.match(md.stdout, /^\| Z9 \\<script\\>alert\(1\)\\<\/script\\> \| `g-old`: no guide has this ID \| z\.transcript \|$/m);
    assert.match(md.stdout, /^2 transcripts · 3 of 4 expected questions asked/m);
    const json = JSON.parse(run(['report', dir, '--format', 'json']).stdout);
    assert.deepEqual(json.unresolved, [{ file: 'z.transcript', participant: 'Z9 <script>alert(1)</script>', role: 'tm', attributes: {}, guide: 'g-old' }]);
    assert.deepEqual(json.guides[0].transcripts.map((t: { file: string }) => t.file), ['a.transcript', 'sub/b.transcript']);
    const csv = run(['report', dir, '--format', 'csv']).stdout.split('\r\n');
    assert.equal(csv[0], 'guide,guide found,file,participant,role,site,asked,expected,percent,q1,q2');
    assert.equal(csv[3], 'g-old,no,z.transcript,Z9 <script>alert(1)</script>,tm,,,,,,');
    const html = run(['report', dir, '--format', 'html']).stdout;
    assert.ok(html.includes('<tr><td>Z9 &lt;script&gt;alert(1)&lt;/script&gt;</td><td><code>g-old</code>: no guide has this ID</td><td>z.transcript</td></tr>'), html);
    assert.ok(!html.includes('<script'), 'study text must not become markup');
  });

  it('escapes study text in the HTML report', () => {
    const html = run(['report', study(SMALL), '--format', 'html']).stdout;
    assert.ok(!html.includes('<img src=x'), 'the participant label must not become markup');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  });

  it('gives the HTML report a policy that lets no script run and nothing load, and keeps an injected script as text', () => {
    const dir = study(SMALL.replace('text: Second question?', 'text: "Second</title><script>alert(1)</script>?"').replace('participant: TM1', 'participant: "<script>fetch(1)</script>"'));
    const html = run(['report', dir, '--format', 'html']).stdout;
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1].replace(/&#39;/g, "'");
    const style = /<style>([^]*?)<\/style>/.exec(html)?.[1] ?? '';
    assert.equal(policy, `default-src 'none'; style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'; base-uri 'none'; form-action 'none'`);
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<title>'), 'the policy comes before anything it governs');
    assert.equal(html.includes('<script'), false);
    assert.ok(html.includes('&lt;script&gt;fetch(1)&lt;/script&gt;') && html.includes('Second&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;?'));
  });

  it('writes CSV with one row per transcript and quoted fields', () => {
    const csv = run(['report', study(SMALL), '--format', 'csv', '--bom']).stdout;
    assert.ok(csv.startsWith('\ufeffguide,file,participant,role,site,asked,expected,percent,q1,q2\r\n'), csv);
    assert.ok(csv.includes('g,a.transcript,<img src=x onerror=alert(1)>,swr,"Borough, A",2,2,100,asked,asked\r\n'));
  });
});

/** A guide as researchers write them: no roles, a conditional follow-up, a follow-up of a follow-up, a retired question. */
const WRITTEN = `//- /g.guide.yaml
id: g
title: Guide
sections:
  - id: s1
    title: First
    questions:
      - id: q1
        text: Have you used the service?
        followups:
          - id: q1a
            text: What was it like?
            condition: if yes to q1
            followups:
              - id: q1a-more
                text: Tell me more?
      - id: q2
        text: Second question?
      - id: pilot
        text: Dropped after the pilot?
        retired: true
//- /a.transcript
---
participant: P1
skipped:
  q2: ran out of time
---
I: @q1 @q1a @q1a-more @pilot Hello?
R: Fine.
`;

describe('transcript-coder report on a guide with conditions, retired questions and skip reasons', () => {
  const dir = study(WRITTEN);
  const report = (format: string): string => {
    const r = run(['report', dir, '--format', format]);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };

  it('Markdown: no Role column without roles, the skip reason, indented follow-ups, the condition, retired questions apart', () => {
    const md = report('md').split('\n');
    for (const line of [
      '| Participant | Asked | Coverage | Not asked | Skipped | File |',
      '| P1 | 1/1 | 100% | — | q2 (ran out of time) | a.transcript |',
      '| ↳ q1a: What was it like? *(if yes to q1)* | ✓ | asked in 1 |',
      '| · ↳ q1a-more: Tell me more? | ✓ | asked in 1 |',
      '#### Retired questions',
      '| pilot: Dropped after the pilot? | ✓ | asked in 1 |',
    ]) assert.ok(md.includes(line), `no line\n${line}\nin\n${md.join('\n')}`);
  });

  it('CSV: no role column, a skip reasons column, the condition and the retired question in the headings', () => {
    assert.deepEqual(report('csv').split('\r\n'), [
      'guide,file,participant,asked,expected,percent,skip reasons,q1,q1a (if yes to q1),q1a-more,q2,pilot (retired)',
      'g,a.transcript,P1,1,1,100,q2: ran out of time,asked,asked,asked,skipped,asked',
      '',
    ]);
  });

  it('JSON: the condition and the retired flag on their questions, the skip reason on its transcript', () => {
    const g = JSON.parse(report('json')).guides[0];
    const qs = g.sections[0].questions as { id: string; condition?: string; retired?: boolean }[];
    assert.deepEqual(qs.map((q) => [q.id, q.condition ?? null, q.retired ?? false]), [
      ['q1', null, false], ['q1a', 'if yes to q1', false], ['q1a-more', null, false], ['q2', null, false], ['pilot', null, true],
    ]);
    assert.deepEqual(g.transcripts[0].skipReasons, { q2: 'ran out of time' });
    assert.equal(g.transcripts[0].expected, 1);
  });

  it('HTML: the condition, the indented follow-up, the retired questions and the skip reason', () => {
    const html = report('html');
    assert.match(html, /<code>q1a<\/code> What was it like\? <small class="condition">\(if yes to q1\)<\/small>/);
    assert.match(html, /<th class="question followup depth-2" title="Tell me more\?">/);
    assert.match(html, /Retired questions <small>/);
    assert.match(html, /<li>P1: q2 \(ran out of time\)<\/li>/);
  });
});

describe('transcript-coder codes', () => {
  it('counts every codebook code, totals with descendants, and unknown codes', () => {
    const rows = JSON.parse(run(['codes', study(SMALL), '--format', 'json']).stdout) as Record<string, unknown>[];
    const pick = (r: Record<string, unknown>) => [r.code, r.known, r.parent, r.segments, r.transcripts, r.totalSegments, r.totalTranscripts];
    assert.deepEqual(rows.map(pick), [
      ['benefit', true, null, 1, 1, 3, 2],
      ['benefit/family', true, 'benefit', 2, 2, 2, 2],
      ['unused', true, null, 0, 0, 0, 0],
      ['emerging', false, null, 1, 1, 1, 1],
    ]);
    assert.deepEqual(Object.keys(rows[0]).filter((k) => ['code', 'label', 'known', 'segments', 'transcripts', 'totalSegments', 'totalTranscripts'].includes(k)).length, 7);
  });

  it('lists coded segments with excerpts, questions and case data', () => {
    const rows = JSON.parse(run(['codes', study(SMALL), '--segments', '--format', 'json']).stdout) as Record<string, unknown>[];
    assert.deepEqual(rows.map((r) => [r.code, r.file, r.participant, r.question, r.excerpt]), [
      ['benefit/family', 'a.transcript', '<img src=x onerror=alert(1)>', 'q1', 'Fine, "really"'],
      ['benefit', 'a.transcript', '<img src=x onerror=alert(1)>', 'q1', 'Fine, "really"'],
      ['emerging', 'a.transcript', '<img src=x onerror=alert(1)>', 'q2', 'R: Yes.'],
      ['benefit/family', 'sub/b.transcript', 'TM1', 'q1', 'Good'],
    ]);
    assert.deepEqual(rows[0].attributes, { site: 'Borough, A' });
    assert.deepEqual(rows[0].range, { start: { line: 7, character: 4 }, end: { line: 7, character: 18 } });
    assert.equal(rows[0].role, 'swr');
  });

  it('names every question of an answer region shared by markers in one paragraph, in JSON, CSV and Markdown', () => {
    const dir = study(`//- /g.guide.yaml
id: g
title: Shared
sections:
  - id: s
    title: S
    questions:
      - id: fairness
        text: Fair?
      - id: privacy
        text: Private?
//- /t.transcript
---
guide: g
---
I: @fairness @privacy Is it fair, and private?
R: {Both matter}#view
`);
    const rows = JSON.parse(run(['codes', dir, '--segments', '--format', 'json']).stdout) as Record<string, unknown>[];
    assert.deepEqual(rows.map((r) => [r.code, r.questions, r.question]), [['view', ['fairness', 'privacy'], 'fairness']]);
    const csv = run(['codes', dir, '--segments', '--format', 'csv']).stdout.trim().split(/\r?\n/);
    assert.deepEqual(csv, ['file,participant,role,question,code,start line,end line,text', 't.transcript,t,,fairness; privacy,view,5,5,Both matter']);
    assert.match(run(['codes', dir, '--segments']).stdout, /^\| `view` \| t \| `fairness`, `privacy` \| 5 \| Both matter \| t\.transcript \|$/m);
  });

  it('keeps front-matter types in JSON, and `--where` on a list keeps transcripts whose list holds the value', () => {
    const dir = study(`//- /a.transcript
---
coders: [PO, AM]
years: 12
date: 2011-05-12
---
R: Fine. #view
//- /b.transcript
---
coders: [PO]
years: 3.5
---
R: Good. #view
`);
    const rows = JSON.parse(run(['codes', dir, '--segments', '--format', 'json']).stdout) as Record<string, unknown>[];
    assert.deepEqual(rows.map((r) => r.attributes), [{ coders: ['PO', 'AM'], years: 12, date: '2011-05-12' }, { coders: ['PO'], years: 3.5 }]);
    const kept = (where: string): unknown[] => (JSON.parse(run(['codes', dir, '--segments', '--format', 'json', '--where', where]).stdout) as Record<string, unknown>[]).map((r) => r.file);
    assert.deepEqual(kept('coders=AM'), ['a.transcript']);
    assert.deepEqual(kept('coders=PO'), ['a.transcript', 'b.transcript']);
    assert.deepEqual(kept('years=3.5'), ['b.transcript']);
    const csv = run(['codes', dir, '--segments', '--format', 'csv']).stdout.trim().split(/\r?\n/);
    assert.equal(csv[0], 'file,participant,role,coders,years,date,question,code,start line,end line,text');
    assert.equal(csv[1], 'a.transcript,a,,PO; AM,12,2011-05-12,,view,6,6,R: Fine.');
  });

  it('prints Markdown tables by default, with unknown codes apart', () => {
    const md = run(['codes', study(SMALL)]).stdout;
    assert.match(md, /^\| `benefit` \| Benefits \| 1 \| 1 \| 3 \| 2 \|$/m);
    assert.match(md, /^## Not in codebook$/m);
  });
});

describe('matrix', () => {
  it('prints the table in every format, and asks for --by when it is missing', () => {
    const dir = study(`//- /t.transcript
---
role: swr
---
R: {Fine}#view #money
`);
    const json = JSON.parse(run(['matrix', dir, '--by', 'role', '--format', 'json']).stdout) as Record<string, unknown>;
    assert.deepEqual(json, {
      by: 'role', exact: false, columns: [{ key: 'swr', label: 'swr', size: 1 }],
      rows: [
        { code: 'money', label: 'money', known: false, depth: 0, cells: { swr: { segments: 1, transcripts: 1 } } },
        { code: 'view', label: 'view', known: false, depth: 0, cells: { swr: { segments: 1, transcripts: 1 } } },
      ],
    });
    assert.match(run(['matrix', dir, '--by', 'code']).stdout, /^\| `money` \(not in codebook\) \| 1 \(1\) \| 1 \(1\) \|$/m);
    assert.equal(run(['matrix', dir, '--by', 'transcript', '--format', 'csv']).stdout.split(/\r?\n/)[1], 'money,money,false,0,1,1');
    assert.match(run(['matrix', dir, '--by', 'role', '--format', 'html']).stdout, /<td[^>]*>1 \(1\)<\/td>/);
    const missing = run(['matrix', dir]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /matrix needs --by/);
  });
});

describe('command-line errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['a missing folder', ['check', 'no/such/folder'], /no such folder: no\/such\/folder/],
    ['an unknown format', ['report', '.', '--format', 'pdf'], /unknown format 'pdf'/],
    ['an unknown option', ['check', '--colour'], /--colour/],
    ['a --where without =', ['codes', '.', '--where', 'role'], /--where needs KEY=VALUE/],
    ['two folders', ['check', 'a', 'b'], /one folder/],
    ['an option the command does not take', ['check', '.', '--where', 'role=tm'], /^transcript-coder: check does not take the option --where/],
    ['an option without its value', ['report', '.', '--where'], /^transcript-coder: --where needs a value/],
  ];
  for (const [what, args, message] of cases) {
    it(`gives one line and exit status 2 for ${what}`, () => {
      const r = run(args);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, message);
    });
  }

  it('prints help with --help and exits 0', () => {
    const r = run(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /transcript-coder check \[folder\]/);
  });
});

describe('files that cannot be read', () => {
  /** SMALL with one more transcript that cannot be read, and the reason the CLI should give. */
  function withUnreadable(): { dir: string; reason: string } {
    const dir = study(SMALL);
    const reason = makeUnreadable(dir, 'sub/locked.transcript');
    return { dir, reason };
  }

  const commands: [string, (dir: string) => string[], string][] = [
    ['check', (dir) => ['check', dir], 'it was not checked'],
    ['check --format json', (dir) => ['check', dir, '--format', 'json'], 'it was not checked'],
    ['report', (dir) => ['report', dir], 'it was left out of the report'],
    ['report --format csv', (dir) => ['report', dir, '--format', 'csv'], 'it was left out of the report'],
    ['codes', (dir) => ['codes', dir, '--format', 'json'], 'it was left out of the counts'],
    ['codes --segments', (dir) => ['codes', dir, '--segments'], 'it was left out of the segments'],
    ['export refi', (dir) => ['export', 'refi', dir, '-o', path.join(dir, '..', `${path.basename(dir)}.qdpx`)], 'it was left out of the export'],
  ];
  for (const [what, args, outcome] of commands) {
    it(`${what}: one error line naming the file and why, the rest done, exit status 1`, () => {
      const { dir, reason } = withUnreadable();
      const r = run(args(dir));
      assert.equal(r.status, 1, r.stderr);
      const shown = path.relative(ROOT, path.join(dir, 'sub/locked.transcript'));
      const errors = r.stderr.split('\n').filter((l) => l.includes('error'));
      assert.deepEqual(errors, [`transcript-coder: error: cannot read ${shown}: ${reason}; ${outcome}.`], r.stderr);
      assert.ok(r.stdout.length > 0, 'the readable files are still reported on');
    });
  }

  it('are reported in path order, guides and codebooks among transcripts', () => {
    const dir = study(SMALL);
    makeUnreadable(dir, 'z.transcript');
    makeUnreadable(dir, 'b.codebook.yaml');
    const files = run(['check', dir]).stderr.trim().split('\n').map((l) => /cannot read .*\/([^/]+): /.exec(l)?.[1]);
    assert.deepEqual(files, ['b.codebook.yaml', 'z.transcript']);
  });
});

describe('transcript-coder --version', () => {
  it('prints the version of package.json', () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const r = run([flag]);
      assert.equal(r.status, 0);
      assert.equal(r.stdout, `${version}\n`);
    }
  });
});

describe('segments and memos', () => {
  const RETRIEVAL = `//- /c.codebook.yaml
codes:
  - id: benefit
    children:
      - id: family
  - id: risk
//- /g.guide.yaml
id: g
title: G
sections:
  - id: s
    title: S
    questions:
      - id: q1
        text: One?
      - id: q2
        text: Two?
//- /a.transcript
---
guide: g
role: swr
---
I: @q1 First?
R: {Good for them}#benefit/family %% ask the family %%

I: @q2 Second?
R: {Risky}#risk
//- /b.transcript
---
guide: g
role: tm
---
I: @q2 Second?
R: {Helps}#benefit
`;

  it('segments: a parent code brings its sub-codes, --exact only itself, --question and --where narrow, --context adds paragraphs', () => {
    const dir = study(RETRIEVAL);
    const rows = (...args: string[]): Record<string, unknown>[] => JSON.parse(run(['segments', dir, '--format', 'json', ...args]).stdout) as Record<string, unknown>[];
    assert.deepEqual(rows('--code', 'benefit').map((r) => [r.file, r.code]), [['a.transcript', 'benefit/family'], ['b.transcript', 'benefit']]);
    assert.deepEqual(rows('--code', 'benefit', '--exact').map((r) => r.file), ['b.transcript']);
    assert.deepEqual(rows('--question', 'q2').map((r) => r.code), ['risk', 'benefit']);
    assert.deepEqual(rows('--question', 'g:q2', '--where', 'role=tm').map((r) => r.file), ['b.transcript']);
    const [first] = rows('--code', 'benefit/family', '--context', '1');
    assert.deepEqual([first.before, first.after], [['I: First?'], ['I: Second?']]);
    // The JSON of `codes --segments` with the same filters is the same.
    assert.deepEqual(JSON.parse(run(['codes', dir, '--segments', '--format', 'json', '--code', 'benefit']).stdout), rows('--code', 'benefit'));
    assert.match(run(['segments', dir, '--code', 'risk']).stdout, /^\| `risk` \| a \| `q2` \| 9 \| Risky \| a\.transcript \|$/m);
    assert.match(run(['segments', dir, '--code', 'risk', '--context', '1']).stdout, /^> \*\*Risky\*\*$/m);
    assert.equal(run(['segments', dir, '--code', 'risk', '--format', 'csv']).stdout.split(/\r?\n/)[1], 'a.transcript,a,swr,q2,risk,9,9,Risky');
    assert.match(run(['segments', dir, '--code', 'risk', '--format', 'html']).stdout, /<strong>Risky<\/strong>/);
    const bad = run(['segments', dir, '--context', 'two']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--context needs a number of paragraphs/);
    assert.equal(run(['codes', dir, '--code', 'risk']).status, 2, '--code without --segments is a mistake');
  });

  it('memos: every memo with its line, question and the codes of its paragraph, in every format', () => {
    const dir = study(RETRIEVAL);
    const json = JSON.parse(run(['memos', dir, '--format', 'json']).stdout) as unknown[];
    assert.deepEqual(json, [{
      file: 'a.transcript', participant: 'a', range: { start: { line: 5, character: 34 }, end: { line: 5, character: 54 } },
      questions: ['q1'], codes: ['benefit/family'], text: 'ask the family',
    }]);
    assert.deepEqual(JSON.parse(run(['memos', dir, '--format', 'json', '--code', 'risk']).stdout), []);
    assert.equal((JSON.parse(run(['memos', dir, '--format', 'json', '--code', 'benefit']).stdout) as unknown[]).length, 1);
    assert.match(run(['memos', dir]).stdout, /^\| a\.transcript \| a \| 6 \| `q1` \| `benefit\/family` \| ask the family \|$/m);
    assert.equal(run(['memos', dir, '--format', 'csv']).stdout.split(/\r?\n/)[1], 'a.transcript,a,swr,6,q1,benefit/family,ask the family');
  });
});

describe('--where and --by that match nothing', () => {
  it('are said on standard error with "did you mean" by report, codes, matrix, segments and memos, which still exit 0', () => {
    for (const command of [['report'], ['codes'], ['codes', '--segments'], ['matrix', '--by', 'role'], ['segments'], ['memos']]) {
      const r = run([...command, EXAMPLE, '--where', 'role=TM']);
      assert.equal(r.status, 0, command.join(' '));
      assert.match(r.stderr, /^transcript-coder: warning: --where role=TM: no transcript has role 'TM'\. Did you mean 'tm'\?$/m, command.join(' '));
    }
    const by = run(['matrix', EXAMPLE, '--by', 'Site']);
    assert.equal(by.status, 0);
    assert.match(by.stderr, /--by Site: no transcript has 'Site' in its front matter\. Did you mean 'site'\?/);
    assert.equal(run(['segments', EXAMPLE, '--where', 'role=tm']).stderr, '', 'nothing said when the filter matches');
  });
});
