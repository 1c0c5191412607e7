/**
 * Tensor panels (Run Signature results, Show Variable): webviews that render typed pages
 * (protocol/results.ts) with dist/results.js; the host sends data, never HTML of model strings.
 */
import * as vscode from "vscode";
import type { HostTensor } from "../../core/tensor.js";
import type { PreviewLimits } from "../config.js";
import { nonce } from "../nonce.js";
import type { RunThreads } from "../../runtime/types.js";
import { requireFiles } from "../parts.js";
import { parseTensorPanelRequest, type TensorPage, type TensorPanelMessage, type TensorPanelRequest } from "../../protocol/results.js";
import { keepRuns, panelShell, resultsTitle, runPage } from "./tensorPage.js";

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

/** Runs kept in a panel's history (newest first). */
export const HISTORY_LIMIT = 10;
/** Output bytes a panel's older runs may hold in the extension host together. */
export const HISTORY_BYTES = 64 * 1024 * 1024;

interface Slot {
  readonly panel: vscode.WebviewPanel;
  /** Newest first; `shown` is the record on screen (Save outputs saves it). Empty for a variable's panel. */
  history: RunRecord[];
  shown: RunRecord | undefined;
  /** The page on screen, sent again when the webview (re)loads. */
  page: TensorPage;
}

/**
 * Tensor panels: one per model + tag set + signature for runs (re-used on re-run, with the last runs
 * inside), one per variable for Show Variable. The page is rendered by dist/results.js from typed
 * data (protocol/results.ts); requests from the page are validated before use.
 */
export class ResultsPanels implements vscode.Disposable {
  static readonly viewType = "savedmodelStudio.results";
  private readonly panels = new Map<string, Slot>();
  private latest: RunRecord | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly preview: () => PreviewLimits,
    private readonly onSave: (record: RunRecord) => Promise<unknown>,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** The most recent run (Save Outputs from the palette). */
  get last(): RunRecord | undefined {
    return this.latest;
  }

  show(record: RunRecord, reveal = true): void {
    this.latest = record;
    const key = `${record.modelUri.toString()}|${record.tags.join(",")}|${record.signature}`;
    const slot = this.panels.get(key) ?? this.open(key, resultsTitle(record), reveal);
    slot.history = keepRuns([record, ...slot.history.filter((r) => r.id !== record.id)], HISTORY_LIMIT, HISTORY_BYTES);
    this.render(slot, record);
    if (reveal) slot.panel.reveal(undefined, false);
  }

  /** Show Variable: the variable's page in a panel of its own; returns the page shown. */
  showVariable(id: string, title: string, page: TensorPage): TensorPage {
    const key = `variable|${id}`;
    const slot = this.panels.get(key) ?? this.open(key, title, true);
    slot.page = page;
    void slot.panel.webview.postMessage({ kind: "page", page } satisfies TensorPanelMessage);
    slot.panel.reveal(undefined, false);
    return page;
  }

  private open(key: string, title: string, reveal: boolean): Slot {
    requireFiles("results.js"); // a missing UI bundle is reported, never a blank panel
    const panel = vscode.window.createWebviewPanel(
      ResultsPanels.viewType,
      title,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: !reveal },
      {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, "media"), vscode.Uri.joinPath(this.extensionUri, "dist")],
      },
    );
    const empty: TensorPage = {
      heading: title,
      context: "",
      meta: "",
      history: [],
      inputs: null,
      warnings: [],
      tensors: [],
      summaryNote: "",
      canSave: false,
    };
    const slot: Slot = { panel, history: [], shown: undefined, page: empty };
    this.panels.set(key, slot);
    panel.onDidDispose(() => this.panels.delete(key));
    panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(slot, m));
    const webview = panel.webview;
    webview.html = panelShell({
      nonce: nonce(),
      cspSource: webview.cspSource,
      cssHref: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "media", "results.css")).toString(),
      scriptSrc: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "dist", "results.js")).toString(),
    });
    return slot;
  }

  private onMessage(slot: Slot, m: unknown): void {
    let req: TensorPanelRequest;
    try {
      req = parseTensorPanelRequest(m);
    } catch (e) {
      this.log(`results panel: refused a message (${e instanceof Error ? e.message : String(e)})`);
      return;
    }
    if (req.type === "ready") void slot.panel.webview.postMessage({ kind: "page", page: slot.page } satisfies TensorPanelMessage);
    if (req.type === "save" && slot.shown) void this.onSave(slot.shown);
    const earlier = req.type === "show" ? slot.history.find((r) => r.id === req.id) : undefined;
    if (earlier) this.render(slot, earlier);
  }

  private render(slot: Slot, record: RunRecord): void {
    slot.shown = record;
    slot.panel.title = resultsTitle(record);
    slot.page = runPage(record, this.preview(), slot.history);
    void slot.panel.webview.postMessage({ kind: "page", page: slot.page } satisfies TensorPanelMessage);
  }

  dispose(): void {
    for (const { panel } of this.panels.values()) panel.dispose();
    this.panels.clear();
  }
}
