/**
 * Run with Trace (issues 18 and 20): runs a signature node by node (the debugger's recording, no fused
 * fast path), shows every executed node in a panel (shapes, statistics, NaN/Inf, time; Export CSV / JSON)
 * and overlays the shapes that flowed and the time each node took on the model editor's graph.
 */
import * as vscode from "vscode";
import type { TraceRow } from "../../debug/traceTable.js";
import { overlayOf } from "../../editor-model/overlay.js";
import type { Ctx } from "../ctx.js";
import { SavedModelEditorProvider } from "../editor/savedModelEditor.js";
import { readerPart } from "../lazy.js";
import { nonce } from "../nonce.js";
import { partPath, requireFiles } from "../parts.js";
import { traceIsolated } from "../../node/isolatedTrace.js";
import type { RunArgs } from "../run/runSignature.js";
import { resultsTitle } from "../run/tensorPage.js";
import { traceHtml } from "../run/traceHtml.js";
import type { Node } from "../tree.js";
import { chooseInputFiles, refuseUntrusted } from "./debugSignature.js";

export interface TraceSummary {
  readonly rows: number;
  readonly error: string | null;
}

export async function traceSignatureCommand(ctx: Ctx, arg?: Node | RunArgs): Promise<TraceSummary | undefined> {
  if (refuseUntrusted()) return undefined;
  const chosen = await chooseInputFiles(ctx, arg, "Run with Trace");
  if (!chosen) return undefined;
  const { model, mg, sig, inputs } = chosen;
  // The recording runs in the engine worker (node/isolatedTrace.ts), never in the extension host.
  requireFiles("engineWorker.js");
  const rec = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Tracing ${sig.key} of ${model.label} node by node`, cancellable: true },
    (_progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      const args = { model: model.uri.fsPath, tags: mg.tags.join(","), signature: sig.key, inputs, backend: ctx.config.backend };
      return traceIsolated(args, { script: partPath("engineWorker.js") }, ac.signal);
    },
  );
  const { rows } = rec;
  const error = rec.error ?? null;
  if (rec.omitted > 0)
    void vscode.window.showWarningMessage(
      `Run with Trace lists the first ${rows.length} node executions; ${rec.omitted} more are not listed.`,
    );
  ctx.log.info(`traced ${model.label} ${sig.key}: ${rows.length + rec.omitted} node executions${error ? `, stopped by: ${error}` : ""}`);
  SavedModelEditorProvider.setRunOverlay(model.uri, mg.index, overlayOf(sig.key, rows, Date.now()));
  const title = `Trace: ${resultsTitle({ modelLabel: model.label, signature: sig.key })}`;
  showTracePanel(ctx, title, rows, error, () =>
    SavedModelEditorProvider.showGraph(model.uri, { metaGraph: mg.index, target: { kind: "signature", key: sig.key } }),
  );
  return { rows: rows.length, error };
}

function showTracePanel(ctx: Ctx, title: string, rows: readonly TraceRow[], error: string | null, showGraph: () => Promise<void>): void {
  const media = vscode.Uri.joinPath(ctx.extension.extensionUri, "media");
  const panel = ctx.own(
    vscode.window.createWebviewPanel("savedmodelStudio.trace", title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
    }),
  );
  const css = panel.webview.asWebviewUri(vscode.Uri.joinPath(media, "results.css")).toString();
  panel.webview.html = traceHtml(title, rows, {
    nonce: nonce(),
    cspSource: panel.webview.cspSource,
    cssHref: css,
    ...(error ? { error } : {}),
  });
  panel.webview.onDidReceiveMessage(async (m: { type?: unknown }) => {
    if (m?.type === "graph") return showGraph();
    if (m?.type !== "csv" && m?.type !== "json") return;
    const h = await readerPart();
    const text = m.type === "csv" ? h.traceCsv(rows) : JSON.stringify(rows, null, 2) + "\n";
    const uri = await vscode.window.showSaveDialog({
      title: `Export ${title}`,
      filters: m.type === "csv" ? { CSV: ["csv"] } : { JSON: ["json"] },
    });
    if (uri) await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  });
}
