/**
 * The study hosts: a folder on disk (NodeStudyHost) and the same files in memory (MemoryStudyHost)
 * give the same study through the one loader, by the same rules: study file names, node_modules and
 * .git never searched, exclusions, the byte-order mark removed, line ends kept, and a file that
 * cannot be read reported once, with its reason.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { diagnose } from '../../server/src/core/diagnostics';
import { checkStudy, loadStudy, type LoadedStudy } from '../../server/src/host/loadStudy';
import { MemoryStudyHost, type MemoryFile } from '../../server/src/host/memoryHost';
import { NodeStudyHost } from '../../server/src/host/nodeHost';
import type { StudyHost } from '../../server/src/host/studyHost';
import { makeUnreadable, removeWrittenStudies, writeStudy } from './helpers';

const GUIDE = `id: g
title: Guide
roles:
  swr: Social worker
sections:
  - id: s1
    title: First
    questions:
      - id: q1
        text: First question?
      - id: q2
        text: Second question?
`;
const CODEBOOK = 'codes:\n  - id: benefit\n    label: Benefits\n';
const transcript = (body: string): string => `---\nguide: g\nparticipant: P\nrole: swr\n---\n${body}`;

/** One of each thing a host must get right. */
const FILES: Record<string, string> = {
  'g.guide.yaml': GUIDE,
  'c.codebook.yaml': `\ufeff${CODEBOOK}`,
  'a.transcript': transcript('I: @q1 Hello?\nR: {Fine}#benefit\n'),
  'bom.transcript': `\ufeff${transcript('I: @q1 Hi?\nR: Yes #unknown\n')}`,
  'crlf.transcript': transcript('I: @q1 Hi?\r\nR: {Yes}#benefit\r\nI: @q3 Nope\r\n'),
  'sub/deeper/b.transcript': transcript('I: @q2 And?\n'),
  'drafts/old.transcript': transcript('I: @nothing\n'),
  'sub/drafts/kept.transcript': transcript('I: @q1 Kept, the exclusion is drafts/ at the top only\n'),
  'node_modules/pkg/x.transcript': transcript('I: @q1\n'),
  '.git/y.transcript': transcript('I: @q1\n'),
  'notes.txt': 'not a study file',
  'guide.yaml': 'not a study file either',
  '.vscode/settings.json': '{\n  // comments and trailing commas, as VS Code writes it\n  "transcriptCoder.exclude": ["drafts"],\n  "transcriptCoder.diagnostics.severity": { "unknown-code": "error" },\n}\n',
};

const UNREADABLE = 'sub/locked.transcript';

after(removeWrittenStudies);

/** The same study on disk and in memory, with one file that cannot be read. */
function bothHosts(): { disk: NodeStudyHost; memory: MemoryStudyHost; reason: string } {
  const dir = writeStudy(FILES);
  const reason = makeUnreadable(dir, UNREADABLE);
  const files: Record<string, MemoryFile> = { ...FILES, [UNREADABLE]: { error: reason } };
  return { disk: new NodeStudyHost(dir), memory: new MemoryStudyHost(files), reason };
}

/** What a loaded study holds, as plain data to compare. */
function summary(loaded: LoadedStudy): unknown {
  return {
    documents: loaded.study.documents().map((d) => [d.uri, d.path, d.kind]),
    texts: [...loaded.texts],
    unreadable: loaded.unreadable,
    diagnostics: loaded.study.documents().map((d) => [d.uri, diagnose(loaded.study, d.uri).map((x) => `${x.range.start.line}:${x.range.start.character} ${x.code}`)]),
  };
}

/** Every diagnostic `checkStudy` reports, by file, and what it says about reading. */
function checked(host: StudyHost): { found: [string, string[]][]; read: number; unreadable: unknown } {
  const found: [string, string[]][] = [];
  const { read, unreadable } = checkStudy(host, (key, ds) => found.push([key, ds.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.severity} ${d.code}`)]));
  return { found, read, unreadable };
}

describe('study hosts', () => {
  it('list the same study files, leaving out other files, node_modules, .git and excluded folders', () => {
    const { disk, memory } = bothHosts();
    const expected = ['a.transcript', 'bom.transcript', 'c.codebook.yaml', 'crlf.transcript', 'g.guide.yaml', 'sub/deeper/b.transcript', 'sub/drafts/kept.transcript', UNREADABLE];
    assert.deepEqual(disk.listFiles(), expected);
    assert.deepEqual(memory.listFiles(), expected);
  });

  it('load the same study: same documents, texts, diagnostics and unreadable files', () => {
    const { disk, memory } = bothHosts();
    assert.deepEqual(summary(loadStudy(disk)), summary(loadStudy(memory)));
  });

  it('remove the byte-order mark and keep CRLF line ends as they are', () => {
    const { disk, memory } = bothHosts();
    for (const host of [disk, memory]) {
      const { texts } = loadStudy(host);
      assert.equal(texts.get('bom.transcript'), transcript('I: @q1 Hi?\nR: Yes #unknown\n'));
      assert.equal(texts.get('c.codebook.yaml'), CODEBOOK);
      assert.equal(texts.get('crlf.transcript'), FILES['crlf.transcript']);
    }
  });

  it('report a file that cannot be read once, with its reason, and load the rest', () => {
    const { disk, memory, reason } = bothHosts();
    for (const host of [disk, memory]) {
      const loaded = loadStudy(host);
      assert.deepEqual(loaded.unreadable, [{ path: UNREADABLE, reason }]);
      assert.equal(loaded.study.size, 7);
      assert.ok(!loaded.texts.has(UNREADABLE));
      assert.deepEqual(checked(host).unreadable, [{ path: UNREADABLE, reason }]);
    }
  });

  it('drop the texts when asked, and only the texts', () => {
    const { disk } = bothHosts();
    const lean = loadStudy(disk, { keepTexts: false });
    assert.equal(lean.texts.size, 0);
    assert.deepEqual(lean.study.documents().map((d) => d.uri), loadStudy(disk).study.documents().map((d) => d.uri));
  });

  it('apply the settings of .vscode/settings.json alike', () => {
    const { disk, memory } = bothHosts();
    assert.deepEqual(disk.settings(), { severity: { 'unknown-code': 'error' }, exclude: ['drafts'] });
    assert.deepEqual(memory.settings(), disk.settings());
  });
});

describe('the streaming check', () => {
  it('finds what diagnosing the whole loaded study finds, file by file in path order, with the host\'s severities', () => {
    const { disk, memory } = bothHosts();
    const loaded = loadStudy(disk);
    const whole = loaded.study.documents().map((d) => [d.uri, diagnose(loaded.study, d.uri, disk.settings().severity)
      .map((x) => `${x.range.start.line}:${x.range.start.character} ${x.severity} ${x.code}`)]);
    const fromDisk = checked(disk);
    assert.deepEqual(fromDisk.found, whole);
    assert.equal(fromDisk.read, 7);
    assert.deepEqual(checked(memory), fromDisk);
    const bom = fromDisk.found.find(([key]) => key === 'bom.transcript')!;
    assert.ok(bom[1].some((d) => d.endsWith('error unknown-code')), 'the severity setting applies');
    const crlf = fromDisk.found.find(([key]) => key === 'crlf.transcript')!;
    assert.ok(crlf[1].includes('7:3 error unknown-question'), `positions count CRLF as one line end: ${crlf[1].join(', ')}`);
  });

  it('reports a guide or codebook that cannot be read among the rest, in path order', () => {
    const dir = writeStudy({ 'g.guide.yaml': GUIDE, 'b.transcript': transcript('I: @q1\n') });
      const reasonA = makeUnreadable(dir, 'a.codebook.yaml');
    const reasonC = makeUnreadable(dir, 'c.transcript');
    const result = checked(new NodeStudyHost(dir));
    assert.deepEqual(result.unreadable, [{ path: 'a.codebook.yaml', reason: reasonA }, { path: 'c.transcript', reason: reasonC }]);
    assert.equal(result.read, 2);
  });
});

describe('MemoryStudyHost', () => {
  it('sees files added and removed', () => {
    const host = new MemoryStudyHost({ 'g.guide.yaml': GUIDE });
    host.set('a.transcript', transcript('I: @q1\n'));
    assert.deepEqual(host.listFiles(), ['a.transcript', 'g.guide.yaml']);
    host.delete('g.guide.yaml');
    assert.deepEqual(loadStudy(host).study.documents().map((d) => d.uri), ['a.transcript']);
  });
});
