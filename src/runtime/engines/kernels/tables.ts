/**
 * Hash tables: the tables a model initializes (HashTable(V2) from a vocabulary asset or imported
 * keys) and looks up, and mutable tables (MutableHashTable(OfTensors)V2) that runs insert into,
 * remove from and export, restored from the checkpoint when it holds `<table>-keys` / `-values`.
 * Tables live in the loaded model (KernelContext.tables), keyed by shared_name, so a mutable table
 * keeps its contents from one run to the next, as in a TensorFlow session.
 */
import * as tf from "@tensorflow/tfjs-core";
import { StudioError } from "../../../core/errors.js";
import { DataType } from "../../../core/dtype.js";
import type { PlanNode } from "../../plan.js";
import { aInt, aShape, aStr, aType } from "../attrs.js";
import { readRaw, tfjsDtype } from "../convert.js";
import { bytesKey, keyBytes, type HashTable, type Kernel, type KernelContext, type Value } from "../values.js";
import { host, ints, invalid, product, resource, strings, tensorIn as T, type KernelTable } from "./util.js";

const utf8 = new TextDecoder();
const utf8enc = new TextEncoder();

function tableKeys(t: tf.Tensor): (string | number)[] {
  return t.dtype === "string" ? strings(t).map(bytesKey) : ints(t);
}

function table(ctx: KernelContext, node: PlanNode, inputs: readonly Value[]): HashTable {
  const key = resource(node, inputs, 0, "table");
  const t = ctx.tables.get(key);
  if (!t) throw new StudioError("ENGINE", `${node.name}: table '${key}' is not initialized`);
  return t;
}

const hashTable: Kernel = (ctx, node) => {
  const key = aStr(node, "shared_name") || node.name;
  if (!ctx.tables.has(key)) {
    ctx.tables.set(key, {
      keyDtype: tfjsDtype(aType(node, "key_dtype", DataType.DT_FLOAT)),
      valueDtype: tfjsDtype(aType(node, "value_dtype", DataType.DT_FLOAT)),
      map: new Map(),
    });
  }
  return [{ kind: "table", key }];
};

const initTableFromTextFile: Kernel = (ctx, node, inputs) => {
  const t = table(ctx, node, inputs);
  const path = utf8.decode(strings(T(node, inputs, 1))[0] ?? new Uint8Array());
  const base = path.replace(/\\/g, "/").split("/").pop() ?? path;
  const bytes = ctx.assets.get(path) ?? ctx.assets.get(base);
  if (!bytes) throw new StudioError("ENGINE", `${node.name}: vocabulary file '${path}' is not among the model's assets`);
  const keyIndex = aInt(node, "key_index");
  const valueIndex = aInt(node, "value_index");
  const delim = aStr(node, "delimiter", "\t");
  const vocabSize = aInt(node, "vocab_size", -1);
  const offset = aInt(node, "offset", 0);
  let lines = utf8.decode(bytes).split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  lines = lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  if (vocabSize >= 0) lines = lines.slice(0, vocabSize);
  lines.forEach((line, i) => {
    const cols = line.split(delim);
    const field = (idx: number, dt: tf.DataType): string | number | Uint8Array => {
      if (idx === -2) return dt === "string" ? utf8enc.encode(line) : Number(line);
      if (idx === -1) return i + offset;
      const c = cols[idx];
      if (c === undefined) throw new StudioError("ENGINE", `${node.name}: line ${i + 1} of '${base}' has no column ${idx}`);
      return dt === "string" ? utf8enc.encode(c) : Number(c);
    };
    const k = field(keyIndex, t.keyDtype);
    const v = field(valueIndex, t.valueDtype);
    t.map.set(k instanceof Uint8Array ? bytesKey(k) : (k as number), v as number | Uint8Array);
  });
  return [];
};

const lookupTableImport: Kernel = (ctx, node, inputs) => {
  const t = table(ctx, node, inputs);
  t.map.clear();
  insert(node, t, T(node, inputs, 1), T(node, inputs, 2));
  return [];
};

/** Values per key of a table (1 for scalar values), and the table's value shape. */
function width(t: HashTable): { w: number; shape: readonly number[] } {
  const shape = t.valueShape ?? [];
  return { w: product(shape), shape };
}

const lookupTableFind: Kernel = (ctx, node, inputs) => {
  const t = table(ctx, node, inputs);
  const keysT = T(node, inputs, 1);
  const keys = tableKeys(keysT);
  const defs = readRaw(T(node, inputs, 2)) as ArrayLike<number | Uint8Array>;
  const { w, shape } = width(t);
  if (!t.valueShape) {
    const out = keys.map((k, i) => (t.map.get(k) as number | Uint8Array | undefined) ?? defs[defs.length === 1 ? 0 : i]!);
    return [host(t.valueDtype, [...keysT.shape], out)];
  }
  if (defs.length !== w) throw invalid(node, `Expected shape [${shape.join(",")}] for default value, got ${defs.length} values`);
  const out = keys.flatMap((k) => [...((t.map.get(k) as readonly (number | Uint8Array)[] | undefined) ?? Array.from(defs))]);
  return [host(t.valueDtype, [...keysT.shape, ...shape], out)];
};

/** Fills `t` with keys[i] -> values[i] (rows of `w` values for a tensor-valued table). */
function insert(node: PlanNode, t: HashTable, keysT: tf.Tensor, valuesT: tf.Tensor): void {
  const keys = tableKeys(keysT);
  const vals = readRaw(valuesT) as ArrayLike<number | Uint8Array>;
  const { w, shape } = width(t);
  const want = [...keysT.shape, ...shape];
  if (valuesT.rank !== want.length || valuesT.shape.some((d, i) => d !== want[i]))
    throw invalid(node, `Expected shape [${want.join(",")}] for value, got [${valuesT.shape.join(",")}]`);
  keys.forEach((k, i) => t.map.set(k, t.valueShape ? Array.from({ length: w }, (_, j) => vals[i * w + j]!) : vals[i]!));
}

const mutableTable: Kernel = (ctx, node) => {
  const key = aStr(node, "shared_name") || node.name;
  if (!ctx.tables.has(key)) {
    const tensors = node.op === "MutableHashTableOfTensorsV2";
    const t: HashTable = {
      keyDtype: tfjsDtype(aType(node, "key_dtype", DataType.DT_STRING)),
      valueDtype: tfjsDtype(aType(node, "value_dtype", DataType.DT_FLOAT)),
      map: new Map(),
      ...(tensors ? { valueShape: (aShape(node, "value_shape") ?? []).map((d) => Math.max(d, 0)) } : {}),
    };
    // Contents saved with the model's checkpoint (TF1 saveable names: the table op's name).
    const keys = ctx.variables.get(`${node.name}-keys`);
    const values = ctx.variables.get(`${node.name}-values`);
    if (keys && values) insert(node, t, keys, values);
    ctx.tables.set(key, t);
  }
  return [{ kind: "table", key }];
};

const insertK: Kernel = (ctx, node, inputs) => {
  insert(node, table(ctx, node, inputs), T(node, inputs, 1), T(node, inputs, 2));
  return [];
};

const removeK: Kernel = (ctx, node, inputs) => {
  const t = table(ctx, node, inputs);
  for (const k of tableKeys(T(node, inputs, 1))) t.map.delete(k);
  return [];
};

const exportK: Kernel = (ctx, node, inputs) => {
  const t = table(ctx, node, inputs);
  const { shape } = width(t);
  const keys = [...t.map.keys()].map((k) => (typeof k === "string" ? keyBytes(k) : k));
  const values = [...t.map.values()].flatMap((v) =>
    Array.isArray(v) ? [...(v as readonly (number | Uint8Array)[])] : [v as number | Uint8Array],
  );
  return [host(t.keyDtype, [keys.length], keys), host(t.valueDtype, [keys.length, ...shape], values)];
};

export const TABLE_KERNELS: KernelTable = [
  ["HashTableV2", hashTable],
  ["HashTable", hashTable],
  ["InitializeTableFromTextFileV2", initTableFromTextFile],
  ["LookupTableImportV2", lookupTableImport],
  ["InitializeTableV2", lookupTableImport],
  ["LookupTableFindV2", lookupTableFind],
  ["LookupTableSizeV2", (c, n, i) => [tf.scalar(table(c, n, i).map.size, "int32")]],
  ["MutableHashTableV2", mutableTable],
  ["MutableHashTableOfTensorsV2", mutableTable],
  ["LookupTableInsertV2", insertK],
  ["LookupTableRemoveV2", removeK],
  ["LookupTableExportV2", exportK],
];
