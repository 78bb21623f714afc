/**
 * Coded passages tinted with their code's colour from the codebook, as the server lists them
 * (`transcriptCoder/decorations`). Never at the cost of typing: the request waits until typing
 * pauses, asks for the visible lines only, and an answer for an older text is dropped.
 */
import * as vscode from 'vscode';
import { isTranscript, toRange, wireRange, type StudyClient } from './study';

const DEBOUNCE_MS = 250;

/** `#RGB`/`#RRGGBB` with an alpha byte appended (as `#RRGGBBAA`). */
function withAlpha(color: string, alpha: string): string {
  const hex = color.length === 4 ? `#${color[1]}${color[1]}${color[2]}${color[2]}${color[3]}${color[3]}` : color;
  return `${hex}${alpha}`;
}

/** What was last drawn: the editor's document and version, and the ranges per colour. */
export interface AppliedDecorations {
  uri: string;
  version: number;
  ranges: Map<string, vscode.Range[]>;
}

export class CodeDecorations implements vscode.Disposable {
  private readonly types = new Map<string, vscode.TextEditorDecorationType>();
  private readonly applied = new vscode.EventEmitter<AppliedDecorations>();
  /** Fires after the active editor's tints were drawn (the extension-host tests wait on it). */
  readonly onDidApply = this.applied.event;
  /** The tints drawn last. */
  last: AppliedDecorations | undefined;
  private readonly disposables: vscode.Disposable[] = [this.applied];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The request in flight; a newer one cancels it. */
  private pending: vscode.CancellationTokenSource | undefined;
  /** Counts the runs of `apply`, so that only the newest draws. */
  private generation = 0;

  constructor(private readonly study: StudyClient) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule(0)),
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => { if (e.textEditor === vscode.window.activeTextEditor) this.schedule(DEBOUNCE_MS); }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document && e.contentChanges.length > 0) this.schedule(DEBOUNCE_MS);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('transcriptCoder.decorations')) this.schedule(0); }),
      study.onDidChange(() => this.schedule(DEBOUNCE_MS)),
    );
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.apply(); }, ms);
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
    this.pending?.cancel();
    const gen = ++this.generation;
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isTranscript(editor.document)) return;
    const doc = editor.document;
    const version = doc.version;
    const byColor = new Map<string, vscode.Range[]>();
    if (vscode.workspace.getConfiguration('transcriptCoder.decorations', doc.uri).get<boolean>('enabled', true)) {
      const visible = editor.visibleRanges;
      const range = visible.length ? new vscode.Range(visible[0].start, visible[visible.length - 1].end) : undefined;
      const cts = new vscode.CancellationTokenSource();
      this.pending = cts;
      let result;
      try {
        result = await this.study.decorations({ uri: doc.uri.toString(), ...(range ? { range: wireRange(range) } : {}) }, cts.token);
      } catch {
        // Cancelled by a newer request, or the server is restarting: its indexChanged brings a new one.
        return;
      } finally {
        if (this.pending === cts) this.pending = undefined;
        cts.dispose();
      }
      // The text changed meanwhile, or the answer is about another version: a newer request follows.
      if (gen !== this.generation || editor !== vscode.window.activeTextEditor || doc.version !== version) return;
      if (result.version !== null && result.version !== version) return;
      for (const d of result.decorations) {
        if (!/^#(?:[0-9a-fA-F]{3}){1,2}$/.test(d.color)) continue;
        const list = byColor.get(d.color);
        if (list) list.push(toRange(d.range)); else byColor.set(d.color, [toRange(d.range)]);
      }
    }
    for (const [color, type] of this.types) if (!byColor.has(color)) editor.setDecorations(type, []);
    for (const [color, ranges] of byColor) editor.setDecorations(this.typeFor(color), ranges);
    this.last = { uri: doc.uri.toString(), version, ranges: byColor };
    this.applied.fire(this.last);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.pending?.cancel();
    for (const t of this.types.values()) t.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
