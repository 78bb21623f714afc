/** The identifier patterns of the file formats, in one place. */

/** A question, section or role ID: `Q3.2`, `whose-idea`, `Wohnsituation`. */
export const QUESTION_ID = /^[\p{L}\p{N}_]+(?:[.-][\p{L}\p{N}_]+)*$/u;
/** One segment of a code path: `benefit`, `la-lawyer`. */
export const CODE_SEGMENT = /^[\p{L}\p{N}_]+(?:-[\p{L}\p{N}_]+)*$/u;
/** A whole code path: `benefit/family`. */
export const CODE_PATH = /^[\p{L}\p{N}_]+(?:-[\p{L}\p{N}_]+)*(?:\/[\p{L}\p{N}_]+(?:-[\p{L}\p{N}_]+)*)*$/u;
/** A guide ID: `ppp-general`. */
export const GUIDE_ID = /^[a-z0-9][a-z0-9-]*$/;

/** Sticky versions for scanning: they match at `lastIndex` and nowhere else. */
export const QUESTION_ID_AT = /[\p{L}\p{N}_]+(?:[.-][\p{L}\p{N}_]+)*/uy;
export const CODE_PATH_AT = /[\p{L}\p{N}_]+(?:-[\p{L}\p{N}_]+)*(?:\/[\p{L}\p{N}_]+(?:-[\p{L}\p{N}_]+)*)*/uy;

export const isQuestionId = (s: string): boolean => QUESTION_ID.test(s);
export const isCodeSegment = (s: string): boolean => CODE_SEGMENT.test(s);
export const isCodePath = (s: string): boolean => CODE_PATH.test(s);
export const isGuideId = (s: string): boolean => GUIDE_ID.test(s);

/** The parent path of a code path, or null for a top-level code. */
export function parentPath(path: string): string | null {
  const i = path.lastIndexOf('/');
  return i < 0 ? null : path.slice(0, i);
}

/** The last segment of a code path: the code's own ID. */
export function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** What kind of study file a path names, from its file name. */
export type FileKind = 'guide' | 'codebook' | 'transcript';

export function fileKind(path: string): FileKind | undefined {
  if (path.endsWith('.guide.yaml')) return 'guide';
  if (path.endsWith('.codebook.yaml')) return 'codebook';
  if (path.endsWith('.transcript')) return 'transcript';
  return undefined;
}
