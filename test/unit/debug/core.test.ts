// The debugger's pure parts on synthetic recordings: breakpoint specs and conditions, tensor
// summaries and element names, and where next / stepIn / stepOut / exceptions stop when inlined
// calls interleave with their callers' nodes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import { tensorflow } from "../../../src/core/proto/index.js";
import { parseBreakpoint, parseCondition } from "../../../src/debug/breakpoints.js";
import { debugInfoLocator } from "../../../src/debug/debugInfo.js";
import { Stepper } from "../../../src/debug/stepper.js";
import { Recorder, localName, type NodeRecord } from "../../../src/debug/trace.js";
import { indexName, summary, tensorChildren } from "../../../src/debug/view.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import type { NodeEvent } from "../../../src/runtime/index.js";

const f32 = (shape: number[], values: number[]): HostTensor => ({ dtype: DataType.DT_FLOAT, shape, data: Float32Array.from(values) });

/** Feeds a recorder the events of nodes run in order: [name, op, output] or a call/return marker. */
function recordRun(
  calls: Map<string, { op: string; fn: string }>,
  steps: (readonly [string, string, HostTensor] | "return" | { call: string })[],
) {
  const rec = new Recorder(calls);
  const open: { name: string; op: string }[] = [];
  for (const s of steps) {
    if (s === "return") {
      rec.observe({ kind: "return", fn: "" });
      const n = open.pop()!;
      rec.observe({ kind: "after", node: { ...n, origin: "", inputs: [] }, outputs: 1, output: () => f32([1], [0]) });
    } else if ("call" in s) {
      rec.observe({ kind: "call", fn: s.call, args: 0, arg: () => undefined });
    } else {
      const [name, op, out] = s;
      const node = { name, op, origin: "", inputs: [] };
      rec.observe({ kind: "before", node, input: () => undefined } satisfies NodeEvent);
      if (op === "While") open.push({ name, op });
      else rec.observe({ kind: "after", node, outputs: 1, output: () => out });
    }
  }
  return rec.records;
}

describe("debugger core", () => {
  it("reads breakpoint specs and conditions, and refuses what it cannot read", () => {
    const t = { dtype: DataType.DT_FLOAT, shape: [0, 3], stats: undefined, nonfinite: 0 };
    assert.equal(parseCondition("shape[0] == 0")(t), true);
    assert.equal(parseCondition("shape[1] == 0")(t), false);
    assert.equal(parseCondition("rank >= 2 && size == 0")(t), true);
    assert.equal(parseCondition("nonfinite")({ ...t, nonfinite: 2 }), true);
    assert.equal(parseCondition("max > 1e3")(undefined), false);
    assert.throws(() => parseCondition("max >> 3"), { code: "USAGE" });
    assert.throws(() => parseCondition("median > 3"), /unknown quantity 'median'/);
    const r = {
      name: "call/sequential/dense_1/MatMul",
      op: "MatMul",
      frame: { id: 1, fn: "__inference_call_42", via: "", viaOp: "", prefix: "" },
    } as NodeRecord;
    assert.equal(parseBreakpoint(1, "dense_1/MatMul").matches(r, false), true);
    assert.equal(parseBreakpoint(1, "e_1/MatMul").matches(r, false), false, "names match at '/' boundaries");
    assert.equal(parseBreakpoint(1, "op:MatMul").matches(r, false), true);
    assert.equal(parseBreakpoint(1, "fn:call").matches(r, false), false, "fn: matches a function's first node only");
    assert.equal(parseBreakpoint(1, "fn:call").matches(r, true), true);
  });

  it("summarizes tensors like the issue shows and names elements by index", () => {
    const rec = new Recorder(new Map());
    const t = rec.tensor(f32([2, 2], [-1.2, 3.4, 0.1, NaN]))!;
    assert.equal(summary(t), "float32[2, 2] min -1.2 max 3.4 mean 0.766667 nan 1");
    assert.equal(indexName([2, 10], 13), "[1, 3]");
    assert.deepEqual(
      tensorChildren(t).map((v) => `${v.name}=${v.value}`),
      ["stats=float32[2, 2] min -1.2 max 3.4 mean 0.766667 nan 1", "[0, 0]=-1.2", "[0, 1]=3.4", "[1, 0]=0.1", "[1, 1]=nan"],
    );
    assert.deepEqual(
      tensorChildren(t, "indexed", 2, 1).map((v) => v.name),
      ["[1, 0]"],
    );
    // Over the budget: statistics only.
    const small = new Recorder(new Map(), 8);
    const kept = small.tensor(f32([2], [1, 2]))!;
    const dropped = small.tensor(f32([2], [3, 4]))!;
    assert.ok(kept.data && !dropped.data);
    assert.equal(summary(dropped), "float32[2] min 3 max 4 mean 3.5 nan 0");
  });

  it("steps over, into and out of inlined calls whose nodes interleave with the caller's", () => {
    const calls = new Map([["call", { op: "StatefulPartitionedCall", fn: "f" }]]);
    const one = f32([1], [1]);
    const recs = recordRun(calls, [
      ["a", "Const", one],
      ["call/x", "Mul", one],
      ["b", "Const", one],
      ["call/y", "Add", one],
      ["c", "Identity", one],
    ]);
    assert.deepEqual(
      recs.map((r) => `${localName(r.frame, r.name)}@${r.frame.fn}`),
      ["a@", "x@f", "b@", "y@f", "c@"],
    );
    const s = new Stepper(recs);
    const at = (i: number) => ({ index: i, phase: "before" as const });
    assert.deepEqual(s.resume(at(0), "next"), { reason: "step", index: 2, phase: "before" });
    assert.deepEqual(s.resume(at(0), "stepIn"), { reason: "step", index: 1, phase: "before" });
    assert.deepEqual(s.resume(at(1), "next"), { reason: "step", index: 3, phase: "before" }, "next stays in f past the caller's b");
    assert.deepEqual(s.resume(at(1), "stepOut"), { reason: "step", index: 4, phase: "before" }, "stepOut waits until f has no nodes left");
    assert.deepEqual(s.resume(at(4), "next"), { reason: "end" });
  });

  it("counts While iterations and stops on the first NaN/Inf source, then only on fresh ones", () => {
    const one = f32([1], [1]);
    const inf = f32([1], [Infinity]);
    const recs = recordRun(new Map(), [["w", "While", one], { call: "cond" }, ["__fn__cond/c", "Less", one], "return" as const]);
    assert.equal(recs[1]!.frame.iteration, 0);
    assert.equal(recs[1]!.frame.via, "w");

    const run = recordRun(new Map(), [
      ["x", "Identity", inf],
      ["y", "Mul", inf],
      ["z", "Log", f32([1], [NaN])],
    ]);
    // y and z read x's / y's values through refs the recorder did not see here: give them inputs.
    (run[1] as { inputs: unknown }).inputs = [{ ref: "x:0", value: run[0]!.outputs![0] }];
    (run[2] as { inputs: unknown }).inputs = [{ ref: "y:0", value: run[1]!.outputs![0] }];
    const s = new Stepper(run, [], new Set(["nonfinite"]));
    const first = s.start(false);
    assert.equal(first.reason, "exception");
    assert.equal((first as { index: number }).index, 0);
    assert.match((first as { description: string }).description, /^x \(Identity\) produced 0 NaN and 1 Inf$/);
    assert.deepEqual(s.resume({ index: 0, phase: "after" }, "continue"), { reason: "end" }, "y and z only pass non-finite values on");
  });

  it("finds an op's Python line in debug info, legacy and TF 2.15+ forms, and refuses bytes that are not debug info", () => {
    const bytes = tensorflow.GraphDebugInfo.encode({
      files: ["/home/me/lib.py", "/home/me/train.py"],
      traces: {
        "dense/MatMul@__inference_call_7": {
          file_line_cols: [
            { file_index: 0, line: 3 },
            { file_index: 1, line: 42, col: 8 },
          ],
        },
      },
      frames_by_id: { "11": { file_index: 1, line: 7, col: 2 } },
      traces_by_id: { "5": { frame_id: [11] } },
      name_to_trace_id: { Mul: 5 },
    }).finish();
    const locate = debugInfoLocator(bytes);
    assert.deepEqual(locate("dense/MatMul", "__inference_call_7"), { file: "/home/me/train.py", line: 42, column: 8 });
    assert.deepEqual(locate("Mul", ""), { file: "/home/me/train.py", line: 7, column: 2 });
    assert.equal(locate("Add", ""), undefined);
    assert.throws(() => debugInfoLocator(Uint8Array.from([0x0a, 0xff, 0xff, 0xff])), { code: "PROTO_DECODE" });
  });
});
