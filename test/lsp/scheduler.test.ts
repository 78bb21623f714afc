/**
 * The rules of the language server's scheduler (server/src/lsp/scheduler.ts), each observed from
 * the jobs it runs: when and how often edits are applied, disk work is ordered, requests are let
 * through, studies are re-checked and changes announced. Times are only ever checked from below
 * (a timer never fires early), so a busy machine cannot fail these tests.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Scheduler, Slices, type Jobs } from '../../server/src/lsp/scheduler';
import type { StudyFolder } from '../../server/src/lsp/workspace';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, test: () => boolean): Promise<void> {
  const started = Date.now();
  while (!test()) {
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** A scheduler whose jobs record what they were asked to do, and when. */
function recorded(steps = 3, stepMs = 0) {
  const log: string[] = [];
  const times: Record<string, number> = {};
  const jobs: Jobs = {
    applyEdits: (uris) => { log.push(`apply ${uris.join(' ')}`); times.apply = Date.now(); },
    *recheck(folder, forceOpen) {
      log.push(`recheck ${folder.key}${forceOpen ? ' (open forced)' : ''}`);
      for (let i = 1; i <= steps; i++) {
        const until = Date.now() + stepMs;
        while (Date.now() < until) { /* a document's check */ }
        log.push(`checked ${folder.key} ${i}`);
        yield;
      }
    },
    announce: (folders) => { log.push(`announce ${folders.join(' ')}`); times.announce = Date.now(); },
    fail: (what, err) => log.push(`failed ${what}: ${(err as Error).message}`),
  };
  return { scheduler: new Scheduler(jobs), log, times };
}

const folder = (key: string): StudyFolder => ({ key, uri: key }) as StudyFolder;

describe('the scheduler', () => {
  it('applies a burst of edits once, 5 ms after its first edit, leaving out documents closed meanwhile', async () => {
    const { scheduler, log, times } = recorded();
    const first = Date.now();
    scheduler.edited('a', 10);
    scheduler.edited('b', 10);
    scheduler.edited('a', 11);
    scheduler.edited('c', 10);
    scheduler.closed('c');
    await until('the edits applied', () => log.length > 0);
    assert.deepEqual(log, ['apply a b']);
    assert.ok(times.apply - first >= 5);
    await sleep(20);
    assert.deepEqual(log, ['apply a b'], 'applied once');
  });

  it('waits 250 ms when the first edited document is over a megabyte, unless a request needs the edits', async () => {
    const { scheduler, log } = recorded();
    scheduler.edited('big', 2_000_000);
    await sleep(50);
    assert.deepEqual(log, []);
    await scheduler.settled();
    assert.deepEqual(log, ['apply big']);
  });

  it('runs disk jobs one at a time in order, queues a waiting keyed job once, and lets a request through after the jobs before it', async () => {
    const { scheduler, log } = recorded();
    scheduler.disk('first', async () => { log.push('first starts'); await sleep(20); log.push('first ends'); });
    scheduler.disk('scan', () => { log.push('scan'); }, 'scan x');
    scheduler.disk('scan', () => { log.push('scan again'); }, 'scan x');
    // Edits that would wait 250 ms: the request applies them once the jobs before it are done.
    scheduler.edited('a', 2_000_000);
    const request = scheduler.settled().then(() => log.push('request'));
    scheduler.disk('later', async () => { await sleep(20); log.push('later'); });
    await request;
    assert.deepEqual(log, ['first starts', 'first ends', 'scan', 'apply a', 'request']);
    await scheduler.settled();
    assert.deepEqual(log.slice(5), ['later']);
    // A failed job is logged and the queue goes on.
    scheduler.disk('broken', () => { throw new Error('no disk'); });
    scheduler.disk('after', () => { log.push('after'); });
    await scheduler.settled();
    assert.deepEqual(log.slice(6), ['failed broken: no disk', 'after']);
  });

  it('re-checks a study 150 ms after the last guide or codebook change, once', async () => {
    const { scheduler, log } = recorded(1);
    const f = folder('f');
    const start = Date.now();
    scheduler.recheckSoon(f);
    await sleep(100);
    scheduler.recheckSoon(f);
    await sleep(100);
    assert.deepEqual(log, [], 'the second change put it off');
    await until('the re-check', () => log.length === 2);
    assert.ok(Date.now() - start >= 250);
    assert.deepEqual(log, ['recheck f', 'checked f 1']);
  });

  it('stops a running re-check of a folder when a newer one starts, and slices re-checks so that others run between', async () => {
    const { scheduler, log } = recorded(6, 8);
    const f = folder('f');
    const g = folder('g');
    const older = scheduler.recheckNow(f, true);
    const other = scheduler.recheckNow(g, false);
    await until('the first slice of f', () => log.includes('checked f 2'));
    const newer = scheduler.recheckNow(f, false);
    await Promise.all([older, other, newer]);
    const ofF = log.filter((l) => l.includes(' f'));
    assert.equal(ofF[0], 'recheck f (open forced)');
    const second = ofF.indexOf('recheck f');
    assert.ok(second > 0 && second < 7, `the older re-check stopped early: ${ofF.join(', ')}`);
    assert.deepEqual(ofF.slice(second), ['recheck f', ...[1, 2, 3, 4, 5, 6].map((i) => `checked f ${i}`)]);
    assert.equal(log.filter((l) => l.startsWith('checked g')).length, 6);
    // The two folders' re-checks took turns.
    const firstG = log.indexOf('checked g 1');
    assert.ok(firstG < log.lastIndexOf('checked f 6'));
  });

  it('announces the changed folders together after 300 ms of quiet, and at least every 2 s while changes go on', async () => {
    const { scheduler, log, times } = recorded();
    const start = Date.now();
    scheduler.studyChanged('file:///a');
    scheduler.studyChanged('file:///b');
    scheduler.studyChanged('file:///a');
    await sleep(200);
    assert.deepEqual(log, []);
    await until('the announcement', () => log.length > 0);
    assert.deepEqual(log, ['announce file:///a file:///b']);
    assert.ok(times.announce - start >= 300);

    const burst = Date.now();
    while (!log[1]) {
      scheduler.studyChanged('file:///c');
      await sleep(50);
      if (Date.now() - burst > 10_000) throw new Error('no announcement during a long burst');
    }
    assert.deepEqual(log, ['announce file:///a file:///b', 'announce file:///c']);
    assert.ok(times.announce - burst >= 2000);
  });

  it('runs nothing and sends nothing once stopped', async () => {
    const { scheduler, log } = recorded(5, 5);
    const f = folder('f');
    scheduler.edited('a', 1);
    scheduler.studyChanged('file:///a');
    scheduler.recheckSoon(f);
    const running = scheduler.recheckNow(folder('g'), false);
    scheduler.stop();
    scheduler.disk('late', () => { log.push('late'); });
    await running;
    await sleep(400);
    await scheduler.settled();
    assert.ok(log.filter((l) => l.startsWith('checked g')).length < 5, 'the running re-check stopped');
    assert.deepEqual(log.filter((l) => !l.includes(' g')), []);
  });

  it('slices a long loop and stops it when its request is cancelled', async () => {
    let cancelled = false;
    const token = { get isCancellationRequested() { return cancelled; }, onCancellationRequested: () => ({ dispose: () => undefined }) };
    const slices = new Slices(token);
    let pauses = 0;
    const loop = (async () => {
      for (;;) {
        const until = Date.now() + 1;
        while (Date.now() < until) { /* work */ }
        if (slices.due()) { pauses++; await slices.pause(); }
      }
    })();
    setTimeout(() => { cancelled = true; }, 50);
    await assert.rejects(loop, (err: { code?: number }) => err.code === -32800);
    assert.ok(pauses >= 1);
  });
});
