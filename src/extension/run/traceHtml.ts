/**
 * The Run with Trace panel as HTML (no vscode import): one row per executed node — node, op, function,
 * While iteration, outputs, min / max / mean, NaN / Inf, ms — with Export CSV / JSON and Show in Graph.
 * Every string from the model goes through `esc`; the only script is the nonce'd button handler.
 */
import type { TraceRow } from "../../debug/traceTable.js";
import { statNumber } from "../../core/display.js";
import { esc } from "./tensorPage.js";

/** Rows drawn in the page; the exports always hold all of them. */
export const TRACE_ROWS_SHOWN = 2000;

const num = (v: number | null) => (v === null ? "" : statNumber(v));

export function traceHtml(
  title: string,
  rows: readonly TraceRow[],
  o: { readonly nonce: string; readonly cspSource: string; readonly cssHref: string; readonly error?: string },
): string {
  const total = rows.reduce((a, r) => a + (r.ms ?? 0), 0);
  const body = rows
    .slice(0, TRACE_ROWS_SHOWN)
    .map(
      (r) =>
        `<tr${r.nan + r.inf > 0 ? ' class="nonfinite"' : ""}><td>${r.index}</td><td class="key">${esc(r.node)}</td><td>${esc(r.op)}</td><td>${esc(r.function)}${
          r.iteration === null ? "" : ` #${r.iteration}`
        }</td><td class="type">${esc(r.outputs)}</td><td>${num(r.min)}</td><td>${num(r.max)}</td><td>${num(r.mean)}</td><td>${r.nan}</td><td>${r.inf}</td><td>${num(r.ms)}</td></tr>`,
    )
    .join("\n");
  const more =
    rows.length > TRACE_ROWS_SHOWN ? `<p class="note">showing ${TRACE_ROWS_SHOWN} of ${rows.length} rows; the exports hold all</p>` : "";
  const error = o.error ? `<ul class="warnings"><li>${esc(o.error)}</li></ul>` : "";
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${o.cspSource}; script-src 'nonce-${o.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${esc(o.cssHref)}">
<title>${esc(title)}</title></head>
<body>
<header>
  <h1>${esc(title)}</h1>
  <span><button data-do="csv">Export CSV…</button> <button data-do="json">Export JSON…</button> <button data-do="graph">Show in Graph</button></span>
</header>
<div class="meta">${rows.length} node executions · ${num(Math.round(total * 1000) / 1000)} ms in nodes</div>
${error}
<table class="trace"><thead><tr><th>#</th><th>node</th><th>op</th><th>function</th><th>outputs</th><th>min</th><th>max</th><th>mean</th><th>NaN</th><th>Inf</th><th>ms</th></tr></thead>
<tbody>
${body}
</tbody></table>${more}
<script nonce="${o.nonce}">
  const vscode = acquireVsCodeApi();
  for (const b of document.querySelectorAll("button[data-do]")) b.addEventListener("click", () => vscode.postMessage({ type: b.dataset.do }));
</script>
</body></html>`;
}
