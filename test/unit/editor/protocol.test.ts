import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProtocolError, parseRequest, parseResponse } from "../../../src/protocol/editor.js";

describe("editor protocol: request validation", () => {
  it("accepts every well-formed request and returns a fresh object without extra fields", () => {
    const ok: unknown[] = [
      { id: 1, type: "ready" },
      { id: 2, type: "getOverview" },
      { id: 3, type: "getSignatures" },
      { id: 4, type: "getFunctions", metaGraph: 0 },
      { id: 5, type: "getVariables", offset: 0, limit: 100, filter: "dense", sort: "bytes", descending: true },
      { id: 6, type: "getVariableValues", key: "dense/kernel/.ATTRIBUTES/VARIABLE_VALUE" },
      { id: 7, type: "getKeras" },
      { id: 8, type: "getOps", metaGraph: 1 },
      { id: 9, type: "getAssets" },
      {
        id: 10,
        type: "getGraph",
        metaGraph: 0,
        target: { kind: "signature", key: "serving_default" },
        expand: ["StatefulPartitionedCall"],
        inlineDepth: 2,
      },
      {
        id: 11,
        type: "getNodeDetails",
        metaGraph: 0,
        target: { kind: "function", name: "__inference_f_1" },
        expand: [],
        inlineDepth: 0,
        node: "x",
      },
      { id: 12, type: "runSignature", metaGraph: 0, key: "serving_default" },
      { id: 13, type: "copyRequest", metaGraph: 0, key: "serving_default" },
      { id: 16, type: "debugSignature", metaGraph: 0, key: "serving_default" },
      { id: 14, type: "copyText", text: "hello" },
      { id: 15, type: "getGraph", metaGraph: 0, target: { kind: "graph" }, expand: [], inlineDepth: 0 },
    ];
    for (const m of ok) {
      const r = parseRequest({ ...(m as object), extra: "<img src=x onerror=alert(1)>" });
      assert.equal(r.id, (m as { id: number }).id);
      assert.ok(!("extra" in r), `extra field leaked through for ${r.type}`);
    }
  });

  it("rejects malformed messages with a ProtocolError", () => {
    const bad: unknown[] = [
      null,
      "ready",
      [],
      { type: "ready" },
      { id: -1, type: "ready" },
      { id: 1.5, type: "ready" },
      { id: 1, type: "nope" },
      { id: 1, type: "__proto__" },
      { id: 1, type: "getFunctions" },
      { id: 1, type: "getFunctions", metaGraph: "0" },
      { id: 1, type: "getVariables", offset: 0, limit: 0, filter: "", sort: "name", descending: false },
      { id: 1, type: "getVariables", offset: 0, limit: 10, filter: "", sort: "evil", descending: false },
      { id: 1, type: "getVariables", offset: 0, limit: 10, filter: 3, sort: "name", descending: false },
      { id: 1, type: "getVariables", offset: 0, limit: 10, filter: "x".repeat(10_000), sort: "name", descending: false },
      { id: 1, type: "getVariableValues", key: { toString: () => "x" } },
      { id: 1, type: "getGraph", metaGraph: 0, target: { kind: "other" }, expand: [], inlineDepth: 0 },
      { id: 1, type: "getGraph", metaGraph: 0, target: { kind: "signature" }, expand: [], inlineDepth: 0 },
      { id: 1, type: "getGraph", metaGraph: 0, target: { kind: "graph" }, expand: [1], inlineDepth: 0 },
      { id: 1, type: "getGraph", metaGraph: 0, target: { kind: "graph" }, expand: [], inlineDepth: 99 },
      { id: 1, type: "runSignature", metaGraph: 0 },
      { id: 1, type: "debugSignature", metaGraph: 0 },
      { id: 1, type: "copyText", text: null },
    ];
    for (const m of bad) assert.throws(() => parseRequest(m), ProtocolError, JSON.stringify(m)?.slice(0, 80));
  });

  it("checks response envelopes and keeps error messages as data", () => {
    const e = parseResponse({ id: 3, kind: "error", code: "NOT_FOUND", message: "<script>alert(1)</script>" });
    assert.deepEqual(e, { id: 3, kind: "error", code: "NOT_FOUND", message: "<script>alert(1)</script>" });
    assert.throws(() => parseResponse({ id: 3, kind: "overview" }), ProtocolError);
    assert.throws(() => parseResponse({ id: 3, kind: "exec" }), ProtocolError);
    assert.throws(() => parseResponse({ kind: "done", message: "" }), ProtocolError);
    assert.equal(parseResponse({ id: 1, kind: "done", message: "ok" }).kind, "done");
  });
});
