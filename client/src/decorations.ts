/**
 * Coded passages tinted with their code's colour from the codebook. Never at
 * the cost of typing: work waits until typing pauses, and only the visible
 * lines are decorated.
 */
import * as vscode from 'vscode';
import { parseTranscript } from '../../server/src/core/transcript';
import type { TranscriptModel } from '../../server/src/core/model';
import type { CodeCountRow } from '../../server/src/protocol';
import { folderFor, isTranscript, type StudyClient } from './study';

const DEBOUNCE_MS = 250;
const COLOR = /^#(?:[0-9a-fA-F]{3}){1,2}$/;

/** `#RGB`/`#RRGGBB` with an alpha byte appended (as `#RRGGBBAA`). */
function withAlpha(color: string, alpha: string): string {
  const hex = color.length === 4 ? `#${color[1]}${color[1]}${color[2]}${color[2]}${color[3]}${color[3]}` : color;
  return `${hex}${alpha}`;
}

export class CodeDecorations implements vscode.Disposable {
  private readonly types = new Map<string, vscode.TextEditorDecorationType>();
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Code path → colour (its own, else its nearest coloured ancestor's), per folder. */
  private colors = new Map<string, Promise<Map<string, string>>>();
  /** The last parse, reused while only the view scrolls. */
  private parsed: { doc: vscode.TextDocument; version: number; model: TranscriptModel } | undefined;

  constructor(private readonly study: StudyClient) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule(0)),
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => { if (e.textEditor === vscode.window.activeTextEditor) this.schedule(DEBOUNCE_MS); }),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.document === vscode.window.activeTextEditor?.document) this.schedule(DEBOUNCE_MS); }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('transcriptCoder.decorations')) this.schedule(0); }),
      study.onDidChange(() => { this.colors.clear(); this.schedule(DEBOUNCE_MS); }),
    );
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.apply(); }, ms);
  }

  private colorsFor(folder: vscode.WorkspaceFolder | undefined): Promise<Map<string, string>> {
    const key = folder?.uri.toString() ?? '';
    let p = this.colors.get(key);
    if (!p) {
      p = this.study.codeCounts(folder ? { folder: key } : {}).then(resolveColors, () => new Map<string, string>());
      this.colors.set(key, p);
    }
    return p;
  }

  private typeFor(color: string): vscode.TextEditorDecorationType {
    let t = this.types.get(color);
    if (!t) {
      t = vscode.window.createTextEditorDecorationType({
        backgroundColor: withAlpha(color, '22'),
        borderColor: withAlpha(color, 'aa'),
        borderStyle: 'none none solid none',
        borderWidth: '0 0 2px 0',
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      });
      this.types.set(color, t);
    }
    return t;
  }

  private async apply(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isTranscript(editor.document)) return;
    const enabled = vscode.workspace.getConfiguration('transcriptCoder.decorations', editor.document.uri).get<boolean>('enabled', true);
    const byColor = new Map<string, vscode.Range[]>();
    if (enabled) {
      const doc = editor.document;
      const version = doc.version;
      const colors = await this.colorsFor(folderFor(doc.uri));
      if (doc.version !== version || editor !== vscode.window.activeTextEditor) return;
      if (colors.size > 0) {
        if (this.parsed?.doc !== doc || this.parsed.version !== doc.version) {
          this.parsed = { doc, version: doc.version, model: parseTranscript(doc.getText()) };
        }
        const model = this.parsed.model;
        const visible = editor.visibleRanges;
        for (const use of model.codes) {
          if (use.target !== 'span') continue;
          const color = colors.get(use.path);
          if (!color) continue;
          const range = new vscode.Range(doc.positionAt(use.segStart), doc.positionAt(use.segEnd));
          if (!visible.some((v) => v.intersection(range))) continue;
          const list = byColor.get(color);
          if (list) list.push(range); else byColor.set(color, [range]);
        }
      }
    }
    for (const [color, type] of this.types) editor.setDecorations(type, byColor.get(color) ?? []);
    for (const [color, ranges] of byColor) editor.setDecorations(this.typeFor(color), ranges);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const t of this.types.values()) t.dispose();
    for (const d of this.disposables) d.dispose();
    this.parsed = undefined;
  }
}

/** Each known code's colour: its own, else its nearest ancestor's that has one. */
export function resolveColors(rows: CodeCountRow[]): Map<string, string> {
  const byPath = new Map(rows.filter((r) => r.known).map((r) => [r.code, r]));
  const out = new Map<string, string>();
  for (const r of byPath.values()) {
    let cur: CodeCountRow | undefined = r;
    while (cur && !(cur.color && COLOR.test(cur.color))) cur = cur.parent ? byPath.get(cur.parent) : undefined;
    if (cur?.color) out.set(r.code, cur.color);
  }
  return out;
}
