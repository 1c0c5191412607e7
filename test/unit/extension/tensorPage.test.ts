// The tensor panels' pages with hostile strings in every place: the HTML shell holds none of them (the
// page is data the webview renders as text, see results.browser.test.ts), requests are validated.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import type { RunRecord } from "../../../src/extension/run/results.js";
import { esc, keepRuns, panelShell, resultsTitle, runPage } from "../../../src/extension/run/tensorPage.js";
import { parseTensorPanelRequest, TensorPanelProtocolError } from "../../../src/protocol/results.js";

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

describe("tensor panel pages", () => {
  const nonce = "n0nce1234";
  const limits = { maxElements: 100, maxStringLength: 200 };
  const page = runPage(hostileRecord(), limits);
  const shell = panelShell({
    nonce,
    cspSource: "https://webview.test",
    cssHref: "https://webview.test/media/results.css",
    scriptSrc: "https://webview.test/dist/results.js",
  });

  it("the HTML shell holds no string of the model or the run, only our script by nonce under a strict CSP", () => {
    for (const p of PAYLOADS) assert.ok(!shell.includes(p) && !shell.includes(esc(p)), `no ${JSON.stringify(p)} in the shell`);
    const csp = shell.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
    assert.ok(csp, "CSP meta present");
    assert.equal(csp[1], `default-src 'none'; style-src https://webview.test; script-src 'nonce-${nonce}';`);
    assert.ok(shell.indexOf(csp[0]) < shell.indexOf("<body>"), "CSP in <head>");
    assert.equal(shell.match(/<script\b/g)?.length, 1);
    assert.match(shell, new RegExp(`<script nonce="${nonce}" src="https://webview.test/dist/results.js"></script>`));
    assert.ok(!/\sstyle=/.test(shell));
  });

  it("the page carries every string as data, in the one tensor notation", () => {
    const text = JSON.stringify(page);
    for (const p of PAYLOADS) assert.ok(text.includes(JSON.stringify(p).slice(1, -1)), `${JSON.stringify(p)} carried as text`);
    assert.equal(page.heading, `sig${PAYLOADS[0]}${PAYLOADS[1]}`);
    assert.deepEqual(
      page.warnings,
      PAYLOADS.map((p) => `warning ${p}`),
    );
    assert.equal(page.inputs?.[0]?.type, "dtype 999[1, ?]", "unknown dtype named, shape in the one notation");
    assert.equal(page.tensors.length, PAYLOADS.length + 1);
    const str = page.tensors.find((t) => t.key === `str${PAYLOADS[0]}`);
    assert.equal(str?.display.type, `string[${PAYLOADS.length}]`);
    assert.ok(str?.display.preview.includes("<img src=x"), "string previews are numpy text of the payload");
    assert.equal(page.canSave, true);
  });

  it("the panel's requests are validated: only ready, save and show with a short id", () => {
    assert.deepEqual(parseTensorPanelRequest({ type: "save" }), { type: "save" });
    assert.deepEqual(parseTensorPanelRequest({ type: "show", id: "r1", extra: 1 }), { type: "show", id: "r1" });
    for (const bad of [
      null,
      [],
      "save",
      { type: "eval" },
      { type: "show" },
      { type: "show", id: "x".repeat(101) },
      { type: "show", id: 3 },
    ])
      assert.throws(() => parseTensorPanelRequest(bad), TensorPanelProtocolError);
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
  const limits = { maxElements: 10, maxStringLength: 20 };

  it("titles a panel with the model's folder and the signature, so panels of two models differ", () => {
    assert.equal(resultsTitle(run("a", 0, "x.npy")), "serving_half_plus_two_cpu · serving_default");
    assert.equal(resultsTitle({ modelLabel: "other/m2", signature: "serving_default" }), "m2 · serving_default");
    assert.equal(resultsTitle({ modelLabel: "C:\\models\\m3\\", signature: "predict" }), "m3 · predict");
  });

  it("lists the panel's runs newest first, marks the one shown; one run has no list", () => {
    const older = run("r1", Date.UTC(2026, 0, 1, 10, 0, 0), `a${PAYLOADS[0]}.npy`);
    const newer = run("r2", Date.UTC(2026, 0, 1, 10, 5, 0), "b.npy");
    const h = runPage(older, limits, [newer, older]).history;
    assert.deepEqual(
      h.map((e) => [e.id, e.current]),
      [
        ["r2", false],
        ["r1", true],
      ],
    );
    assert.match(h[0]!.label, /^#2 · .* · x ← b\.npy$/);
    assert.ok(h[1]!.label.includes(`a${PAYLOADS[0]}.npy`));
    assert.deepEqual(runPage(older, limits, [older]).history, []);
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

describe("the meta line's threads", () => {
  const limits = { maxElements: 10, maxStringLength: 20 };
  const meta = (threads?: RunRecord["threads"]) => runPage({ ...hostileRecord(), ...(threads ? { threads } : {}) }, limits).meta;
  it("names the fast path's and tfjs's threads after the backend, and nothing when the engine did not say", () => {
    assert.match(meta({ fastPath: 4, tfjs: 1 }), /· backend [^·]+ · threads 4 fast path, 1 tfjs · load /);
    assert.match(meta({ fastPath: 0, tfjs: 2 }), /· threads 2 tfjs · load /);
    assert.doesNotMatch(meta(), /threads/);
  });
});
