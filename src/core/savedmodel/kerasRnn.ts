/**
 * Synthetic Keras recurrent SavedModels for tests and benchmarks: stacked LSTMs, a GRU and a
 * Bidirectional LSTM, each layer built node for node like the graphs Keras 2.6 saves (the
 * `standard_lstm` function and its `while_body` / `while_cond` of the real model
 * iteam1/predict-series-data-with-RNN@fc8eb4786e02a11d2c506aa645812353c6a90b07 `lstm_model`, our
 * fixture keras_lstm_timeseries: transpose to time-major, TensorListFromTensor, a StatelessWhile
 * over 11 loop variables whose body does `x_t @ kernel + h @ recurrent_kernel`, BiasAdd, Split into
 * 4 gates, sigmoid / tanh and the state update, TensorListStack, the last step by StridedSlice).
 * The GRU follows Keras 2.6's `standard_gru` step (reset_after: input and recurrent bias, gates
 * z, r, h); the backward half of a Bidirectional layer reverses the time axis (ReverseV2) before
 * its loop, as `go_backwards` does. Weights are Const nodes (no variables/ directory), returned too
 * so a reference implementation can compute the same recurrence.
 */
import Long from "long";
import { DataType } from "../dtype.js";
import { tensorflow } from "../proto/index.js";
import { floatConst, placeholder, tensorInfo } from "./builder.js";

type Node = tensorflow.NodeDef.$Properties;
type Attr = tensorflow.AttrValue.$Properties;

export type RnnCell = "lstm" | "gru";

export interface RnnLayerSpec {
  readonly cell: RnnCell;
  readonly units: number;
  /** Both directions, outputs concatenated (Keras Bidirectional, merge_mode "concat"). */
  readonly bidirectional?: boolean;
}

export interface RnnModelSpec {
  readonly features: number;
  readonly layers: readonly RnnLayerSpec[];
  readonly seed?: number;
}

/** Weights of one direction of one layer, Keras layout (gates along the last axis). */
export interface RnnWeights {
  readonly cell: RnnCell;
  readonly reverse: boolean;
  readonly kernel: Float32Array;
  readonly recurrentKernel: Float32Array;
  /** LSTM: [4u]; GRU: [2, 3u] (input bias, recurrent bias). */
  readonly bias: Float32Array;
  readonly input: number;
  readonly units: number;
}

export interface RnnModel {
  readonly savedModel: Uint8Array;
  /** Per layer, its directions (forward, then backward). */
  readonly weights: readonly (readonly RnnWeights[])[];
  /** The dense head: y = last @ dense + denseBias (one output). */
  readonly dense: Float32Array;
  readonly denseBias: Float32Array;
}

const I32 = DataType.DT_INT32;
const F32 = DataType.DT_FLOAT;
const VARIANT = DataType.DT_VARIANT;
const type = (t: number): Attr => ({ type: t });
const int = (x: number): Attr => ({ i: Long.fromNumber(x) });

function intConst(name: string, values: readonly number[], shape: readonly number[] | null = [values.length]): Node {
  const dims = (shape ?? []).map((d) => ({ size: Long.fromNumber(d) }));
  return {
    name,
    op: "Const",
    attr: { dtype: type(I32), value: { tensor: { dtype: I32, tensor_shape: { dim: dims }, int_val: [...values] } } },
  };
}

function scalarFloat(name: string, v: number): Node {
  return { name, op: "Const", attr: { dtype: type(F32), value: { tensor: { dtype: F32, tensor_shape: {}, float_val: [v] } } } };
}

const op = (name: string, o: string, input: string[], attr: Record<string, Attr> = {}): Node => ({ name, op: o, input, attr });

/** Deterministic uniform values in [-scale, scale). */
function uniform(n: number, state: { s: number }, scale: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = state.s;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    state.s = s >>> 0 || 1;
    out[i] = ((state.s / 2 ** 32) * 2 - 1) * scale;
  }
  return out;
}

/** StridedSlice of axis 0 at `index` (shrunk), as Keras slices shapes and the last step. */
function sliceAxis0(name: string, input: string, index: number, nodes: Node[], dtype: number): string {
  nodes.push(
    intConst(`${name}/stack`, [index]),
    intConst(`${name}/stack_1`, [index === -1 ? 0 : index + 1]),
    intConst(`${name}/stack_2`, [1]),
  );
  nodes.push(
    op(name, "StridedSlice", [input, `${name}/stack`, `${name}/stack_1`, `${name}/stack_2`], {
      Index: type(I32),
      T: type(dtype),
      shrink_axis_mask: int(1),
      ...(index === -1 ? { end_mask: int(1) } : {}),
    }),
  );
  return name;
}

/** The while body of one cell, as Keras writes it (inputs named `node:output_arg:index`). */
function bodyFunction(name: string, cell: RnnCell, input: number): tensorflow.FunctionDef.$Properties {
  const args: [string, number][] = [
    ["while_loop_counter", I32],
    ["while_maximum_iterations", I32],
    ["placeholder", I32],
    ["placeholder_1", VARIANT],
    ["placeholder_2", F32],
    ...(cell === "lstm" ? ([["placeholder_3", F32]] as [string, number][]) : []),
    ["strided_slice_0", I32],
    ["tensorlistfromtensor_0", VARIANT],
    ["kernel_0", F32],
    ...(cell === "gru" ? ([["input_bias_0", F32]] as [string, number][]) : []),
    ["recurrent_kernel_0", F32],
    [cell === "lstm" ? "bias_0" : "recurrent_bias_0", F32],
  ];
  const T = { T: type(F32) };
  const nodes: Node[] = [
    intConst("while/TensorArrayV2Read/TensorListGetItem/element_shape", [-1, input]),
    op(
      "while/TensorArrayV2Read/TensorListGetItem",
      "TensorListGetItem",
      ["tensorlistfromtensor_0", "placeholder", "while/TensorArrayV2Read/TensorListGetItem/element_shape:output:0"],
      { element_dtype: type(F32) },
    ),
    op("while/MatMul", "MatMul", ["while/TensorArrayV2Read/TensorListGetItem:item:0", "kernel_0"], T),
  ];
  let h: string;
  let c: string | undefined;
  if (cell === "lstm") {
    nodes.push(
      op("while/MatMul_1", "MatMul", ["placeholder_2", "recurrent_kernel_0"], T),
      op("while/add", "AddV2", ["while/MatMul:product:0", "while/MatMul_1:product:0"], T),
      op("while/BiasAdd", "BiasAdd", ["while/add:z:0", "bias_0"], T),
      intConst("while/split/split_dim", [1], []),
      op("while/split", "Split", ["while/split/split_dim:output:0", "while/BiasAdd:output:0"], { ...T, num_split: int(4) }),
      op("while/Sigmoid", "Sigmoid", ["while/split:output:0"], T),
      op("while/Sigmoid_1", "Sigmoid", ["while/split:output:1"], T),
      op("while/mul", "Mul", ["while/Sigmoid_1:y:0", "placeholder_3"], T),
      op("while/Tanh", "Tanh", ["while/split:output:2"], T),
      op("while/mul_1", "Mul", ["while/Sigmoid:y:0", "while/Tanh:y:0"], T),
      op("while/add_1", "AddV2", ["while/mul:z:0", "while/mul_1:z:0"], T),
      op("while/Sigmoid_2", "Sigmoid", ["while/split:output:3"], T),
      op("while/Tanh_1", "Tanh", ["while/add_1:z:0"], T),
      op("while/mul_2", "Mul", ["while/Sigmoid_2:y:0", "while/Tanh_1:y:0"], T),
    );
    h = "while/mul_2:z:0";
    c = "while/add_1:z:0";
  } else {
    nodes.push(
      op("while/BiasAdd", "BiasAdd", ["while/MatMul:product:0", "input_bias_0"], T),
      intConst("while/split/split_dim", [1], []),
      op("while/split", "Split", ["while/split/split_dim:output:0", "while/BiasAdd:output:0"], { ...T, num_split: int(3) }),
      op("while/MatMul_1", "MatMul", ["placeholder_2", "recurrent_kernel_0"], T),
      op("while/BiasAdd_1", "BiasAdd", ["while/MatMul_1:product:0", "recurrent_bias_0"], T),
      intConst("while/split_1/split_dim", [1], []),
      op("while/split_1", "Split", ["while/split_1/split_dim:output:0", "while/BiasAdd_1:output:0"], { ...T, num_split: int(3) }),
      op("while/add", "AddV2", ["while/split:output:0", "while/split_1:output:0"], T),
      op("while/Sigmoid", "Sigmoid", ["while/add:z:0"], T),
      op("while/add_1", "AddV2", ["while/split:output:1", "while/split_1:output:1"], T),
      op("while/Sigmoid_1", "Sigmoid", ["while/add_1:z:0"], T),
      op("while/mul", "Mul", ["while/Sigmoid_1:y:0", "while/split_1:output:2"], T),
      op("while/add_2", "AddV2", ["while/split:output:2", "while/mul:z:0"], T),
      op("while/Tanh", "Tanh", ["while/add_2:z:0"], T),
      op("while/mul_1", "Mul", ["while/Sigmoid:y:0", "placeholder_2"], T),
      scalarFloat("while/sub/x", 1),
      op("while/sub", "Sub", ["while/sub/x:output:0", "while/Sigmoid:y:0"], T),
      op("while/mul_2", "Mul", ["while/sub:z:0", "while/Tanh:y:0"], T),
      op("while/add_3", "AddV2", ["while/mul_1:z:0", "while/mul_2:z:0"], T),
    );
    h = "while/add_3:z:0";
  }
  nodes.push(
    op("while/TensorArrayV2Write/TensorListSetItem", "TensorListSetItem", ["placeholder_1", "placeholder", h], {
      element_dtype: type(F32),
    }),
    intConst("while/add_4/y", [1], []),
    op("while/add_4", "AddV2", ["placeholder", "while/add_4/y:output:0"], { T: type(I32) }),
    intConst("while/add_5/y", [1], []),
    op("while/add_5", "AddV2", ["while_loop_counter", "while/add_5/y:output:0"], { T: type(I32) }),
  );
  const rets: Record<string, string> = {
    out_0: "while/add_5:z:0",
    out_1: "while_maximum_iterations",
    out_2: "while/add_4:z:0",
    out_3: "while/TensorArrayV2Write/TensorListSetItem:output_handle:0",
    out_4: h,
  };
  if (c) rets["out_5"] = c;
  const outArgs = args.map(([n, t], i) => ({ name: `out_${i}`, type: t, n }));
  outArgs.forEach((a, i) => {
    if (rets[a.name] === undefined) rets[a.name] = args[i]![0];
  });
  return {
    signature: {
      name,
      input_arg: args.map(([n, t]) => ({ name: n, type: t })),
      output_arg: outArgs.map((a) => ({ name: a.name, type: a.type })),
    },
    node_def: nodes,
    ret: rets,
  };
}

/** Types of the 11 loop variables (LSTM: h and c; GRU: h and two bias vectors). */
function loopTypes(cell: RnnCell): number[] {
  return cell === "lstm"
    ? [I32, I32, I32, VARIANT, F32, F32, I32, VARIANT, F32, F32, F32]
    : [I32, I32, I32, VARIANT, F32, I32, VARIANT, F32, F32, F32, F32];
}

/** The loop condition: time < number of steps (Keras 2.6 without maximum_iterations). */
function condFunction(name: string, cell: RnnCell): tensorflow.FunctionDef.$Properties {
  return {
    signature: {
      name,
      input_arg: loopTypes(cell).map((t, i) => ({ name: `arg_${i}`, type: t })),
      output_arg: [{ name: "identity", type: DataType.DT_BOOL }],
    },
    node_def: [
      op("while/Less", "Less", [`arg_2`, cell === "lstm" ? "arg_6" : "arg_5"], { T: type(I32) }),
      op("while/Identity", "Identity", ["while/Less:z:0"], { T: type(DataType.DT_BOOL) }),
    ],
    ret: { identity: "while/Identity:output:0" },
  };
}

/**
 * One direction of one layer: batch-major input in; the stacked time-major outputs [T, B, units]
 * (TensorListStack) and the batch-major sequence (transpose_1) out.
 */
function layerNodes(
  p: string,
  x: string,
  w: RnnWeights,
  nodes: Node[],
  lib: tensorflow.FunctionDef.$Properties[],
): { stack: string; seq: string } {
  const u = w.units;
  const gates = w.cell === "lstm" ? 4 : 3;
  nodes.push(
    intConst(`${p}/transpose/perm`, [1, 0, 2]),
    op(`${p}/transpose`, "Transpose", [x, `${p}/transpose/perm`], { T: type(F32), Tperm: type(I32) }),
  );
  let xs = `${p}/transpose`;
  if (w.reverse) {
    nodes.push(
      intConst(`${p}/ReverseV2/axis`, [0]),
      op(`${p}/ReverseV2`, "ReverseV2", [xs, `${p}/ReverseV2/axis`], { T: type(F32), Tidx: type(I32) }),
    );
    xs = `${p}/ReverseV2`;
  }
  nodes.push(op(`${p}/Shape`, "Shape", [xs], { T: type(F32), out_type: type(I32) }));
  const steps = sliceAxis0(`${p}/strided_slice`, `${p}/Shape`, 0, nodes, I32);
  nodes.push(intConst(`${p}/Shape_1/perm`, [1]), op(`${p}/Shape_1`, "Shape", [xs], { T: type(F32), out_type: type(I32) }));
  nodes.push(intConst(`${p}/bs/begin`, [1]), intConst(`${p}/bs/end`, [2]), intConst(`${p}/bs/strides`, [1]));
  nodes.push(
    op(`${p}/batch`, "StridedSlice", [`${p}/Shape_1`, `${p}/bs/begin`, `${p}/bs/end`, `${p}/bs/strides`], {
      Index: type(I32),
      T: type(I32),
      shrink_axis_mask: int(1),
    }),
  );
  const zeros = (name: string) => {
    nodes.push(
      intConst(`${name}/packed/1`, [u], []),
      op(`${name}/packed`, "Pack", [`${p}/batch`, `${name}/packed/1`], { T: type(I32), N: int(2) }),
    );
    nodes.push(
      scalarFloat(`${name}/Const`, 0),
      op(name, "Fill", [`${name}/packed`, `${name}/Const`], { T: type(F32), index_type: type(I32) }),
    );
    return name;
  };
  const h0 = zeros(`${p}/zeros`);
  const c0 = w.cell === "lstm" ? zeros(`${p}/zeros_1`) : undefined;
  nodes.push(intConst(`${p}/TensorArrayV2_1/element_shape`, [-1, u]));
  nodes.push(
    op(`${p}/TensorArrayV2_1`, "TensorListReserve", [`${p}/TensorArrayV2_1/element_shape`, steps], {
      element_dtype: type(F32),
      shape_type: type(I32),
    }),
  );
  nodes.push(intConst(`${p}/TensorArrayUnstack/element_shape`, [-1, w.input]));
  nodes.push(
    op(`${p}/TensorArrayUnstack/TensorListFromTensor`, "TensorListFromTensor", [xs, `${p}/TensorArrayUnstack/element_shape`], {
      element_dtype: type(F32),
      shape_type: type(I32),
    }),
  );
  nodes.push(
    floatConst(`${p}/kernel`, w.kernel, [w.input, gates * u]),
    floatConst(`${p}/recurrent_kernel`, w.recurrentKernel, [u, gates * u]),
  );
  const weights = [`${p}/kernel`];
  if (w.cell === "lstm") {
    nodes.push(floatConst(`${p}/bias`, w.bias, [gates * u]));
    weights.push(`${p}/recurrent_kernel`, `${p}/bias`);
  } else {
    nodes.push(
      floatConst(`${p}/bias`, w.bias, [2, gates * u]),
      op(`${p}/unstack`, "Unpack", [`${p}/bias`], { T: type(F32), num: int(2), axis: int(0) }),
    );
    weights.push(`${p}/unstack:0`, `${p}/recurrent_kernel`, `${p}/unstack:1`);
  }
  nodes.push(
    intConst(`${p}/time`, [0], []),
    intConst(`${p}/while/maximum_iterations`, [-1], []),
    intConst(`${p}/while/loop_counter`, [0], []),
  );
  const fn = p.replace(/[^A-Za-z0-9_]/g, "_");
  lib.push(bodyFunction(`while_body_${fn}`, w.cell, w.input), condFunction(`while_cond_${fn}`, w.cell));
  const inputs = [
    `${p}/while/loop_counter`,
    `${p}/while/maximum_iterations`,
    `${p}/time`,
    `${p}/TensorArrayV2_1`,
    h0,
    ...(c0 ? [c0] : []),
    steps,
    `${p}/TensorArrayUnstack/TensorListFromTensor`,
    ...weights,
  ];
  const types =
    w.cell === "lstm"
      ? [I32, I32, I32, VARIANT, F32, F32, I32, VARIANT, F32, F32, F32]
      : [I32, I32, I32, VARIANT, F32, I32, VARIANT, F32, F32, F32, F32];
  nodes.push(
    op(`${p}/while`, "StatelessWhile", inputs, {
      T: { list: { type: types } },
      body: { func: { name: `while_body_${fn}` } },
      cond: { func: { name: `while_cond_${fn}` } },
      parallel_iterations: int(32),
    }),
  );
  nodes.push(intConst(`${p}/TensorListStack/element_shape`, [-1, u]));
  nodes.push(
    op(`${p}/TensorListStack`, "TensorListStack", [`${p}/while:3`, `${p}/TensorListStack/element_shape`], {
      element_dtype: type(F32),
      num_elements: int(-1),
    }),
  );
  nodes.push(intConst(`${p}/transpose_1/perm`, [1, 0, 2]));
  nodes.push(op(`${p}/transpose_1`, "Transpose", [`${p}/TensorListStack`, `${p}/transpose_1/perm`], { T: type(F32), Tperm: type(I32) }));
  return { stack: `${p}/TensorListStack`, seq: `${p}/transpose_1` };
}

/** A Keras-structured recurrent model: input [batch, steps, features], output [batch, 1]. */
export function kerasRnnModel(spec: RnnModelSpec): RnnModel {
  const state = { s: (spec.seed ?? 1) >>> 0 || 1 };
  const nodes: Node[] = [placeholder("input_1", F32, [-1, -1, spec.features])];
  const lib: tensorflow.FunctionDef.$Properties[] = [];
  let seq = "input_1"; // batch-major
  let input = spec.features;
  const all: RnnWeights[][] = [];
  spec.layers.forEach((layer, li) => {
    const gates = layer.cell === "lstm" ? 4 : 3;
    const u = layer.units;
    const scale = 1 / Math.sqrt(u);
    const dirs: RnnWeights[] = (layer.bidirectional ? [false, true] : [false]).map((reverse) => ({
      cell: layer.cell,
      reverse,
      kernel: uniform(input * gates * u, state, scale),
      recurrentKernel: uniform(u * gates * u, state, scale),
      bias: uniform((layer.cell === "gru" ? 2 : 1) * gates * u, state, 0.1),
      input,
      units: u,
    }));
    all.push(dirs);
    const outs = dirs.map((w, d) => layerNodes(`layer_${li}${d ? "_backward" : ""}`, seq, w, nodes, lib));
    input = u * dirs.length;
    if (li < spec.layers.length - 1) {
      // return_sequences: the backward sequence is reversed back to input order, then concatenated.
      seq = outs[0]!.seq;
      if (outs[1]) {
        nodes.push(
          intConst(`layer_${li}/rev/axis`, [1]),
          op(`layer_${li}/rev`, "ReverseV2", [outs[1].seq, `layer_${li}/rev/axis`], { T: type(F32), Tidx: type(I32) }),
        );
        seq = concat(`layer_${li}/concat`, [outs[0]!.seq, `layer_${li}/rev`], nodes);
      }
      return;
    }
    // The last layer returns its last step (each direction's, concatenated).
    const lasts = outs.map((o, d) => sliceAxis0(`layer_${li}${d ? "_backward" : ""}/strided_slice_2`, o.stack, -1, nodes, F32));
    nodes.push(op("last", "Identity", [lasts.length === 2 ? concat(`layer_${li}/concat`, lasts, nodes) : lasts[0]!], { T: type(F32) }));
  });
  const dense = uniform(input, state, 1 / Math.sqrt(input));
  const denseBias = uniform(1, state, 0.1);
  nodes.push(floatConst("dense/kernel", dense, [input, 1]), floatConst("dense/bias", denseBias, [1]));
  nodes.push(
    op("dense/MatMul", "MatMul", ["last", "dense/kernel"], { T: type(F32) }),
    op("dense/BiasAdd", "BiasAdd", ["dense/MatMul", "dense/bias"], { T: type(F32) }),
  );
  nodes.push(op("output", "Identity", ["dense/BiasAdd"], { T: type(F32) }));
  const sm: tensorflow.SavedModel.$Properties = {
    saved_model_schema_version: Long.fromNumber(1),
    meta_graphs: [
      {
        meta_info_def: { tags: ["serve"], tensorflow_version: "2.6.0", meta_graph_version: "v2.6.0" },
        graph_def: { node: nodes, library: { function: lib }, versions: { producer: 808 } },
        signature_def: {
          serving_default: {
            method_name: "tensorflow/serving/predict",
            inputs: { input_1: tensorInfo("input_1:0", F32, [-1, -1, spec.features]) },
            outputs: { output: tensorInfo("output:0", F32, [-1, 1]) },
          },
        },
      },
    ],
  };
  return { savedModel: tensorflow.SavedModel.encode(sm).finish(), weights: all, dense, denseBias };
}

function concat(name: string, xs: readonly string[], nodes: Node[]): string {
  nodes.push(intConst(`${name}/axis`, [-1], []));
  nodes.push(op(name, "ConcatV2", [...xs, `${name}/axis`], { T: type(F32), N: int(xs.length), Tidx: type(I32) }));
  return name;
}
