/**
 * The language server's one scheduler. Whatever happens later than the message that caused it
 * goes through here, as one of four named jobs, under these rules:
 *
 * 1. apply-edits. An edit marks its document pending. Pending edits are applied together, in one
 *    job, 5 ms after the first edit of a burst (250 ms when that document is over 1 MB, so that a
 *    burst of keystrokes in a huge file costs one parse), or at once when a request needs them.
 *    A document closed before the job runs is left out of it.
 * 2. disk. Work that reads the disk or waits for the client (indexing folders, reading a closed
 *    document back, following file events, reloading settings) runs one job at a time, in the
 *    order it was asked for. A job asked for again while it still waits is not queued twice.
 * 3. Requests (`settled`) wait for the disk jobs queued before them, then apply pending edits, and
 *    read the study as it then stands. They never wait for a re-check or an announcement.
 * 4. recheck(folder). A guide or codebook change re-checks the whole study 150 ms after the last
 *    such change in that folder; a (re)index re-checks it at once. A re-check goes through the
 *    documents in slices of 15 ms and yields between them, so that requests and edits are served
 *    meanwhile. A newer re-check of a folder stops the running one at its next slice.
 * 5. announce. Every change to a study adds its folder to the next `transcriptCoder/indexChanged`,
 *    sent after 300 ms without a change, and never later than 2 s after the first change it holds.
 * 6. One timer serves every delayed job: it is set for the earliest one due.
 * 7. After `stop` (shutdown) no job runs and nothing is sent.
 *
 * Requests that loop over a whole study follow rule 4's slicing too (`Slices`), and stop when
 * their client cancels them.
 */
import { CancellationTokenSource, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';
import type { StudyFolder } from './workspace';

export const APPLY_DELAY_MS = 5;
export const APPLY_DELAY_LARGE_MS = 250;
export const LARGE_DOCUMENT = 1_000_000;
export const RECHECK_DELAY_MS = 150;
export const ANNOUNCE_DELAY_MS = 300;
export const ANNOUNCE_MAX_WAIT_MS = 2000;
export const SLICE_MS = 15;

/** What the jobs do; the scheduler decides only when. */
export interface Jobs {
  /** Applies the pending edits of these documents (client URIs) to their studies. */
  applyEdits(uris: string[]): void;
  /** A whole-study re-check, one step per document (`forceOpen`: publish open documents even if unchanged). */
  recheck(folder: StudyFolder, forceOpen: boolean): Iterator<unknown>;
  /** Sends `indexChanged` for these folders (as the client named them). */
  announce(folders: string[]): void;
  /** Logs a job's failure. */
  fail(what: string, err: unknown): void;
}

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The error a request answers when its client cancelled it. */
export function cancelledError(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
}

export function throwIfCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw cancelledError();
}

/**
 * Slices of a long loop (rule 4): call `due()` between units of work, and `pause()` when it is
 * true, which yields to the event loop (so that other messages, a cancellation among them, are
 * read) and throws the cancellation error when `token` was cancelled.
 */
export class Slices {
  private start = Date.now();

  constructor(private readonly token?: CancellationToken) {
    throwIfCancelled(token);
  }

  due(): boolean {
    return Date.now() - this.start > SLICE_MS;
  }

  async pause(): Promise<void> {
    await nextTick();
    throwIfCancelled(this.token);
    this.start = Date.now();
  }
}

export class Scheduler {
  /** Documents (client URIs) edited since edits were last applied. */
  private readonly pendingEdits = new Set<string>();
  /** Delayed jobs by name, with when each is due. */
  private readonly due = new Map<string, { at: number; run: () => void }>();
  private timer: NodeJS.Timeout | undefined;
  /** The running re-check of each folder. */
  private readonly rechecks = new Map<StudyFolder, CancellationTokenSource>();
  /** Folders (as the client named them) changed since the last announcement, and when the first changed. */
  private readonly changed = new Set<string>();
  private firstChangeAt = 0;
  /** The end of the disk queue, and the keys of the disk jobs waiting in it. */
  private diskTail: Promise<void> = Promise.resolve();
  private readonly diskWaiting = new Set<string>();
  private stopped = false;

  constructor(private readonly jobs: Jobs) {}

  // ---------------------------------------------------------------- rule 1: apply-edits

  edited(uri: string, length: number): void {
    if (this.stopped) return;
    this.pendingEdits.add(uri);
    if (!this.due.has('apply-edits')) {
      this.at('apply-edits', Date.now() + (length > LARGE_DOCUMENT ? APPLY_DELAY_LARGE_MS : APPLY_DELAY_MS), () => this.applyEdits());
    }
  }

  /** A document was closed: its pending edits are not applied. */
  closed(uri: string): void {
    this.pendingEdits.delete(uri);
  }

  /** Applies pending edits now. */
  applyEdits(): void {
    this.due.delete('apply-edits');
    if (this.stopped || this.pendingEdits.size === 0) return;
    const uris = [...this.pendingEdits];
    this.pendingEdits.clear();
    this.jobs.applyEdits(uris);
  }

  // ---------------------------------------------------------------- rules 2 and 3: disk, settled

  /**
   * Queues disk work (`what` names it in the log should it fail); a job with a `key` is not queued
   * again while one with the same key still waits.
   */
  disk(what: string, work: () => Promise<void> | void, key?: string): void {
    if (this.stopped || (key !== undefined && this.diskWaiting.has(key))) return;
    if (key !== undefined) this.diskWaiting.add(key);
    this.diskTail = this.diskTail.then(async () => {
      if (key !== undefined) this.diskWaiting.delete(key);
      if (this.stopped) return;
      try {
        await work();
      } catch (err) {
        this.jobs.fail(what, err);
      }
    });
  }

  /** Resolves once the disk jobs queued so far are done and pending edits are applied. */
  async settled(): Promise<void> {
    await this.diskTail;
    this.applyEdits();
  }

  // ---------------------------------------------------------------- rule 4: recheck

  /** Re-checks a folder's study once its guides and codebooks have been left alone for a while. */
  recheckSoon(folder: StudyFolder): void {
    if (this.stopped) return;
    this.at(`recheck ${folder.key}`, Date.now() + RECHECK_DELAY_MS, () => void this.recheckNow(folder, false));
  }

  /** Re-checks a folder's study now, stopping any re-check of it still running. */
  async recheckNow(folder: StudyFolder, forceOpen: boolean): Promise<void> {
    this.due.delete(`recheck ${folder.key}`);
    if (this.stopped) return;
    this.rechecks.get(folder)?.cancel();
    const run = new CancellationTokenSource();
    this.rechecks.set(folder, run);
    try {
      const steps = this.jobs.recheck(folder, forceOpen);
      const slices = new Slices(run.token);
      while (!steps.next().done) {
        if (slices.due()) await slices.pause();
      }
    } catch (err) {
      if (!(err instanceof ResponseError)) this.jobs.fail('Checking the study', err);
    } finally {
      if (this.rechecks.get(folder) === run) this.rechecks.delete(folder);
      run.dispose();
    }
  }

  // ---------------------------------------------------------------- rule 5: announce

  /** Notes that a folder's study changed, for the next `indexChanged`. */
  studyChanged(folderUri: string): void {
    if (this.stopped) return;
    const now = Date.now();
    if (this.changed.size === 0) this.firstChangeAt = now;
    this.changed.add(folderUri);
    this.at('announce', Math.min(now + ANNOUNCE_DELAY_MS, this.firstChangeAt + ANNOUNCE_MAX_WAIT_MS), () => {
      const folders = [...this.changed];
      this.changed.clear();
      this.jobs.announce(folders);
    });
  }

  // ---------------------------------------------------------------- rules 6 and 7: the timer, stop

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.due.clear();
    this.pendingEdits.clear();
    for (const run of this.rechecks.values()) run.cancel();
  }

  private at(name: string, when: number, run: () => void): void {
    this.due.set(name, { at: when, run });
    this.arm();
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.due.size === 0 || this.stopped) return;
    let first = Infinity;
    for (const job of this.due.values()) first = Math.min(first, job.at);
    this.timer = setTimeout(() => this.fire(), Math.max(0, first - Date.now()));
  }

  private fire(): void {
    this.timer = undefined;
    const now = Date.now();
    for (const [name, job] of [...this.due]) {
      if (job.at > now || this.due.get(name) !== job) continue;
      this.due.delete(name);
      try {
        job.run();
      } catch (err) {
        this.jobs.fail(name, err);
      }
    }
    this.arm();
  }
}
