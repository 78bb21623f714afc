/**
 * A study as it is in one revision of a git repository (a branch, a tag, a commit): the folder that
 * holds the study, read straight from git's objects. Nothing is checked out and the working tree is
 * never touched, so comparing two coders' branches leaves the researcher's files as they are.
 *
 * The `git` program is run without a shell, with arguments as a list, and only for commands that read
 * the object store (`rev-parse`, `ls-tree`, `cat-file`): none of them runs a hook, a filter or a
 * text conversion from the repository's configuration, or reaches the network (lazy fetching of a
 * partial clone is turned off).
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { mergeSettings, readSettingsFile, SETTINGS_FILE, type SettingsFile } from './settings';
import { decodeStudyText, excludeMatcher, isStudyPath } from './studyFiles';
import type { ReadResult, StudyHost, StudySettings } from './studyHost';

/** A revision or repository that cannot be read, in words for a researcher. */
export class GitReadError extends Error {}

const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_NO_LAZY_FETCH: '1', GIT_NO_REPLACE_OBJECTS: '1' };

function git(cwd: string, args: string[], input?: Buffer): Buffer {
  return execFileSync('git', args, { cwd, input, env: GIT_ENV, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
}

function firstLine(err: unknown): string {
  const stderr = (err as { stderr?: Buffer }).stderr?.toString('utf8').trim();
  return (stderr || (err instanceof Error ? err.message : String(err))).split('\n')[0];
}

interface Entry {
  mode: string;
  oid: string;
}

export class GitStudyHost implements StudyHost {
  readonly name: string;
  private readonly entries = new Map<string, Entry>();
  private blobs: Map<string, Buffer> | undefined;
  private readonly settingsFile: SettingsFile | undefined;

  /**
   * The study in the folder `folder` (a folder inside a git repository) as revision `revision` has it.
   * Throws `GitReadError` when `folder` is not in a repository or the revision does not exist.
   */
  constructor(private readonly folder: string, readonly revision: string) {
    if (revision.startsWith('-')) throw new GitReadError(`'${revision}' is not a revision: give a branch, tag or commit`);
    let prefix: string;
    let commit: string;
    try {
      prefix = git(folder, ['rev-parse', '--show-prefix']).toString('utf8').trim();
    } catch (err) {
      throw new GitReadError(`${folder} is not inside a git repository (${firstLine(err)})`);
    }
    try {
      commit = git(folder, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]).toString('utf8').trim();
    } catch {
      throw new GitReadError(`no branch, tag or commit named '${revision}' in this repository`);
    }
    this.name = `${path.basename(path.resolve(folder))}@${revision}`;
    // `--full-tree` names every path from the top of the repository, whatever the current folder.
    const listing = git(folder, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', prefix || '.']).toString('utf8');
    for (const record of listing.split('\0')) {
      const tab = record.indexOf('\t');
      if (tab < 0) continue;
      const [mode, type, oid] = record.slice(0, tab).split(' ');
      const full = record.slice(tab + 1);
      // Blobs only: links (mode 120000) hold a target, not text, and submodules are other repositories.
      if (type !== 'blob' || mode === '120000' || !full.startsWith(prefix)) continue;
      this.entries.set(full.slice(prefix.length), { mode, oid });
    }
    const settings = this.entries.has(SETTINGS_FILE) ? decodeStudyText(this.blob(SETTINGS_FILE)!) : undefined;
    this.settingsFile = settings && 'text' in settings ? readSettingsFile(settings.text) : undefined;
  }

  settings(): StudySettings {
    return mergeSettings(this.settingsFile?.settings ?? {});
  }

  settingsProblems(): string[] {
    return this.settingsFile?.problems ?? [];
  }

  listFiles(): string[] {
    const excluded = excludeMatcher(this.settings().exclude);
    return [...this.entries.keys()].filter((p) => isStudyPath(p, excluded)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  readText(rel: string): ReadResult {
    const bytes = this.blob(rel);
    if (!bytes) return { error: `it is not in ${this.revision}` };
    return decodeStudyText(bytes);
  }

  /**
   * One study file's text alone (the other copy of a passage, shown beside the editor's): read by itself,
   * unless the whole study has been read already.
   */
  readOne(rel: string): ReadResult {
    const entry = this.entries.get(rel);
    if (!entry) return { error: `it is not in ${this.revision}` };
    const bytes = this.blobs?.get(entry.oid) ?? readBlobs(this.folder, [entry.oid]).get(entry.oid);
    if (!bytes) return { error: `git could not read it in ${this.revision}` };
    return decodeStudyText(bytes);
  }

  /**
   * A file's bytes. The study files' objects are read together, by one `git cat-file --batch`, the
   * first time any is asked for: one process for the whole study instead of one per file.
   */
  private blob(rel: string): Buffer | undefined {
    const entry = this.entries.get(rel);
    if (!entry) return undefined;
    if (!this.blobs) {
      const excluded = excludeMatcher([]);
      const wanted = [...new Set([...this.entries].filter(([p]) => p === SETTINGS_FILE || isStudyPath(p, excluded)).map(([, e]) => e.oid))];
      this.blobs = readBlobs(this.folder, wanted);
    }
    return this.blobs.get(entry.oid);
  }
}

/** The objects `oids` (blobs), by one `git cat-file --batch`. */
function readBlobs(cwd: string, oids: string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (oids.length === 0) return out;
  const data = git(cwd, ['cat-file', '--batch'], Buffer.from(`${oids.join('\n')}\n`, 'utf8'));
  let at = 0;
  for (const oid of oids) {
    const eol = data.indexOf(10, at);
    if (eol < 0) break;
    const header = data.subarray(at, eol).toString('utf8').split(' ');
    at = eol + 1;
    if (header[1] === 'missing' || header.length < 3) continue;
    const size = Number(header[2]);
    out.set(oid, data.subarray(at, at + size));
    at += size + 1; // the object, then a line break
  }
  return out;
}

/** The branches of the repository holding `folder`, and the one checked out (null when none is). */
export interface GitBranches {
  current: string | null;
  branches: string[];
}

/**
 * The local branches of the repository that holds `folder`, by name, read with `for-each-ref` (no
 * network, no hook). Throws `GitReadError` when `folder` is in no repository or git cannot be run.
 */
export function gitBranches(folder: string): GitBranches {
  try {
    git(folder, ['rev-parse', '--show-prefix']);
  } catch (err) {
    throw new GitReadError(`${folder} is not inside a git repository (${firstLine(err)})`);
  }
  const names = git(folder, ['for-each-ref', '--format=%(refname:short)', 'refs/heads']).toString('utf8').split('\n').filter((l) => l !== '');
  let current: string | null = null;
  try {
    current = git(folder, ['symbolic-ref', '--quiet', '--short', 'HEAD']).toString('utf8').trim() || null;
  } catch {
    current = null; // a detached HEAD
  }
  return { current, branches: names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
}
