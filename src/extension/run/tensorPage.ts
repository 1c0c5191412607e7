/**
 * The tensor panels' pages (protocol/results.ts) as data, no vscode import: a run's results (Run
 * Signature) and one variable (Show Variable), every tensor in core/display.ts notation; and the
 * HTML shell both load, which holds no model string (the webview renders the page with textContent).
 */
import { tensorDisplay, typeText, type TensorDisplay } from "../../core/display.js";
import type { TensorPage } from "../../protocol/results.js";
import type { PreviewLimits } from "../config.js";
import { summarizedNote } from "../format.js";
import type { RunRecord } from "./results.js";

/** The panel title: the model's folder name and the signature, so panels of different models differ. */
export function resultsTitle(r: Pick<RunRecord, "modelLabel" | "signature">): string {
  const model = r.modelLabel.split(/[\\/]/).filter(Boolean).pop() ?? r.modelLabel;
  return `${model} · ${r.signature}`;
}

/** Bytes of a run's outputs (numeric buffers and string elements). */
function outputBytes(r: RunRecord): number {
  let n = 0;
  for (const t of Object.values(r.outputs))
    n += Array.isArray(t.data) ? t.data.reduce((a: number, b: Uint8Array) => a + b.length, 0) : (t.data as ArrayBufferView).byteLength;
  return n;
}

/**
 * The runs a panel keeps, newest first: at most `maxRuns`, and older runs only while their outputs
 * together stay within `maxBytes` (a model with 500 MB outputs keeps just its newest run in memory).
 */
export function keepRuns(history: readonly RunRecord[], maxRuns: number, maxBytes: number): RunRecord[] {
  const kept: RunRecord[] = [];
  let bytes = 0;
  for (const r of history.slice(0, maxRuns)) {
    bytes += outputBytes(r);
    if (kept.length > 0 && bytes > maxBytes) break;
    kept.push(r);
  }
  return kept;
}

/** The page of a run, with the panel's runs (newest first, the shown one among them). */
export function runPage(r: RunRecord, limits: PreviewLimits, history: readonly RunRecord[] = []): TensorPage {
  const tensors = Object.entries(r.outputs)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, t]) => ({ key, display: tensorDisplay(t, limits) }));
  const t = r.timings;
  const summarized = tensors.find((c) => c.display.summarized);
  return {
    heading: r.signature,
    context: `· ${r.modelLabel} · tags ${r.tags.join(", ") || "(none)"}`,
    meta: `engine ${r.engine} · backend ${r.backend}${threadsText(r)} · load ${ms(t.loadMs)} · prepare ${ms(t.prepareMs)} · run ${ms(t.runMs)} (ops ${ms(t.execMs)}, ${t.opsExecuted} op executions)`,
    history:
      history.length < 2 ? [] : history.map((h, i) => ({ id: h.id, label: historyLabel(h, history.length - i), current: h.id === r.id })),
    inputs: r.inputs.map((i) => ({ key: i.key, type: typeText(i.dtype, i.shape), from: i.from })),
    warnings: [...r.warnings],
    tensors,
    summaryNote: summarized ? summarizedNote(summarized.display) : "",
    canSave: true,
  };
}

/** " · threads …" for the meta line: the fast path's SIMD kernels and tfjs-backend-wasm's pool, when known. */
export function threadsText(r: Pick<RunRecord, "threads">): string {
  const t = r.threads;
  if (!t) return "";
  return ` · threads ${t.fastPath > 0 ? `${t.fastPath} fast path, ` : ""}${t.tfjs} tfjs`;
}

/** The page of one variable (Show Variable). */
export function variablePage(v: { model: string; key: string; shard: number; readMs: number }, d: TensorDisplay): TensorPage {
  return {
    heading: v.key,
    context: `· ${v.model}`,
    meta: `${d.size} in shard ${v.shard}, read in ${v.readMs.toFixed(1)} ms`,
    history: [],
    inputs: null,
    warnings: [],
    tensors: [{ key: v.key, display: d }],
    summaryNote: d.summarized ? summarizedNote(d) : "",
    canSave: false,
  };
}

function historyLabel(h: RunRecord, n: number): string {
  const when = new Date(h.at).toLocaleTimeString(undefined, { hour12: false });
  const inputs = h.inputs.map((x) => `${x.key} ← ${x.from}`).join(", ") || "no inputs";
  return `#${n} · ${when} · ${inputs}`;
}

/**
 * The HTML of a tensor panel: a strict CSP (our stylesheet, our script by nonce), an empty root, the
 * script that renders the pages it is sent. No string of the model or the run is in it.
 */
export function panelShell(o: { nonce: string; cspSource: string; cssHref: string; scriptSrc: string }): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${o.cspSource}; script-src 'nonce-${o.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${esc(o.cssHref)}">
<title>SavedModel Studio</title></head>
<body><main id="root" aria-live="polite"></main>
<script nonce="${o.nonce}" src="${esc(o.scriptSrc)}"></script>
</body></html>`;
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function ms(v: number): string {
  return v < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`;
}
