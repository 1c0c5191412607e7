// Issue 17, item 7: a partitioned variable whose slices do not tile its shape (a slice listed twice,
// overlapping slices) must be a typed error, not zeros for the part nobody wrote.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import { StudioError } from "../../../src/core/errors.js";
import { MemorySource } from "../../../src/core/io.js";
import { tensorflow } from "../../../src/core/proto/index.js";
import { SSTable, TableBuilder, TensorBundle, shardFileName } from "../../../src/core/bundle/index.js";
import { BundleWriter } from "../../../src/core/bundle/writer.js";
import { decodeSliceKey, firstOverlap } from "../../../src/core/bundle/slices.js";

const PREFIX = "m/variables/variables";

/** A bundle with variable `v` of shape [4] in two slices, whose full entry then lists `extents` instead. */
async function withSlices(extents: { start?: number; length?: number }[][]): Promise<TensorBundle> {
  const w = new BundleWriter();
  await w.addPartitioned("v", { dtype: DataType.DT_FLOAT, shape: [4], data: Float32Array.of(1, 2, 3, 4) }, 2);
  const index = await w.finish();
  const t = new TableBuilder({ blockSize: 4096, restartInterval: 16, compress: false });
  for (const e of SSTable.fromBytes(index, "i").entries()) {
    let value = e.value;
    if (new TextDecoder().decode(e.key) === "v" && !decodeSliceKey(e.key)) {
      const entry = tensorflow.BundleEntryProto.decode(e.value);
      entry.slices = extents.map((extent) => tensorflow.TensorSliceProto.create({ extent }));
      value = tensorflow.BundleEntryProto.encode(entry).finish();
    }
    t.add(e.key, value);
  }
  const src = new MemorySource({ [PREFIX + ".index"]: t.finish() });
  src.set(shardFileName(PREFIX, 0, 1), w.shardBytes()[0]!);
  return TensorBundle.open(src, PREFIX);
}

void test("a partitioned variable listing the same half-slice twice: BUNDLE_FORMAT (overlap), not zeros", async () => {
  const b = await withSlices([[{ start: 0, length: 2 }], [{ start: 0, length: 2 }]]);
  await assert.rejects(
    b.readTensor("v"),
    (e: unknown) => e instanceof StudioError && e.code === "BUNDLE_FORMAT" && /overlap/.test(e.message),
  );
  // The honest layout still assembles.
  const ok = await withSlices([[{ start: 0, length: 2 }], [{ start: 2, length: 2 }]]);
  assert.deepEqual(Array.from((await ok.readTensor("v")).data as Float32Array), [1, 2, 3, 4]);
  // A gap (one half only) is refused too.
  const gap = await withSlices([[{ start: 0, length: 2 }]]);
  await assert.rejects(
    gap.readTensor("v"),
    (e: unknown) => e instanceof StudioError && e.code === "BUNDLE_FORMAT" && /cover 2 of 4/.test(e.message),
  );
});

void test("firstOverlap: boxes in several dimensions", () => {
  const box = (starts: number[], lengths: number[]) => ({ starts, lengths });
  assert.equal(firstOverlap([box([0, 0], [2, 2]), box([0, 2], [2, 2]), box([2, 0], [2, 4])]), undefined);
  assert.deepEqual(firstOverlap([box([0, 0], [2, 2]), box([1, 1], [2, 2])]), [0, 1]);
  assert.equal(firstOverlap([box([0], [0]), box([0], [3])]), undefined); // empty slices share nothing
});
