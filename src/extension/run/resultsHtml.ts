/**
 * The Run Signature results page as HTML (no vscode import, so it is unit-testable): every string
 * from the model or the run (label, signature key, input/output keys, dtypes, previews including
 * DT_STRING values, warnings) goes through `esc`; the only script is the nonce'd Save button handler.
 */
import type { PreviewLimits } from "../config.js";
import { dtypeLabel, formatShape } from "../format.js";
import { formatPreview, formatStats, tensorStats } from "../tensorView.js";
import type { RunRecord } from "./results.js";

export { dtypeLabel };

export interface ResultsPageOptions {
  /** Nonce of the page's one script. */
  readonly nonce: string;
  /** webview.cspSource (allowed style origin). */
  readonly cspSource: string;
  /** URI of media/results.css as the webview sees it. */
  readonly cssHref: string;
  readonly limits: PreviewLimits;
  /** The panel's runs, newest first (the one shown among them); a list to switch between them. */
  readonly history?: readonly RunRecord[];
}

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

/** The full HTML of the results page for `r`. */
export function resultsHtml(r: RunRecord, o: ResultsPageOptions): string {
  const limits = o.limits;
  const outputs = Object.entries(r.outputs)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, t]) => {
      const stats = formatStats(tensorStats(t));
      const prev = formatPreview(t, limits);
      const more =
        prev.shown < prev.total
          ? `<div class="note">showing ${prev.shown} of ${prev.total} values (setting savedmodelStudio.preview.maxElements)</div>`
          : "";
      return `<section class="output">
  <h2><span class="key">${esc(key)}</span> <span class="type">${esc(dtypeLabel(t.dtype))}${esc(formatShape(t.shape))}</span></h2>
  <div class="stats">${stats
    .flatMap((s) => s.split(/\s{3,}/))
    .map((s) => `<div>${esc(s)}</div>`)
    .join("")}</div>
  <pre class="preview">${esc(prev.text)}</pre>${more}
</section>`;
    })
    .join("\n");
  const inputs = r.inputs
    .map((i) => `<li><span class="key">${esc(i.key)}</span> ${esc(dtypeLabel(i.dtype))}${esc(formatShape(i.shape))} ← ${esc(i.from)}</li>`)
    .join("");
  const warnings = r.warnings.length ? `<ul class="warnings">${r.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul>` : "";
  const t = r.timings;
  const history = historyHtml(r, o.history ?? []);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${o.cspSource}; script-src 'nonce-${o.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${esc(o.cssHref)}">
<title>${esc(resultsTitle(r))}</title></head>
<body>
<header>
  <h1>${esc(r.signature)} <span class="muted">· ${esc(r.modelLabel)} · tags ${esc(r.tags.join(", ") || "(none)")}</span></h1>
  <button id="save" title="Write each output as <key>.npy into a folder">Save outputs…</button>
</header>
<div class="meta">engine <b>${esc(r.engine)}</b> · backend <b>${esc(r.backend)}</b>${threadsHtml(r)} · load ${ms(t.loadMs)} · prepare ${ms(t.prepareMs)} · run ${ms(t.runMs)} (ops ${ms(t.execMs)}, ${t.opsExecuted} op executions)</div>
${history}<h3>Inputs</h3><ul class="inputs">${inputs || "<li>(none)</li>"}</ul>
${warnings}
<h3>Outputs</h3>
${outputs || "<p>(no outputs)</p>"}
<script nonce="${o.nonce}">
  const vscode = acquireVsCodeApi();
  document.getElementById("save").addEventListener("click", () => vscode.postMessage({ type: "save" }));
  for (const b of document.querySelectorAll("nav.history button[data-id]"))
    b.addEventListener("click", () => vscode.postMessage({ type: "show", id: b.dataset.id }));
</script>
</body></html>`;
}

/** The list of this panel's runs (only when there is more than one): time, inputs; the shown one marked. */
/** " · threads …" for the header: the fast path's SIMD kernels and tfjs-backend-wasm's pool, when known. */
export function threadsHtml(r: Pick<RunRecord, "threads">): string {
  const t = r.threads;
  if (!t) return "";
  const fast = t.fastPath > 0 ? `<b>${t.fastPath}</b> fast path, ` : "";
  return ` · threads ${fast}<b>${t.tfjs}</b> tfjs`;
}

function historyHtml(shown: RunRecord, history: readonly RunRecord[]): string {
  if (history.length < 2) return "";
  const items = history.map((h, i) => {
    const when = new Date(h.at).toLocaleTimeString(undefined, { hour12: false });
    const inputs = h.inputs.map((x) => `${x.key} ← ${x.from}`).join(", ") || "no inputs";
    const current = h.id === shown.id ? ' aria-current="true" class="current"' : "";
    return `<li><button data-id="${esc(h.id)}"${current}>#${history.length - i} · ${esc(when)} · ${esc(inputs)}</button></li>`;
  });
  return `<h3>Runs (newest first)</h3><nav class="history"><ol>${items.join("")}</ol></nav>\n`;
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function ms(v: number): string {
  return v < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`;
}
