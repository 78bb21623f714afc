/**
 * Study files on disk: finding them, reading them, and the folder's
 * `.vscode/settings.json`. Used by the CLI and by the language server's start-up scan.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import picomatch from 'picomatch';
import { fileKind } from './core/ids';
import { isDiagnosticCode, type SeverityOverrides } from './core/diagnosticCodes';

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

/**
 * What is wrong with the `transcriptCoder.*` settings of `<root>/.vscode/settings.json`, in plain words: the
 * CLI says so, because settings it cannot use would make it disagree with the editor without a sign.
 */
export function settingsProblems(root: string): string[] {
  const file = path.join('.vscode', 'settings.json');
  let text: string;
  try {
    text = readFileSync(path.join(root, file), 'utf8');
  } catch {
    return [];
  }
  const errors: ParseError[] = [];
  const raw = parseJsonc(text, errors, { allowTrailingComma: true }) as unknown;
  const problems: string[] = [];
  if (errors.length > 0) {
    const line = text.slice(0, errors[0].offset).split('\n').length;
    problems.push(`${file} is not valid JSON (line ${line}), so some of its settings may not be read`);
  }
  if (!raw || typeof raw !== 'object') return problems;
  const obj = raw as Record<string, unknown>;
  const nested = (obj.transcriptCoder ?? {}) as Record<string, unknown>;
  const severity = obj['transcriptCoder.diagnostics.severity'] ?? (nested.diagnostics as Record<string, unknown> | undefined)?.severity;
  const exclude = obj['transcriptCoder.exclude'] ?? nested.exclude;
  if (severity !== undefined) {
    if (!severity || typeof severity !== 'object' || Array.isArray(severity)) {
      problems.push(`transcriptCoder.diagnostics.severity in ${file} must map problem codes to a severity, such as { "unasked-question": "information" }`);
    } else {
      for (const [code, value] of Object.entries(severity)) {
        if (!isDiagnosticCode(code)) problems.push(`transcriptCoder.diagnostics.severity in ${file} names '${code}', which is no problem code (see check's output for the codes)`);
        else if (!['error', 'warning', 'information', 'hint', 'off'].includes(value as string)) {
          problems.push(`transcriptCoder.diagnostics.severity in ${file} sets '${code}' to ${JSON.stringify(value)}; use error, warning, information, hint or off`);
        }
      }
    }
  }
  if (exclude !== undefined && !(Array.isArray(exclude) && exclude.every((g) => typeof g === 'string'))) {
    problems.push(`transcriptCoder.exclude in ${file} must be a list of patterns, such as ["drafts/**"]`);
  }
  return problems;
}
