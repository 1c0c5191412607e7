// MutableHashTableV2 / MutableHashTableOfTensorsV2 with LookupTableInsertV2 / FindV2 / SizeV2 /
// RemoveV2 / ExportV2: dictionary semantics, contents kept across runs of one loaded model (as in a
// TensorFlow session), restored from the checkpoint's `<table>-keys` / `-values`. Both backends.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { writeBundle } from "../../../src/core/bundle/writer.js";
import { DataType } from "../../../src/core/dtype.js";
import { tensorflow } from "../../../src/core/proto/index.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import { loadModel } from "../../../src/runtime/index.js";
import { BACKENDS, graphModel, konst, str, type, type Node } from "./graphModel.js";

const S = DataType.DT_STRING;
const I = DataType.DT_INT32;
const F = DataType.DT_FLOAT;
const text = (t: HostTensor | undefined) => Array.from(t!.data as Uint8Array[], (b) => new TextDecoder().decode(b));
const nums = (t: HostTensor | undefined) => Array.from(t!.data as ArrayLike<number | bigint>, Number);
const shape = (dims: number[]): tensorflow.AttrValue.$Properties => ({ shape: { dim: dims.map((d) => ({ size: d as unknown as Long })) } });

function tableNodes(op: string, valueDtype: number, extra: Record<string, tensorflow.AttrValue.$Properties> = {}): Node {
  return { name: "table", op, attr: { key_dtype: type(S), value_dtype: type(valueDtype), shared_name: str(""), ...extra } };
}

describe("mutable hash tables", () => {
  for (const backend of BACKENDS) {
    it(`insert, find, remove, size and export; state kept across runs (${backend})`, async () => {
      const nodes: Node[] = [
        tableNodes("MutableHashTableV2", I),
        konst("ins_k", S, ["a", "b", "c"], [3]),
        konst("ins_v", I, [1, 2, 3], [3]),
        konst("rm_k", S, ["b"], [1]),
        konst("find_k", S, ["a", "b", "zz", "c"], [2, 2]),
        konst("def", I, [-1], []),
        { name: "insert", op: "LookupTableInsertV2", input: ["table", "ins_k", "ins_v"], attr: { Tin: type(S), Tout: type(I) } },
        { name: "remove", op: "LookupTableRemoveV2", input: ["table", "rm_k", "^insert"], attr: { Tin: type(S) } },
        { name: "find", op: "LookupTableFindV2", input: ["table", "find_k", "def", "^remove"], attr: { Tin: type(S), Tout: type(I) } },
        { name: "size", op: "LookupTableSizeV2", input: ["table", "^remove"] },
        { name: "export", op: "LookupTableExportV2", input: ["table", "^remove"], attr: { Tkeys: type(S), Tvalues: type(I) } },
      ];
      const src = graphModel(
        nodes,
        {},
        { found: ["find:0", I], size: ["size:0", DataType.DT_INT64], keys: ["export:0", S], values: ["export:1", I] },
      );
      const m = await loadModel(src, "m", { backend });
      try {
        const p = await m.prepare("serving_default");
        for (let run = 0; run < 2; run++) {
          const o = (await p.run({})).outputs;
          assert.deepEqual(o["found"]!.shape, [2, 2]);
          assert.deepEqual(nums(o["found"]), [1, -1, -1, 3]);
          assert.deepEqual(nums(o["size"]), [2]);
          const pairs = text(o["keys"]).map((k, i) => [k, nums(o["values"])[i]]);
          assert.deepEqual(pairs.sort(), [
            ["a", 1],
            ["c", 3],
          ]);
        }
      } finally {
        m.dispose();
      }
    });

    it(`tensor-valued tables: rows per key, default row, shape checks (${backend})`, async () => {
      const nodes: Node[] = [
        tableNodes("MutableHashTableOfTensorsV2", F, { value_shape: shape([2]) }),
        konst("ins_k", S, ["x", "y"], [2]),
        konst("ins_v", F, [1, 2, 3, 4], [2, 2]),
        konst("find_k", S, ["y", "q", "x"], [3]),
        konst("def", F, [0, -1], [2]),
        { name: "insert", op: "LookupTableInsertV2", input: ["table", "ins_k", "ins_v"], attr: { Tin: type(S), Tout: type(F) } },
        { name: "find", op: "LookupTableFindV2", input: ["table", "find_k", "def", "^insert"], attr: { Tin: type(S), Tout: type(F) } },
      ];
      const o = await run(graphModel(nodes, {}, { found: ["find:0", F] }), backend);
      assert.deepEqual(o["found"]!.shape, [3, 2]);
      assert.deepEqual(nums(o["found"]), [3, 4, 0, -1, 1, 2]);
      const bad = nodes.map((n) => (n.name === "ins_v" ? konst("ins_v", F, [1, 2, 3], [3]) : n));
      await assert.rejects(run(graphModel(bad, {}, { found: ["find:0", F] }), backend), /Expected shape \[2,2\] for value/);
    });

    it(`restores a table's contents from the checkpoint (${backend})`, async () => {
      const { index, shards } = await writeBundle([
        ["table-keys", { dtype: S, shape: [2], data: ["k1", "k2"].map((s) => new TextEncoder().encode(s)) }],
        ["table-values", { dtype: I, shape: [2], data: Int32Array.of(10, 20) }],
      ]);
      const nodes: Node[] = [
        tableNodes("MutableHashTableV2", I),
        konst("find_k", S, ["k2", "k3", "k1"], [3]),
        konst("def", I, [0], []),
        { name: "find", op: "LookupTableFindV2", input: ["table", "find_k", "def"], attr: { Tin: type(S), Tout: type(I) } },
      ];
      const src = graphModel(nodes, {}, { found: ["find:0", I] });
      src.set("m/variables/variables.index", index);
      src.set("m/variables/variables.data-00000-of-00001", shards[0]!);
      assert.deepEqual(nums((await run(src, backend))["found"]), [20, 0, 10]);
    });
  }
});

async function run(src: ReturnType<typeof graphModel>, backend: (typeof BACKENDS)[number]) {
  const m = await loadModel(src, "m", { backend });
  try {
    return (await (await m.prepare("serving_default")).run({})).outputs;
  } finally {
    m.dispose();
  }
}
