// TF1 tf.while_loop (Enter / Merge / Switch / LoopCond / NextIteration / Exit) run by dataflow with
// frames: graphs laid out as TF1's control_flow_ops builds them, checked against the recurrence
// computed here in plain JS. Both backends; zero iterations, a nested loop, a loop inside tf.cond,
// TensorArrays (dynamic_rnn's pattern), parallel_iterations 1 and 10, and a loop over budget.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import { LimitError, StudioError } from "../../../src/core/errors.js";
import { fromText } from "../../../src/core/pbtxt/index.js";
import { tensorflow } from "../../../src/core/proto/index.js";
import { placeholder } from "../../../src/core/savedmodel/builder.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import { loadModel } from "../../../src/runtime/index.js";
import type { RunLimits } from "../../../src/runtime/budget.js";
import { BACKENDS, f32, graphModel, i32, int, konst, str, type, type Node } from "./graphModel.js";

const F = DataType.DT_FLOAT;
const I = DataType.DT_INT32;
const B = DataType.DT_BOOL;

interface LoopSpec {
  readonly p: string;
  /** Loop variables: [initial tensor, dtype]. */
  readonly vars: readonly (readonly [string, number])[];
  /** Loop invariants (constant Enters): [tensor, dtype]. */
  readonly invariants?: readonly (readonly [string, number])[];
  /** Builds the condition from the merged variables and invariants; returns nodes and the predicate. */
  readonly cond: (v: string[], inv: string[], pivot: string) => { nodes: Node[]; pred: string };
  /** Builds the body from the switched variables and invariants; returns nodes and the next values. */
  readonly body: (v: string[], inv: string[], pivot: string) => { nodes: Node[]; next: string[] };
  readonly parallel?: number;
}

/** A TF1 while loop as control_flow_ops lays it out; returns its nodes and its Exit tensors. */
function whileLoop(s: LoopSpec): { nodes: Node[]; exits: string[] } {
  const { p } = s;
  const frame = { frame_name: str(p), parallel_iterations: int(s.parallel ?? 10) };
  const nodes: Node[] = [];
  const inv = (s.invariants ?? []).map(([t, dt], j) => {
    nodes.push({ name: `${p}/Enter_inv${j}`, op: "Enter", input: [t], attr: { T: type(dt), is_constant: { b: true }, ...frame } });
    return `${p}/Enter_inv${j}`;
  });
  const merged = s.vars.map(([t, dt], i) => {
    nodes.push({ name: `${p}/Enter${i}`, op: "Enter", input: [t], attr: { T: type(dt), is_constant: { b: false }, ...frame } });
    nodes.push({
      name: `${p}/Merge${i}`,
      op: "Merge",
      input: [`${p}/Enter${i}`, `${p}/NextIteration${i}`],
      attr: { T: type(dt), N: int(2) },
    });
    return `${p}/Merge${i}`;
  });
  const c = s.cond(merged, inv, merged[0]!);
  nodes.push(...c.nodes, { name: `${p}/LoopCond`, op: "LoopCond", input: [c.pred] });
  const ids = s.vars.map(([, dt], i) => {
    nodes.push({ name: `${p}/Switch${i}`, op: "Switch", input: [merged[i]!, `${p}/LoopCond`], attr: { T: type(dt) } });
    nodes.push({ name: `${p}/Exit${i}`, op: "Exit", input: [`${p}/Switch${i}`], attr: { T: type(dt) } });
    nodes.push({ name: `${p}/Identity${i}`, op: "Identity", input: [`${p}/Switch${i}:1`], attr: { T: type(dt) } });
    return `${p}/Identity${i}`;
  });
  const b = s.body(ids, inv, ids[0]!);
  nodes.push(...b.nodes);
  s.vars.forEach(([, dt], i) =>
    nodes.push({ name: `${p}/NextIteration${i}`, op: "NextIteration", input: [b.next[i]!], attr: { T: type(dt) } }),
  );
  return { nodes, exits: s.vars.map((_, i) => `${p}/Exit${i}`) };
}

/** A constant inside a loop: TF1 gives it a control input from the loop's pivot. */
const inner = (name: string, dtype: number, v: number, pivot: string): Node => ({ ...konst(name, dtype, [v], []), input: [`^${pivot}`] });
const op = (name: string, o: string, inputs: string[], dt = F): Node => ({ name, op: o, input: inputs, attr: { T: type(dt) } });

/** i = 0; while i < n: acc = acc * 2 + 1; i += 1 (acc a float vector). */
function doubling(p: string, n: string, acc: string, parallel?: number) {
  return whileLoop({
    p,
    parallel,
    vars: [
      ["zero", I],
      [acc, F],
    ],
    invariants: [[n, I]],
    cond: ([i], [nn]) => ({ nodes: [op(`${p}/Less`, "Less", [i!, nn!], I)], pred: `${p}/Less` }),
    body: ([i, a], _inv, pv) => ({
      nodes: [
        inner(`${p}/one`, I, 1, pv),
        inner(`${p}/two`, F, 2, pv),
        inner(`${p}/onef`, F, 1, pv),
        op(`${p}/add_i`, "AddV2", [i!, `${p}/one`], I),
        op(`${p}/mul`, "Mul", [a!, `${p}/two`]),
        op(`${p}/add`, "AddV2", [`${p}/mul`, `${p}/onef`]),
      ],
      next: [`${p}/add_i`, `${p}/add`],
    }),
  });
}

const base: Node[] = [placeholder("x", F, [-1]), placeholder("n", I, []), konst("zero", I, [0], [])];

async function run(
  nodes: Node[],
  outputs: Record<string, readonly [string, number]>,
  feeds: Record<string, HostTensor>,
  backend: (typeof BACKENDS)[number],
  limits?: Partial<RunLimits>,
  inputs: Record<string, readonly [string, number, readonly number[] | null]> = { x: ["x:0", F, [-1]], n: ["n:0", I, []] },
) {
  const m = await loadModel(graphModel(nodes, inputs, outputs), "m", { backend, ...(limits ? { limits } : {}) });
  try {
    return (await (await m.prepare("serving_default")).run(feeds)).outputs;
  } finally {
    m.dispose();
  }
}

const doubled = (x: number[], n: number) => x.map((v) => Array.from({ length: n }).reduce<number>((a) => a * 2 + 1, v));
const values = (t: HostTensor | undefined) => Array.from(t!.data as Float32Array);

describe("TF1 while loops (frames)", () => {
  for (const backend of BACKENDS) {
    it(`runs a loop, zero iterations included, with parallel_iterations 1 and 10 (${backend})`, async () => {
      for (const parallel of [1, 10]) {
        const l = doubling("while", "n", "x", parallel);
        for (const n of [0, 1, 5]) {
          const out = await run(
            [...base, ...l.nodes],
            { y: [l.exits[1]!, F], i: [l.exits[0]!, I] },
            { x: f32([1, -2.5], [2]), n: i32([n], []) },
            backend,
          );
          assert.deepEqual(values(out["y"]), doubled([1, -2.5], n), `n=${n} parallel=${parallel}`);
          assert.deepEqual(Array.from(out["i"]!.data as Int32Array), [n]);
        }
      }
    });

    it(`runs a nested loop: the inner loop runs in every outer iteration (${backend})`, async () => {
      // outer: j = 0; while j < n: acc = inner(acc, m = j + 1); j += 1 — inner doubles acc m times.
      const outer = whileLoop({
        p: "outer",
        vars: [
          ["zero", I],
          ["x", F],
        ],
        invariants: [["n", I]],
        cond: ([j], [nn]) => ({ nodes: [op("outer/Less", "Less", [j!, nn!], I)], pred: "outer/Less" }),
        body: ([j, a], _inv, pv) => {
          const m = [inner("outer/one", I, 1, pv), inner("outer/zero", I, 0, pv), op("outer/m", "AddV2", [j!, "outer/one"], I)];
          const loop = whileLoop({
            p: "outer/inner",
            vars: [
              ["outer/zero", I],
              [a!, F],
            ],
            invariants: [["outer/m", I]],
            cond: ([i], [mm]) => ({ nodes: [op("outer/inner/Less", "Less", [i!, mm!], I)], pred: "outer/inner/Less" }),
            body: ([i, b], _i2, pv2) => ({
              nodes: [
                inner("outer/inner/one", I, 1, pv2),
                inner("outer/inner/two", F, 2, pv2),
                inner("outer/inner/onef", F, 1, pv2),
                op("outer/inner/add_i", "AddV2", [i!, "outer/inner/one"], I),
                op("outer/inner/mul", "Mul", [b!, "outer/inner/two"]),
                op("outer/inner/add", "AddV2", ["outer/inner/mul", "outer/inner/onef"]),
              ],
              next: ["outer/inner/add_i", "outer/inner/add"],
            }),
          });
          return { nodes: [...m, ...loop.nodes], next: ["outer/m", loop.exits[1]!] };
        },
      });
      for (const n of [0, 3]) {
        const out = await run([...base, ...outer.nodes], { y: [outer.exits[1]!, F] }, { x: f32([0.5], [1]), n: i32([n], []) }, backend);
        // Doubling 1 + 2 + ... + n times in all.
        assert.deepEqual(values(out["y"]), doubled([0.5], (n * (n + 1)) / 2), `n=${n}`);
      }
    });

    it(`runs a loop inside tf.cond only when its branch is taken (${backend})`, async () => {
      const nodes: Node[] = [
        ...base,
        placeholder("pred", B, []),
        { name: "cond/Switch", op: "Switch", input: ["x", "pred"], attr: { T: type(F) } },
        { name: "cond/Switch_n", op: "Switch", input: ["n", "pred"], attr: { T: type(I) } },
        { name: "cond/neg", op: "Neg", input: ["cond/Switch"], attr: { T: type(F) } },
        { name: "cond/pivot_t", op: "Identity", input: ["cond/Switch_n:1"], attr: { T: type(I) } },
        { name: "cond/zero", op: "Identity", input: ["zero", "^cond/pivot_t"], attr: { T: type(I) } },
      ];
      // The loop reads the true branch's values (Switch output 1), its counter starts from a node of that branch.
      const l = doubling("cond/while", "cond/Switch_n:1", "cond/Switch:1");
      const loopNodes = l.nodes.map((nd) => (nd.name === "cond/while/Enter0" ? { ...nd, input: ["cond/zero"] } : nd));
      nodes.push(...loopNodes, { name: "cond/Merge", op: "Merge", input: ["cond/neg", l.exits[1]!], attr: { T: type(F), N: int(2) } });
      const inputs = { x: ["x:0", F, [-1]], n: ["n:0", I, []], pred: ["pred:0", B, []] } as const;
      const feed = (p: boolean) => ({
        x: f32([1, 2], [2]),
        n: i32([3], []),
        pred: { dtype: B, shape: [], data: Uint8Array.of(p ? 1 : 0) },
      });
      const t = await run(nodes, { y: ["cond/Merge:0", F] }, feed(true), backend, undefined, inputs);
      assert.deepEqual(values(t["y"]), doubled([1, 2], 3));
      const f = await run(nodes, { y: ["cond/Merge:0", F] }, feed(false), backend, undefined, inputs);
      assert.deepEqual(values(f["y"]), [-1, -2]);
      // The loop's own result is dead when its branch is not taken (its Exit saw only dead values).
      await assert.rejects(
        run(nodes, { y: [l.exits[1]!, F] }, feed(false), backend, undefined, inputs),
        (e: unknown) => e instanceof StudioError && /branch was not taken/.test(e.message),
      );
    });

    it(`runs dynamic_rnn's TensorArray pattern: scatter, read and write per step, gather (${backend})`, async () => {
      // h_t = tanh(h_{t-1} * w + x_t) over the rows of x [T, 2]; outputs stacked [T, 2].
      const ta = (name: string, size: string, shape: number[]): Node => ({
        name,
        op: "TensorArrayV3",
        input: [size],
        attr: {
          dtype: type(F),
          element_shape: { shape: { dim: shape.map((d) => ({ size: d as unknown as Long })) } },
          dynamic_size: { b: false },
          clear_after_read: { b: true },
          identical_element_shapes: { b: true },
          tensor_array_name: str(""),
        },
      });
      const nodes: Node[] = [
        placeholder("xs", F, [-1, 2]),
        konst("zero", I, [0], []),
        konst("w", F, [0.5, -1.5], [2]),
        konst("h0", F, [0.1, 0.2], [2]),
        konst("axis0", I, [0], []),
        konst("one", I, [1], []),
        { name: "shape", op: "Shape", input: ["xs"], attr: { T: type(F), out_type: type(I) } },
        {
          name: "T",
          op: "StridedSlice",
          input: ["shape", "b0", "b1", "b1"],
          attr: { T: type(I), Index: type(I), shrink_axis_mask: int(1) },
        },
        konst("b0", I, [0], [1]),
        konst("b1", I, [1], [1]),
        ta("in_ta", "T", [2]),
        ta("out_ta", "T", [2]),
        { name: "range", op: "Range", input: ["zero", "T", "one"], attr: { Tidx: type(I) } },
        { name: "scatter", op: "TensorArrayScatterV3", input: ["in_ta", "range", "xs", "in_ta:1"], attr: { T: type(F) } },
      ];
      const l = whileLoop({
        p: "rnn/while",
        vars: [
          ["zero", I],
          ["h0", F],
          ["out_ta:1", F],
        ],
        invariants: [
          ["T", I],
          ["in_ta", DataType.DT_RESOURCE],
          ["scatter", F],
          ["w", F],
          ["out_ta", DataType.DT_RESOURCE],
        ],
        cond: ([t], [tt]) => ({ nodes: [op("rnn/while/Less", "Less", [t!, tt!], I)], pred: "rnn/while/Less" }),
        body: ([t, h, fl], [, inTa, sc, w, outTa], pv) => ({
          nodes: [
            inner("rnn/while/one", I, 1, pv),
            { name: "rnn/while/read", op: "TensorArrayReadV3", input: [inTa!, t!, sc!], attr: { dtype: type(F) } },
            op("rnn/while/mul", "Mul", [h!, w!]),
            op("rnn/while/add", "AddV2", ["rnn/while/mul", "rnn/while/read"]),
            op("rnn/while/tanh", "Tanh", ["rnn/while/add"]),
            { name: "rnn/while/write", op: "TensorArrayWriteV3", input: [outTa!, t!, "rnn/while/tanh", fl!], attr: { T: type(F) } },
            op("rnn/while/next_t", "AddV2", [t!, "rnn/while/one"], I),
          ],
          next: ["rnn/while/next_t", "rnn/while/tanh", "rnn/while/write"],
        }),
      });
      nodes.push(...l.nodes, {
        name: "stack",
        op: "TensorArrayGatherV3",
        input: ["out_ta", "range", l.exits[2]!],
        attr: { dtype: type(F), element_shape: { shape: { dim: [{ size: 2 as unknown as Long }] } } },
      });
      const xs = [0.3, -0.7, 1.2, 0.05, -0.4, 0.9];
      const want: number[] = [];
      let h = [0.1, 0.2];
      for (let t = 0; t < 3; t++) {
        h = h.map((v, j) => Math.tanh(v * [0.5, -1.5][j]! + xs[2 * t + j]!));
        want.push(...h);
      }
      const out = await run(nodes, { y: ["stack:0", F], h: [l.exits[1]!, F] }, { xs: f32(xs, [3, 2]) }, backend, undefined, {
        xs: ["xs:0", F, [-1, 2]],
      });
      assert.deepEqual(out["y"]!.shape, [3, 2]);
      values(out["y"]).forEach((v, k) => assert.ok(Math.abs(v - want[k]!) < 1e-6, `y[${k}] ${v} vs ${want[k]}`));
      values(out["h"]).forEach((v, k) => assert.ok(Math.abs(v - h[k]!) < 1e-6));
    });

    it(`stops a loop that does not end with a typed error (${backend})`, async () => {
      // while i < i + 1 (always true).
      const l = whileLoop({
        p: "forever",
        vars: [["zero", I]],
        cond: ([i], _inv, pv) => ({
          nodes: [
            inner("forever/one", I, 1, pv),
            op("forever/plus", "AddV2", [i!, "forever/one"], I),
            op("forever/Less", "Less", [i!, "forever/plus"], I),
          ],
          pred: "forever/Less",
        }),
        body: ([i], _inv, pv) => ({
          nodes: [inner("forever/one_b", I, 1, pv), op("forever/add", "AddV2", [i!, "forever/one_b"], I)],
          next: ["forever/add"],
        }),
      });
      await assert.rejects(
        run([...base, ...l.nodes], { i: [l.exits[0]!, I] }, { x: f32([0], [1]), n: i32([0], []) }, backend, { maxFunctionCalls: 200 }),
        (e: unknown) => e instanceof LimitError && /more than 200 control-flow function calls/.test(e.message),
      );
    });
  }

  it("refuses a cycle that is not a TF1 loop with a typed error", async () => {
    const nodes: Node[] = [placeholder("x", F, [-1]), op("a", "AddV2", ["x", "b"]), op("b", "Neg", ["a"])];
    await assert.rejects(
      run(nodes, { y: ["b:0", F] }, { x: f32([1], [1]) }, "cpu", undefined, { x: ["x:0", F, [-1]] }),
      (e: unknown) => e instanceof StudioError && /cycle through/.test(e.message),
    );
  });
});

describe("TF1 while loop written by TensorFlow", () => {
  // test/fixtures/tf1/graph-while-loop.pbtxt: TensorFlow's own GraphDef of `i = 0; while i < 10: i += 1`
  // (tensorflow/tensorflow, provenance in the file), wrapped in a SavedModel with one signature.
  const text = readFileSync(fileURLToPath(new URL("../../fixtures/tf1/graph-while-loop.pbtxt", import.meta.url)), "utf8");
  const graph = tensorflow.GraphDef.decode(fromText(text, "GraphDef"));
  for (const backend of BACKENDS) {
    it(`runs it to TensorFlow's answer, 10 (${backend})`, async () => {
      const out = await run([...graph.node], { i: ["while/Exit:0", I] }, {}, backend, undefined, {});
      assert.deepEqual(Array.from(out["i"]!.data as Int32Array), [10]);
    });
  }
});
