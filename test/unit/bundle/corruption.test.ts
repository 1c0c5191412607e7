// Corrupted bundles: every failure is a typed error with the right code, never a RangeError or a hang.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { SSTable, TableBuilder, TensorBundle, crc32c, maskCrc, shardFileName } from "../../../src/core/bundle/index.js";
import { BundleError, StudioError } from "../../../src/core/errors.js";
import { MemorySource, type FileStat, type ModelSource } from "../../../src/core/io.js";
import { tensorflow } from "../../../src/core/proto/index.js";
import { FIXTURES } from "../helpers/fixtures.js";
import { rng } from "../helpers/rng.js";

const PREFIX = "m/variables/variables";

/** A fixture bundle copied into memory (index + shards), so tests can damage it. */
function loadFixture(name: string, numShards = 1): { index: Uint8Array; shards: Uint8Array[] } {
  const base = join(FIXTURES, "savedmodels", name, "variables", "variables");
  const shards: Uint8Array[] = [];
  for (let i = 0; i < numShards; i++) shards.push(new Uint8Array(readFileSync(shardFileName(base, i, numShards))));
  return { index: new Uint8Array(readFileSync(base + ".index")), shards };
}

function source(index: Uint8Array | undefined, shards: readonly (Uint8Array | undefined)[]): MemorySource {
  const src = new MemorySource();
  if (index) src.set(PREFIX + ".index", index);
  shards.forEach((s, i) => {
    if (s) src.set(shardFileName(PREFIX, i, shards.length), s);
  });
  return src;
}

/** Opens and reads every tensor; returns the first error (or undefined when all succeeded). */
async function openAndReadAll(src: ModelSource): Promise<unknown> {
  try {
    const b = await TensorBundle.open(src, PREFIX);
    for (const e of b.entries()) await b.readTensor(e.key);
    await b.objectGraph();
    return undefined;
  } catch (e) {
    return e;
  }
}

function assertTyped(err: unknown, codes: readonly string[], context: string): void {
  assert.ok(
    err instanceof StudioError,
    `${context}: expected a typed error, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
  );
  assert.ok(codes.includes(err.code), `${context}: code ${err.code} (${err.message}) not in ${codes.join("/")}`);
}

const SMALL = [
  "serving_half_plus_two_cpu" /* snappy index */,
  "serving_half_plus_two_tf2_cpu" /* snappy + string */,
  "tfjs_int64_multiply",
  "rust_regression_savedmodel",
];

void test("every truncation of variables.index -> BUNDLE_FORMAT naming the index file", async () => {
  for (const name of SMALL) {
    const { index, shards } = loadFixture(name);
    for (let len = 0; len < index.length; len++) {
      const err = await openAndReadAll(source(index.subarray(0, len), shards));
      assertTyped(err, ["BUNDLE_FORMAT"], `${name} truncated to ${len}`);
      assert.ok((err as BundleError).message.includes("variables.index"), (err as Error).message);
    }
  }
});

void test("truncations of a larger index (mobilenet, 17 KB) at several offsets", async () => {
  const { index, shards } = loadFixture("teachable_machine_mobilenet_2shards", 2);
  for (const len of [0, 1, 7, 47, 48, 49, 1000, 8000, index.length - 49, index.length - 48, index.length - 9, index.length - 1]) {
    assertTyped(await openAndReadAll(source(index.subarray(0, len), shards)), ["BUNDLE_FORMAT"], `truncated to ${len}`);
  }
});

void test("every single-byte flip of variables.index is detected (blocks: checksum; footer: format)", async () => {
  for (const name of SMALL) {
    const { index, shards } = loadFixture(name);
    const footer = index.length - 48;
    // Bytes of the footer that hold the two handles (the rest up to the magic is unchecked padding).
    const table = SSTable.fromBytes(index, "x");
    const handleBytes =
      varintLen(table.metaindexHandle.offset) +
      varintLen(table.metaindexHandle.size) +
      varintLen(table.indexHandle.offset) +
      varintLen(table.indexHandle.size);
    for (let pos = 0; pos < index.length; pos++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const bad = index.slice();
        bad[pos] = (bad[pos] as number) ^ mask;
        const err = await openAndReadAll(source(bad, shards));
        const where = `${name} byte ${pos} ^ ${mask}`;
        if (pos < footer) assertTyped(err, ["BUNDLE_CHECKSUM"], where);
        else if (pos >= footer + 40) assertTyped(err, ["BUNDLE_FORMAT"], where);
        else if (pos < footer + handleBytes) {
          // A flipped continuation bit can spill into the zero padding: a non-minimal varint of the
          // same value, which is not damage. Anything else must be rejected.
          if (err === undefined) {
            const t = SSTable.fromBytes(bad, "x");
            assert.deepEqual([t.metaindexHandle, t.indexHandle], [table.metaindexHandle, table.indexHandle], where);
          } else assertTyped(err, ["BUNDLE_FORMAT", "BUNDLE_CHECKSUM"], where);
        } else assert.equal(err, undefined, `${where}: footer padding is not part of the format`);
      }
    }
  }
});

function varintLen(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

void test("fuzz: random damage inside blocks with re-computed checksums -> typed errors only", async () => {
  const rand = rng(12345);
  let failures = 0;
  let runs = 0;
  for (const name of [...SMALL, "tfdf_adult_rf", "keras_lstm_timeseries"]) {
    const { index, shards } = loadFixture(name);
    const table = SSTable.fromBytes(index, "x");
    const blocks = table.blocks();
    for (let iter = 0; iter < 150; iter++) {
      const bad = index.slice();
      const blk = blocks[Math.floor(rand() * blocks.length)];
      assert.ok(blk);
      const { offset, size } = blk.handle;
      if (size === 0) continue;
      const flips = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < flips; k++) {
        const p = offset + Math.floor(rand() * size);
        bad[p] = rand() < 0.3 ? 0xff : Math.floor(rand() * 256);
      }
      // Re-seal the block so the damage reaches the parsers behind the checksum.
      const crc = maskCrc(crc32c(bad.subarray(offset, offset + size + 1)));
      new DataView(bad.buffer).setUint32(offset + size + 1, crc, true);
      const err = await openAndReadAll(source(bad, shards));
      runs++;
      if (err !== undefined) {
        failures++;
        assertTyped(
          err,
          ["BUNDLE_FORMAT", "BUNDLE_CHECKSUM", "BUNDLE_MISSING_SHARD", "LIMIT_EXCEEDED", "NOT_FOUND"],
          `${name} fuzz #${iter}`,
        );
      }
    }
  }
  assert.ok(failures > runs / 2, `only ${failures} of ${runs} damaged indexes were rejected`);
});

void test("deleted data shard: open and listing still work, reading names the missing shard", async () => {
  const { index, shards } = loadFixture("teachable_machine_mobilenet_2shards", 2);
  const src = source(index, [shards[0], undefined]);
  const b = await TensorBundle.open(src, PREFIX);
  assert.equal(b.entries().length, 264);
  const inShard0 = b.entries().find((e) => e.shardId === 0);
  const inShard1 = b.entries().find((e) => e.shardId === 1);
  assert.ok(inShard0 && inShard1);
  await b.readTensor(inShard0.key);
  await assert.rejects(b.readTensor(inShard1.key), (e: unknown) => {
    assertTyped(e, ["BUNDLE_MISSING_SHARD"], "missing shard");
    assert.ok((e as Error).message.includes("variables.data-00001-of-00002"), (e as Error).message);
    return true;
  });
  await assert.rejects(b.objectGraph(), (e: unknown) => e instanceof BundleError && e.code === "BUNDLE_MISSING_SHARD");
});

void test("a source that throws ENOENT on read of a missing shard -> BUNDLE_MISSING_SHARD", async () => {
  const { index, shards } = loadFixture("serving_half_plus_two_cpu");
  const inner = source(index, shards);
  const src: ModelSource = {
    stat: (p) => inner.stat(p),
    list: (d) => inner.list(d),
    read: (p, o, l) => (p.includes(".data-") ? Promise.reject(Object.assign(new Error("gone"), { code: "ENOENT" })) : inner.read(p, o, l)),
  };
  const b = await TensorBundle.open(src, PREFIX);
  await assert.rejects(b.readTensor("a"), (e: unknown) => e instanceof BundleError && e.code === "BUNDLE_MISSING_SHARD");
});

void test("every flipped byte of a data shard -> BUNDLE_CHECKSUM (or FORMAT in string lengths) for that entry only", async () => {
  for (const name of ["serving_half_plus_two_tf2_cpu", "rust_regression_savedmodel", "tfjs_int64_multiply"]) {
    const { index, shards } = loadFixture(name);
    const shard = shards[0] as Uint8Array;
    const good = await TensorBundle.open(source(index, shards), PREFIX);
    for (let pos = 0; pos < shard.length; pos++) {
      const bad = shard.slice();
      bad[pos] = (bad[pos] as number) ^ 0x10;
      const b = await TensorBundle.open(source(index, [bad]), PREFIX);
      const hit = good.entries().find((e) => pos >= e.offset && pos < e.offset + e.size);
      assert.ok(hit, `byte ${pos} belongs to an entry`);
      for (const e of b.entries()) {
        if (e.key === hit.key) {
          await assert.rejects(b.readTensor(e.key), (err: unknown) => {
            assertTyped(err, e.dtype === 7 ? ["BUNDLE_CHECKSUM", "BUNDLE_FORMAT"] : ["BUNDLE_CHECKSUM"], `${name} byte ${pos}`);
            assert.ok((err as Error).message.includes("variables.data-00000-of-00001"));
            return true;
          });
        } else await b.readTensor(e.key);
      }
    }
  }
});

void test("truncated data shard -> BUNDLE_FORMAT naming the shard; short reads too", async () => {
  const { index, shards } = loadFixture("serving_half_plus_two_cpu");
  const shard = shards[0] as Uint8Array;
  const b = await TensorBundle.open(source(index, [shard.subarray(0, 10)]), PREFIX);
  await b.readTensor("a"); // bytes 0..4 are intact
  await assert.rejects(
    b.readTensor("c"),
    (e: unknown) => e instanceof BundleError && e.code === "BUNDLE_FORMAT" && e.message.includes("data-00000-of-00001"),
  );

  const inner = source(index, shards);
  const shortReads: ModelSource = {
    stat: (p): Promise<FileStat | undefined> => inner.stat(p),
    list: (d) => inner.list(d),
    read: async (p, o, l) => {
      const r = await inner.read(p, o, l);
      return p.includes(".data-") ? r.subarray(0, r.length - 1) : r;
    },
  };
  const s = await TensorBundle.open(shortReads, PREFIX);
  await assert.rejects(
    s.readTensor("b"),
    (e: unknown) => e instanceof BundleError && e.code === "BUNDLE_FORMAT" && /short read/.test(e.message),
  );
});

// ---- hand-built indexes with valid checksums but bad contents --------------------------------

const enc = new TextEncoder();

function header(fields: tensorflow.BundleHeaderProto.$Properties = { num_shards: 1 }): Uint8Array {
  return tensorflow.BundleHeaderProto.encode(fields).finish();
}

function entry(fields: tensorflow.BundleEntryProto.$Properties): Uint8Array {
  return tensorflow.BundleEntryProto.encode(fields).finish();
}

function table(entries: [string, Uint8Array][], compress = false): Uint8Array {
  const t = new TableBuilder({ blockSize: 4096, restartInterval: 16, compress });
  for (const [k, v] of entries) t.add(enc.encode(k), v);
  return t.finish();
}

async function openErr(index: Uint8Array, shards: Uint8Array[] = [new Uint8Array(16)], key?: string): Promise<unknown> {
  try {
    const b = await TensorBundle.open(source(index, shards), PREFIX);
    if (key !== undefined) await b.readTensor(key);
    return undefined;
  } catch (e) {
    return e;
  }
}

const f32 = (v: number): Uint8Array => new Uint8Array(Float32Array.of(v).buffer);

void test("bad headers: missing, big-endian, zero shards, undecodable -> BUNDLE_FORMAT with a clear message", async () => {
  const e1 = await openErr(table([["a", entry({ dtype: 1, size: 4 })]]));
  assertTyped(e1, ["BUNDLE_FORMAT"], "no header");
  assert.match((e1 as Error).message, /no header/);
  const e2 = await openErr(table([["", header({ num_shards: 1, endianness: tensorflow.BundleHeaderProto.Endianness.BIG })]]));
  assertTyped(e2, ["BUNDLE_FORMAT"], "big endian");
  assert.match((e2 as Error).message, /big-endian/);
  assertTyped(await openErr(table([["", header({ num_shards: 0 })]])), ["BUNDLE_FORMAT"], "zero shards");
  assertTyped(await openErr(table([["", Uint8Array.of(0x0a, 0x05, 0x01)]])), ["BUNDLE_FORMAT"], "undecodable header");
});

void test("bad entries: wrong sizes, offsets past the shard, unknown shard, undecodable values", async () => {
  const h: [string, Uint8Array] = ["", header()];
  const data = f32(1.5);
  const crc = maskCrc(crc32c(data));
  // Sanity: the well-formed variant reads.
  const ok = await TensorBundle.open(source(table([h, ["a", entry({ dtype: 1, size: 4, crc32c: crc })]]), [data]), PREFIX);
  assert.equal((await ok.readTensor("a")).data[0], 1.5);
  const cases: [string, Uint8Array, RegExp][] = [
    ["size vs shape", entry({ dtype: 1, shape: { dim: [{ size: 2 }] }, size: 4, crc32c: crc }), /should be 8 bytes/],
    ["past the shard", entry({ dtype: 1, offset: 2, size: 4, crc32c: crc }), /shard is 4 bytes/],
    ["unknown shard", entry({ dtype: 1, shard_id: 3, size: 4, crc32c: crc }), /shard 3/],
    ["bad crc", entry({ dtype: 1, size: 4, crc32c: crc ^ 1 }), /checksum mismatch/],
    ["unknown dim", entry({ dtype: 1, shape: { dim: [{ size: -1 }] }, size: 4 }), /unknown dimension/],
    ["variant dtype", entry({ dtype: 21, size: 4, crc32c: crc }), /no host representation/],
  ];
  for (const [what, value, re] of cases) {
    const err = await openErr(table([h, ["a", value]]), [data], "a");
    assertTyped(err, ["BUNDLE_FORMAT", "BUNDLE_CHECKSUM"], what);
    assert.match((err as Error).message, re, what);
  }
  for (const junk of [
    Uint8Array.of(0xff),
    Uint8Array.of(0x12, 0x7f),
    Uint8Array.of(0x0a),
    Uint8Array.of(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
    Uint8Array.of(0x0f),
  ]) {
    assertTyped(await openErr(table([h, ["a", junk]]), [data], "a"), ["BUNDLE_FORMAT"], `junk ${Array.from(junk).join(",")}`);
  }
});

void test("huge declared shapes/sizes are refused before allocating (LimitError)", async () => {
  const h: [string, Uint8Array] = ["", header()];
  const err = await openErr(
    table([h, ["a", entry({ dtype: 1, shape: { dim: [{ size: 1 << 30 }, { size: 1 << 30 }] }, size: 4 })]]),
    [new Uint8Array(4)],
    "a",
  );
  assertTyped(err, ["LIMIT_EXCEEDED"], "huge shape");
  const err2 = await openErr(
    table([h, ["s", entry({ dtype: 7, shape: { dim: [{ size: 1 << 20 }] }, size: 10 })]]),
    [new Uint8Array(10)],
    "s",
  );
  assertTyped(err2, ["BUNDLE_FORMAT"], "string count beyond its bytes");
});

void test("footer damage: bad magic, handles out of range, overlong varints", async () => {
  const good = table([["", header()]]);
  const footer = good.length - 48;
  const magic = good.slice();
  magic[good.length - 1] = 0;
  const em = await openErr(magic);
  assertTyped(em, ["BUNDLE_FORMAT"], "bad magic");
  assert.match((em as Error).message, /magic/);
  const far = good.slice();
  far.set([0xff, 0xff, 0x03, 0x01], footer); // metaindex handle offset 65535
  assertTyped(await openErr(far), ["BUNDLE_FORMAT"], "handle out of range");
  const longVarint = good.slice();
  longVarint.fill(0xff, footer, footer + 40);
  const e = await openErr(longVarint);
  assertTyped(e, ["BUNDLE_FORMAT"], "overlong varint");
  assert.match((e as Error).message, /varint/);
});

void test("keys out of order inside a block -> BUNDLE_FORMAT", async () => {
  // Build a block by hand: entries "b" then "a" (no prefix sharing), one restart point.
  const body = [0, 1, 0, 0x62, 0, 1, 0, 0x61, 0, 0, 0, 0, 1, 0, 0, 0];
  const block = Uint8Array.from(body);
  const t = new TableBuilder({ blockSize: 4096, restartInterval: 16, compress: false });
  t.add(enc.encode(""), header());
  const good = t.finish();
  // Replace the table with: [bad data block][trailer][meta][index][footer] built from the raw pieces.
  const pieces: number[] = [];
  const seal = (b: Uint8Array): { offset: number; size: number } => {
    const offset = pieces.length;
    pieces.push(...b, 0);
    const c = maskCrc(crc32c(Uint8Array.from([...b, 0])));
    pieces.push(c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, (c >>> 24) & 0xff);
    return { offset, size: b.length };
  };
  const d = seal(block);
  const meta = seal(Uint8Array.of(0, 0, 0, 0, 1, 0, 0, 0));
  const idx = seal(Uint8Array.from([0, 1, 2, 0x62, d.offset, d.size, 0, 0, 0, 0, 1, 0, 0, 0]));
  const footer = new Uint8Array(48);
  footer.set([meta.offset, meta.size, idx.offset, idx.size]);
  footer.set(good.subarray(good.length - 8), 40);
  const bytes = Uint8Array.from([...pieces, ...footer]);
  const err = await openErr(bytes);
  assertTyped(err, ["BUNDLE_FORMAT"], "unsorted keys");
  assert.match((err as Error).message, /increasing order/);
});

void test("snappy block with garbage payload (checksum re-sealed) -> BUNDLE_FORMAT", async () => {
  const { index } = loadFixture("serving_half_plus_two_cpu");
  const tbl = SSTable.fromBytes(index, "x");
  const blk = tbl.blocks().find((b) => b.compression === 1);
  assert.ok(blk, "fixture has a snappy block");
  const { offset, size } = blk.handle;
  for (const fill of [0x00, 0xff, 0x7f, 0x03]) {
    const bad = index.slice();
    bad.fill(fill, offset + 1, offset + size); // keep the declared length, ruin the stream
    new DataView(bad.buffer).setUint32(offset + size + 1, maskCrc(crc32c(bad.subarray(offset, offset + size + 1))), true);
    assertTyped(await openErr(bad), ["BUNDLE_FORMAT"], `fill ${fill}`);
  }
});
