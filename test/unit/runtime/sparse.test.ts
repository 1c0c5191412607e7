// SparseToDense with no indices (a sparse tf.Example feature the example leaves out, as in the TFX
// Chicago taxi export): every element is the default, on both backends, never a wasm abort.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import { BACKENDS, graphModel, konst, runOnce, type } from "./graphModel.js";

const model = (def: number | string, dtype: number) =>
  graphModel(
    [
      konst("idx", DataType.DT_INT64, [], [0, 2]),
      konst("shape", DataType.DT_INT64, [2, 3], [2]),
      konst("vals", dtype, [], [0]),
      konst("def", dtype, [def], []),
      {
        name: "d",
        op: "SparseToDense",
        input: ["idx", "shape", "vals", "def"],
        attr: { T: type(dtype), Tindices: type(DataType.DT_INT64) },
      },
    ],
    {},
    { y: ["d:0", dtype] },
  );

for (const backend of BACKENDS) {
  void test(`SparseToDense with no indices fills the default (float32, int64 and string, ${backend})`, async () => {
    const f = await runOnce(model(-1.5, DataType.DT_FLOAT), backend, {});
    assert.deepEqual(f["y"]!.shape, [2, 3]);
    assert.deepEqual([...(f["y"]!.data as Float32Array)], [-1.5, -1.5, -1.5, -1.5, -1.5, -1.5]);
    const i = await runOnce(model(7, DataType.DT_INT64), backend, {});
    assert.deepEqual(i["y"]!.shape, [2, 3]);
    assert.deepEqual(
      Array.from(i["y"]!.data as ArrayLike<number | bigint>, (v) => Number(v)),
      [7, 7, 7, 7, 7, 7],
    );
    const s = await runOnce(model("none", DataType.DT_STRING), backend, {});
    assert.deepEqual(s["y"]!.shape, [2, 3]);
    assert.deepEqual(
      (s["y"]!.data as Uint8Array[]).map((b) => new TextDecoder().decode(b)),
      ["none", "none", "none", "none", "none", "none"],
    );
  });
}
