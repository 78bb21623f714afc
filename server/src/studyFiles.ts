/**
 * Study files on disk: finding them, reading them, and the folder's
 * `.vscode/settings.json`. Used by the CLI and by the language server's start-up scan.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import picomatch from 'picomatch';
import { fileKind } from './core/ids';
import type { SeverityOverrides } from './core/diagnosticCodes';

export interface StudySettings {
  severity: SeverityOverrides;
  exclude: string[];
}

/** Folders never searched for study files. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** A matcher for `transcriptCoder.exclude` globs, relative to the study folder. */
export function excludeMatcher(globs: readonly string[]): (relPath: string) => boolean {
  const valid = globs.filter((g) => typeof g === 'string' && g.trim() !== '');
  if (valid.length === 0) return () => false;
  const isMatch = picomatch(valid, { dot: true });
  // `drafts` and `drafts/` exclude the folder and all below it, as in VS Code's files.exclude.
  const folderGlobs = picomatch(valid.map((g) => g.replace(/\/+$/, '')).map((g) => `${g}/**`), { dot: true });
  return (rel) => isMatch(rel) || folderGlobs(rel);
}

/** Study files below `root` (relative, `/`-separated paths, sorted), honouring exclusions. */
export function findStudyFiles(root: string, exclude: readonly string[] = []): string[] {
  const excluded = excludeMatcher(exclude);
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // An unreadable folder is skipped, as an editor would.
    }
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (SKIPPED_FOLDERS.has(e.name) || excluded(childRel)) continue;
        walk(path.join(dir, e.name), childRel);
      } else if ((e.isFile() || (e.isSymbolicLink() && isFile(path.join(dir, e.name)))) && fileKind(e.name) && !excluded(childRel)) {
        out.push(childRel);
      }
    }
  };
  walk(root, '');
  return out.sort();
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A file's text with a UTF-8 byte-order mark removed, as editors present it. */
export function readStudyText(file: string): string {
  const text = readFileSync(file, 'utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * `transcriptCoder.*` settings from `<root>/.vscode/settings.json`, written either
 * as dotted keys (as VS Code writes them) or nested. A missing or broken file gives the defaults.
 */
export function readStudySettings(root: string): StudySettings {
  const settings: StudySettings = { severity: {}, exclude: [] };
  let raw: unknown;
  try {
    raw = parseJsonc(readFileSync(path.join(root, '.vscode', 'settings.json'), 'utf8'), [], { allowTrailingComma: true });
  } catch {
    return settings;
  }
  if (!raw || typeof raw !== 'object') return settings;
  const obj = raw as Record<string, unknown>;
  const nested = (obj.transcriptCoder ?? {}) as Record<string, unknown>;
  const severity = obj['transcriptCoder.diagnostics.severity'] ?? (nested.diagnostics as Record<string, unknown> | undefined)?.severity;
  const exclude = obj['transcriptCoder.exclude'] ?? nested.exclude;
  if (severity && typeof severity === 'object') settings.severity = severity as SeverityOverrides;
  if (Array.isArray(exclude)) settings.exclude = exclude.filter((g): g is string => typeof g === 'string');
  return settings;
}
