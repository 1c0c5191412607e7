// BundleWriter -> TensorBundle round trips, the SSTable builder/reader pair, slice keys.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BundleWriter,
  SSTable,
  TableBuilder,
  TensorBundle,
  decodeSliceKey,
  encodeSliceKey,
  shardFileName,
  writeBundle,
  type TensorSlice,
} from "../../../src/core/bundle/index.js";
import { DataType } from "../../../src/core/dtype.js";
import { StudioError } from "../../../src/core/errors.js";
import { MemorySource } from "../../../src/core/io.js";
import { allocData, elementCount, isStringData, type HostTensor } from "../../../src/core/tensor.js";
import { rng } from "../helpers/rng.js";

const PREFIX = "out/variables/variables";

const NUMERIC = [
  DataType.DT_FLOAT,
  DataType.DT_DOUBLE,
  DataType.DT_INT8,
  DataType.DT_INT16,
  DataType.DT_INT32,
  DataType.DT_INT64,
  DataType.DT_UINT8,
  DataType.DT_UINT16,
  DataType.DT_UINT32,
  DataType.DT_UINT64,
  DataType.DT_BOOL,
  DataType.DT_HALF,
  DataType.DT_BFLOAT16,
  DataType.DT_COMPLEX64,
  DataType.DT_COMPLEX128,
  DataType.DT_QINT8,
  DataType.DT_QUINT8,
  DataType.DT_QINT32,
];

function randomShape(rand: () => number): number[] {
  const rank = Math.floor(rand() * 4);
  const shape = Array.from({ length: rank }, () => Math.floor(rand() * 6));
  if (rand() < 0.8) return shape.map((d) => Math.max(1, d)); // mostly non-empty
  return shape;
}

function randomTensor(dtype: number, shape: number[], rand: () => number): HostTensor {
  const n = elementCount(shape);
  const data = allocData(dtype, n);
  if (isStringData(data)) {
    for (let i = 0; i < n; i++) {
      const len = rand() < 0.2 ? 0 : rand() < 0.2 ? 200 + Math.floor(rand() * 300) : Math.floor(rand() * 20);
      data[i] = Uint8Array.from({ length: len }, () => (rand() < 0.1 ? (rand() < 0.5 ? 0 : 255) : Math.floor(rand() * 256)));
    }
  } else {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
    if (dtype === DataType.DT_BOOL) for (let i = 0; i < bytes.length; i++) bytes[i] = (bytes[i] as number) & 1;
  }
  return { dtype, shape, data };
}

function assertSameTensor(actual: HostTensor, expected: HostTensor, what: string): void {
  assert.equal(actual.dtype, expected.dtype, what);
  assert.deepEqual([...actual.shape], [...expected.shape], what);
  if (isStringData(expected.data)) {
    assert.ok(isStringData(actual.data), what);
    assert.deepEqual(
      actual.data.map((b) => Buffer.from(b).toString("hex")),
      expected.data.map((b) => Buffer.from(b).toString("hex")),
      what,
    );
  } else {
    assert.ok(!isStringData(actual.data), what);
    assert.equal(actual.data.constructor, expected.data.constructor, what);
    const a = new Uint8Array(actual.data.buffer, actual.data.byteOffset, actual.data.byteLength);
    const e = new Uint8Array(expected.data.buffer, expected.data.byteOffset, expected.data.byteLength);
    assert.ok(Buffer.from(a).equals(Buffer.from(e)), what);
  }
}

function mount(index: Uint8Array, shards: Uint8Array[]): MemorySource {
  const src = new MemorySource({ [PREFIX + ".index"]: index });
  shards.forEach((s, i) => src.set(shardFileName(PREFIX, i, shards.length), s));
  return src;
}

for (const numShards of [1, 3]) {
  for (const compress of [false, true]) {
    void test(`round trip: all numeric dtypes + strings, ${numShards} shard(s), ${compress ? "snappy" : "uncompressed"} index`, async () => {
      const rand = rng(numShards * 10 + (compress ? 1 : 0));
      const tensors = new Map<string, HostTensor>();
      for (let i = 0; i < 300; i++) {
        const dtype = i % 5 === 0 ? DataType.DT_STRING : (NUMERIC[i % NUMERIC.length] as number);
        tensors.set(
          `model/layer_${String(i % 37).padStart(2, "0")}/var_${i}/.ATTRIBUTES/VARIABLE_VALUE`,
          randomTensor(dtype, randomShape(rand), rand),
        );
      }
      tensors.set("scalar_string", { dtype: DataType.DT_STRING, shape: [], data: [new TextEncoder().encode("héllo")] });
      tensors.set("empty", { dtype: DataType.DT_FLOAT, shape: [0, 4], data: new Float32Array(0) });
      tensors.set("ünïcode/κλειδί", randomTensor(DataType.DT_INT32, [3], rand));
      const { index, shards } = await writeBundle(tensors, { numShards, compress });
      assert.equal(shards.length, numShards);

      const b = await TensorBundle.open(mount(index, shards), PREFIX);
      assert.equal(b.numShards, numShards);
      assert.equal(b.entries().length, tensors.size);
      assert.equal(
        b.totalBytes,
        shards.reduce((a, s) => a + s.length, 0),
      );
      const table = SSTable.fromBytes(index, "index");
      assert.ok(table.numDataBlocks > 3, `${table.numDataBlocks} data blocks`);
      if (compress) assert.ok(b.snappyBlocks > 0 && b.snappyBlocks <= table.numDataBlocks);
      else assert.equal(b.snappyBlocks, 0);
      if (numShards > 1) assert.ok(shards.every((s) => s.length > 0));
      for (const [key, t] of tensors) assertSameTensor(await b.readTensor(key), t, key);
      // Listing order is bytewise key order.
      const keys = b.entries().map((e) => e.key);
      const sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      assert.deepEqual(keys, sorted);
    });
  }
}

void test("SSTable point lookups across many blocks and restart points, misses included", () => {
  const rand = rng(7);
  const keys = new Set<string>();
  while (keys.size < 2000) keys.add(`k/${Math.floor(rand() * 1e6).toString(36)}/${Math.floor(rand() * 100)}`);
  const sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  const enc = new TextEncoder();
  for (const compress of [false, true]) {
    for (const restartInterval of [1, 16]) {
      const t = new TableBuilder({ blockSize: 1024, restartInterval, compress });
      for (const k of sorted) t.add(enc.encode(k), enc.encode(`v:${k}`));
      const table = SSTable.fromBytes(t.finish(), "t");
      assert.ok(table.numDataBlocks > 20);
      const all = [...table.entries()];
      assert.deepEqual(
        all.map((e) => new TextDecoder().decode(e.key)),
        sorted,
      );
      for (const k of sorted) assert.equal(new TextDecoder().decode(table.get(enc.encode(k))), `v:${k}`);
      for (const miss of ["", "a", "k/", "k/zzzzzzzz", "zzz", `${sorted[5]}x`, (sorted[100] as string).slice(0, -1)]) {
        if (keys.has(miss)) continue;
        assert.equal(table.get(enc.encode(miss)), undefined, miss);
      }
    }
  }
});

void test("TableBuilder refuses unsorted or duplicate keys", () => {
  const t = new TableBuilder({ blockSize: 4096, restartInterval: 16, compress: false });
  const enc = new TextEncoder();
  t.add(enc.encode("b"), new Uint8Array(0));
  assert.throws(() => t.add(enc.encode("a"), new Uint8Array(0)), StudioError);
  assert.throws(() => t.add(enc.encode("b"), new Uint8Array(0)), StudioError);
});

void test("slice keys: OrderedCode examples from TensorFlow's documentation, and round trips", () => {
  // SignedNumIncreasing: 0x424242 -> f0 42 42 42; -0x800 -> 38 00 (ordered_code.cc comments).
  const key = encodeSliceKey(new TextEncoder().encode("a\u0000"), [
    { start: 0x424242, length: -0x800 },
    { start: 0, length: -1 },
  ]);
  assert.equal(Buffer.from(key).toString("hex"), ["00", "6100ff", "0001", "0102", "f0424242", "3800", "80", "7f"].join(""));
  const rand = rng(3);
  const values = [0, 1, -1, 63, 64, -64, -65, 8191, 8192, -8193, 2 ** 31, -(2 ** 40), 2 ** 52, -(2 ** 53) + 1, Number.MAX_SAFE_INTEGER];
  for (let i = 0; i < 200; i++) values.push(Math.floor((rand() - 0.5) * 2 ** (rand() * 53)));
  for (const v of values) {
    const slice: TensorSlice = [{ start: v, length: -v }];
    const name = Uint8Array.from([0xff, 0x00, 0x41, 0x01]);
    const d = decodeSliceKey(encodeSliceKey(name, slice));
    assert.ok(d, String(v));
    assert.deepEqual([...d.name], [...name]);
    assert.deepEqual(d.slice, [{ start: v, length: -v === 0 ? 0 : -v }]);
  }
  // Ordering is preserved for the signed numbers (the point of the encoding).
  const sortedVals = [...new Set(values)].sort((a, b) => a - b);
  const encoded = sortedVals.map((v) => Buffer.from(encodeSliceKey(new Uint8Array(0), [{ start: v, length: 0 }])));
  for (let i = 1; i < encoded.length; i++)
    assert.ok(Buffer.compare(encoded[i - 1] as Buffer, encoded[i] as Buffer) < 0, `${sortedVals[i - 1]} < ${sortedVals[i]}`);
  assert.equal(decodeSliceKey(new TextEncoder().encode("plain/key")), undefined);
});

void test("partitioned variables: slices are stored under slice keys and assembled on read", async () => {
  const rand = rng(11);
  const w = new BundleWriter({ numShards: 2 });
  const cases: [string, HostTensor, number][] = [
    ["emb/weights", randomTensor(DataType.DT_FLOAT, [10, 3], rand), 3],
    ["ids", randomTensor(DataType.DT_INT64, [7], rand), 2],
    ["vocab", randomTensor(DataType.DT_STRING, [5, 2], rand), 2],
    ["cplx", randomTensor(DataType.DT_COMPLEX64, [4, 2, 2], rand), 4],
  ];
  for (const [k, t, parts] of cases) await w.addPartitioned(k, t, parts);
  await w.add("plain", randomTensor(DataType.DT_FLOAT, [2], rand));
  const index = await w.finish();
  const b = await TensorBundle.open(mount(index, w.shardBytes()), PREFIX);
  for (const [k, t, parts] of cases) {
    const full = b.get(k);
    assert.ok(full);
    assert.equal(full.slices.length, parts);
    assert.equal(full.size, 0);
    assert.equal(b.entries().filter((e) => e.sliceOf?.key === k).length, parts);
    assertSameTensor(await b.readTensor(k), t, k);
  }
  // Slice entries sort first (their keys start with a 0 byte) and are not addressable by name.
  assert.ok(b.entries()[0]?.sliceOf);
  assert.equal(b.entries().filter((e) => !e.sliceOf).length, 5);
});

void test("partitioned variable with a missing slice entry -> BUNDLE_FORMAT", async () => {
  const w = new BundleWriter();
  await w.addPartitioned("v", { dtype: DataType.DT_FLOAT, shape: [4], data: Float32Array.of(1, 2, 3, 4) }, 2);
  const index = await w.finish();
  const shard = w.shardBytes()[0] as Uint8Array;
  // Rebuild the index without the second slice entry.
  const table = SSTable.fromBytes(index, "i");
  const t = new TableBuilder({ blockSize: 4096, restartInterval: 16, compress: false });
  const kept = [...table.entries()].filter((e) => !(decodeSliceKey(e.key)?.slice[0]?.start === 2));
  assert.equal(kept.length, 3); // header, one slice, the full entry
  for (const e of kept) t.add(e.key, e.value);
  const b = await TensorBundle.open(mount(t.finish(), [shard]), PREFIX);
  await assert.rejects(
    b.readTensor("v"),
    (e: unknown) => e instanceof StudioError && e.code === "BUNDLE_FORMAT" && /no data entry for slice 2,2/.test(e.message),
  );
});

void test("streamed shard: addRaw sends chunks to the sink in order, never buffering the tensor", async () => {
  const chunks: Uint8Array[][] = [[], []];
  const w = new BundleWriter({
    numShards: 2,
    sink: (shard, chunk) => {
      (chunks[shard] as Uint8Array[]).push(chunk.slice());
    },
  });
  const rows = 256;
  const rowBytes = 64 * 1024;
  function* gen(seed: number): Generator<Uint8Array> {
    const buf = new Uint8Array(rowBytes);
    for (let r = 0; r < rows; r++) {
      buf.fill((r + seed) & 0xff); // the writer must not keep a reference to reused buffers
      yield buf;
    }
  }
  await w.addRaw("big/a", DataType.DT_FLOAT, [rows, rowBytes / 4], gen(0), { shard: 0 });
  await w.addRaw("big/b", DataType.DT_UINT8, [rows, rowBytes], gen(7), { shard: 1 });
  await w.add("small", { dtype: DataType.DT_STRING, shape: [2], data: [Uint8Array.of(1), Uint8Array.of()] }, { shard: 1 });
  assert.throws(() => w.shardBytes(), StudioError);
  const index = await w.finish();
  assert.equal(chunks[0]?.length, rows);
  const joined = chunks.map((cs) => Buffer.concat(cs));
  assert.deepEqual(w.shardLengths, [rows * rowBytes, rows * rowBytes + 1 + 1 + 4 + 1]);
  const b = await TensorBundle.open(
    mount(
      index,
      joined.map((x) => new Uint8Array(x)),
    ),
    PREFIX,
  );
  const a = await b.readTensor("big/a");
  const u = await b.readBytes("big/b");
  assert.equal(u.length, rows * rowBytes);
  assert.equal(u[rowBytes * 3 + 5], 10);
  assert.equal(a.data.length, (rows * rowBytes) / 4);
  const s = await b.readTensor("small");
  assert.deepEqual(s.data, [Uint8Array.of(1), new Uint8Array(0)]);
  // addRaw checks the byte count against dtype/shape.
  const w2 = new BundleWriter({ sink: () => undefined });
  await assert.rejects(w2.addRaw("x", DataType.DT_FLOAT, [3], [new Uint8Array(8)]), StudioError);
});

void test("writer input validation: duplicate/empty keys, bad data lengths, bad shards", async () => {
  const w = new BundleWriter({ numShards: 2 });
  await w.add("a", { dtype: DataType.DT_FLOAT, shape: [1], data: Float32Array.of(1) });
  await assert.rejects(w.add("a", { dtype: DataType.DT_FLOAT, shape: [1], data: Float32Array.of(1) }), /duplicate key/);
  await assert.rejects(w.add("", { dtype: DataType.DT_FLOAT, shape: [1], data: Float32Array.of(1) }), /reserved/);
  await assert.rejects(w.add("b", { dtype: DataType.DT_FLOAT, shape: [2], data: Float32Array.of(1) }), /needs 8/);
  await assert.rejects(w.add("c", { dtype: DataType.DT_STRING, shape: [2], data: [Uint8Array.of(1)] }), /1 strings/);
  await assert.rejects(w.add("d", { dtype: DataType.DT_FLOAT, shape: [1], data: Float32Array.of(1) }, { shard: 2 }), /shard 2/);
  assert.throws(() => new BundleWriter({ numShards: 0 }), StudioError);
});
