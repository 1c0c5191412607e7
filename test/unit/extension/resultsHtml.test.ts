// The Run Signature results page with hostile strings in every interpolated place: nothing from the
// model or the run reaches the HTML unescaped, and the page keeps its CSP with the script nonce.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import type { RunRecord } from "../../../src/extension/run/results.js";
import { esc, keepRuns, resultsHtml, resultsTitle, threadsHtml } from "../../../src/extension/run/resultsHtml.js";

const PAYLOADS = [
  `<img src=x onerror="window.__pwned=1">`,
  `</script><script>window.__pwned=1</script>`,
  `"><svg onload=window.__pwned=1>`,
  `' onmouseover='window.__pwned=1`,
  `javascript:window.__pwned=1`,
  `\u202Eevil\u202C\u2066x\u2069\u200B\u0007`,
];
const enc = (s: string) => new TextEncoder().encode(s);

function hostileRecord(): RunRecord {
  const outputs: Record<string, HostTensor> = {};
  PAYLOADS.forEach((p, i) => {
    outputs[`${p}${i}`] = { dtype: DataType.DT_FLOAT, shape: [2], data: new Float32Array([i, 1]) };
  });
  outputs[`str${PAYLOADS[0]}`] = { dtype: DataType.DT_STRING, shape: [PAYLOADS.length], data: PAYLOADS.map(enc) };
  return {
    id: "r1",
    modelLabel: `model${PAYLOADS[0]}${PAYLOADS[2]}`,
    modelUri: { toString: () => "file:///m" } as unknown as RunRecord["modelUri"],
    tags: [PAYLOADS[1]!, PAYLOADS[3]!],
    signature: `sig${PAYLOADS[0]}${PAYLOADS[1]}`,
    inputs: PAYLOADS.map((p, i) => ({ key: `in${p}`, from: `file ${p}`, dtype: i === 0 ? 999 : DataType.DT_FLOAT, shape: [1, -1] })),
    outputs,
    engine: `engine${PAYLOADS[2]}`,
    backend: `backend${PAYLOADS[0]}`,
    timings: { loadMs: 1, prepareMs: 2, runMs: 3, execMs: 4, opsExecuted: 5 },
    warnings: PAYLOADS.map((p) => `warning ${p}`),
    at: Date.UTC(2026, 11, 7, 4, 5, 6),
  };
}

describe("results page HTML", () => {
  const nonce = "n0nce1234";
  const html = resultsHtml(hostileRecord(), {
    nonce,
    cspSource: "https://webview.test",
    cssHref: "https://webview.test/media/results.css",
    limits: { maxElements: 100, maxStringLength: 200 },
  });

  it("escapes every hostile string", () => {
    assert.ok(!html.includes("<img"), "no raw <img");
    assert.ok(!html.includes("<svg"), "no raw <svg");
    // quotes are escaped too, so no payload can close an attribute value
    assert.ok(!/onerror="|onmouseover='/.test(html), "no raw quotes around handlers");
    assert.ok(!html.includes("window.__pwned=1</script>"), "no injected script");
    // exactly one script element (the nonce'd Save handler) and one closing tag
    assert.equal(html.match(/<script\b/g)?.length, 1);
    assert.equal(html.match(/<\/script>/g)?.length, 1);
    assert.match(html, new RegExp(`<script nonce="${nonce}">`));
    // each payload is present, escaped: labels, keys, dtype text, DT_STRING preview values, warnings
    for (const p of PAYLOADS) assert.ok(html.includes(esc(p)), `escaped ${JSON.stringify(p)}`);
    assert.ok(html.includes("&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;"));
    assert.ok(html.includes(`<h1>sig${esc(PAYLOADS[0]!)}${esc(PAYLOADS[1]!)} `));
    assert.ok(html.includes(`<li>warning ${esc(PAYLOADS[2]!)}</li>`));
    assert.ok(html.includes(`<span class="key">str${esc(PAYLOADS[0]!)}</span>`));
    assert.ok(html.includes("dtype 999"), "unknown dtype label");
  });

  it("string output previews show the payload text escaped", () => {
    const pre = [...html.matchAll(/<pre class="preview">([^]*?)<\/pre>/g)].map((m) => m[1]!);
    assert.equal(pre.length, PAYLOADS.length + 1);
    assert.ok(
      pre.some((t) => t.includes("&lt;img src=x") && t.includes("&lt;/script&gt;&lt;script&gt;")),
      pre.join("\n"),
    );
    for (const t of pre) assert.ok(!/[<>]/.test(t), `no markup inside a preview: ${t}`);
  });

  it("keeps the CSP with the nonce and no inline styles or remote scripts", () => {
    const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
    assert.ok(csp, "CSP meta present");
    assert.equal(csp[1], `default-src 'none'; style-src https://webview.test; script-src 'nonce-${nonce}';`);
    assert.ok(html.indexOf(csp[0]) < html.indexOf("<body>"), "CSP in <head>");
    assert.ok(!/<script[^>]*\bsrc=/.test(html));
    assert.ok(!/\sstyle=/.test(html));
  });
});

describe("results panel title and run history", () => {
  const base = hostileRecord();
  const run = (id: string, at: number, from: string): RunRecord => ({
    ...base,
    id,
    at,
    modelLabel: "models/serving_half_plus_two_cpu",
    signature: "serving_default",
    inputs: [{ key: "x", from, dtype: DataType.DT_FLOAT, shape: [3] }],
  });
  const opts = { nonce: "n", cspSource: "https://webview.test", cssHref: "c.css", limits: { maxElements: 10, maxStringLength: 20 } };

  it("titles a panel with the model's folder and the signature, so panels of two models differ", () => {
    assert.equal(resultsTitle(run("a", 0, "x.npy")), "serving_half_plus_two_cpu · serving_default");
    assert.equal(resultsTitle({ modelLabel: "other/m2", signature: "serving_default" }), "m2 · serving_default");
    assert.equal(resultsTitle({ modelLabel: "C:\\models\\m3\\", signature: "predict" }), "m3 · predict");
  });

  it("lists the panel's runs newest first, marks the one shown, escapes their inputs; one run has no list", () => {
    const older = run("r1", Date.UTC(2026, 0, 1, 10, 0, 0), `a${PAYLOADS[0]}.npy`);
    const newer = run("r2", Date.UTC(2026, 0, 1, 10, 5, 0), "b.npy");
    const html = resultsHtml(older, { ...opts, history: [newer, older] });
    const buttons = [...html.matchAll(/<button data-id="([^"]+)"([^>]*)>([^<]*)<\/button>/g)];
    assert.deepEqual(
      buttons.map((b) => b[1]),
      ["r2", "r1"],
    );
    assert.match(buttons[1]![2]!, /aria-current="true"/);
    assert.doesNotMatch(buttons[0]![2]!, /aria-current/);
    assert.match(buttons[0]![3]!, /^#2 · .* · x ← b\.npy$/);
    assert.ok(buttons[1]![3]!.includes(esc(`a${PAYLOADS[0]}.npy`)));
    assert.ok(!resultsHtml(older, { ...opts, history: [older] }).includes('class="history"'));
  });
});

describe("results history in memory", () => {
  const run = (id: string, floats: number): RunRecord => ({
    ...hostileRecord(),
    id,
    outputs: { y: { dtype: DataType.DT_FLOAT, shape: [floats], data: new Float32Array(floats) } },
  });
  it("keeps at most the run count, and older runs only within the byte budget; the newest always", () => {
    const small = Array.from({ length: 12 }, (_, i) => run(`s${i}`, 10));
    assert.deepEqual(
      keepRuns(small, 10, 1e9).map((r) => r.id),
      small.slice(0, 10).map((r) => r.id),
    );
    const big = [run("new", 1_000_000), run("old1", 1_000_000), run("old2", 10)];
    assert.deepEqual(
      keepRuns(big, 10, 6_000_000).map((r) => r.id),
      ["new"],
    );
    assert.deepEqual(
      keepRuns([run("huge", 50_000_000)], 10, 1).map((r) => r.id),
      ["huge"],
    );
  });
});

describe("the header's threads", () => {
  it("names the fast path's and tfjs's threads, and nothing when the engine did not say", () => {
    assert.equal(threadsHtml({ threads: { fastPath: 4, tfjs: 1 } }), " · threads <b>4</b> fast path, <b>1</b> tfjs");
    assert.equal(threadsHtml({ threads: { fastPath: 0, tfjs: 2 } }), " · threads <b>2</b> tfjs");
    assert.equal(threadsHtml({}), "");
  });
});
