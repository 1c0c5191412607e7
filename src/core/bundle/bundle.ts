/**
 * TensorBundle (checkpoint V2) reader: `<prefix>.index` is an SSTable mapping checkpoint keys to
 * BundleEntryProto (the empty key holds the BundleHeaderProto); values live in
 * `<prefix>.data-NNNNN-of-MMMMM` shards at [offset, offset + size), checksummed with masked CRC32C.
 *
 * Opening and listing read only the index file. Values are read by byte range, one entry at a time.
 */
import { BundleError, LimitError, StudioError } from "../errors.js";
import type { ModelSource } from "../io.js";
import { withLimits, type Limits } from "../limits.js";
import { DataType, dtypeInfo, dtypeName } from "../dtype.js";
import {
  allocData,
  denseByteSize,
  elementCount,
  fromLittleEndianBytes,
  type HostTensor,
  type NumericData,
  type TensorData,
} from "../tensor.js";
import { tensorflow } from "../proto/index.js";
import { Cursor, bytesToBinaryString, crc32c, decodeUtf8, encodeUtf8, unmaskCrc } from "./coding.js";
import { MAX_SLICES, decodeSliceKey, encodeSliceKey, firstOverlap, type SliceExtent, type TensorSlice } from "./slices.js";
import { COMPRESSION_SNAPPY, SSTable } from "./sstable.js";

/** Key of the TF2 object graph entry (a DT_STRING scalar holding a serialized TrackableObjectGraph). */
export const OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH";

export interface BundleHeader {
  readonly numShards: number;
  readonly endianness: "little";
  readonly version: { readonly producer: number; readonly minConsumer: number; readonly badConsumers: readonly number[] };
}

export interface BundleEntry {
  /** Checkpoint key (UTF-8 decoded; slice keys are binary and decode lossily, see `sliceOf`). */
  readonly key: string;
  /** tensorflow.DataType value. */
  readonly dtype: number;
  readonly shape: readonly number[];
  readonly shardId: number;
  readonly offset: number;
  readonly size: number;
  /** Masked CRC32C of the value bytes, as stored. */
  readonly crc32c: number;
  /** Non-empty for a partitioned variable: its data lives in one entry per slice. */
  readonly slices: readonly TensorSlice[];
  /** Set on entries that hold one slice of a partitioned variable. */
  readonly sliceOf?: { readonly key: string; readonly slice: TensorSlice };
}

export interface BundleOpenOptions {
  readonly limits?: Partial<Limits>;
}

export class TensorBundle {
  readonly indexPath: string;
  readonly header: BundleHeader;
  /** Number of snappy-compressed data blocks in the index file. */
  readonly snappyBlocks: number;
  /** Sum of the entries' sizes (bytes in the data shards). */
  readonly totalBytes: number;
  private readonly list: readonly BundleEntry[];
  /** Entries by key, built on first lookup (listing does not need it). */
  private keyMap: Map<string, BundleEntry> | undefined;
  /** Slice entries by their raw key (binary string), for assembling partitioned variables. */
  private readonly byBinaryKey: Map<string, BundleEntry>;
  private readonly shardChecks = new Map<number, Promise<number>>();

  private constructor(
    readonly source: ModelSource,
    readonly prefix: string,
    readonly limits: Limits,
    table: SSTable,
  ) {
    this.indexPath = table.file;
    let header: BundleHeader | undefined;
    const list: BundleEntry[] = [];
    let total = 0;
    let slices: Map<string, BundleEntry> | undefined;
    // Pass 1: gather key bytes contiguously and value locations (no per-entry allocations).
    const blocks: Uint8Array[] = [];
    const blockOf: number[] = [];
    const valueStart: number[] = [];
    const valueEnd: number[] = [];
    const keyStart: number[] = [];
    let keyBytes = new Uint8Array(16384);
    let kpos = 0;
    let high = 0;
    table.scan((v) => {
      const kl = v.keyLength;
      if (kl === 0) {
        header = decodeHeader(v.block.subarray(v.valueStart, v.valueEnd), this.indexPath);
        return;
      }
      if (blocks[blocks.length - 1] !== v.block) blocks.push(v.block);
      if (kpos + kl > keyBytes.length) {
        const grown = new Uint8Array(Math.max(kpos + kl, keyBytes.length * 2));
        grown.set(keyBytes.subarray(0, kpos));
        keyBytes = grown;
      }
      const kb = v.key;
      for (let i = 0; i < kl; i++) {
        const c = kb[i] as number;
        keyBytes[kpos + i] = c;
        high |= c;
      }
      keyStart.push(kpos);
      kpos += kl;
      blockOf.push(blocks.length - 1);
      valueStart.push(v.valueStart);
      valueEnd.push(v.valueEnd);
    });
    keyStart.push(kpos);
    // Pass 2: one UTF-8 decode for all keys when they are ASCII (then byte offsets = string offsets).
    const allKeys = high < 0x80 ? decodeUtf8(keyBytes.subarray(0, kpos)) : undefined;
    const n = blockOf.length;
    try {
      for (let i = 0; i < n; i++) {
        const ks = keyStart[i] as number;
        const ke = keyStart[i + 1] as number;
        const key = allKeys !== undefined ? allKeys.substring(ks, ke) : decodeUtf8(keyBytes.subarray(ks, ke));
        currentKey = key;
        const sliceKey = keyBytes[ks] === 0 ? keyBytes.slice(ks, ke) : undefined;
        const e = decodeEntry(blocks[blockOf[i] as number] as Uint8Array, valueStart[i] as number, valueEnd[i] as number, key, sliceKey);
        list.push(e);
        total += e.size;
        if (sliceKey && e.sliceOf) (slices ??= new Map()).set(bytesToBinaryString(sliceKey), e);
      }
    } catch (e) {
      if (e instanceof DecodeFail)
        throw new BundleError("BUNDLE_FORMAT", this.indexPath, `entry '${currentKey}': ${e.what} (at byte ${e.at} of the block)`);
      throw e;
    }
    if (!header) throw new BundleError("BUNDLE_FORMAT", this.indexPath, "no header entry (empty key) in the index");
    this.header = header;
    this.list = list;
    this.totalBytes = total;
    this.byBinaryKey = slices ?? new Map();
    this.snappyBlocks = table.blocks().filter((b) => b.kind === "data" && b.compression === COMPRESSION_SNAPPY).length;
  }

  /**
   * Opens `<prefix>.index` (e.g. `<modeldir>/variables/variables`). Reads the index file only; data
   * shards are checked when a value is first read from them.
   */
  static async open(source: ModelSource, prefix: string, opts?: BundleOpenOptions): Promise<TensorBundle> {
    const limits = withLimits(opts?.limits);
    const indexPath = prefix + ".index";
    const table = await SSTable.open(source, indexPath, limits);
    return new TensorBundle(source, prefix, limits, table);
  }

  get numShards(): number {
    return this.header.numShards;
  }

  /** Every entry except the header, sorted by key (bytewise), including slice entries and the object graph. */
  entries(): readonly BundleEntry[] {
    return this.list;
  }

  /** The variables every view lists and counts: no object graph entry, no slice parts of partitioned ones. */
  variableEntries(): BundleEntry[] {
    return this.list.filter((e) => !e.sliceOf && e.key !== OBJECT_GRAPH_KEY);
  }

  private get byKey(): Map<string, BundleEntry> {
    if (!this.keyMap) {
      this.keyMap = new Map();
      for (const e of this.list) if (!e.sliceOf) this.keyMap.set(e.key, e);
    }
    return this.keyMap;
  }

  get(key: string): BundleEntry | undefined {
    return this.byKey.get(key);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  shardPath(shardId: number): string {
    return shardFileName(this.prefix, shardId, this.numShards);
  }

  /** The stored bytes of `key` (exactly [offset, offset + size) of its shard), checksum verified. */
  async readBytes(key: string): Promise<Uint8Array> {
    return (await this.readVerified(this.require(key))).bytes;
  }

  /** The value of `key` as a host tensor; partitioned variables are assembled from their slices. */
  async readTensor(key: string): Promise<HostTensor> {
    const e = this.require(key);
    if (e.slices.length > 0) return this.readSliced(e);
    return this.readPlain(e);
  }

  /** The checkpoint's TrackableObjectGraph (TF2 checkpoints), or undefined when the entry is absent. */
  async objectGraph(): Promise<tensorflow.TrackableObjectGraph | undefined> {
    const entry = this.byKey.get(OBJECT_GRAPH_KEY);
    if (!entry) return undefined;
    const t = await this.readPlain(entry);
    const first = Array.isArray(t.data) ? t.data[0] : undefined;
    if (t.dtype !== DataType.DT_STRING || !first || t.data.length !== 1) {
      throw new BundleError(
        "BUNDLE_FORMAT",
        this.shardPath(entry.shardId),
        `${OBJECT_GRAPH_KEY} is not a scalar string (${dtypeName(t.dtype)} [${t.shape.join(", ")}])`,
      );
    }
    try {
      return tensorflow.TrackableObjectGraph.decode(first);
    } catch (e) {
      throw new BundleError(
        "BUNDLE_FORMAT",
        this.shardPath(entry.shardId),
        `${OBJECT_GRAPH_KEY}: cannot decode TrackableObjectGraph (${e instanceof Error ? e.message : String(e)})`,
        { cause: e },
      );
    }
  }

  private require(key: string): BundleEntry {
    const e = this.byKey.get(key);
    if (!e) throw new StudioError("NOT_FOUND", `${this.indexPath}: no entry '${key}' in the bundle`, this.indexPath);
    return e;
  }

  /**
   * Reads [offset, offset + size) of the entry's shard and verifies the entry checksum. For DT_STRING
   * TensorFlow checksums the element lengths as uint32 values (not their varint bytes), then the
   * length checksum and the element bytes, so the layout is parsed here.
   */
  private async readVerified(e: BundleEntry): Promise<{ bytes: Uint8Array; strings?: StringLayout }> {
    // A partitioned variable's own entry stores no bytes (its slices do).
    if (e.slices.length > 0 || (e.size === 0 && e.dtype !== DataType.DT_STRING)) return { bytes: new Uint8Array(0) };
    if (e.shardId < 0 || e.shardId >= this.numShards) {
      throw new BundleError(
        "BUNDLE_FORMAT",
        this.indexPath,
        `entry '${e.key}' names shard ${e.shardId}, but the bundle has ${this.numShards}`,
      );
    }
    if (e.size > this.limits.maxTensorBytes)
      throw new LimitError(this.indexPath, `entry '${e.key}' is ${e.size} bytes, over the ${this.limits.maxTensorBytes}-byte budget`);
    const path = this.shardPath(e.shardId);
    const shardSize = await this.checkShard(e.shardId);
    if (e.offset + e.size > shardSize) {
      throw new BundleError(
        "BUNDLE_FORMAT",
        path,
        `entry '${e.key}' needs bytes ${e.offset}..${e.offset + e.size}, but the shard is ${shardSize} bytes`,
      );
    }
    let bytes: Uint8Array;
    try {
      bytes = await this.source.read(path, e.offset, e.size);
    } catch (err) {
      if ((err as { code?: unknown } | null)?.code === "ENOENT")
        throw new BundleError("BUNDLE_MISSING_SHARD", path, "data shard is missing", { cause: err });
      throw err;
    }
    if (bytes.length !== e.size)
      throw new BundleError(
        "BUNDLE_FORMAT",
        path,
        `short read for '${e.key}': got ${bytes.length} of ${e.size} bytes at offset ${e.offset}`,
      );
    let strings: StringLayout | undefined;
    let actual: number;
    if (e.dtype === DataType.DT_STRING) {
      strings = parseStringLayout(bytes, elementCount(e.shape, path, this.limits), path, e.key);
      actual = crc32c(bytes.subarray(strings.dataStart - 4), crc32c(strings.lengthBytes));
    } else actual = crc32c(bytes);
    if (actual !== unmaskCrc(e.crc32c)) {
      throw new BundleError(
        "BUNDLE_CHECKSUM",
        path,
        `checksum mismatch for '${e.key}' (bytes ${e.offset}..${e.offset + e.size}); the data does not match the index`,
      );
    }
    return strings ? { bytes, strings } : { bytes };
  }

  /** Size of shard `id`, checked once: missing -> BUNDLE_MISSING_SHARD. */
  private checkShard(id: number): Promise<number> {
    let p = this.shardChecks.get(id);
    if (!p) {
      const path = this.shardPath(id);
      p = this.source.stat(path).then((st) => {
        if (!st || st.kind !== "file")
          throw new BundleError("BUNDLE_MISSING_SHARD", path, `data shard ${id} of ${this.numShards} is missing`);
        return st.size;
      });
      this.shardChecks.set(id, p);
      p.catch(() => this.shardChecks.delete(id));
    }
    return p;
  }

  private async readPlain(e: BundleEntry): Promise<HostTensor> {
    const file = this.shardPath(e.shardId);
    const info = dtypeInfo(e.dtype);
    if (!info || info.kind === "resource" || info.kind === "variant") {
      throw new BundleError(
        "BUNDLE_FORMAT",
        this.indexPath,
        `entry '${e.key}' has dtype ${dtypeName(e.dtype)}, which has no host representation`,
      );
    }
    if (info.kind === "string") {
      const n = elementCount(e.shape, file, this.limits);
      // Each element needs at least one length byte, plus the 4-byte length checksum.
      if (e.size < n + 4)
        throw new BundleError("BUNDLE_FORMAT", this.indexPath, `string entry '${e.key}' of ${n} elements has only ${e.size} bytes`);
      const { bytes, strings } = await this.readVerified(e);
      return { dtype: e.dtype, shape: e.shape, data: splitStrings(bytes, strings ?? parseStringLayout(bytes, n, file, e.key)) };
    }
    const expected = denseByteSize(e.dtype, e.shape, file, this.limits);
    if (expected !== e.size) {
      throw new BundleError(
        "BUNDLE_FORMAT",
        this.indexPath,
        `entry '${e.key}' (${dtypeName(e.dtype)} [${e.shape.join(", ")}]) should be ${expected} bytes, index says ${e.size}`,
      );
    }
    let { bytes } = await this.readVerified(e);
    // Never alias a larger buffer owned by the source (values may be mutated by the engine).
    if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength) bytes = bytes.slice();
    return { dtype: e.dtype, shape: e.shape, data: fromLittleEndianBytes(e.dtype, bytes) };
  }

  private async readSliced(full: BundleEntry): Promise<HostTensor> {
    const keyBytes = encodeUtf8(full.key);
    const file = this.indexPath;
    const rank = full.shape.length;
    const n = elementCount(full.shape, file, this.limits);
    const info = dtypeInfo(full.dtype);
    if (info?.kind !== "string") denseByteSize(full.dtype, full.shape, file, this.limits);
    // Read every slice before allocating the whole tensor, so a declared shape the data cannot back
    // never drives an allocation.
    const parts: { t: HostTensor; starts: number[]; lengths: number[] }[] = [];
    let covered = 0;
    if (full.slices.length > MAX_SLICES)
      throw new BundleError("BUNDLE_FORMAT", file, `entry '${full.key}' lists ${full.slices.length} slices, more than ${MAX_SLICES}`);
    for (const slice of full.slices) {
      const desc = sliceString(slice);
      if (slice.length !== rank)
        throw new BundleError(
          "BUNDLE_FORMAT",
          file,
          `entry '${full.key}': slice ${desc} has rank ${slice.length}, tensor has rank ${rank}`,
        );
      const lengths = slice.map((ext, d) =>
        resolveExtent(
          ext,
          full.shape[d] as number,
          () => new BundleError("BUNDLE_FORMAT", file, `entry '${full.key}': slice ${desc} is outside shape [${full.shape.join(", ")}]`),
        ),
      );
      const sliceKey = bytesToBinaryString(encodeSliceKey(keyBytes, slice));
      const part = this.byBinaryKey.get(sliceKey);
      if (!part) throw new BundleError("BUNDLE_FORMAT", file, `entry '${full.key}': no data entry for slice ${desc}`);
      if (part.slices.length > 0) throw new BundleError("BUNDLE_FORMAT", file, `entry '${full.key}': slice ${desc} is itself sliced`);
      if (part.dtype !== full.dtype || part.shape.length !== rank || part.shape.some((d, i) => d !== lengths[i])) {
        throw new BundleError(
          "BUNDLE_FORMAT",
          file,
          `entry '${full.key}': slice ${desc} holds ${dtypeName(part.dtype)} [${part.shape.join(", ")}], expected ${dtypeName(full.dtype)} [${lengths.join(", ")}]`,
        );
      }
      const t = await this.readPlain(part);
      const starts = slice.map((ext) => (ext.length < 0 ? 0 : ext.start));
      parts.push({ t, starts, lengths });
      covered += lengths.reduce((a, b) => a * b, 1);
    }
    // The slices must tile the tensor exactly: no two share an element (a slice listed twice would
    // otherwise count twice and leave a gap of zeros), and together they cover every element.
    const overlap = firstOverlap(parts);
    if (overlap) {
      const [i, j] = overlap;
      throw new BundleError(
        "BUNDLE_FORMAT",
        file,
        `entry '${full.key}': slices ${sliceString(full.slices[i]!)} and ${sliceString(full.slices[j]!)} overlap (the slices must tile the tensor)`,
      );
    }
    if (covered !== n)
      throw new BundleError(
        "BUNDLE_FORMAT",
        file,
        `entry '${full.key}': its ${full.slices.length} slices cover ${covered} of ${n} elements`,
      );
    let data: TensorData;
    try {
      data = allocData(full.dtype, n);
    } catch {
      throw new BundleError(
        "BUNDLE_FORMAT",
        file,
        `entry '${full.key}' has dtype ${dtypeName(full.dtype)}, which has no host representation`,
      );
    }
    for (const { t, starts, lengths } of parts)
      copyRegion(t.data, data, full.shape, starts, lengths, info?.kind === "complex64" || info?.kind === "complex128" ? 2 : 1);
    return { dtype: full.dtype, shape: full.shape, data };
  }
}

/** `<prefix>.data-00000-of-00002` */
export function shardFileName(prefix: string, shardId: number, numShards: number): string {
  return `${prefix}.data-${String(shardId).padStart(5, "0")}-of-${String(numShards).padStart(5, "0")}`;
}

/**
 * DT_STRING value layout: a varint64 length per element, a 4-byte masked CRC32C of the lengths (each
 * length checksummed as a little-endian uint32, or uint64 when it does not fit 32 bits), then the
 * concatenated element bytes.
 */
export interface StringLayout {
  readonly lengths: readonly number[];
  /** The lengths as TensorFlow checksums them (uint32 LE each; uint64 LE beyond 2^32). */
  readonly lengthBytes: Uint8Array;
  /** Offset of the first element byte (just after the 4-byte length checksum). */
  readonly dataStart: number;
}

/** Parses and verifies the length section of a string value of `n` elements. */
export function parseStringLayout(bytes: Uint8Array, n: number, file: string, key: string): StringLayout {
  const c = new Cursor(bytes, 0, bytes.length, file, `string tensor '${key}'`);
  if (n > bytes.length) c.fail(`${n} elements cannot fit in ${bytes.length} bytes`);
  const lengths = new Array<number>(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const len = c.varint();
    lengths[i] = len;
    total += len;
  }
  const storedMasked = c.fixed32();
  if (total !== c.remaining) c.fail(`element lengths add up to ${total} bytes, but ${c.remaining} bytes follow the lengths`);
  const lengthBytes = lengthsAsChecksummed(lengths);
  const actual = crc32c(lengthBytes);
  if (actual !== unmaskCrc(storedMasked)) {
    throw new BundleError("BUNDLE_CHECKSUM", file, `string tensor '${key}': length checksum mismatch`);
  }
  return { lengths, lengthBytes, dataStart: c.pos };
}

function splitStrings(bytes: Uint8Array, layout: StringLayout): Uint8Array[] {
  const out = new Array<Uint8Array>(layout.lengths.length);
  let p = layout.dataStart;
  for (let i = 0; i < out.length; i++) {
    const len = layout.lengths[i] as number;
    out[i] = bytes.slice(p, p + len);
    p += len;
  }
  return out;
}

/** The lengths of a string tensor in the form TensorFlow feeds them to CRC32C. */
export function lengthsAsChecksummed(lengths: readonly number[]): Uint8Array {
  let size = 0;
  for (const l of lengths) size += l > 0xffffffff ? 8 : 4;
  const buf = new Uint8Array(size);
  const view = new DataView(buf.buffer);
  let p = 0;
  for (const l of lengths) {
    if (l > 0xffffffff) {
      view.setBigUint64(p, BigInt(l), true);
      p += 8;
    } else {
      view.setUint32(p, l, true);
      p += 4;
    }
  }
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Index value decoding: the generated protobufjs decoders (proto/tensor_bundle.proto), then checks.

function decodeHeader(value: Uint8Array, file: string): BundleHeader {
  let h: tensorflow.BundleHeaderProto;
  try {
    h = tensorflow.BundleHeaderProto.decode(value);
  } catch (e) {
    throw new BundleError("BUNDLE_FORMAT", file, `cannot decode the bundle header (${e instanceof Error ? e.message : String(e)})`, {
      cause: e,
    });
  }
  if (h.endianness === tensorflow.BundleHeaderProto.Endianness.BIG) {
    throw new BundleError("BUNDLE_FORMAT", file, "big-endian bundles are not supported (the header says BIG)");
  }
  if (h.endianness !== tensorflow.BundleHeaderProto.Endianness.LITTLE)
    throw new BundleError("BUNDLE_FORMAT", file, `unknown endianness ${String(h.endianness)} in the header`);
  if (!Number.isInteger(h.num_shards) || h.num_shards < 1 || h.num_shards > 99999) {
    throw new BundleError("BUNDLE_FORMAT", file, `header declares ${h.num_shards} shards`);
  }
  const v = h.version ?? {};
  return {
    numShards: h.num_shards,
    endianness: "little",
    version: { producer: v.producer ?? 0, minConsumer: v.min_consumer ?? 0, badConsumers: v.bad_consumers ?? [] },
  };
}

/** A decoding failure inside an index value; converted to a BundleError naming the entry. */
class DecodeFail {
  constructor(
    readonly what: string,
    readonly at: number,
  ) {}
}

const EMPTY: readonly never[] = Object.freeze([]);
/** Key being decoded, for error messages. */
let currentKey = "";

type Int64 = number | { toNumber(): number; high: number; low: number } | null | undefined;

/** int64 field -> number, refusing values beyond 2^53 (a corrupt or hostile index). */
function safeInt(v: Int64, what: string, at: number): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === "number" ? v : v.toNumber();
  if (!Number.isSafeInteger(n)) throw new DecodeFail(`${what} ${n} outside the safe integer range`, at);
  return n;
}

/** BundleEntryProto at b[start, end), decoded by protobufjs, then validated. */
function decodeEntry(b: Uint8Array, start: number, end: number, key: string, sliceKey: Uint8Array | undefined): BundleEntry {
  let p: tensorflow.BundleEntryProto;
  try {
    p = tensorflow.BundleEntryProto.decode(b.subarray(start, end));
  } catch (e) {
    throw new DecodeFail(`not a valid BundleEntryProto (${e instanceof Error ? e.message : String(e)})`, start);
  }
  const shapeProto = p.shape;
  if (shapeProto?.unknown_rank) throw new DecodeFail("stored tensor shape has unknown rank", start);
  const dims = (shapeProto?.dim ?? []).map((d) => {
    const size = safeInt(d.size, "dimension", start);
    if (size < 0) throw new DecodeFail(`unknown dimension (${size}) in a stored tensor shape`, start);
    return size;
  });
  const shape: readonly number[] = dims.length === 0 ? EMPTY : dims;
  const offset = safeInt(p.offset, "offset", start);
  const size = safeInt(p.size, "size", start);
  if (offset < 0 || size < 0) throw new DecodeFail(`negative offset ${offset} or size ${size}`, start);
  const slices: TensorSlice[] | undefined =
    p.slices && p.slices.length > 0
      ? p.slices.map((sl) =>
          (sl.extent ?? []).map((e): SliceExtent => {
            const st = safeInt(e.start, "slice start", start);
            const length = e.length === null || e.length === undefined ? -1 : safeInt(e.length, "slice length", start);
            if (st < 0 || length < -1) throw new DecodeFail(`invalid slice extent start ${st}, length ${length}`, start);
            return { start: st, length };
          }),
        )
      : undefined;
  const dtype = p.dtype ?? 0;
  const shardId = p.shard_id ?? 0;
  const crc = (p.crc32c ?? 0) >>> 0;
  if (sliceKey) {
    const d = decodeSliceKey(sliceKey);
    if (d)
      return {
        key,
        dtype,
        shape,
        shardId,
        offset,
        size,
        crc32c: crc,
        slices: slices ?? EMPTY,
        sliceOf: { key: decodeUtf8(d.name), slice: d.slice },
      };
  }
  return { key, dtype, shape, shardId, offset, size, crc32c: crc, slices: slices ?? EMPTY };
}

function resolveExtent(ext: SliceExtent, dim: number, err: () => BundleError): number {
  if (ext.length < 0) {
    if (ext.start !== 0) throw err();
    return dim;
  }
  if (ext.start < 0 || ext.start + ext.length > dim) throw err();
  return ext.length;
}

function sliceString(slice: TensorSlice): string {
  return slice.map((e) => (e.length < 0 ? "-" : `${e.start},${e.length}`)).join(":");
}

/** Copies a dense row-major `src` of shape `lengths` into `dst` (shape `full`) at `starts`. */
function copyRegion(
  src: TensorData,
  dst: TensorData,
  full: readonly number[],
  starts: readonly number[],
  lengths: readonly number[],
  scalarsPerElem: number,
): void {
  const rank = full.length;
  const count = lengths.reduce((a, b) => a * b, 1);
  if (count === 0) return;
  const strides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) strides[d] = (strides[d + 1] as number) * (full[d + 1] as number);
  const run = rank === 0 ? 1 : (lengths[rank - 1] as number);
  const rows = count / run;
  const idx = new Array<number>(Math.max(0, rank - 1)).fill(0);
  for (let r = 0; r < rows; r++) {
    let dstOff = rank === 0 ? 0 : (starts[rank - 1] as number);
    for (let d = 0; d < rank - 1; d++) dstOff += ((starts[d] as number) + (idx[d] as number)) * (strides[d] as number);
    const srcOff = r * run;
    if (Array.isArray(src) && Array.isArray(dst)) {
      for (let i = 0; i < run; i++) dst[dstOff + i] = src[srcOff + i] as Uint8Array;
    } else if (!Array.isArray(src) && !Array.isArray(dst)) {
      const s = src as NumericData;
      (dst as { set(a: ArrayLike<number | bigint>, o: number): void }).set(
        s.subarray(srcOff * scalarsPerElem, (srcOff + run) * scalarsPerElem),
        dstOff * scalarsPerElem,
      );
    }
    for (let d = rank - 2; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      if ((idx[d] as number) < (lengths[d] as number)) break;
      idx[d] = 0;
    }
  }
}
