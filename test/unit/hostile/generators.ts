// Generators of hostile SavedModels (issue 17): each attack is built here from a few parameters,
// so tests (and fuzzers) can scale it; nothing is committed as a blob.
import Long from "long";
import { DataType } from "../../../src/core/dtype.js";
import { MemorySource } from "../../../src/core/io.js";
import { tensorflow } from "../../../src/core/proto/index.js";
import { binaryOp, placeholder, tensorInfo } from "../../../src/core/savedmodel/builder.js";

type Node = tensorflow.NodeDef.$Properties;
type Fn = tensorflow.FunctionDef.$Properties;

/** A MemorySource holding one model `m/saved_model.pb` with a serving_default signature. */
export function hostileModel(
  nodes: Node[],
  outputs: Record<string, [string, number]>,
  inputs: Record<string, [string, number, number[] | null]> = {},
  functions: Fn[] = [],
): MemorySource {
  const sm: tensorflow.SavedModel.$Properties = {
    saved_model_schema_version: Long.fromNumber(1),
    meta_graphs: [
      {
        meta_info_def: { tags: ["serve"], tensorflow_version: "2.15.0" },
        graph_def: { node: nodes, library: { function: functions }, versions: { producer: 1645 } },
        signature_def: {
          serving_default: {
            method_name: "tensorflow/serving/predict",
            inputs: Object.fromEntries(Object.entries(inputs).map(([k, [n, d, s]]) => [k, tensorInfo(n, d, s)])),
            outputs: Object.fromEntries(Object.entries(outputs).map(([k, [n, d]]) => [k, tensorInfo(n, d, null)])),
          },
        },
      },
    ],
  };
  const bytes = tensorflow.SavedModel.encode(sm).finish();
  const src = new MemorySource({ "m/saved_model.pb": bytes });
  BYTES.set(src, bytes);
  return src;
}

const BYTES = new WeakMap<MemorySource, Uint8Array>();

/** The saved_model.pb of a generated model, synchronously (fuzz seeds). */
export function modelBytes(src: MemorySource): Uint8Array {
  const b = BYTES.get(src);
  if (!b) throw new Error("not a generated model");
  return b;
}

const shape = (dims: number[]): tensorflow.TensorShapeProto.$Properties => ({ dim: dims.map((d) => ({ size: Long.fromNumber(d) })) });

/** A Const of `dims` filled from one value (a splat: a few bytes in the file, `dims` elements at run time). */
export function splatConst(name: string, dtype: number, dims: number[], value: number | string): Node {
  const tensor: tensorflow.TensorProto.$Properties = { dtype, tensor_shape: shape(dims) };
  if (typeof value === "string") tensor.string_val = [new TextEncoder().encode(value)];
  else if (dtype === DataType.DT_FLOAT) tensor.float_val = [value];
  else if (dtype === DataType.DT_BOOL) tensor.bool_val = [value !== 0];
  else tensor.int_val = [value];
  return { name, op: "Const", attr: { dtype: { type: dtype }, value: { tensor } } };
}

/** `count` float splat Consts of `elements` each, summed with AddV2 into `y`. */
export function splatChain(count: number, elements: number): MemorySource {
  const nodes: Node[] = [];
  let prev = "";
  for (let i = 0; i < count; i++) {
    nodes.push(splatConst(`c${i}`, DataType.DT_FLOAT, [elements], 1));
    if (i > 0) nodes.push(binaryOp(`s${i}`, "AddV2", prev, `c${i}`));
    prev = i === 0 ? "c0" : `s${i}`;
  }
  return hostileModel(nodes, { y: [`${prev}:0`, DataType.DT_FLOAT] });
}

/** A string Const of `elements` elements from one value. */
export function stringSplat(elements: number): MemorySource {
  return hostileModel([splatConst("s", DataType.DT_STRING, [elements], "x")], { y: ["s:0", DataType.DT_STRING] });
}

/** A pass-through function of one float. */
function call(name: string, f: string, input: string): Node {
  return {
    name,
    op: "PartitionedCall",
    input: [input],
    attr: { f: { func: { name: f } }, Tin: { list: { type: [DataType.DT_FLOAT] } }, Tout: { list: { type: [DataType.DT_FLOAT] } } },
  };
}

/** F0 calls F1 twice, F1 calls F2 twice, ... F`depth`: 2^depth inlined calls from a few KB. */
export function fanOut(depth: number): MemorySource {
  const fns: Fn[] = [];
  for (let d = 0; d <= depth; d++) {
    const sig = {
      name: `F${d}`,
      input_arg: [{ name: "x", type: DataType.DT_FLOAT }],
      output_arg: [{ name: "y", type: DataType.DT_FLOAT }],
    };
    if (d === depth) {
      fns.push({
        signature: sig,
        node_def: [{ name: "id", op: "Identity", input: ["x"], attr: { T: { type: DataType.DT_FLOAT } } }],
        ret: { y: "id:output:0" },
      });
    } else {
      fns.push({
        signature: sig,
        node_def: [call("a", `F${d + 1}`, "x"), call("b", `F${d + 1}`, "x"), binaryOp("s", "AddV2", "a:output:0", "b:output:0")],
        ret: { y: "s:z:0" },
      });
    }
  }
  return hostileModel(
    [placeholder("x", DataType.DT_FLOAT, [-1]), call("c", "F0", "x")],
    { y: ["c:0", DataType.DT_FLOAT] },
    { x: ["x:0", DataType.DT_FLOAT, [-1]] },
    fns,
  );
}

const floatSig = (name: string, out = "y", outType = DataType.DT_FLOAT) => ({
  name,
  input_arg: [{ name: "x", type: DataType.DT_FLOAT }],
  output_arg: [{ name: out, type: outType }],
});

function whileNode(name: string, input: string, cond: string, body: string): Node {
  return {
    name,
    op: "While",
    input: [input],
    attr: {
      T: { list: { type: [DataType.DT_FLOAT] } },
      cond: { func: { name: cond } },
      body: { func: { name: body } },
      parallel_iterations: { i: Long.fromNumber(10) },
    },
  };
}

/** A model running `While(cond) { x = x + 1 }` on its float input, with `cond` given. */
function incrementLoop(cond: Fn): MemorySource {
  const body: Fn = {
    signature: floatSig("body"),
    node_def: [splatConst("one", DataType.DT_FLOAT, [], 1), binaryOp("n", "AddV2", "x", "one:output:0")],
    ret: { y: "n:z:0" },
  };
  return hostileModel(
    [placeholder("x", DataType.DT_FLOAT, [-1]), whileNode("w", "x", "cond", "body")],
    { y: ["w:0", DataType.DT_FLOAT] },
    { x: ["x:0", DataType.DT_FLOAT, [-1]] },
    [cond, body],
  );
}

/** `While(true) { x = x + 1 }`: never ends by itself. */
export function whileForever(): MemorySource {
  return incrementLoop({
    signature: floatSig("cond", "b", DataType.DT_BOOL),
    node_def: [splatConst("t", DataType.DT_BOOL, [], 1)],
    ret: { b: "t:output:0" },
  });
}

/** A While whose body runs the same While again (recursion through control flow). */
export function recursiveWhile(): MemorySource {
  const cond: Fn = {
    signature: floatSig("cond", "b", DataType.DT_BOOL),
    node_def: [splatConst("t", DataType.DT_BOOL, [], 1)],
    ret: { b: "t:output:0" },
  };
  const body: Fn = { signature: floatSig("body"), node_def: [whileNode("inner", "x", "cond", "body")], ret: { y: "inner:output:0" } };
  return hostileModel(
    [placeholder("x", DataType.DT_FLOAT, [-1]), whileNode("w", "x", "cond", "body")],
    { y: ["w:0", DataType.DT_FLOAT] },
    { x: ["x:0", DataType.DT_FLOAT, [-1]] },
    [cond, body],
  );
}

/** ParseExample with one dense float feature of shape [len] and a one-value default (expanded to len). */
export function parseExampleDense(len: number): MemorySource {
  const strConst = (name: string, values: string[], dims: number[]): Node => ({
    name,
    op: "Const",
    attr: {
      dtype: { type: DataType.DT_STRING },
      value: {
        tensor: { dtype: DataType.DT_STRING, tensor_shape: shape(dims), string_val: values.map((v) => new TextEncoder().encode(v)) },
      },
    },
  });
  return hostileModel(
    [
      placeholder("serialized", DataType.DT_STRING, [-1]),
      strConst("names", [], [0]),
      strConst("key", ["f"], []),
      splatConst("def", DataType.DT_FLOAT, [1], 0),
      {
        name: "pe",
        op: "ParseExample",
        input: ["serialized", "names", "key", "def"],
        attr: {
          Nsparse: { i: Long.fromNumber(0) },
          Ndense: { i: Long.fromNumber(1) },
          sparse_types: { list: { type: [] } },
          Tdense: { list: { type: [DataType.DT_FLOAT] } },
          dense_shapes: { list: { shape: [shape([len])] } },
        },
      },
    ],
    { y: ["pe:0", DataType.DT_FLOAT] },
    { serialized: ["serialized:0", DataType.DT_STRING, [-1]] },
  );
}

/** AddN over `n` copies of the input. */
export function wideAddN(n: number): MemorySource {
  return hostileModel(
    [
      placeholder("x", DataType.DT_FLOAT, [-1]),
      {
        name: "sum",
        op: "AddN",
        input: Array.from({ length: n }, () => "x"),
        attr: { N: { i: Long.fromNumber(n) }, T: { type: DataType.DT_FLOAT } },
      },
    ],
    { y: ["sum:0", DataType.DT_FLOAT] },
    { x: ["x:0", DataType.DT_FLOAT, [-1]] },
  );
}

/** StaticRegexFullMatch of the string input against a model-supplied `pattern`. */
export function regexModel(pattern: string, op = "StaticRegexFullMatch"): MemorySource {
  const attr: Record<string, tensorflow.AttrValue.$Properties> = { pattern: { s: new TextEncoder().encode(pattern) } };
  if (op === "StaticRegexReplace") attr["rewrite"] = { s: new TextEncoder().encode("<\\0>") };
  return hostileModel(
    [placeholder("s", DataType.DT_STRING, [-1]), { name: "m", op, input: ["s"], attr }],
    { y: ["m:0", op === "StaticRegexReplace" ? DataType.DT_STRING : DataType.DT_BOOL] },
    { s: ["s:0", DataType.DT_STRING, [-1]] },
  );
}

/** An int32 vector Const. */
function intConst(name: string, values: number[]): Node {
  return {
    name,
    op: "Const",
    attr: {
      dtype: { type: DataType.DT_INT32 },
      value: { tensor: { dtype: DataType.DT_INT32, tensor_shape: shape([values.length]), int_val: values } },
    },
  };
}

/** One string output of `copies` × `unit` bytes: ReduceJoin over a Fill of one `unit`-byte string. */
export function bigStringOutput(copies: number, unit: number): MemorySource {
  return hostileModel(
    [
      intConst("dims", [copies]),
      splatConst("v", DataType.DT_STRING, [], "x".repeat(unit)),
      { name: "f", op: "Fill", input: ["dims", "v"], attr: { T: { type: DataType.DT_STRING } } },
      intConst("axis", [0]),
      {
        name: "j",
        op: "ReduceJoin",
        input: ["f", "axis"],
        attr: { keep_dims: { b: false }, separator: { s: new Uint8Array(0) } },
      },
    ],
    { y: ["j:0", DataType.DT_STRING] },
  );
}

/** One float Const output under each of `keys` (keys that map to one file name, or a very long key). */
export function manyOutputKeys(keys: readonly string[]): MemorySource {
  const nodes = keys.map((_, i) => splatConst(`c${i}`, DataType.DT_FLOAT, [2], i));
  return hostileModel(nodes, Object.fromEntries(keys.map((k, i) => [k, [`c${i}:0`, DataType.DT_FLOAT] as [string, number]])));
}

/** `while (x < limit) x = x + 1`: a loop that ends, after `limit` iterations (long for a large limit). */
export function countingWhile(limit: number): MemorySource {
  return incrementLoop({
    signature: floatSig("cond", "b", DataType.DT_BOOL),
    node_def: [splatConst("limit", DataType.DT_FLOAT, [], limit), binaryOp("lt", "Less", "x", "limit:output:0")],
    ret: { b: "lt:z:0" },
  });
}

export { rng } from "../helpers/rng.js";
