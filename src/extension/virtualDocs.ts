/**
 * Read-only virtual documents: `saved_model_cli show --all` text of a model (Open Model Editor,
 * until the custom editor lands) and a variable's statistics and preview (Show Variable).
 */
import * as vscode from "vscode";
import type { Ctx } from "./ctx.js";
import { formatBytes, formatShape } from "./format.js";
import { dtypeLabel } from "./run/results.js";
import { formatPreview, formatStats, tensorStats } from "./tensorView.js";
import { heavy } from "./lazy.js";
import { checkHostValue } from "../editor-model/valueBudget.js";

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
      const { showAll } = await heavy();
      return showAll(reader);
    }
    const bundle = await reader.variables();
    const entry = bundle?.get(q.key);
    if (!bundle || !entry) return `${model.label}: no variable with checkpoint key '${q.key}'.`;
    try {
      checkHostValue(entry, q.key, bundle.indexPath);
    } catch (e) {
      return `${model.label}: ${(e as Error).message}`;
    }
    const t0 = performance.now();
    const t = await bundle.readTensor(q.key);
    const readMs = performance.now() - t0;
    const limits = this.ctx.config.preview;
    const prev = formatPreview(t, limits);
    return [
      `variable   ${q.key}`,
      `model      ${model.label}`,
      `dtype      ${dtypeLabel(t.dtype)}`,
      `shape      ${formatShape(t.shape)}`,
      `size       ${formatBytes(entry.size)} (shard ${entry.shardId}), read in ${readMs.toFixed(1)} ms`,
      "",
      ...formatStats(tensorStats(t)),
      "",
      `values${prev.shown < prev.total ? ` (first ${prev.shown} of ${prev.total}; setting savedmodelStudio.preview.maxElements)` : ""}:`,
      prev.text,
      "",
    ].join("\n");
  }

  dispose(): void {
    this.changed.dispose();
  }
}
