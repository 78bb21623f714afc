/**
 * Positions and definitions the custom requests do not carry: where a question
 * stands in its guide, and a code's definition in its codebook. Read from the
 * files themselves with the core's own parsers (pure, never throwing), so the
 * views agree with what the server reads.
 */
import * as vscode from 'vscode';
import { parseCodebook } from '../../server/src/core/codebook';
import { parseGuide } from '../../server/src/core/guide';
import type { CodeDef } from '../../server/src/core/model';

/** Opens the guide at question `id` (its ID selected); false when the guide no longer defines it. */
export async function revealQuestion(guideUri: vscode.Uri, id: string): Promise<boolean> {
  const doc = await vscode.workspace.openTextDocument(guideUri);
  const q = parseGuide(doc.getText()).questions.find((x) => x.id === id);
  const range = q ? new vscode.Range(doc.positionAt(q.idStart), doc.positionAt(q.idEnd)) : undefined;
  await vscode.window.showTextDocument(doc, { selection: range, preview: true });
  return q !== undefined;
}

export interface CodeDefinition {
  uri: vscode.Uri;
  def: CodeDef;
  range: vscode.Range;
}

const IGNORED = '**/{node_modules,.git}/**';

/** Every code definition of a folder's codebooks, the first definition of a path winning (file path order, as in SPEC §3). */
export async function codeDefinitions(folder: vscode.WorkspaceFolder | undefined): Promise<Map<string, CodeDefinition>> {
  const pattern = folder ? new vscode.RelativePattern(folder, '**/*.codebook.yaml') : '**/*.codebook.yaml';
  const uris = (await vscode.workspace.findFiles(pattern, IGNORED)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const out = new Map<string, CodeDefinition>();
  for (const uri of uris) {
    // An open editor's text is what the user sees; otherwise the file on disk (read, not opened:
    // opening would hand the file to the language server as an open document).
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const model = parseCodebook(text);
    for (const def of model.codes) {
      if (out.has(def.path)) continue;
      const r = model.lines.range(def.idStart, def.idEnd);
      out.set(def.path, { uri, def, range: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) });
    }
  }
  return out;
}

/** A code's definition as one line of plain text (for quick picks). */
export function definitionLine(def: CodeDef | undefined): string | undefined {
  return def?.description ?? def?.whenToUse ?? undefined;
}

/** A code's definition fields as Markdown (for tooltips). */
export function definitionMarkdown(def: CodeDef): string {
  const parts: string[] = [];
  const esc = (s: string) => s.replace(/([\\`*_{}[\]()#+\-.!<>|])/g, '\\$1');
  if (def.description) parts.push(esc(def.description));
  if (def.whenToUse) parts.push(`**When to use:** ${esc(def.whenToUse)}`);
  if (def.whenNotToUse) parts.push(`**When not to use:** ${esc(def.whenNotToUse)}`);
  if (def.example) parts.push(`**Example:** _${esc(def.example)}_`);
  return parts.join('\n\n');
}
