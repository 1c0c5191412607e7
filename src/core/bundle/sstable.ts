/**
 * Reader for the LevelDB table format ("SSTable") that TensorFlow uses for `variables.index`.
 *
 * File layout:  [data block][trailer] ... [metaindex block][trailer] [index block][trailer] [footer]
 *   footer (48 bytes): metaindex handle, index handle (each two varints: offset, size), zero padding
 *                      to 40 bytes, then the 8-byte magic 0xdb4775248b80fb57 (little-endian).
 *   trailer (5 bytes): compression type (0 none, 1 snappy) + masked CRC32C of contents + type byte.
 *   block: entries {varint shared, varint non_shared, varint value_len, key delta, value}, then
 *          uint32 restart offsets, then uint32 restart count. Keys are prefix-compressed against the
 *          previous key, except at restart points (shared = 0).
 *   index block: one entry per data block; key >= every key of that block, value = block handle.
 *
 * Every malformed input raises a BundleError (BUNDLE_FORMAT / BUNDLE_CHECKSUM) naming the file;
 * every loop is bounded by the input length.
 */
import snappy from "snappyjs";
import { BundleError, LimitError } from "../errors.js";
import type { ModelSource } from "../io.js";
import { DEFAULT_LIMITS, type Limits } from "../limits.js";
import { Cursor, compareBytes, crc32c, readU32LE, unmaskCrc } from "./coding.js";

export const FOOTER_SIZE = 48;
export const BLOCK_TRAILER_SIZE = 5;
/** 0xdb4775248b80fb57 as little-endian bytes. */
export const TABLE_MAGIC = Uint8Array.of(0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb);

/** Block compression types (trailer byte). */
export const COMPRESSION_NONE = 0;
export const COMPRESSION_SNAPPY = 1;

export interface BlockHandle {
  readonly offset: number;
  readonly size: number;
}

export interface TableEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

/** One entry during `SSTable.scan` (reused between calls). */
export interface EntryView {
  /** The decompressed block holding the value. */
  readonly block: Uint8Array;
  /** Key bytes are key[0, keyLength); bytes [0, shared) are unchanged from the previous entry. */
  key: Uint8Array;
  keyLength: number;
  shared: number;
  valueStart: number;
  valueEnd: number;
}

interface ScanState {
  key: Uint8Array;
  keyLength: number;
  first: boolean;
}

export interface BlockInfo {
  readonly handle: BlockHandle;
  readonly kind: "data" | "index" | "metaindex";
  readonly compression: number;
}

export class SSTable {
  readonly metaindexHandle: BlockHandle;
  readonly indexHandle: BlockHandle;
  /** Index entries: separator key and data block handle, in table order. */
  private readonly indexKeys: Uint8Array[] = [];
  private readonly dataHandles: BlockHandle[] = [];
  private lastBlock: { offset: number; contents: Uint8Array } | undefined;

  private constructor(
    /** The whole table file. */
    readonly bytes: Uint8Array,
    /** Path used in error messages. */
    readonly file: string,
    readonly limits: Limits,
  ) {
    if (bytes.length < FOOTER_SIZE) {
      this.fail(`file is ${bytes.length} bytes, shorter than the ${FOOTER_SIZE}-byte table footer`);
    }
    const footerStart = bytes.length - FOOTER_SIZE;
    for (let i = 0; i < 8; i++) {
      if (bytes[footerStart + 40 + i] !== TABLE_MAGIC[i]) {
        this.fail(`bad table magic in the footer (not a LevelDB table)`);
      }
    }
    const c = new Cursor(bytes, footerStart, footerStart + 40, file, "table footer");
    this.metaindexHandle = this.checkHandle(c.varint(), c.varint(), "metaindex block handle");
    this.indexHandle = this.checkHandle(c.varint(), c.varint(), "index block handle");

    // The metaindex (filter policies; empty in TensorFlow's tables) is verified but not used.
    forEachBlockEntry(this.readBlock(this.metaindexHandle, "metaindex block"), file, "metaindex block", () => undefined);
    const index = this.readBlock(this.indexHandle, "index block");
    let prev: Uint8Array | undefined;
    forEachBlockEntry(index, file, "index block", (key, value) => {
      if (prev && compareBytes(prev, key) >= 0) this.fail("index block keys are not in increasing order");
      prev = key;
      const hc = new Cursor(value, 0, value.length, file, "index block entry");
      const handle = this.checkHandle(hc.varint(), hc.varint(), `data block handle #${this.dataHandles.length}`);
      this.indexKeys.push(key);
      this.dataHandles.push(handle);
    });
  }

  /** Reads the whole table through `source` (after checking its size against the limits) and parses footer and index. */
  static async open(source: ModelSource, path: string, limits: Limits = DEFAULT_LIMITS): Promise<SSTable> {
    const st = await source.stat(path);
    if (!st || st.kind !== "file") throw new BundleError("BUNDLE_FORMAT", path, "table file not found");
    if (st.size > limits.maxFileBytes)
      throw new LimitError(path, `table file is ${st.size} bytes, over the ${limits.maxFileBytes}-byte budget`);
    const bytes = await source.read(path, 0, st.size);
    if (bytes.length !== st.size) throw new BundleError("BUNDLE_FORMAT", path, `short read: got ${bytes.length} of ${st.size} bytes`);
    return new SSTable(bytes, path, limits);
  }

  /** Parses a table held in memory. */
  static fromBytes(bytes: Uint8Array, file: string, limits: Limits = DEFAULT_LIMITS): SSTable {
    return new SSTable(bytes, file, limits);
  }

  get numDataBlocks(): number {
    return this.dataHandles.length;
  }

  /** Every block of the table with its compression type (reads only the trailers' type bytes). */
  blocks(): BlockInfo[] {
    const out: BlockInfo[] = this.dataHandles.map((h) => ({ handle: h, kind: "data" as const, compression: this.compressionOf(h) }));
    out.push({ handle: this.metaindexHandle, kind: "metaindex", compression: this.compressionOf(this.metaindexHandle) });
    out.push({ handle: this.indexHandle, kind: "index", compression: this.compressionOf(this.indexHandle) });
    return out;
  }

  /** All entries in key order (fresh key and value arrays), verifying checksums and key order. */
  *entries(): Generator<TableEntry> {
    const batch: TableEntry[] = [];
    for (let i = 0; i < this.dataHandles.length; i++) {
      batch.length = 0;
      this.scanBlock(i, (v) => {
        batch.push({ key: v.key.slice(0, v.keyLength), value: v.block.slice(v.valueStart, v.valueEnd) });
      });
      yield* batch;
    }
  }

  /**
   * Fast ordered scan of every entry without per-entry allocations: `fn` receives a reused view
   * whose key buffer and value range are valid only during the call. Verifies block checksums,
   * strictly increasing keys (across blocks too) and the index separators.
   */
  scan(fn: (view: EntryView) => void): void {
    const state: ScanState = { key: new Uint8Array(256), keyLength: 0, first: true };
    for (let i = 0; i < this.dataHandles.length; i++) this.scanBlock(i, fn, state);
  }

  private scanBlock(
    i: number,
    fn: (view: EntryView) => void,
    state: ScanState = { key: new Uint8Array(256), keyLength: 0, first: true },
  ): void {
    const handle = this.dataHandles[i] as BlockHandle;
    const what = `data block #${i} at offset ${handle.offset}`;
    const block = this.readBlock(handle, what);
    const { restartsOffset } = blockLayout(block, this.file, what);
    const view: EntryView = { block, key: state.key, keyLength: 0, shared: 0, valueStart: 0, valueEnd: 0 };
    const c = new Cursor(block, 0, restartsOffset, this.file, what);
    let any = false;
    while (c.pos < restartsOffset) {
      const shared = c.varint32();
      const nonShared = c.varint32();
      const valueLen = c.varint32();
      const prevLen = state.keyLength;
      if (shared > prevLen || (!any && shared !== 0))
        c.fail(`entry shares ${shared} key bytes but the previous key has ${any ? prevLen : 0}`);
      if (nonShared + valueLen > c.remaining)
        c.fail(`entry (key ${nonShared} + value ${valueLen} bytes) runs past the block entries (${c.remaining} left)`);
      const deltaStart = c.pos;
      // Order check against the previous key (still in the buffer) before overwriting it.
      if (!state.first) {
        let cmp = 0;
        const n = Math.min(nonShared, prevLen - shared);
        for (let k = 0; k < n && cmp === 0; k++) cmp = (block[deltaStart + k] as number) - (state.key[shared + k] as number);
        if (cmp === 0) cmp = shared + nonShared - prevLen;
        if (cmp <= 0) c.fail("keys are not in increasing order");
      }
      const keyLength = shared + nonShared;
      if (keyLength > state.key.length) {
        const grown = new Uint8Array(Math.max(keyLength, state.key.length * 2));
        grown.set(state.key.subarray(0, shared));
        state.key = grown;
        view.key = grown;
      }
      const kbuf = state.key;
      for (let k = 0; k < nonShared; k++) kbuf[shared + k] = block[deltaStart + k] as number;
      state.keyLength = keyLength;
      state.first = false;
      any = true;
      c.pos += nonShared;
      view.keyLength = keyLength;
      view.shared = shared;
      view.valueStart = c.pos;
      view.valueEnd = c.pos + valueLen;
      c.pos += valueLen;
      fn(view);
    }
    if (any && compareBytes(state.key.subarray(0, state.keyLength), this.indexKeys[i] as Uint8Array) > 0) {
      this.fail(`${what}: last key is beyond its index separator`);
    }
  }

  /** Point lookup: the index block locates the data block, its restart points the entry. */
  get(key: Uint8Array): Uint8Array | undefined {
    // First index entry whose separator >= key.
    let lo = 0;
    let hi = this.indexKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.indexKeys[mid] as Uint8Array, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= this.dataHandles.length) return undefined;
    const handle = this.dataHandles[lo] as BlockHandle;
    const what = `data block #${lo} at offset ${handle.offset}`;
    let contents: Uint8Array;
    if (this.lastBlock?.offset === handle.offset) contents = this.lastBlock.contents;
    else {
      contents = this.readBlock(handle, what);
      this.lastBlock = { offset: handle.offset, contents };
    }
    return seekInBlock(contents, key, this.file, what);
  }

  /** Verified, decompressed contents of the block at `handle`. */
  readBlock(handle: BlockHandle, what: string): Uint8Array {
    const { offset, size } = handle;
    const contents = this.bytes.subarray(offset, offset + size);
    const type = this.bytes[offset + size] as number;
    const stored = readU32LE(this.bytes, offset + size + 1);
    const actual = crc32c(this.bytes.subarray(offset, offset + size + 1));
    if (unmaskCrc(stored) !== actual) {
      throw new BundleError("BUNDLE_CHECKSUM", this.file, `${what}: block checksum mismatch`);
    }
    switch (type) {
      case COMPRESSION_NONE:
        return contents;
      case COMPRESSION_SNAPPY:
        return this.uncompress(contents, what);
      default:
        return this.fail(`${what}: unknown block compression type ${type}`);
    }
  }

  private uncompress(contents: Uint8Array, what: string): Uint8Array {
    const c = new Cursor(contents, 0, contents.length, this.file, `${what} (snappy)`);
    const declared = c.varint32();
    const budget = this.limits.maxDecompressedBytes;
    if (declared > budget)
      throw new LimitError(this.file, `${what}: snappy block declares ${declared} bytes, over the ${budget}-byte budget`);
    // A valid snappy stream expands at most ~ 64/3 per input byte (a 3-byte copy emits up to 64 bytes).
    if (declared > contents.length * 22 + 64)
      this.fail(`${what}: snappy block declares ${declared} bytes from ${contents.length} compressed bytes`);
    let out: Uint8Array;
    try {
      out = snappy.uncompress(contents, declared);
    } catch (e) {
      throw new BundleError("BUNDLE_FORMAT", this.file, `${what}: invalid snappy data (${e instanceof Error ? e.message : String(e)})`, {
        cause: e,
      });
    }
    if (out.length !== declared) this.fail(`${what}: snappy block decompressed to ${out.length} bytes, expected ${declared}`);
    return out;
  }

  private compressionOf(h: BlockHandle): number {
    return this.bytes[h.offset + h.size] as number;
  }

  private checkHandle(offset: number, size: number, what: string): BlockHandle {
    const limit = this.bytes.length - FOOTER_SIZE;
    if (offset + size + BLOCK_TRAILER_SIZE > limit) {
      this.fail(`${what} (offset ${offset}, size ${size}) runs past the data area (${limit} bytes)`);
    }
    return { offset, size };
  }

  private fail(what: string): never {
    throw new BundleError("BUNDLE_FORMAT", this.file, what);
  }
}

interface BlockLayout {
  /** Where the restart array begins (= end of the entries). */
  readonly restartsOffset: number;
  readonly numRestarts: number;
}

function blockLayout(block: Uint8Array, file: string, what: string): BlockLayout {
  if (block.length < 4) throw new BundleError("BUNDLE_FORMAT", file, `${what}: ${block.length} bytes, too short for a restart count`);
  const numRestarts = readU32LE(block, block.length - 4);
  const maxRestarts = Math.floor((block.length - 4) / 4);
  if (numRestarts > maxRestarts) {
    throw new BundleError("BUNDLE_FORMAT", file, `${what}: restart count ${numRestarts} does not fit in a ${block.length}-byte block`);
  }
  return { restartsOffset: block.length - 4 - 4 * numRestarts, numRestarts };
}

/**
 * Calls `fn(key, value)` for every entry of `block` in order. Keys are fresh arrays; values are
 * views into `block`. Each step consumes at least three bytes, so the loop is bounded.
 */
export function forEachBlockEntry(block: Uint8Array, file: string, what: string, fn: (key: Uint8Array, value: Uint8Array) => void): void {
  const { restartsOffset } = blockLayout(block, file, what);
  scanEntries(block, 0, restartsOffset, file, what, (k, v) => {
    fn(k, v);
    return false;
  });
}

/** Decodes entries of `block[start, end)` until `fn` returns true. `start` must be a restart point. */
function scanEntries(
  block: Uint8Array,
  start: number,
  end: number,
  file: string,
  what: string,
  fn: (key: Uint8Array, value: Uint8Array) => boolean,
): void {
  const c = new Cursor(block, start, end, file, what);
  let prevKey = new Uint8Array(0);
  while (c.pos < end) {
    const shared = c.varint32();
    const nonShared = c.varint32();
    const valueLen = c.varint32();
    if (shared > prevKey.length) c.fail(`entry shares ${shared} key bytes but the previous key has ${prevKey.length}`);
    if (nonShared + valueLen > c.remaining)
      c.fail(`entry (key ${nonShared} + value ${valueLen} bytes) runs past the block entries (${c.remaining} left)`);
    const key = new Uint8Array(shared + nonShared);
    key.set(prevKey.subarray(0, shared), 0);
    key.set(block.subarray(c.pos, c.pos + nonShared), shared);
    c.pos += nonShared;
    const value = block.subarray(c.pos, c.pos + valueLen);
    c.pos += valueLen;
    if (fn(key, value)) return;
    prevKey = key;
  }
}

/** Binary search over the restart points, then a bounded forward scan. */
function seekInBlock(block: Uint8Array, target: Uint8Array, file: string, what: string): Uint8Array | undefined {
  const { restartsOffset, numRestarts } = blockLayout(block, file, what);
  if (numRestarts === 0) return undefined;
  const restartAt = (i: number): number => {
    const off = readU32LE(block, restartsOffset + 4 * i);
    if (off >= restartsOffset) throw new BundleError("BUNDLE_FORMAT", file, `${what}: restart point #${i} (${off}) is outside the entries`);
    return off;
  };
  const keyAtRestart = (i: number): Uint8Array => {
    const c = new Cursor(block, restartAt(i), restartsOffset, file, what);
    const shared = c.varint32();
    const nonShared = c.varint32();
    c.varint32();
    if (shared !== 0) c.fail(`restart point #${i} has a shared key prefix`);
    return c.take(nonShared);
  };
  // Last restart whose key <= target (or the first one).
  let lo = 0;
  let hi = numRestarts - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (compareBytes(keyAtRestart(mid), target) <= 0) lo = mid;
    else hi = mid - 1;
  }
  let found: Uint8Array | undefined;
  scanEntries(block, restartAt(lo), restartsOffset, file, what, (key, value) => {
    const d = compareBytes(key, target);
    if (d === 0) found = value;
    return d >= 0;
  });
  return found;
}
