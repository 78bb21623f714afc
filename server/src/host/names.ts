/**
 * The study's names list (SPEC §13): where it is, reading it, and what is wrong with it. It is read
 * from the setting `transcriptCoder.privacy.namesFile` (a path, relative to the study folder unless
 * absolute, `~/` for the home folder), else from `names.private.yaml` at the study's root. It is never a
 * study file (no study file pattern matches it), so nothing that lists, copies or exports study files
 * ever reaches it; and no message made here quotes a word of it.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { NameMatcher } from '../core/privacy/matcher';
import { parseNamesList } from '../core/privacy/names';
import type { PrivacyRules } from '../core/privacy/scan';
import { NO_PRIVACY_RULES } from '../core/study';
import { LineIndex, type Range } from '../core/text';
import { readTextFile } from './nodeHost';
import type { NamesSource, StudyHost, StudySettings } from './studyHost';

/** The names list's default place, relative to the study folder. */
export const NAMES_FILE = 'names.private.yaml';

/** A problem of the names list, with where it is (as `NamesSource` says) and a range in its text. */
export interface NamesProblem {
  where: string;
  inStudy?: string;
  absolute?: string;
  range: Range;
  message: string;
}

/** The compiled names list of a study, with its problems. */
export interface StudyNames {
  rules: PrivacyRules;
  problems: NamesProblem[];
  /** How many names the list holds (0 without a list). */
  count: number;
  source: NamesSource;
}

/** Where the names list of a study folder on disk is, and whether a setting named it. */
export function namesFileLocation(root: string, settings: StudySettings): { absolute: string; explicit: boolean; shown: string } {
  const given = settings.namesFile;
  if (given === undefined) return { absolute: path.join(root, NAMES_FILE), explicit: false, shown: NAMES_FILE };
  const expanded = given === '~' ? homedir() : given.startsWith('~/') ? path.join(homedir(), given.slice(2)) : given;
  return { absolute: path.resolve(root, expanded), explicit: true, shown: given };
}

/** The names list of a study folder on disk. */
export function readNamesOnDisk(root: string, settings: StudySettings): NamesSource {
  const loc = namesFileLocation(root, settings);
  const rel = path.relative(root, loc.absolute);
  const inStudy = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : undefined;
  const where = inStudy ?? loc.shown;
  if (!loc.explicit && !existsSync(loc.absolute)) return { kind: 'none' };
  if (loc.explicit && !existsSync(loc.absolute)) {
    return { kind: 'error', where, absolute: loc.absolute, ...(inStudy ? { inStudy } : {}), error: 'there is no file there (set by transcriptCoder.privacy.namesFile), so no name is checked' };
  }
  const read = readTextFile(loc.absolute);
  if ('error' in read) return { kind: 'error', where, absolute: loc.absolute, ...(inStudy ? { inStudy } : {}), error: `${read.error}, so no name is checked` };
  return { kind: 'text', text: read.text, where, absolute: loc.absolute, ...(inStudy ? { inStudy } : {}) };
}

/** The names list of `source`, compiled, with its problems. */
export function namesFromSource(source: NamesSource): StudyNames {
  if (source.kind === 'none') return { rules: NO_PRIVACY_RULES, problems: [], count: 0, source };
  const at = { where: source.where, ...(source.inStudy ? { inStudy: source.inStudy } : {}), ...(source.absolute ? { absolute: source.absolute } : {}) };
  const zero: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (source.kind === 'error') return { rules: NO_PRIVACY_RULES, problems: [{ ...at, range: zero, message: `The names list cannot be read: ${source.error}.` }], count: 0, source };
  const list = parseNamesList(source.text);
  const lines = new LineIndex(source.text);
  const problems = list.problems.map((p) => ({ ...at, range: lines.range(p.start, p.end), message: p.message }));
  if (list.entries.length === 0) return { rules: NO_PRIVACY_RULES, problems, count: 0, source };
  return { rules: { names: new NameMatcher(list.entries) }, problems, count: list.entries.length, source };
}

/** The names list of a study, through its host. */
export function studyNames(host: StudyHost): StudyNames {
  return namesFromSource(host.namesSource?.() ?? { kind: 'none' });
}
