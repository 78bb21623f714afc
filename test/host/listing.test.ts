/**
 * Which files are the study's when the folder holds links: the files inside the study folder, each
 * once. A link that leads outside is left out and named (never read: `ln -s /etc/passwd
 * study/passwd.transcript` must not put the password file into a report); a file reached by a link
 * and by its own path is read under its own path; a link to a folder that holds it ends there.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadStudy } from '../../server/src/host/loadStudy';
import { findStudyFiles, listStudyFolder, NodeStudyHost } from '../../server/src/host/nodeHost';
import { removeWrittenStudies, writeStudy } from './helpers';

after(removeWrittenStudies);

const SECRET = 'I: @q1 the words of a file outside the study\n';

/** A study folder and, beside it, a folder outside the study with a study file in it. */
function studyWithOutside(files: Record<string, string>): { dir: string; outside: string } {
  const outside = writeStudy({ 'secret.transcript': SECRET, 'more/x.transcript': SECRET }, 'tc-outside-');
  return { dir: writeStudy(files), outside };
}

describe('links in a study folder', () => {
  it('leaves out a link to a file outside the study, and says so', () => {
    const { dir, outside } = studyWithOutside({ 'a.transcript': 'I: hi\n' });
    symlinkSync(path.join(outside, 'secret.transcript'), path.join(dir, 'linked.transcript'));
    symlinkSync('/etc/passwd', path.join(dir, 'passwd.transcript'));
    symlinkSync('/etc/passwd', path.join(dir, 'passwd.codebook.yaml'));
    const listing = listStudyFolder(dir);
    assert.deepEqual(listing.files, ['a.transcript']);
    assert.deepEqual(listing.skipped.map((s) => [s.path, s.kind, s.reason]), [
      ['linked.transcript', 'outside', 'it is a link to a file outside the study folder, so it is not read'],
      ['passwd.codebook.yaml', 'outside', 'it is a link to a file outside the study folder, so it is not read'],
      ['passwd.transcript', 'outside', 'it is a link to a file outside the study folder, so it is not read'],
    ]);
    assert.deepEqual(findStudyFiles(dir), ['a.transcript'], 'the list of paths the server scans is the same');
    const loaded = loadStudy(new NodeStudyHost(dir));
    assert.deepEqual([...loaded.texts.keys()], ['a.transcript']);
  });

  it('leaves out a link to a folder outside the study, and everything in it', () => {
    const { dir, outside } = studyWithOutside({ 'a.transcript': 'I: hi\n' });
    symlinkSync(outside, path.join(dir, 'elsewhere'));
    const listing = listStudyFolder(dir);
    assert.deepEqual(listing.files, ['a.transcript']);
    assert.deepEqual(listing.skipped, [{ path: 'elsewhere', kind: 'outside', reason: 'it is a link to a folder outside the study folder, so nothing in it is read' }]);
  });

  it('reads a file reached through a link and by its own path once, under its own path', () => {
    const dir = writeStudy({ 'sub/a.transcript': 'I: hi\n' });
    symlinkSync('sub/a.transcript', path.join(dir, 'b.transcript'));
    symlinkSync('sub', path.join(dir, 'again'));
    const listing = listStudyFolder(dir);
    assert.deepEqual(listing.files, ['sub/a.transcript']);
    assert.deepEqual(listing.skipped, [
      { path: 'again', kind: 'same-folder', leadsTo: 'sub', reason: 'it is a link to the folder sub, whose files are read under that name' },
      { path: 'b.transcript', kind: 'same-file', leadsTo: 'sub/a.transcript', reason: 'it leads to sub/a.transcript, which is read under that name' },
    ]);
  });

  it('reads the files of a folder inside the study that only a link reaches (an excluded folder linked by another name)', () => {
    const dir = writeStudy({ 'drafts/v2/a.transcript': 'I: hi\n', '.vscode/settings.json': '{ "transcriptCoder.exclude": ["drafts"] }' });
    symlinkSync('drafts/v2', path.join(dir, 'current'));
    symlinkSync('drafts/v2/a.transcript', path.join(dir, 'latest.transcript'));
    const host = new NodeStudyHost(dir);
    assert.deepEqual(host.listFiles(), ['current/a.transcript']);
    assert.deepEqual(host.lastListing?.skipped, [{ path: 'latest.transcript', kind: 'same-file', leadsTo: 'current/a.transcript', reason: 'it leads to current/a.transcript, which is read under that name' }]);
  });

  it('never loops on a link to a folder that holds it', () => {
    const dir = writeStudy({ 'sub/a.transcript': 'I: hi\n' });
    symlinkSync('..', path.join(dir, 'sub', 'up'));
    symlinkSync('.', path.join(dir, 'here'));
    symlinkSync(dir, path.join(dir, 'sub', 'root'));
    mkdirSync(path.join(dir, 'deep', 'er'), { recursive: true });
    symlinkSync('..', path.join(dir, 'deep', 'er', 'parent'));
    const listing = listStudyFolder(dir);
    assert.deepEqual(listing.files, ['sub/a.transcript']);
    assert.deepEqual(listing.skipped.map((s) => [s.path, s.kind, s.reason]), [
      ['deep/er/parent', 'loop', 'it is a link back to the folder deep, which holds it, so it is not followed'],
      ['here', 'loop', 'it is a link back to the study folder, so it is not followed'],
      ['sub/root', 'loop', 'it is a link back to the study folder, so it is not followed'],
      ['sub/up', 'loop', 'it is a link back to the study folder, so it is not followed'],
    ]);
  });

  it('leaves out a pipe named as a study file instead of waiting on it for ever', () => {
    const dir = writeStudy({ 'a.transcript': 'I: hi\n' });
    assert.equal(spawnSync('mkfifo', [path.join(dir, 'pipe.transcript')]).status, 0, 'mkfifo');
    symlinkSync('pipe.transcript', path.join(dir, 'to-pipe.transcript'));
    const listing = listStudyFolder(dir);
    assert.deepEqual(listing.files, ['a.transcript']);
    assert.deepEqual(listing.skipped.map((s) => [s.path, s.kind]), [['pipe.transcript', 'not-a-file'], ['to-pipe.transcript', 'not-a-file']]);
  });

  it('does not read a link that was made to lead outside after the folder was listed', () => {
    const { dir, outside } = studyWithOutside({ 'real.transcript': 'I: hi\n' });
    symlinkSync('real.transcript', path.join(dir, 'moved.transcript'));
    rmSync(path.join(dir, 'real.transcript'));
    writeFileSync(path.join(dir, 'z.transcript'), 'I: hi\n');
    const host = new NodeStudyHost(dir);
    assert.deepEqual(host.listFiles(), ['moved.transcript', 'z.transcript'], 'a link to nothing is listed, to say why it cannot be read');
    rmSync(path.join(dir, 'moved.transcript'));
    symlinkSync(path.join(outside, 'secret.transcript'), path.join(dir, 'moved.transcript'));
    assert.deepEqual(host.readText('moved.transcript'), { error: 'it is a link to a file outside the study folder, so it is not read' });
  });

  it('reads a study folder reached through a link, and links inside it, as the folder itself', () => {
    const dir = writeStudy({ 'study/a.transcript': 'I: hi\n', 'study/sub/b.transcript': 'I: hi\n' });
    symlinkSync('sub/b.transcript', path.join(dir, 'study', 'c.transcript'));
    symlinkSync('study', path.join(dir, 'alias'));
    const listing = listStudyFolder(path.join(dir, 'alias'));
    assert.deepEqual(listing.files, ['a.transcript', 'sub/b.transcript']);
    assert.deepEqual(listing.skipped.map((s) => s.path), ['c.transcript']);
    assert.deepEqual(new NodeStudyHost(path.join(dir, 'alias')).readText('sub/b.transcript'), { text: 'I: hi\n' });
  });
});
