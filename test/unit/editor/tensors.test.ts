/**
 * Edge shapes (src/editor-model/tensors.ts): the inference rules on small cases, and hostile node
 * definitions that must give "unknown", never an exception.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { tensorflow } from "../../../src/core/proto/index.js";
import { elementsOf, inferOutputs, tensorText, type TensorInfo } from "../../../src/editor-model/tensors.js";
import { foldParameters } from "../../../src/webview/graph/collapse.js";

type NodeDef = tensorflow.NodeDef.$Properties;
const F = 1; // DT_FLOAT
const info = (shape: number[] | null, dtype = F): TensorInfo => ({ dtype, shape });
const run = (node: NodeDef, ins: TensorInfo[], producers: (NodeDef | null)[] = []) =>
  inferOutputs({ node, ins, producer: (i) => producers[i] ?? null });
const ints = (v: number[]): NodeDef => ({
  op: "Const",
  attr: { value: { tensor: { dtype: 3, tensor_shape: { dim: [{ size: v.length }] }, int_val: v } } },
});

describe("edge shapes", () => {
  it("rules: broadcasting, MatMul with transposes, Conv2D SAME/VALID, Reshape with -1, Mean without keep_dims", () => {
    assert.deepEqual(run({ op: "AddV2", attr: { T: { type: F } } }, [info([-1, 1, 3]), info([4, 1])])[0], info([-1, 4, 3]));
    assert.deepEqual(run({ op: "MatMul", attr: { transpose_b: { b: true } } }, [info([8, 3]), info([5, 3])])[0], info([8, 5]));
    const conv = (pad: string) => ({
      op: "Conv2D",
      attr: { strides: { list: { i: [1, 2, 2, 1] } }, padding: { s: new TextEncoder().encode(pad) } },
    });
    assert.deepEqual(run(conv("SAME"), [info([-1, 28, 28, 1]), info([3, 3, 1, 8])])[0]?.shape, [-1, 14, 14, 8]);
    assert.deepEqual(run(conv("VALID"), [info([-1, 28, 28, 1]), info([3, 3, 1, 8])])[0]?.shape, [-1, 13, 13, 8]);
    assert.deepEqual(run({ op: "Reshape" }, [info([2, 3, 4]), info([2], 3)], [null, ints([-1, 12])])[0]?.shape, [2, 12]);
    assert.deepEqual(run({ op: "Mean" }, [info([-1, 5, 7]), info([1], 3)], [null, ints([1])])[0]?.shape, [-1, 7]);
    assert.equal(run({ op: "Less" }, [info([3]), info([])])[0]?.dtype, 10, "comparisons are bool");
    assert.equal(tensorText(info([-1, 10])), "float32[?,10]");
    assert.equal(tensorText(info(null)), "float32[…]");
    assert.equal(tensorText({ dtype: 0, shape: null }), "");
    assert.equal(elementsOf(info([-1, 784])), 784);
    assert.equal(elementsOf(info(null)), -1);
  });

  it("hostile node definitions give unknown shapes, never an exception", () => {
    const odd: NodeDef = { op: "Const", attr: { value: { tensor: { dtype: 3, tensor_content: new Uint8Array([1, 2, 3]) } } } };
    const cases: [NodeDef, TensorInfo[], (NodeDef | null)[]][] = [
      [{ op: "Reshape" }, [info([2, 3])], [null, odd]],
      [{ op: "Conv2D" }, [info([1, 2]), info([3])], []],
      [{ op: "Conv2D", attr: { strides: { list: { i: [] } } } }, [info([1, 8, 8, 1]), info([0, 0, 1, 1])], []],
      [{ op: "MatMul" }, [], []],
      [{ op: "ExpandDims" }, [info([2])], [null, ints([99])]],
      [{ op: "Squeeze", attr: { squeeze_dims: { list: { i: [-40] } } } }, [info([1, 2])], []],
      [{ op: "ArgMax" }, [info(null)], [null, ints([0, 1])]],
      [{ op: "NoSuchOp", attr: { Tout: { list: { type: [999 as tensorflow.DataType] } } } }, [], []],
      [{ op: "Identity", attr: { _output_shapes: { list: { shape: [{ unknown_rank: true }, { dim: [{ size: -7 }] }] } } } }, [], []],
      [{ op: "Placeholder", attr: { dtype: { type: 12345 as tensorflow.DataType } } }, [], []],
      [{}, [], []],
    ];
    for (const [node, ins, producers] of cases) {
      const out = run(node, ins, producers);
      assert.ok(Array.isArray(out) && out.length >= 1, `${node.op}: a result`);
      for (const t of out) assert.equal(typeof tensorText(t), "string");
    }
  });

  it("folding: pass-through arguments join their producer, chains and cycles of arguments terminate", () => {
    const nodes = [
      { name: "v", op: "VarHandleOp", variable: "dense/kernel" },
      { name: "f/a", op: "_Arg" },
      { name: "f/g/a", op: "_Arg" },
      { name: "f/g/read", op: "ReadVariableOp" },
      { name: "x", op: "_Arg" },
      { name: "y", op: "_Arg" },
    ];
    const folded = foldParameters({
      nodes,
      edges: [
        [0, 1, 0],
        [1, 2, 0],
        [2, 3, 0],
        [4, 5, 0],
        [5, 4, 0],
      ],
    });
    assert.equal(folded[0], -1, "a named variable is drawn");
    assert.equal(folded[1], 0);
    assert.equal(folded[2], 0, "a chain of arguments folds into the variable");
    assert.equal(folded[3], -1);
    assert.ok(folded[4]! < nodes.length && folded[5]! < nodes.length, "a cycle of arguments terminates");
  });
});
