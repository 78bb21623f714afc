/**
 * The custom requests and server commands of protocol.ts (SPEC §6), driven over stdio against the
 * real server process on copies of the fixture study test/fixtures/lsp-study. Edits are checked as
 * the whole new text, byte for byte; exports as the very bytes the CLI writes for the same study.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ResponseError } from 'vscode-languageserver-protocol';
import type {
  AgreementReport, CodeCandidate, CodeCountRow, CodeDefinition, CodeSelectionApplied, DecorationsResult, ExportKind, ExportResult, ImportResult,
  MatrixResult, MemosResult, SegmentsResult, WireLocation,
} from '../../server/src/protocol';
import { cellSegmentsParams, type MatrixTable } from '../../server/src/protocol';
import { copyFixture, LspClient, REPO, removeStudy, textAt, uriOf } from '../support/lspClient';

const CLI = path.join(REPO, 'dist', 'cli.js');
const REFUSED = -32803;

/** Where `needle` starts in `text` (plus `delta` characters), as an LSP position. */
function at(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not found`);
  const lines = text.slice(0, offset + delta).split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

/** The range of `needle` in `text`. */
function rangeOf(text: string, needle: string): { start: { line: number; character: number }; end: { line: number; character: number } } {
  return { start: at(text, needle), end: at(text, needle, needle.length) };
}

/** The JSON-RPC error a request was answered with (failing the test when it succeeded). */
async function refusal(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as ResponseError<unknown>;
    return { code: e.code, message: e.message };
  }
  assert.fail('the request succeeded where it should have been refused');
}

function cli(args: string[], cwd = REPO): Buffer {
  return execFileSync(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('custom requests', () => {
  let dir: string;
  let client: LspClient;
  const file = (rel: string): string => path.join(dir, rel);
  const read = (rel: string): string => readFileSync(file(rel), 'utf8');
  const uri = (rel: string): string => uriOf(file(rel));

  before(async () => {
    dir = copyFixture('lsp-study');
    client = await LspClient.start({ folders: [dir] });
    await client.waitForDiagnostics(uri('sw02.transcript'));
  });

  after(async () => {
    assert.equal(await client.stop(), 0);
    removeStudy(dir);
  });

  it('lists every code with its definition and where its ID stands in the codebook', async () => {
    const defs = await client.request<CodeDefinition[]>('transcriptCoder/codeDefinitions', {});
    assert.deepEqual(defs.map((d) => d.code), ['benefit', 'benefit/family', 'benefit/child', 'risk', 'old-risk']);
    const benefit = defs[0];
    assert.deepEqual({ ...benefit, location: undefined }, {
      code: 'benefit', label: 'Benefits of the visit', description: 'Any advantage the interviewee sees in the visit.',
      whenToUse: 'The interviewee names a gain, even a small one.', whenNotToUse: null, example: null,
      deprecated: false, replacedBy: null, color: null, location: undefined,
    });
    assert.equal(benefit.location.uri, uri('themes.codebook.yaml'));
    assert.equal(textAt(read('themes.codebook.yaml'), benefit.location.range), 'benefit');
    const old = defs.find((d) => d.code === 'old-risk')!;
    assert.equal(old.deprecated, true);
    assert.equal(old.replacedBy, 'risk');
    assert.equal(textAt(read('themes.codebook.yaml'), defs.find((d) => d.code === 'benefit/child')!.location.range), 'child');
  });

  it('resolves colours from the codebook as the editor has it, a code without its own taking its parent\'s', async () => {
    const codebook = read('themes.codebook.yaml').replace('  - id: benefit\n', '  - id: benefit\n    color: "#2a9d8f"\n');
    const u = await client.open(file('themes.codebook.yaml'), codebook);
    try {
      const defs = await client.request<CodeDefinition[]>('transcriptCoder/codeDefinitions', { folder: uriOf(dir) });
      assert.deepEqual(defs.map((d) => `${d.code} ${d.color}`), [
        'benefit #2a9d8f', 'benefit/family #2a9d8f', 'benefit/child #2a9d8f', 'risk null', 'old-risk null',
      ]);
      assert.equal(textAt(codebook, defs[1].location.range), 'family');

      // Decorations: the coloured spans of a transcript, with the version they belong to.
      const text = `${read('sw01.transcript')}R: {More}#risk and {less}#benefit/child.\n`;
      const t = await client.open(file('sw01.transcript'), text);
      const version = await client.change(t, [{ range: { start: at(text, 'More'), end: at(text, 'More', 4) }, text: 'Much more' }]);
      const edited = client.textOf(t)!;
      const all = await client.request<DecorationsResult>('transcriptCoder/decorations', { uri: t });
      assert.equal(all.version, version);
      assert.deepEqual(all.decorations.map((d) => `${d.code} ${d.color} "${textAt(edited, d.range)}"`), [
        'benefit/family #2a9d8f "Zoë says the visits help her family"',
        'benefit/child #2a9d8f "less"',
      ]);
      const lastLine = edited.split('\n').length - 2;
      const some = await client.request<DecorationsResult>('transcriptCoder/decorations', {
        uri: t, range: { start: { line: lastLine, character: 0 }, end: { line: lastLine, character: 5 } },
      });
      assert.deepEqual(some.decorations, []);
      await client.close(t);
    } finally {
      await client.close(u);
    }
    const closed = await client.request<DecorationsResult>('transcriptCoder/decorations', { uri: uri('sw01.transcript') });
    assert.deepEqual(closed, { version: null, decorations: [] }, 'the codebook on disk has no colours, and the file is not open');
  });

  it('finds where a guide defines a question, and answers null for a question it does not define', async () => {
    const loc = await client.request<WireLocation | null>('transcriptCoder/questionLocation', { guide: uri('visits.guide.yaml'), id: 'team-size' });
    assert.ok(loc);
    assert.equal(loc.uri, uri('visits.guide.yaml'));
    assert.equal(textAt(read('visits.guide.yaml'), loc.range), 'team-size');
    assert.equal(await client.request('transcriptCoder/questionLocation', { guide: uri('visits.guide.yaml'), id: 'jobtitle' }), null);
    assert.equal(await client.request('transcriptCoder/questionLocation', { guide: uri('themes.codebook.yaml'), id: 'risk' }), null);
  });

  it('renders the coverage report page as `report --format html` does, with the page\'s own policy, toolbar and script', async () => {
    const plain = await client.request<string>('transcriptCoder/coverageHtml', {});
    assert.equal(plain, cli(['report', dir, '--format', 'html']).toString('utf8'));
    const page = await client.request<string>('transcriptCoder/coverageHtml', {
      folder: uriOf(dir), title: 'Coverage <study>', csp: "default-src 'none'", nonce: 'n0nce',
      toolbar: '<div class="toolbar"><button id="b">Export</button></div>', script: 'console.log(1)',
    });
    assert.match(page, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;">|<meta http-equiv="Content-Security-Policy" content="default-src 'none'">/);
    assert.match(page, /<title>Coverage &lt;study&gt;<\/title>/);
    assert.ok(page.includes('<div class="toolbar"><button id="b">Export</button></div>'));
    assert.ok(page.includes('<script nonce="n0nce">console.log(1)</script>'));
    assert.ok(page.includes('SW01') && page.includes('SW02'));
    // One transcript's page holds its guide with that transcript alone.
    const one = await client.request<string>('transcriptCoder/coverageHtml', { uri: uri('sw02.transcript') });
    assert.ok(one.includes('SW02') && !one.includes('SW01'));
  });

  it('answers transcriptCoder/matrix with the JSON of `matrix`, for every kind of table, and narrows it to a document', async () => {
    const strip = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
    for (const by of ['question', 'transcript', 'code', 'role']) {
      const answer = await client.request<MatrixResult>('transcriptCoder/matrix', { by, folder: uriOf(dir) });
      const printed = JSON.parse(cli(['matrix', dir, '--by', by, '--format', 'json']).toString('utf8')) as MatrixResult;
      assert.deepEqual(strip(answer), printed, `--by ${by}`);
      assert.ok(answer.rows.length > 0 && answer.columns.length > 0, `--by ${by} has rows and columns`);
    }
    const exact = await client.request<MatrixResult>('transcriptCoder/matrix', { by: 'transcript', folder: uriOf(dir), exact: true, codes: ['benefit'], where: { role: ['swr'] } });
    const printed = JSON.parse(cli(['matrix', dir, '--by', 'transcript', '--exact', '--code', 'benefit', '--where', 'role=swr', '--format', 'json']).toString('utf8'));
    assert.deepEqual(strip(exact), printed);
    const one = await client.request<MatrixResult>('transcriptCoder/matrix', { by: 'transcript', uri: uri('sw01.transcript') });
    assert.deepEqual(one.columns.map((c) => c.key), ['sw01.transcript']);
    const none = await client.request<MatrixResult>('transcriptCoder/matrix', { folder: uriOf(dir) });
    assert.deepEqual(none.rows, [], 'no `by`, no table');
  });

  it('answers transcriptCoder/agreement with the JSON of `agree` on two folders, for every unit and a code filter', async () => {
    // The second coder's copy: one code dropped and one added, a word changed (so that the texts must be aligned),
    // a code renamed in the other transcript, and a transcript of its own.
    const other = copyFixture('lsp-study');
    try {
      const edit = (rel: string, from: string, to: string): void => {
        const text = readFileSync(path.join(other, rel), 'utf8');
        assert.ok(text.includes(from), `${from} in ${rel}`);
        writeFileSync(path.join(other, rel), text.replace(from, to));
      };
      edit('sw01.transcript', 'then the house. #risk #benefits', 'then the home. #benefits');
      edit('sw01.transcript', 'R: Senior practitioner.', 'R: {Senior practitioner.}#benefit');
      edit('sw02.transcript', 'Eleven years. #benefit/child', 'Eleven years. #benefit/family');
      writeFileSync(path.join(other, 'sw03.transcript'), '---\nguide: visits\nparticipant: SW03\nrole: swr\n---\n\nI: @job-title What is your job title?\nR: Team manager. #benefit\n');
      const [a, b] = [uriOf(dir), uriOf(other)];
      const cases: [Record<string, unknown>, string[]][] = [
        [{}, []],
        [{ unit: 'character' }, ['--unit', 'character']],
        [{ unit: 'paragraph' }, ['--unit', 'paragraph']],
        [{ unit: 'transcript' }, ['--unit', 'transcript']],
        [{ codes: ['benefit'] }, ['--code', 'benefit']],
        [{ unit: 'paragraph', codes: ['risk', 'benefit/child'] }, ['--unit', 'paragraph', '--code', 'risk', '--code', 'benefit/child']],
      ];
      for (const [params, args] of cases) {
        const answer = await client.request<AgreementReport>('transcriptCoder/agreement', { a, b, ...params });
        const printed = JSON.parse(cli(['agree', dir, other, '--format', 'json', ...args]).toString('utf8')) as AgreementReport;
        assert.deepEqual(answer, { ...printed, a, b }, `agree ${args.join(' ')}`);
      }
      const whole = await client.request<AgreementReport>('transcriptCoder/agreement', { a, b });
      assert.deepEqual(whole.transcripts.map((t) => [t.file, t.paired, t.onlyIn ?? null]),
        [['sw01.transcript', true, null], ['sw02.transcript', true, null], ['sw03.transcript', false, 'B']]);
      assert.ok((whole.transcripts[0].unalignedCharacters ?? 0) > 0, 'the changed word is not aligned');
      assert.deepEqual([...new Set(whole.disagreements.map((d) => `${d.code} ${d.coder}`))].sort(),
        ['benefit B', 'benefit/child A', 'benefit/family B', 'risk A']);

      const missing = await refusal(client.request('transcriptCoder/agreement', { a, b: uriOf(path.join(other, 'nowhere')) }));
      assert.equal(missing.code, REFUSED);
      assert.match(missing.message, /second copy of the study, .*nowhere, does not exist/);
      const unit = await refusal(client.request('transcriptCoder/agreement', { a, b, unit: 'word' }));
      assert.equal(unit.code, REFUSED);
      assert.match(unit.message, /Unknown unit 'word': use character, paragraph, transcript/);
    } finally {
      removeStudy(other);
    }
  });

  it('lists git branches, compares with a branch as `agree --git` does, and reads a file as a branch has it', async () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'tc-lsp-git-'));
    const none = mkdtempSync(path.join(tmpdir(), 'tc-lsp-nogit-'));
    try {
      const g = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
      const study = path.join(repo, 'study');
      cpSync(dir, study, { recursive: true });
      g('init', '-q', '-b', 'coder-a');
      g('config', 'user.email', 'a@example.org');
      g('config', 'user.name', 'A');
      g('add', '-A');
      g('commit', '-q', '-m', 'coder A');
      g('checkout', '-q', '-b', 'coder-b');
      const sw01 = readFileSync(path.join(study, 'sw01.transcript'), 'utf8');
      const theirs = sw01.replace('R: Senior practitioner.', 'R: {Senior practitioner.}#benefit');
      assert.notEqual(theirs, sw01);
      writeFileSync(path.join(study, 'sw01.transcript'), theirs);
      g('commit', '-q', '-am', 'coder B');
      g('checkout', '-q', 'coder-a');

      assert.deepEqual(await client.request('transcriptCoder/gitRevisions', { folder: uriOf(study) }),
        { repository: true, current: 'coder-a', branches: ['coder-a', 'coder-b'] });
      const notRepo = await client.request<{ repository: boolean; reason?: string }>('transcriptCoder/gitRevisions', { folder: uriOf(none) });
      assert.equal(notRepo.repository, false);
      assert.match(notRepo.reason ?? '', /is not inside a git repository/);

      const a = uriOf(study);
      const answer = await client.request<AgreementReport>('transcriptCoder/agreement', { a, b: a, revisionB: 'coder-b' });
      const printed = JSON.parse(cli(['agree', '--git', 'coder-a', 'coder-b', '--format', 'json'], study).toString('utf8')) as AgreementReport;
      assert.deepEqual(answer, { ...printed, a, b: `${a}@coder-b` });
      assert.deepEqual(answer.disagreements.map((d) => `${d.file} ${d.code} ${d.coder}`), ['sw01.transcript benefit B']);

      const text = await client.request<{ text: string }>('transcriptCoder/revisionText', { folder: a, revision: 'coder-b', file: 'sw01.transcript' });
      assert.equal(text.text, theirs);
      assert.equal(textAt(text.text, answer.disagreements[0].rangeB), 'Senior practitioner.');
      const gone = await refusal(client.request('transcriptCoder/revisionText', { folder: a, revision: 'coder-b', file: 'sw09.transcript' }));
      assert.match(gone.message, /^There is no sw09\.transcript in .*study at coder-b\.$/);
      // Without a revision, the file as it is on disk: here the first coder's, checked out.
      assert.equal((await client.request<{ text: string }>('transcriptCoder/revisionText', { folder: a, file: 'sw01.transcript' })).text, sw01);
      const outside = await refusal(client.request('transcriptCoder/revisionText', { folder: a, file: '../study/sw01.transcript' }));
      assert.match(outside.message, /^There is no \.\.\/study\/sw01\.transcript in /);
      const notStudy = await refusal(client.request('transcriptCoder/revisionText', { folder: a, revision: 'coder-b', file: '.git/config' }));
      assert.match(notStudy.message, /is not a study file/);
      const noBranch = await refusal(client.request('transcriptCoder/agreement', { a, b: a, revisionB: 'coder-c' }));
      assert.equal(noBranch.code, REFUSED);
      assert.match(noBranch.message, /^No branch, tag or commit named 'coder-c' in this repository\.$/);
    } finally {
      rmSync(repo, { recursive: true, force: true });
      rmSync(none, { recursive: true, force: true });
    }
  });

  it('advertises its commands', () => {
    assert.deepEqual(client.initializeResult.capabilities.executeCommandProvider?.commands,
      ['transcriptCoder.codeSelection', 'transcriptCoder.export', 'transcriptCoder.import', 'transcriptCoder.importTranscripts', 'transcriptCoder.importGuide', 'transcriptCoder.pseudonymise']);
  });
});

describe('the Code Selection command', () => {
  let dir: string;
  let client: LspClient;
  const file = (rel: string): string => path.join(dir, rel);
  const read = (rel: string): string => readFileSync(file(rel), 'utf8');

  before(async () => {
    dir = copyFixture('lsp-study');
    client = await LspClient.start({ folders: [dir] });
    await client.waitForDiagnostics(uriOf(file('sw02.transcript')));
  });

  after(async () => {
    assert.equal(await client.stop(), 0);
    removeStudy(dir);
  });

  it('offers the codes ranked as completion ranks them, linked ones first, deprecated ones left out', async () => {
    const text = read('sw01.transcript');
    const candidates = await client.executeCommand<CodeCandidate[]>('transcriptCoder.codeSelection', {
      uri: uriOf(file('sw01.transcript')), range: rangeOf(text, 'then the house'),
    });
    // `risk` is linked to @first-visit, whose answer this is; then by use in the study, then by path.
    assert.deepEqual(candidates, [
      { code: 'risk', label: 'Risks seen during the visit' },
      { code: 'benefit/child', label: 'Benefits for the child' },
      { code: 'benefit/family', label: 'Benefits for the family' },
      { code: 'benefit', label: 'Benefits of the visit', detail: 'Any advantage the interviewee sees in the visit.' },
    ]);
  });

  it('codes the selection through workspace/applyEdit, inserting exactly { and }#code', async () => {
    const text = read('sw01.transcript');
    const u = await client.open(file('sw01.transcript'), text);
    const result = await client.executeCommand<CodeSelectionApplied>('transcriptCoder.codeSelection', {
      uri: u, range: rangeOf(text, 'then the house'), code: 'risk',
    });
    assert.deepEqual(result, { applied: true });
    assert.equal(client.textOf(u), text.replace('then the house', '{then the house}#risk'));
    assert.equal(client.textOf(u), [
      '---', 'guide: visits', 'participant: SW01', 'role: swr', '---', '',
      'I: @job-title What is your job title?',
      'R: Senior practitioner. {Zoë says the visits help her family}#benefit/family', '',
      'I: @first-visit Tell me about the first visit.',
      'R: Café first 😀, {then the house}#risk. #risk #benefits', '',
    ].join('\n'));
    // The edit was two insertions, sent for the version the editor had.
    const sent = client.applyEditRequests.at(-1)!;
    assert.equal(sent.label, 'Code with #risk');
    const change = sent.edit.documentChanges![0] as { textDocument: { version: number }; edits: { range: unknown; newText: string }[] };
    assert.equal(change.textDocument.version, 1);
    assert.deepEqual(change.edits.map((e) => e.newText), ['{', '}#risk']);
    // The server follows the edit: the new segment counts.
    const rows = await client.request<CodeCountRow[]>('transcriptCoder/codeCounts', { uri: u });
    assert.equal(rows.find((r) => r.code === 'risk')!.segments, 2);
    await client.close(u);
  });

  it('codes several selections and a paragraph in one edit', async () => {
    const text = read('sw02.transcript');
    const u = await client.open(file('sw02.transcript'), text);
    const result = await client.executeCommand<CodeSelectionApplied>('transcriptCoder.codeSelection', {
      uri: u, code: 'benefit/child',
      ranges: [rangeOf(text, 'a social worker'), rangeOf(text, 'Eleven'), { start: at(text, 'I\'m a'), end: at(text, 'I\'m a') }],
    });
    assert.deepEqual(result, { applied: true });
    assert.equal(client.textOf(u), text
      .replace('a social worker', '{a social worker}#benefit/child')
      .replace('{It was a long day #old-risk', '{It was a long day #old-risk #benefit/child')
      .replace('Eleven', '{Eleven}#benefit/child'));
    await client.close(u);
  });

  it('refuses a selection that would cross a span\'s brace, with the reason, and changes nothing', async () => {
    const text = read('sw01.transcript');
    const u = await client.open(file('sw01.transcript'), text);
    const asked = client.applyEditRequests.length;
    const error = await refusal(client.executeCommand('transcriptCoder.codeSelection', {
      uri: u, range: { start: at(text, 'practitioner'), end: at(text, 'says the visits', 4) }, code: 'risk',
    }));
    assert.deepEqual(error, {
      code: REFUSED,
      message: 'The selection would cross a brace of the coded passage on line 8. Select the whole of that passage or none of it.',
    });
    // Refused before a code is picked, too: the pick list is not shown for it.
    const early = await refusal(client.executeCommand('transcriptCoder.codeSelection', {
      uri: u, range: { start: at(text, 'practitioner'), end: at(text, 'says the visits', 4) },
    }));
    assert.equal(early.message, error.message);
    assert.equal(client.applyEditRequests.length, asked, 'no edit was sent');
    assert.equal(client.textOf(u), text);
    await client.close(u);
  });

  it('refuses a selection in the front matter and a code that is no code path', async () => {
    const text = read('sw01.transcript');
    const u = uriOf(file('sw01.transcript'));
    const front = await refusal(client.executeCommand('transcriptCoder.codeSelection', { uri: u, range: rangeOf(text, 'visits'), code: 'risk' }));
    assert.deepEqual(front, { code: REFUSED, message: 'The selection is in the front matter (between the --- lines). Select a passage of the interview below it.' });
    const bad = await refusal(client.executeCommand('transcriptCoder.codeSelection', { uri: u, range: rangeOf(text, 'Café'), code: '#risk' }));
    assert.match(bad.message, /^"#risk" is not a code path/);
    const none = await refusal(client.executeCommand('transcriptCoder.codeSelection', { uri: u }));
    assert.equal(none.message, 'Select the passage to code, or put the cursor in a paragraph to code the whole paragraph.');
    const nothing = await refusal(client.executeCommand('transcriptCoder.codeSelection', undefined));
    assert.match(nothing.message, /needs the transcript and the selection/);
  });

  it('says so when the editor does not apply the edit', async () => {
    const text = read('sw01.transcript');
    const u = await client.open(file('sw01.transcript'), text);
    client.acceptEdits = false;
    try {
      const result = await client.executeCommand<CodeSelectionApplied>('transcriptCoder.codeSelection', { uri: u, range: rangeOf(text, 'Café'), code: 'risk' });
      assert.equal(result.applied, false);
      assert.match(result.reason ?? '', /did not apply/);
      assert.equal(client.textOf(u), text);
    } finally {
      client.acceptEdits = true;
      await client.close(u);
    }
  });
});

describe('the passages behind each cell of a table', () => {
  const example = path.join(REPO, 'examples', 'ppp-study');
  let client: LspClient;

  before(async () => {
    client = await LspClient.start({ folders: [example] });
  });

  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  // The Analysis page asks for a cell's passages with cellSegmentsParams: what it lists must be what the cell counts.
  const tables: MatrixTable[] = [
    { by: 'question' }, { by: 'question', exact: true }, { by: 'transcript', where: { role: ['swr'] } },
    { by: 'years-as-manager' }, { by: 'site', codes: ['benefit'] }, { by: 'code' }, { by: 'code', exact: true },
  ];
  for (const table of tables) {
    it(`lists as many passages, from as many transcripts, as each cell counts: ${JSON.stringify(table)}`, async () => {
      const m = await client.request<MatrixResult>('transcriptCoder/matrix', { ...table, folder: uriOf(example) });
      assert.ok(m.rows.length > 3 && m.columns.length > 1);
      let nonzero = 0;
      for (const r of m.rows) {
        for (const c of m.columns) {
          const cell = r.cells[c.key];
          const rows = await client.request<SegmentsResult>('transcriptCoder/segments', cellSegmentsParams({ ...table, folder: uriOf(example) }, r.code, c.key));
          const files = new Set(rows.map((x) => x.file)).size;
          if (table.by === 'code' && r.code !== c.key) {
            // A co-occurrence cell counts pairs; its passages are the row code's that overlap one of the column code's.
            assert.equal(rows.length > 0, cell.segments > 0, `${r.code} × ${c.key}`);
            assert.ok(rows.length <= cell.segments, `${r.code} × ${c.key}`);
            assert.equal(files, cell.transcripts, `${r.code} × ${c.key}`);
          } else {
            assert.deepEqual({ segments: rows.length, transcripts: files }, cell, `${r.code} × ${c.key}`);
          }
          if (cell.segments > 0) nonzero++;
        }
      }
      assert.ok(nonzero > 3, 'the table has cells to check');
    });
  }
});

describe('the export and import commands', () => {
  let dir: string;
  let client: LspClient;
  const out = (name: string): string => path.join(path.dirname(dir), name);

  before(async () => {
    dir = copyFixture('lsp-study');
    client = await LspClient.start({ folders: [dir] });
    await client.waitForDiagnostics(uriOf(path.join(dir, 'sw02.transcript')));
  });

  after(async () => {
    assert.equal(await client.stop(), 0);
    removeStudy(dir);
  });

  const exports: [ExportKind, string, (target: string) => Buffer][] = [
    ['refi', 'study.qdpx', (t) => { cli(['export', 'refi', dir, '-o', t]); return readFileSync(t); }],
    ['qdc', 'codebook.qdc', (t) => { cli(['export', 'qdc', dir, '-o', t]); return readFileSync(t); }],
    ['coverage-csv', 'coverage.csv', () => cli(['report', dir, '--format', 'csv', '--bom'])],
    ['coverage-md', 'coverage.md', () => cli(['report', dir, '--format', 'md'])],
    ['segments-csv', 'segments.csv', () => cli(['codes', dir, '--segments', '--format', 'csv', '--bom'])],
  ];
  for (const [kind, name, fromCli] of exports) {
    it(`writes the same bytes as the CLI for ${kind}`, async () => {
      const target = out(`server-${name}`);
      const result = await client.executeCommand<ExportResult>('transcriptCoder.export', { kind, target: uriOf(target), folder: uriOf(dir) });
      assert.equal(result.written, uriOf(target));
      assert.ok(result.summary.startsWith(`Wrote server-${name}: `), result.summary);
      const expected = fromCli(out(`cli-${name}`));
      assert.ok(expected.length > 0);
      assert.ok(readFileSync(target).equals(expected), `${kind}: the server's file differs from the CLI's`);
    });
  }

  it('writes an analysis table with its options as the CLI prints it, and refuses one without a table', async () => {
    const table = { by: 'role', codes: ['benefit'], where: { role: ['swr', 'tm'] }, exact: true };
    const args = ['--by', 'role', '--code', 'benefit', '--where', 'role=swr', '--where', 'role=tm', '--exact'];
    for (const [kind, format] of [['matrix-csv', ['--format', 'csv', '--bom']], ['matrix-md', ['--format', 'md']]] as const) {
      const target = out(`server-${kind}`);
      await client.executeCommand<ExportResult>('transcriptCoder.export', { kind, target: uriOf(target), folder: uriOf(dir), table });
      assert.ok(readFileSync(target).equals(cli(['matrix', dir, ...args, ...format])), `${kind}: the server's file differs from the CLI's`);
    }
    const error = await refusal(client.executeCommand('transcriptCoder.export', { kind: 'matrix-csv', target: uriOf(out('no-table.csv')), folder: uriOf(dir) }));
    assert.equal(error.code, REFUSED);
    assert.match(error.message, /^Exporting an analysis table needs the table/);
  });

  it('refuses to replace an existing file unless told to, and then replaces it', async () => {
    const target = out('existing.csv');
    writeFileSync(target, 'keep me');
    const error = await refusal(client.executeCommand('transcriptCoder.export', { kind: 'coverage-csv', target: uriOf(target) }));
    assert.equal(error.code, REFUSED);
    assert.match(error.message, /existing\.csv/);
    assert.equal(readFileSync(target, 'utf8'), 'keep me');
    await client.executeCommand('transcriptCoder.export', { kind: 'coverage-csv', target: uriOf(target), overwrite: true });
    assert.ok(readFileSync(target).equals(cli(['report', dir, '--format', 'csv', '--bom'])));
  });

  it('refuses to write over a file of the study, an unknown kind and a target that is no file', async () => {
    const own = await refusal(client.executeCommand('transcriptCoder.export', { kind: 'coverage-md', target: uriOf(path.join(dir, 'sw01.transcript')), overwrite: true }));
    assert.deepEqual(own, { code: REFUSED, message: 'sw01.transcript is a file of the study itself: choose another name for the export.' });
    const kind = await refusal(client.executeCommand('transcriptCoder.export', { kind: 'pdf', target: uriOf(out('x.pdf')) }));
    assert.match(kind.message, /one of refi, qdc, coverage-csv, coverage-md, segments-csv, matrix-csv, matrix-md \(not "pdf"\)/);
    const target = await refusal(client.executeCommand('transcriptCoder.export', { kind: 'qdc', target: 'untitled:codebook.qdc' }));
    assert.match(target.message, /as a file URI/);
    assert.equal(existsSync(out('x.pdf')), false);
  });

  it('imports a REFI-QDA codebook as the CLI does, and refuses to replace a codebook unless told to', async () => {
    const qdc = out('for-import.qdc');
    cli(['export', 'qdc', dir, '-o', qdc]);
    const target = out('imported.codebook.yaml');
    const result = await client.executeCommand<ImportResult>('transcriptCoder.import', { kind: 'qdc', source: uriOf(qdc), target: uriOf(target) });
    assert.equal(result.written, uriOf(target));
    cli(['import', 'qdc', qdc, '-o', out('cli.codebook.yaml')]);
    assert.equal(readFileSync(target, 'utf8'), readFileSync(out('cli.codebook.yaml'), 'utf8'));
    assert.match(readFileSync(target, 'utf8'), /id: benefit/);

    writeFileSync(target, 'codes: []\n');
    const error = await refusal(client.executeCommand('transcriptCoder.import', { kind: 'qdc', source: uriOf(qdc), target: uriOf(target) }));
    assert.equal(error.code, REFUSED);
    assert.equal(readFileSync(target, 'utf8'), 'codes: []\n');
    const missing = await refusal(client.executeCommand('transcriptCoder.import', { kind: 'qdc', source: uriOf(out('none.qdc')), target: uriOf(out('n.codebook.yaml')) }));
    assert.match(missing.message, /none\.qdc: there is no such file/);
  });
});

describe('retrieval requests', () => {
  let dir: string;
  let client: LspClient;
  const uri = (rel: string): string => uriOf(path.join(dir, rel));
  /** A wire value as the CLI prints it: `uri` fields left out. */
  const printedAs = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x) => (k === 'uri' ? undefined : x)));
  const json = (args: string[]): unknown => JSON.parse(cli(args).toString('utf8'));

  before(async () => {
    dir = copyFixture('lsp-study');
    writeFileSync(path.join(dir, 'tm01.transcript'), `---
guide: visits
participant: TM01
role: tm
---

I: @first-visit Tell me about the first visit.
R: {It went well}#benefit/child %% check with SW01 %%

I: @worth-it Was it worth it?
R: Yes. #benefit %% the whole team agreed %%
`);
    client = await LspClient.start({ folders: [dir] });
    await client.waitForDiagnostics(uri('tm01.transcript'));
  });

  after(async () => {
    assert.equal(await client.stop(), 0);
    removeStudy(dir);
  });

  it('answers transcriptCoder/segments with the JSON of `segments`: a parent code with its sub-codes, and every filter', async () => {
    const folder = uriOf(dir);
    const cases: [Record<string, unknown>, string[]][] = [
      [{ codes: ['benefit'] }, ['--code', 'benefit']],
      [{ codes: ['benefit'], exact: true }, ['--code', 'benefit', '--exact']],
      [{ questions: ['first-visit'], where: { role: ['tm'] } }, ['--question', 'first-visit', '--where', 'role=tm']],
      [{ codes: ['benefit'], context: 1 }, ['--code', 'benefit', '--context', '1']],
      [{}, []],
    ];
    for (const [params, args] of cases) {
      const answer = await client.request<SegmentsResult>('transcriptCoder/segments', { folder, ...params });
      assert.deepEqual(printedAs(answer), json(['segments', dir, '--format', 'json', ...args]), args.join(' '));
    }
    const parent = await client.request<SegmentsResult>('transcriptCoder/segments', { folder, codes: ['benefit'] });
    assert.deepEqual(parent.map((r) => `${r.participant} ${r.code}`), ['SW01 benefit/family', 'SW02 benefit/child', 'TM01 benefit/child', 'TM01 benefit']);
    assert.equal(parent[2].uri, uri('tm01.transcript'));
    assert.deepEqual([parent[2].before, parent[2].after], [undefined, undefined]);
    const withContext = await client.request<SegmentsResult>('transcriptCoder/segments', { folder, codes: ['benefit/child'], context: 1, where: { role: ['tm'] } });
    assert.deepEqual([withContext[0].before, withContext[0].after], [['I: Tell me about the first visit.'], ['I: Was it worth it?']]);
    // The Codes view's request, one code as written, is unchanged.
    const asWritten = await client.request<SegmentsResult>('transcriptCoder/segments', { folder, code: 'benefit' });
    assert.deepEqual(asWritten.map((r) => r.participant), ['TM01']);
    const one = await client.request<SegmentsResult>('transcriptCoder/segments', { uri: uri('sw01.transcript'), codes: ['benefit'] });
    assert.deepEqual(one.map((r) => r.participant), ['SW01']);
  });

  it('answers transcriptCoder/memos with the JSON of `memos`', async () => {
    const folder = uriOf(dir);
    const all = await client.request<MemosResult>('transcriptCoder/memos', { folder });
    assert.deepEqual(printedAs(all), json(['memos', dir, '--format', 'json']));
    assert.deepEqual(all.map((m) => [m.participant, m.questions, m.codes, m.text]), [
      ['TM01', ['first-visit'], ['benefit/child'], 'check with SW01'],
      ['TM01', ['worth-it'], ['benefit'], 'the whole team agreed'],
    ]);
    assert.equal(all[0].uri, uri('tm01.transcript'));
    const child = await client.request<MemosResult>('transcriptCoder/memos', { folder, codes: ['benefit/child'] });
    assert.deepEqual(printedAs(child), json(['memos', dir, '--format', 'json', '--code', 'benefit/child']));
    assert.equal(child.length, 1);
    assert.deepEqual(await client.request<MemosResult>('transcriptCoder/memos', { folder, where: { role: ['swr'] } }), []);
  });
});
