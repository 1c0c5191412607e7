/**
 * Read-only virtual documents: the `saved_model_cli show --all` text of a model (Open Model Editor
 * as text). Show Variable uses a tensor panel (showVariable.ts).
 */
import * as vscode from "vscode";
import type { Ctx } from "./ctx.js";
import { readerPart } from "./lazy.js";

type DocQuery = { kind: "show"; model: string };

export class VirtualDocs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly scheme = "savedmodel-studio";
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: Ctx) {}

  static uri(title: string, q: DocQuery): vscode.Uri {
    return vscode.Uri.from({ scheme: VirtualDocs.scheme, path: `/${title}`, query: JSON.stringify(q) });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = JSON.parse(uri.query) as DocQuery;
    const model = this.ctx.registry.get(q.model);
    if (!model) return `Model ${q.model} is no longer in the workspace.`;
    const reader = await model.reader();
    const { showAll } = await readerPart();
    return showAll(reader);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
