/**
 * The one interface between a study and the place its files live: the files of a study, their
 * texts, its settings, and (for hosts that can see them) changes. The CLI and the language server's
 * start-up scan read a folder on disk through `NodeStudyHost`; the language server reads open
 * documents over the disk through its LSP host; tests use `MemoryStudyHost`. Everything that decides
 * which files are study files, how a file's text is read (UTF-8, byte-order mark removed), which
 * settings apply and what happens to a file that cannot be read is written once, behind this interface.
 */
import type { SeverityOverrides } from '../core/diagnosticCodes';

/** The `transcriptCoder.*` settings that change what the core reports. */
export interface StudySettings {
  severity: SeverityOverrides;
  exclude: string[];
  /** Speaker labels that are the interviewer's besides `I`, `Interviewer` and `Interviewer…` (absent: none). */
  interviewerLabels?: string[];
  /** `transcriptCoder.privacy.namesFile`: where the names list is, when not `names.private.yaml` at the study's root. */
  namesFile?: string;
}

/**
 * The study's names list as its host finds it: none, its text (with where it is, for messages: a
 * path relative to the study when inside it, else as the setting gives it), or why it cannot be read.
 * `inStudy` is its path relative to the study when it lies inside it.
 */
export type NamesSource =
  | { kind: 'none' }
  | { kind: 'text'; text: string; where: string; inStudy?: string; absolute?: string }
  | { kind: 'error'; error: string; where: string; inStudy?: string; absolute?: string };

/** A file's text, or why it could not be read (in words for a researcher). */
export type ReadResult = { text: string } | { error: string };

export interface StudyHost {
  /** The study's name (its folder's name), used for project names in exports. */
  readonly name: string;
  /** The settings in force for this study. */
  settings(): StudySettings;
  /**
   * The study files (`*.guide.yaml`, `*.codebook.yaml`, `*.transcript`) as `/`-separated paths
   * relative to the study, sorted, leaving out `node_modules`, `.git` and excluded paths.
   */
  listFiles(): string[];
  /** One study file's text as an editor presents it (byte-order mark removed). */
  readText(path: string): ReadResult;
  /**
   * The first lines of a study file (byte-order mark removed), at least its first line and, when it is
   * short, the whole file: for reading front matter without reading whole transcripts. Undefined when the
   * host has no cheaper way than `readText`, or the start of the file is not plain UTF-8 text (`readText`
   * then says why).
   */
  readHead?(path: string): { text: string; whole: boolean } | undefined;
  /** The study's names list (SPEC §13); a host without one answers none. */
  namesSource?(): NamesSource;
}
