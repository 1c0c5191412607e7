/**
 * Read-only virtual documents: `saved_model_cli show --all` text of a model (Open Model Editor,
 * until the custom editor lands) and a variable's statistics and preview (Show Variable).
 */
import * as vscode from "vscode";
import type { Ctx } from "./ctx.js";
import { tensorDisplay } from "../core/display.js";
import { variableDocument } from "./format.js";
import { readerPart } from "./lazy.js";

type DocQuery = { kind: "show"; model: string } | { kind: "variable"; model: string; key: string };

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
    if (q.kind === "show") {
      const { showAll } = await readerPart();
      return showAll(reader);
    }
    const bundle = await reader.variables();
    const entry = bundle?.get(q.key);
    if (!bundle || !entry) return `${model.label}: no variable with checkpoint key '${q.key}'.`;
    const t0 = performance.now();
    const t = await bundle.readTensor(q.key);
    const readMs = performance.now() - t0;
    const d = tensorDisplay(t, this.ctx.config.preview, entry.size);
    return variableDocument({ model: model.label, key: q.key, shard: entry.shardId, readMs }, d);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
