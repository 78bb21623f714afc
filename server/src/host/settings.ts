/**
 * The `transcriptCoder.*` settings, read and checked in one place whatever they come from: an
 * editor's `workspace/configuration` answer, `initializationOptions`, or a folder's
 * `.vscode/settings.json`. Each source may write them nested (`{ transcriptCoder: { exclude } }`) or
 * with dotted keys (`"transcriptCoder.exclude"`, as VS Code writes its settings file).
 */
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { isDiagnosticCode, SEVERITY_SETTINGS, type SeverityOverrides } from '../core/diagnosticCodes';
import { withoutBom } from './studyFiles';
import type { StudySettings } from './studyHost';

/** Where a study folder keeps its settings, relative to the folder (as VS Code writes them). */
export const SETTINGS_FILE = '.vscode/settings.json';

export const DEFAULT_SETTINGS: StudySettings = Object.freeze({ severity: {}, exclude: [] }) as StudySettings;

/** The settings as they stand in `value`, before any check. */
function rawSettings(value: unknown): { severity: unknown; exclude: unknown; interviewerLabels: unknown; namesFile: unknown } {
  if (!value || typeof value !== 'object') return { severity: undefined, exclude: undefined, interviewerLabels: undefined, namesFile: undefined };
  const top = value as Record<string, unknown>;
  const obj = top.transcriptCoder && typeof top.transcriptCoder === 'object' ? top.transcriptCoder as Record<string, unknown> : top;
  const diagnostics = obj.diagnostics as Record<string, unknown> | undefined;
  const privacy = obj.privacy as Record<string, unknown> | undefined;
  return {
    severity: top['transcriptCoder.diagnostics.severity'] ?? obj['diagnostics.severity'] ?? diagnostics?.severity,
    exclude: top['transcriptCoder.exclude'] ?? obj.exclude,
    interviewerLabels: top['transcriptCoder.interviewerLabels'] ?? obj.interviewerLabels,
    namesFile: top['transcriptCoder.privacy.namesFile'] ?? obj['privacy.namesFile'] ?? (privacy && typeof privacy === 'object' ? privacy.namesFile : undefined),
  };
}

/** The settings `value` sets (fields it leaves out, or sets to something unusable, are absent). */
export function settingsFrom(value: unknown): Partial<StudySettings> {
  const { severity, exclude, interviewerLabels, namesFile } = rawSettings(value);
  const out: Partial<StudySettings> = {};
  // An empty path is VS Code's way of leaving the setting unset.
  if (typeof namesFile === 'string' && namesFile.trim() !== '') out.namesFile = namesFile.trim();
  if (severity && typeof severity === 'object' && !Array.isArray(severity)) out.severity = severity as SeverityOverrides;
  if (Array.isArray(exclude)) out.exclude = exclude.filter((g): g is string => typeof g === 'string');
  if (Array.isArray(interviewerLabels)) out.interviewerLabels = interviewerLabels.filter((l): l is string => typeof l === 'string');
  return out;
}

/** Each field from the first source that sets it, else the default. */
export function mergeSettings(...sources: Partial<StudySettings>[]): StudySettings {
  const merged: StudySettings = {
    severity: sources.find((s) => s.severity !== undefined)?.severity ?? DEFAULT_SETTINGS.severity,
    exclude: sources.find((s) => s.exclude !== undefined)?.exclude ?? DEFAULT_SETTINGS.exclude,
  };
  const interviewerLabels = sources.find((s) => s.interviewerLabels !== undefined)?.interviewerLabels;
  if (interviewerLabels !== undefined) merged.interviewerLabels = interviewerLabels;
  const namesFile = sources.find((s) => s.namesFile !== undefined)?.namesFile;
  if (namesFile !== undefined) merged.namesFile = namesFile;
  return merged;
}

/**
 * What is wrong with the settings in `value`, in plain words naming `where` they were read from:
 * settings that cannot be used would make the CLI and the editor disagree without a sign.
 */
export function settingsProblems(value: unknown, where: string): string[] {
  const { severity, exclude, interviewerLabels, namesFile } = rawSettings(value);
  const problems: string[] = [];
  if (namesFile !== undefined && namesFile !== null && typeof namesFile !== 'string') {
    problems.push(`transcriptCoder.privacy.namesFile in ${where} must be the path of the names list, such as "../keys/names.private.yaml"`);
  }
  if (severity !== undefined) {
    if (!severity || typeof severity !== 'object' || Array.isArray(severity)) {
      problems.push(`transcriptCoder.diagnostics.severity in ${where} must map problem codes to a severity, such as { "unasked-question": "information" }`);
    } else {
      for (const [code, level] of Object.entries(severity)) {
        if (!isDiagnosticCode(code)) problems.push(`transcriptCoder.diagnostics.severity in ${where} names '${code}', which is no problem code (see check's output for the codes)`);
        else if (!(SEVERITY_SETTINGS as readonly unknown[]).includes(level)) {
          problems.push(`transcriptCoder.diagnostics.severity in ${where} sets '${code}' to ${JSON.stringify(level)}; use error, warning, information, hint or off`);
        }
      }
    }
  }
  if (exclude !== undefined && !(Array.isArray(exclude) && exclude.every((g) => typeof g === 'string'))) {
    problems.push(`transcriptCoder.exclude in ${where} must be a list of patterns, such as ["drafts/**"]`);
  }
  if (interviewerLabels !== undefined && !(Array.isArray(interviewerLabels) && interviewerLabels.every((l) => typeof l === 'string'))) {
    problems.push(`transcriptCoder.interviewerLabels in ${where} must be a list of speaker labels, such as ["PO", "Int"]`);
  }
  return problems;
}

/** A settings file's `transcriptCoder.*` settings, and what is wrong with them. */
export interface SettingsFile {
  settings: Partial<StudySettings>;
  problems: string[];
}

/**
 * The `transcriptCoder.*` settings of a `.vscode/settings.json` text (comments and trailing commas
 * allowed, as VS Code writes it) and its problems in plain words. A file that is not valid JSON sets
 * what can still be read from it.
 */
export function readSettingsFile(text: string, where = SETTINGS_FILE): SettingsFile {
  const errors: ParseError[] = [];
  const clean = withoutBom(text);
  const value = parseJsonc(clean, errors, { allowTrailingComma: true }) as unknown;
  const problems = errors.length
    ? [`${where} is not valid JSON (line ${clean.slice(0, errors[0].offset).split('\n').length}), so some of its settings may not be read`]
    : [];
  return { settings: settingsFrom(value), problems: [...problems, ...settingsProblems(value, where)] };
}
