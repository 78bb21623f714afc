/**
 * "Code selection": wrap the selection in `{…}` and add a code after the `}`;
 * with no selection, add the code at the end of the paragraph (SPEC §4.2).
 */
import * as vscode from 'vscode';
import { parseTranscript } from '../../server/src/core/transcript';
import type { CodeCountRow } from '../../server/src/protocol';
import { folderFor, isTranscript, type StudyClient } from './study';
import { codeDefinitions, definitionLine } from './studyText';

/** A character that would continue a code path written right before it. */
const PATH_CHAR = /[\p{L}\p{N}_/-]/u;

/**
 * The edits that code `selection` (or, when empty, its paragraph) with `code`.
 * Returns undefined when the cursor is in no paragraph (a blank line or the front matter).
 */
export function codingEdit(doc: vscode.TextDocument, selection: vscode.Selection, code: string): vscode.TextEdit[] | undefined {
  const text = doc.getText();
  if (!selection.isEmpty) {
    let start = doc.offsetAt(selection.start);
    let end = doc.offsetAt(selection.end);
    // A selection made by whole lines ends in a line break; the braces belong around the words.
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (start === end) return undefined;
    const after = text.slice(end, end + 2);
    // `}#a` followed by a word character would extend the path, so keep them apart.
    const sep = after.length > 0 && PATH_CHAR.test(after[0]) ? ' ' : '';
    return [
      vscode.TextEdit.insert(doc.positionAt(start), '{'),
      vscode.TextEdit.insert(doc.positionAt(end), `}#${code}${sep}`),
    ];
  }
  const model = parseTranscript(text);
  const offset = doc.offsetAt(selection.active);
  if (offset < model.bodyStart) return undefined;
  const para = model.paragraphs.find((p) => p.start <= offset && offset <= p.end);
  if (!para) return undefined;
  return [vscode.TextEdit.insert(doc.positionAt(para.end), ` #${code}`)];
}

interface CodePick extends vscode.QuickPickItem {
  code: string;
}

/** Asks for a code of the study's codebook; undefined when cancelled. */
export async function pickCode(study: StudyClient, doc: vscode.TextDocument): Promise<string | undefined> {
  const folder = folderFor(doc.uri);
  const rowsPromise = study.codeCounts(folder ? { folder: folder.uri.toString() } : {});
  const defsPromise = codeDefinitions(folder);
  const picks = (async (): Promise<CodePick[]> => {
    const [rows, defs] = await Promise.all([rowsPromise, defsPromise]);
    return rows.filter((r: CodeCountRow) => r.known && !r.deprecated).map((r) => ({
      code: r.code,
      label: r.code,
      description: r.label,
      detail: definitionLine(defs.get(r.code)?.def),
    }));
  })();
  const choice = await vscode.window.showQuickPick(picks, {
    title: 'Code selection',
    placeHolder: 'Choose a code from the codebook (type to filter by path, label or definition)',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return choice?.code;
}

/**
 * The command: `code` is given by tests and by callers that already know the code;
 * otherwise the user picks one.
 */
export async function codeSelection(study: StudyClient, code?: string): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !isTranscript(editor.document)) {
    void vscode.window.showInformationMessage('Open a transcript and select the passage to code.');
    return false;
  }
  const chosen = typeof code === 'string' && code !== '' ? code : await pickCode(study, editor.document);
  if (!chosen) return false;
  const doc = editor.document;
  const selections = editor.selections;
  const edits: vscode.TextEdit[] = [];
  const seen = new Set<string>();
  for (const sel of selections) {
    for (const e of codingEdit(doc, sel, chosen) ?? []) {
      // Two cursors in one paragraph code it once.
      const key = `${doc.offsetAt(e.range.start)}:${e.newText}`;
      if (!seen.has(key)) { seen.add(key); edits.push(e); }
    }
  }
  if (edits.length === 0) {
    void vscode.window.showInformationMessage('Select a passage, or put the cursor in a paragraph of the interview, to code it.');
    return false;
  }
  return editor.edit((b) => { for (const e of edits) b.insert(e.range.start, e.newText); });
}
