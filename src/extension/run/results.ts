/**
 * Results panel: one webview per model/signature showing each output's dtype, shape, statistics and
 * a bounded value preview, with a "Save outputs…" button. The HTML is rendered in the host; the
 * page's only script posts the button click back (strict CSP with a nonce).
 */
import * as vscode from "vscode";
import type { HostTensor } from "../../core/tensor.js";
import type { PreviewLimits } from "../config.js";
import { resultsHtml } from "./resultsHtml.js";

export interface RunRecord {
  readonly id: string;
  readonly modelLabel: string;
  readonly modelUri: vscode.Uri;
  readonly tags: readonly string[];
  readonly signature: string;
  readonly inputs: readonly { key: string; from: string; dtype: number; shape: readonly number[] }[];
  readonly outputs: Record<string, HostTensor>;
  readonly engine: string;
  readonly backend: string;
  readonly timings: { loadMs: number; prepareMs: number; runMs: number; execMs: number; opsExecuted: number };
  readonly warnings: readonly string[];
}

export { dtypeLabel } from "./resultsHtml.js";

export class ResultsPanels implements vscode.Disposable {
  static readonly viewType = "savedmodelStudio.results";
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; record: RunRecord }>();
  private latest: RunRecord | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly preview: () => PreviewLimits,
    private readonly onSave: (record: RunRecord) => Promise<unknown>,
  ) {}

  /** The most recent run (Save Outputs from the palette). */
  get last(): RunRecord | undefined {
    return this.latest;
  }

  show(record: RunRecord, reveal = true): void {
    this.latest = record;
    const key = `${record.modelUri.toString()}|${record.tags.join(",")}|${record.signature}`;
    let slot = this.panels.get(key);
    if (!slot) {
      const panel = vscode.window.createWebviewPanel(
        ResultsPanels.viewType,
        `${record.signature} — results`,
        { viewColumn: vscode.ViewColumn.Active, preserveFocus: !reveal },
        {
          enableScripts: true,
          localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, "media")],
        },
      );
      const s = { panel, record };
      slot = s;
      this.panels.set(key, s);
      panel.onDidDispose(() => this.panels.delete(key));
      panel.webview.onDidReceiveMessage((m: unknown) => {
        if ((m as { type?: unknown })?.type === "save") void this.onSave(s.record);
      });
    }
    slot.record = record;
    slot.panel.title = `${record.signature} — results`;
    slot.panel.webview.html = this.html(slot.panel.webview, record);
    if (reveal) slot.panel.reveal(undefined, false);
  }

  private html(webview: vscode.Webview, r: RunRecord): string {
    const nonce = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
    const css = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "media", "results.css"));
    return resultsHtml(r, { nonce, cspSource: webview.cspSource, cssHref: css.toString(), limits: this.preview() });
  }

  dispose(): void {
    for (const { panel } of this.panels.values()) panel.dispose();
    this.panels.clear();
  }
}
