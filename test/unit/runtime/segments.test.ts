// The SIMD fast path (src/runtime/engines/segments.ts + src/runtime/wasm): layer chains built from
// plan nodes run on our kernels and match tfjs's own ops (an independent implementation) on random
// data, across paddings, strides, odd channel counts and row counts that do not divide the tiles.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import type { PlanGraph, PlanNode, TensorRef } from "../../../src/runtime/plan.js";
import { SEGMENT_OP, type Segment, type SegmentPlanNode } from "../../../src/runtime/engines/segments.js";
import { segmentGraph } from "../../../src/runtime/engines/segmentBuild.js";
import { SimdRuntime } from "../../../src/runtime/wasm/pool.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DataType } from "../../../src/core/dtype.js";
import { parseNpy } from "../../../src/core/npy/index.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import { loadModel } from "../../../src/runtime/index.js";
import { FIXTURES } from "../helpers/fixtures.js";
import { FsSource } from "../helpers/fsSource.js";

const rt = SimdRuntime.get(2);
const enc = new TextEncoder();
const ref = (node: string, index = 0): TensorRef => ({ node, index });

/** Deterministic pseudo-random values in [-1, 1). */
function rand(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}

interface Built {
  graph: PlanGraph;
  consts: Map<string, tf.Tensor>;
}

/** A linear chain x -> op1 -> op2 ... ; each op lists its constant inputs (created as Const nodes). */
function chain(ops: { op: string; attrs?: PlanNode["attrs"]; consts?: tf.Tensor[] }[]): Built {
  const consts = new Map<string, tf.Tensor>();
  const nodes: PlanNode[] = [{ name: "x", op: "Placeholder", inputs: [], control: [], attrs: {}, origin: "" }];
  let prev = "x";
  ops.forEach((o, i) => {
    const inputs: TensorRef[] = [ref(prev)];
    (o.consts ?? []).forEach((t, j) => {
      const name = `c${i}_${j}`;
      consts.set(name, t);
      nodes.push({ name, op: "Const", inputs: [], control: [], attrs: {}, origin: "" });
      inputs.push(ref(name));
    });
    const name = `n${i}_${o.op}`;
    nodes.push({ name, op: o.op, inputs, control: [], attrs: o.attrs ?? {}, origin: "" });
    prev = name;
  });
  return { graph: { nodes } as PlanGraph, consts };
}

function segmentOf(b: Built): { segment: Segment; graph: PlanGraph } {
  const last = b.graph.nodes[b.graph.nodes.length - 1]!;
  const { graph, segments } = segmentGraph(b.graph, [ref(last.name)], (r) => b.consts.get(r.node), rt!);
  assert.equal(segments.length, 1, "one segment");
  return { segment: segments[0]!, graph };
}

const noFallback = () => {
  throw new Error("the fast path fell back");
};

function close(actual: tf.Tensor, expected: tf.Tensor, tol = 1e-4): void {
  assert.deepEqual(actual.shape, expected.shape);
  const a = actual.dataSync();
  const e = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - e[i]!) / (1 + Math.abs(e[i]!)));
  assert.ok(worst <= tol, `max relative error ${worst}`);
}

const ints = (...i: number[]) => ({ list: { i } });
const pad = (p: string) => ({ s: enc.encode(p) });

describe("fast path segments", { skip: rt ? false : "no wasm SIMD / shared memory" }, () => {
  // The runtime registers the wasm backend too; the reference ops here run on tfjs's cpu backend.
  before(async () => {
    await tf.setBackend("cpu");
  });

  const convCases: [string, number[], number[], string, number][] = [
    ["3x3 VALID, one channel (an MNIST first layer)", [2, 28, 28, 1], [3, 3, 1, 32], "VALID", 1],
    ["3x3 SAME stride 2, 13 output channels", [1, 9, 7, 3], [3, 3, 3, 13], "SAME", 2],
    ["1x1 pointwise, 5 output channels", [2, 8, 8, 8], [1, 1, 8, 5], "VALID", 1],
    ["2x3 SAME, 7 output channels", [1, 5, 6, 4], [2, 3, 4, 7], "SAME", 1],
    ["3x3 SAME stride 2, 24 channels, 3 rows of output pixels", [3, 10, 10, 16], [3, 3, 16, 24], "SAME", 2],
    ["5x5 VALID stride 3 on 1 pixel output", [1, 5, 5, 2], [5, 5, 2, 9], "VALID", 3],
  ];
  for (const [name, xs, fs, padding, stride] of convCases) {
    it(`Conv2D + BiasAdd + Relu + inference FusedBatchNorm: ${name}`, () => {
      const x = tf.tensor(
        rand(
          xs.reduce((a, b) => a * b),
          1,
        ),
        xs,
      );
      const w = tf.tensor(
        rand(
          fs.reduce((a, b) => a * b),
          2,
        ),
        fs,
      );
      const co = fs[3]!;
      const bias = tf.tensor(rand(co, 3));
      const [scale, offset, mean] = [4, 5, 6].map((s) => tf.tensor(rand(co, s)));
      const variance = tf.abs(tf.tensor(rand(co, 7)));
      const b = chain([
        { op: "Conv2D", attrs: { strides: ints(1, stride, stride, 1), padding: pad(padding) }, consts: [w] },
        { op: "BiasAdd", consts: [bias] },
        { op: "Relu" },
        { op: "FusedBatchNormV3", attrs: { is_training: { b: false }, epsilon: { f: 0.001 } }, consts: [scale!, offset!, mean!, variance] },
      ]);
      const { segment } = segmentOf(b);
      const y = segment.run(x, noFallback);
      const conv = tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, padding === "SAME" ? "same" : "valid"), bias));
      const expected = tf.batchNorm(conv, mean!, variance, offset!, scale!, 0.001);
      close(y, expected);
      assert.equal(segment.disabledReason, undefined);
    });
  }
  it("DepthwiseConv2dNative (6 channels, SAME, stride 2) + Relu6, then pooling and a dense softmax head", () => {
    const x = tf.tensor(rand(2 * 11 * 9 * 6, 11), [2, 11, 9, 6]);
    const dw = tf.tensor(rand(3 * 3 * 6, 12), [3, 3, 6, 1]);
    const w = tf.tensor(rand(3 * 3 * 6 * 10, 13), [10, 3 * 3 * 6]); // transpose_b: [n, k]
    const bias = tf.tensor(rand(10, 14));
    const b = chain([
      { op: "DepthwiseConv2dNative", attrs: { strides: ints(1, 2, 2, 1), padding: pad("SAME") }, consts: [dw] },
      { op: "Relu6" },
      { op: "MaxPool", attrs: { ksize: ints(1, 3, 3, 1), strides: ints(1, 2, 2, 1), padding: pad("SAME") } },
      { op: "Reshape", consts: [tf.tensor([-1, 3 * 3 * 6], [2], "int32")] },
      { op: "MatMul", attrs: { transpose_b: { b: true } }, consts: [w] },
      { op: "BiasAdd", consts: [bias] },
      { op: "Softmax" },
    ]);
    const { segment, graph } = segmentOf(b);
    assert.deepEqual(
      graph.nodes.map((n) => n.op),
      ["Placeholder", SEGMENT_OP],
      "the chain became one node and its constants were dropped from the plan",
    );
    assert.ok((graph.nodes[1] as SegmentPlanNode).segment === segment);
    const y = segment.run(x, noFallback);
    const d = tf.clipByValue(tf.depthwiseConv2d(x as tf.Tensor4D, dw as tf.Tensor4D, 2, "same"), 0, 6);
    const p = tf.maxPool(d as tf.Tensor4D, 3, 2, "same");
    const expected = tf.softmax(tf.add(tf.matMul(tf.reshape(p, [2, 54]), w, false, true), bias));
    close(y, expected);
    // [2,11,9,6] -> depthwise SAME/2 -> [2,6,5,6] -> pool SAME/2 -> [2,3,3,6] -> [2,54] x [54,10]
    assert.equal(segment.lastFlops, 2 * (2 * 6 * 5) * 9 * 6 + 2 * 2 * 54 * 10);
  });

  it("AvgPool counts only the window cells inside the input (SAME), and a matmul with many rows", () => {
    const x = tf.tensor(rand(1 * 7 * 7 * 4, 21), [1, 7, 7, 4]);
    const w = tf.tensor(rand(4 * 4 * 4 * 17, 22), [4 * 4 * 4, 17]);
    const b = chain([
      { op: "Conv2D", attrs: { strides: ints(1, 1, 1, 1), padding: pad("SAME") }, consts: [tf.tensor(rand(9 * 16, 23), [3, 3, 4, 4])] },
      { op: "AvgPool", attrs: { ksize: ints(1, 2, 2, 1), strides: ints(1, 2, 2, 1), padding: pad("SAME") } },
      { op: "Reshape", consts: [tf.tensor([1, -1], [2], "int32")] },
      { op: "MatMul", consts: [w] },
    ]);
    const { segment } = segmentOf(b);
    const conv = tf.conv2d(x as tf.Tensor4D, b.consts.get("c0_0") as tf.Tensor4D, 1, "same");
    const expected = tf.matMul(tf.reshape(tf.avgPool(conv as tf.Tensor4D, 2, 2, "same"), [1, 64]), w);
    close(segment.run(x, noFallback), expected);
    // 37 rows: tiles of 4 rows plus a remainder, split across the threads.
    const many = tf.tensor(rand(37 * 64, 24), [37, 64]);
    const mm = segmentOf(chain([{ op: "MatMul", consts: [w] }]));
    close(mm.segment.run(many, noFallback), tf.matMul(many, w));
  });

  it("runs the original nodes for inputs the fast path does not take (int32, wrong channel count)", () => {
    const w = tf.tensor(rand(9 * 3 * 2, 31), [3, 3, 3, 2]);
    const b = chain([{ op: "Conv2D", attrs: { strides: ints(1, 1, 1, 1), padding: pad("VALID") }, consts: [w] }, { op: "Relu" }]);
    const { segment } = segmentOf(b);
    const seen: string[][] = [];
    const fallback = (node: PlanNode, inputs: tf.Tensor[]) => {
      seen.push([node.op, String(inputs.length)]);
      return inputs[0]!;
    };
    segment.run(tf.zeros([1, 4, 4, 3], "int32"), fallback);
    segment.run(tf.zeros([1, 4, 4, 5]), fallback);
    // Each original node gets its data input and its constants (the filter for the Conv2D).
    assert.deepEqual(seen, [
      ["Conv2D", "2"],
      ["Relu", "1"],
      ["Conv2D", "2"],
      ["Relu", "1"],
    ]);
  });

  it("keeps a layer whose output is read twice (or a batch norm whose statistics are read) outside the chain", () => {
    const w = tf.tensor(rand(4 * 4, 41), [4, 4]);
    const b = chain([{ op: "MatMul", consts: [w] }, { op: "Relu" }]);
    // A second reader of the MatMul's output: the Relu cannot join its segment.
    const nodes = [...b.graph.nodes, { name: "tap", op: "Identity", inputs: [ref("n0_MatMul")], control: [], attrs: {}, origin: "" }];
    const { graph, segments } = segmentGraph({ nodes } as PlanGraph, [ref("n1_Relu"), ref("tap")], (r) => b.consts.get(r.node), rt!);
    assert.equal(segments.length, 1);
    assert.deepEqual(segments[0]!.names, ["n0_MatMul"]);
    assert.ok(graph.nodes.some((n) => n.op === "Relu"));
  });

  it("gives its memory back when disposed", () => {
    const before = rt!.bytesInUse;
    const w = tf.tensor(rand(64 * 64, 51), [64, 64]);
    const { segment } = segmentOf(chain([{ op: "MatMul", consts: [w] }, { op: "Relu" }]));
    segment.run(tf.ones([8, 64]), noFallback);
    assert.ok(rt!.bytesInUse > before);
    segment.dispose();
    assert.equal(rt!.bytesInUse, before);
    assert.throws(() => segment.run(tf.ones([8, 64]), noFallback), /disposed/);
  });
  it("takes residual blocks whole: zero Pad folded into a depthwise conv, AddV2 of two computed tensors, global Mean", () => {
    // x -> conv1x1 (expand) -> Pad -> depthwise VALID -> conv1x1 (project) -> AddV2(project, x) -> Mean[1,2]
    const c = 8;
    const x = tf.tensor(rand(2 * 6 * 6 * c, 61), [2, 6, 6, c]);
    const expand = tf.tensor(rand(c * 16, 62), [1, 1, c, 16]);
    const dw = tf.tensor(rand(9 * 16, 63), [3, 3, 16, 1]);
    const project = tf.tensor(rand(16 * c, 64), [1, 1, 16, c]);
    const node = (name: string, op: string, inputs: TensorRef[], attrs: PlanNode["attrs"] = {}): PlanNode => ({
      name,
      op,
      inputs,
      control: [],
      attrs,
      origin: "",
    });
    const consts = new Map<string, tf.Tensor>([
      ["expand_w", expand],
      ["pads", tf.tensor([0, 0, 1, 1, 1, 1, 0, 0], [4, 2], "int32")],
      ["dw_w", dw],
      ["project_w", project],
      ["axes", tf.tensor([1, 2], [2], "int32")],
    ]);
    const conv = { strides: ints(1, 1, 1, 1), padding: pad("VALID") };
    const nodes: PlanNode[] = [
      node("x", "Placeholder", []),
      ...[...consts.keys()].map((k) => node(k, "Const", [])),
      node("expand", "Conv2D", [ref("x"), ref("expand_w")], conv),
      node("expand_relu", "Relu6", [ref("expand")]),
      node("pad", "Pad", [ref("expand_relu"), ref("pads")]),
      node("dw", "DepthwiseConv2dNative", [ref("pad"), ref("dw_w")], conv),
      node("project", "Conv2D", [ref("dw"), ref("project_w")], conv),
      node("add", "AddV2", [ref("project"), ref("x")]),
      node("mean", "Mean", [ref("add"), ref("axes")], { keep_dims: { b: false } }),
    ];
    const { graph, segments } = segmentGraph({ nodes } as PlanGraph, [ref("mean")], (r) => consts.get(r.node), rt!);
    assert.equal(segments.length, 1);
    assert.deepEqual(
      graph.nodes.map((n) => n.op),
      ["Placeholder", SEGMENT_OP],
    );
    assert.deepEqual(graph.nodes[1]!.inputs, [ref("x")]);
    const y = segments[0]!.run(x, noFallback);
    const e1 = tf.clipByValue(tf.conv2d(x as tf.Tensor4D, expand as tf.Tensor4D, 1, "valid"), 0, 6);
    const e2 = tf.depthwiseConv2d(
      tf.pad(e1, [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ]) as tf.Tensor4D,
      dw as tf.Tensor4D,
      1,
      "valid",
    );
    const e3 = tf.add(tf.conv2d(e2 as tf.Tensor4D, project as tf.Tensor4D, 1, "valid"), x);
    close(y, tf.mean(e3, [1, 2]));
    // The fallback runs the same DAG node by node: the add reads the segment input again.
    const fed: string[] = [];
    segments[0]!.run(tf.zeros([2, 6, 6, c], "int32"), (n, inputs) => {
      fed.push(`${n.name}(${inputs.length})`);
      return n.op === "Mean" ? tf.zeros([2, c]) : inputs[0]!;
    });
    assert.deepEqual(fed, ["expand(2)", "expand_relu(1)", "pad(2)", "dw(2)", "project(2)", "add(2)", "mean(2)"]);
  });

  it("cuts a connected set with two values leaving it into plain chains", () => {
    const w = tf.tensor(rand(4 * 4, 71), [4, 4]);
    const consts = new Map([["w", w]]);
    const node = (name: string, op: string, inputs: TensorRef[]): PlanNode => ({ name, op, inputs, control: [], attrs: {}, origin: "" });
    const nodes: PlanNode[] = [
      node("x", "Placeholder", []),
      node("w", "Const", []),
      node("a", "MatMul", [ref("x"), ref("w")]),
      node("r", "Relu", [ref("a")]),
      node("b", "MatMul", [ref("r"), ref("w")]),
      node("sum", "AddV2", [ref("b"), ref("r")]),
    ];
    // Both "r" and "sum" are wanted: the set has two exits.
    const { segments } = segmentGraph({ nodes } as PlanGraph, [ref("sum"), ref("r")], (r) => consts.get(r.node), rt!);
    assert.deepEqual(
      segments.map((s) => s.names),
      [["a", "r"], ["b"]],
    );
  });
  it("pads with zeros as a layer of its own when no convolution takes the padding (Pad before a MaxPool)", () => {
    const x = tf.tensor(rand(1 * 5 * 4 * 3, 81), [1, 5, 4, 3]);
    const w = tf.tensor(rand(3 * 3 * 3 * 2, 82), [3, 3, 3, 2]);
    const b = chain([
      { op: "Pad", consts: [tf.tensor([0, 0, 2, 1, 0, 3, 0, 0], [4, 2], "int32")] },
      { op: "MaxPool", attrs: { ksize: ints(1, 2, 2, 1), strides: ints(1, 1, 1, 1), padding: pad("VALID") } },
      { op: "Conv2D", attrs: { strides: ints(1, 1, 1, 1), padding: pad("SAME") }, consts: [w] },
    ]);
    const { segment } = segmentOf(b);
    const p = tf.maxPool(
      tf.pad(x, [
        [0, 0],
        [2, 1],
        [0, 3],
        [0, 0],
      ]) as tf.Tensor4D,
      2,
      1,
      "valid",
    );
    close(segment.run(x, noFallback), tf.conv2d(p, w as tf.Tensor4D, 1, "same"));
  });
  it("leaves layers with malformed windows (stride 0, negative kernel size) to the ordinary kernels", () => {
    const w = tf.tensor(rand(9 * 2, 91), [3, 3, 1, 2]);
    for (const strides of [ints(1, 0, 1, 1), ints(1, -1, 1, 1)]) {
      const b = chain([{ op: "Conv2D", attrs: { strides, padding: pad("VALID") }, consts: [w] }, { op: "Relu" }]);
      const { segments } = segmentGraph(b.graph, [ref("n1_Relu")], (r) => b.consts.get(r.node), rt!);
      assert.equal(segments.length, 0);
    }
    const pool = chain([
      { op: "Conv2D", attrs: { strides: ints(1, 1, 1, 1), padding: pad("VALID") }, consts: [w] },
      { op: "MaxPool", attrs: { ksize: ints(1, 0, 2, 1), strides: ints(1, 1, 1, 1), padding: pad("VALID") } },
    ]);
    const { segments } = segmentGraph(pool.graph, [ref("n1_MaxPool")], (r) => pool.consts.get(r.node), rt!);
    assert.deepEqual(
      segments.map((s) => s.names),
      [["n0_Conv2D"]],
    );
  });
  // SMS_PROP_RUNS / SMS_PROP_SEED run more cases or other seeds (1,800 more passed when this was written).
  it("matches tfjs on random conv / depthwise / pool / dense stacks (property, 80 cases)", () => {
    const layerArb = fc.record({
      b: fc.integer({ min: 1, max: 3 }),
      h: fc.integer({ min: 1, max: 11 }),
      w: fc.integer({ min: 1, max: 11 }),
      c: fc.integer({ min: 1, max: 9 }),
      k: fc.integer({ min: 1, max: 4 }),
      kw: fc.integer({ min: 1, max: 4 }),
      s: fc.integer({ min: 1, max: 3 }),
      co: fc.integer({ min: 1, max: 19 }),
      same: fc.boolean(),
      depthwise: fc.boolean(),
      act: fc.constantFrom("none", "Relu", "Relu6"),
      pool: fc.constantFrom("none", "MaxPool", "AvgPool"),
      dense: fc.boolean(),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
    });
    fc.assert(
      fc.property(layerArb, (p) => {
        const padding = p.same ? "SAME" : "VALID";
        // VALID windows must fit.
        fc.pre(p.same || (p.k <= p.h && p.kw <= p.w));
        const x = tf.tensor(rand(p.b * p.h * p.w * p.c, p.seed), [p.b, p.h, p.w, p.c]);
        const f = p.depthwise
          ? tf.tensor(rand(p.k * p.kw * p.c, p.seed + 1), [p.k, p.kw, p.c, 1])
          : tf.tensor(rand(p.k * p.kw * p.c * p.co, p.seed + 1), [p.k, p.kw, p.c, p.co]);
        const ops: { op: string; attrs?: PlanNode["attrs"]; consts?: tf.Tensor[] }[] = [
          {
            op: p.depthwise ? "DepthwiseConv2dNative" : "Conv2D",
            attrs: { strides: ints(1, p.s, p.s, 1), padding: pad(padding) },
            consts: [f],
          },
        ];
        const pm = p.same ? "same" : "valid";
        let y: tf.Tensor = p.depthwise
          ? tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, p.s, pm)
          : tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, p.s, pm);
        if (p.act !== "none") {
          ops.push({ op: p.act });
          y = p.act === "Relu" ? tf.relu(y) : tf.clipByValue(y, 0, 6);
        }
        if (p.pool !== "none" && y.shape[1]! >= 2 && y.shape[2]! >= 2) {
          ops.push({ op: p.pool, attrs: { ksize: ints(1, 2, 2, 1), strides: ints(1, 2, 2, 1), padding: pad("SAME") } });
          y = p.pool === "MaxPool" ? tf.maxPool(y as tf.Tensor4D, 2, 2, "same") : tf.avgPool(y as tf.Tensor4D, 2, 2, "same");
        }
        if (p.dense) {
          const features = y.shape.slice(1).reduce((a, b) => a * b, 1);
          const w = tf.tensor(rand(features * 7, p.seed + 2), [features, 7]);
          ops.push({ op: "Reshape", consts: [tf.tensor([-1, features], [2], "int32")] }, { op: "MatMul", consts: [w] });
          y = tf.matMul(tf.reshape(y, [-1, features]), w);
        }
        const { segment } = segmentOf(chain(ops));
        close(segment.run(x, noFallback), y, 2e-4);
        segment.dispose();
      }),
      { numRuns: Number(process.env["SMS_PROP_RUNS"] ?? 80), seed: Number(process.env["SMS_PROP_SEED"] ?? 20261122) },
    );
  });
  it("reports a kernel that traps in any thread only after every chunk finished, and the next job is right", () => {
    const n = 4096;
    // Addresses past the end of the memory: every chunk traps, in this thread and the workers.
    const bad = 0x7fff0000;
    assert.throws(() => rt!.parallel([{ fn: "add", args: [bad, bad, bad, 0, n], split: 3 }], n, 4, 1));
    const a = rt!.alloc(n * 4);
    const b = rt!.alloc(n * 4);
    const out = rt!.alloc(n * 4);
    const f = rt!.f32();
    for (let i = 0; i < n; i++) {
      f[(a >> 2) + i] = i;
      f[(b >> 2) + i] = 2 * i;
    }
    rt!.parallel([{ fn: "add", args: [a, b, out, 0, n], split: 3 }], n, 4, 1);
    const got = rt!.f32().subarray(out >> 2, (out >> 2) + n);
    got.forEach((v, i) => assert.equal(v, 3 * i));
    for (const [p, bytes] of [
      [a, n * 4],
      [b, n * 4],
      [out, n * 4],
    ] as const)
      rt!.release(p, bytes);
  });
});

describe("fast path in the engine (keras_mnist fixture)", { skip: rt ? false : "no wasm SIMD / shared memory" }, () => {
  it("runs a one-segment plan host to host and matches the model run through tfjs alone", async () => {
    const dir = join(FIXTURES, "savedmodels/keras_mnist");
    const file = join(FIXTURES, "cases/keras_mnist__serving_default/inputs/conv2d_input.npy");
    const x = parseNpy(new Uint8Array(readFileSync(file)), file);
    const fast = await loadModel(new FsSource(), dir, { backend: "cpu" });
    const plain = await loadModel(new FsSource(), dir, { backend: "cpu", fastPath: false });
    try {
      const a = await (await fast.prepare("serving_default")).run({ conv2d_input: x });
      const b = await (await plain.prepare("serving_default")).run({ conv2d_input: x });
      assert.equal(a.timings.opsExecuted, 1, "one segment, no tfjs op");
      assert.ok(b.timings.opsExecuted > 10);
      // The results header names the threads: the pool's for the segment, none without the fast path.
      assert.deepEqual(a.threads, { fastPath: rt!.threads, tfjs: 1 });
      assert.deepEqual(b.threads, { fastPath: 0, tfjs: 1 });
      const av = a.outputs["dense_1"]!;
      const bv = b.outputs["dense_1"]!;
      assert.deepEqual(av.shape, [2, 10]);
      assert.equal(av.dtype, DataType.DT_FLOAT);
      (av.data as Float32Array).forEach((v, i) => assert.ok(Math.abs(v - (bv.data as Float32Array)[i]!) < 1e-5));
      // A batch the program was not compiled for gets its own program.
      const three: HostTensor = { dtype: DataType.DT_FLOAT, shape: [3, 28, 28, 1], data: new Float32Array(3 * 784).fill(0.5) };
      const c = await (await fast.prepare("serving_default")).run({ conv2d_input: three });
      assert.deepEqual(c.outputs["dense_1"]!.shape, [3, 10]);
    } finally {
      fast.dispose();
      plain.dispose();
    }
  });
});
