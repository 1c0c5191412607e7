/**
 * Results panel: one webview per model/signature showing each output's dtype, shape, statistics and
 * a bounded value preview, with a "Save outputs…" button. The HTML is rendered in the host; the
 * page's only script posts the button click back (strict CSP with a nonce).
 */
import * as vscode from "vscode";
import type { HostTensor } from "../../core/tensor.js";
import type { PreviewLimits } from "../config.js";
import { nonce } from "../nonce.js";
import type { RunThreads } from "../../runtime/types.js";
import { keepRuns, resultsHtml, resultsTitle } from "./resultsHtml.js";

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
  /** Threads the kernels used (the embedded engine): shown next to the backend. */
  readonly threads?: RunThreads;
  readonly timings: { loadMs: number; prepareMs: number; runMs: number; execMs: number; opsExecuted: number };
  readonly warnings: readonly string[];
  /** When the run finished (ms since the epoch). */
  readonly at: number;
}

export { dtypeLabel } from "./resultsHtml.js";

/** Runs kept in a panel's history (newest first). */
export const HISTORY_LIMIT = 10;
/** Output bytes a panel's older runs may hold in the extension host together. */
export const HISTORY_BYTES = 64 * 1024 * 1024;

interface Slot {
  readonly panel: vscode.WebviewPanel;
  /** Newest first; `shown` is the record on screen (Save outputs saves it). */
  history: RunRecord[];
  shown: RunRecord;
}

/** One panel per model + tag set + signature, re-used on re-run, with the last runs inside. */
export class ResultsPanels implements vscode.Disposable {
  static readonly viewType = "savedmodelStudio.results";
  private readonly panels = new Map<string, Slot>();
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
    const slot = this.panels.get(key) ?? this.open(key, record, reveal);
    slot.history = keepRuns([record, ...slot.history.filter((r) => r.id !== record.id)], HISTORY_LIMIT, HISTORY_BYTES);
    this.render(slot, record);
    if (reveal) slot.panel.reveal(undefined, false);
  }

  private open(key: string, record: RunRecord, reveal: boolean): Slot {
    const panel = vscode.window.createWebviewPanel(
      ResultsPanels.viewType,
      resultsTitle(record),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: !reveal },
      { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, "media")] },
    );
    const slot: Slot = { panel, history: [], shown: record };
    this.panels.set(key, slot);
    panel.onDidDispose(() => this.panels.delete(key));
    panel.webview.onDidReceiveMessage((m: unknown) => {
      const msg = m as { type?: unknown; id?: unknown };
      if (msg?.type === "save") void this.onSave(slot.shown);
      const earlier = msg?.type === "show" ? slot.history.find((r) => r.id === msg.id) : undefined;
      if (earlier) this.render(slot, earlier);
    });
    return slot;
  }

  private render(slot: Slot, record: RunRecord): void {
    slot.shown = record;
    slot.panel.title = resultsTitle(record);
    const webview = slot.panel.webview;
    const css = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "media", "results.css"));
    webview.html = resultsHtml(record, {
      nonce: nonce(),
      cspSource: webview.cspSource,
      cssHref: css.toString(),
      limits: this.preview(),
      history: slot.history,
    });
  }

  dispose(): void {
    for (const { panel } of this.panels.values()) panel.dispose();
    this.panels.clear();
  }
}
