/**
 * Tensor panels protocol (the results of Run Signature, and Show Variable): the host sends a whole
 * page as plain JSON data (`TensorPage`, every tensor in core/display.ts notation); the webview
 * (src/webview/results.ts) renders it with textContent only and answers with a few typed requests,
 * validated here on the host (`parseTensorPanelRequest`). The page's HTML shell holds no model string.
 *
 * PURE: no vscode, no DOM; from core only types (the webview bundles this file).
 */
import type { TensorDisplay } from "../core/display.js";

export interface TensorCard {
  readonly key: string;
  readonly display: TensorDisplay;
}

/** One run of the panel's history, newest first. */
export interface HistoryEntry {
  readonly id: string;
  readonly label: string;
  readonly current: boolean;
}

export interface TensorPage {
  /** Main heading (the signature key, or the variable name). */
  readonly heading: string;
  /** Muted text after the heading (model, tags). */
  readonly context: string;
  /** One line of facts (engine, backend, threads, timings; or the variable's shard and read time). */
  readonly meta: string;
  /** The panel's runs when there are several (a list to switch between them). */
  readonly history: readonly HistoryEntry[];
  /** The run's inputs; null for a page that is not a run. */
  readonly inputs: readonly { readonly key: string; readonly type: string; readonly from: string }[] | null;
  readonly warnings: readonly string[];
  /** Outputs of a run, or the one variable. */
  readonly tensors: readonly TensorCard[];
  /** What is summarized and which setting shows more ("" when nothing is). */
  readonly summaryNote: string;
  /** Whether the page offers "Save outputs…". */
  readonly canSave: boolean;
}

export type TensorPanelMessage = { readonly kind: "page"; readonly page: TensorPage };

export type TensorPanelRequest = { readonly type: "ready" } | { readonly type: "save" } | { readonly type: "show"; readonly id: string };

export class TensorPanelProtocolError extends Error {
  override readonly name = "TensorPanelProtocolError";
}

/** Validates a webview → host message; throws TensorPanelProtocolError. */
export function parseTensorPanelRequest(msg: unknown): TensorPanelRequest {
  if (msg === null || typeof msg !== "object" || Array.isArray(msg)) throw new TensorPanelProtocolError("message must be an object");
  const m = msg as Record<string, unknown>;
  switch (m["type"]) {
    case "ready":
      return { type: "ready" };
    case "save":
      return { type: "save" };
    case "show": {
      const id = m["id"];
      if (typeof id !== "string" || id.length === 0 || id.length > 100)
        throw new TensorPanelProtocolError("show: id must be a short string");
      return { type: "show", id };
    }
    default:
      throw new TensorPanelProtocolError("unknown request type");
  }
}
