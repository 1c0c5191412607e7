/**
 * NumPy .npz archives: a ZIP of `<name>.npy` members, stored (np.savez) or deflated
 * (np.savez_compressed). The central directory is read here (ZIP64 included, as numpy writes it);
 * deflate goes through fflate's streaming inflater so output is counted while it is produced.
 *
 * Decompression-bomb guard: the declared uncompressed sizes of the selected members are summed and
 * checked against `limits.maxDecompressedBytes` before anything is inflated; each member must then
 * inflate to exactly its declared size (inflation stops as soon as it exceeds it) with a matching
 * CRC-32. Members whose names do not end in ".npy" are ignored (numpy exposes them as raw bytes).
 */
import { Inflate, zipSync, type Zippable } from "fflate";
import { LimitError, NpyError } from "../errors.js";
import { DEFAULT_LIMITS, type Limits } from "../limits.js";
import type { HostTensor } from "../tensor.js";
import { parseNpy, writeNpy, type NpyArray } from "./npy.js";

export interface NpzMemberInfo {
  /** Array name: the member path without its ".npy" suffix. */
  readonly name: string;
  /** Member path inside the archive. */
  readonly path: string;
  /** 0 = stored, 8 = deflated. */
  readonly method: number;
  readonly compressedSize: number;
  /** Uncompressed size declared by the central directory. */
  readonly size: number;
  readonly crc32: number;
  /** Offset of the local file header. */
  readonly localHeaderOffset: number;
}

export interface NpzReadOptions {
  /** Only these array names (without ".npy"); a name that is not in the archive is an NpyError. */
  readonly members?: readonly string[];
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
/** Compressed bytes fed to the inflater at a time: at most ~4 MiB of output (1032:1) before the size check. */
const INFLATE_CHUNK = 1 << 12;
const MAX_DEFLATE_RATIO = 1032;

/** True when `bytes` starts like a ZIP archive (local header or empty-archive EOCD). */
export function isZip(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const sig = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
  return sig === SIG_LOCAL || sig === SIG_EOCD;
}

/**
 * One member of any ZIP archive (a `.keras` file's config.json), checked like an .npz member; undefined when
 * the archive has no such member. Throws NpyError on a malformed archive, LimitError past `maxBytes`.
 */
export function readZipMember(bytes: Uint8Array, file: string, path: string, maxBytes: number): Uint8Array | undefined {
  const m = readCentralDirectory(bytes, file).find((x) => x.path === path);
  if (!m) return undefined;
  if (m.size > maxBytes) throw new LimitError(file, `member '${path}' declares ${m.size} bytes, more than the ${maxBytes} allowed`);
  return extractMember(bytes, file, m);
}

/** Lists the .npy members of an .npz from its central directory, without inflating anything. */
export function listNpz(bytes: Uint8Array, file: string): NpzMemberInfo[] {
  return readCentralDirectory(bytes, file).filter((m) => m.path.endsWith(".npy"));
}

/**
 * Parses an .npz into an ordered map (archive order) of array name → array. Sizes are checked
 * against `limits` (total declared uncompressed bytes, then each array) before allocating.
 */
export function parseNpz(
  bytes: Uint8Array,
  file: string,
  limits: Limits = DEFAULT_LIMITS,
  options: NpzReadOptions = {},
): Map<string, NpyArray> {
  let members = listNpz(bytes, file);
  if (options.members) {
    const byName = new Map(members.map((m) => [m.name, m]));
    members = options.members.map((name) => {
      const m = byName.get(name);
      if (!m)
        throw new NpyError(
          file,
          `no array '${name}' in the archive (it has ${[...byName.keys()].map((k) => `'${k}'`).join(", ") || "none"})`,
        );
      return m;
    });
  }
  let total = 0;
  for (const m of members) {
    total += m.size;
    if (total > limits.maxDecompressedBytes) {
      throw new LimitError(
        file,
        `archive members declare ${total}+ uncompressed bytes, over the ${limits.maxDecompressedBytes}-byte budget`,
      );
    }
  }
  const out = new Map<string, NpyArray>();
  for (const m of members) {
    const raw = extractMember(bytes, file, m);
    out.set(m.name, parseNpy(raw, `${file}[${m.name}]`, limits));
  }
  return out;
}

/** One array of an .npz (the CLI's `file.npz[name]`). */
export function readNpzMember(bytes: Uint8Array, file: string, name: string, limits: Limits = DEFAULT_LIMITS): NpyArray {
  const arr = parseNpz(bytes, file, limits, { members: [name] }).get(name);
  if (!arr) throw new NpyError(file, `no array '${name}' in the archive`);
  return arr;
}

export interface NpzWriteOptions {
  /** Deflate members (np.savez_compressed); default false (stored, like np.savez). */
  readonly compress?: boolean;
}

/** Builds an .npz: each entry becomes `<name>.npy` (see writeNpy for dtype/string rules). */
export function writeNpz(
  arrays: ReadonlyMap<string, HostTensor | NpyArray> | Readonly<Record<string, HostTensor | NpyArray>>,
  options: NpzWriteOptions = {},
): Uint8Array {
  const entries = arrays instanceof Map ? [...arrays.entries()] : Object.entries(arrays);
  const files: Zippable = {};
  for (const [name, t] of entries) {
    if (name.length === 0) throw new NpyError("<npz>", "array names must not be empty");
    const path = `${name}.npy`;
    if (Object.prototype.hasOwnProperty.call(files, path)) throw new NpyError("<npz>", `duplicate array name '${name}'`);
    files[path] = writeNpy(t, { file: `<npz>[${name}]` });
  }
  // A fixed timestamp keeps the output reproducible.
  return zipSync(files, { level: options.compress ? 6 : 0, mtime: new Date(1980, 0, 1) });
}

/** `a.npz[arr]` → {path: "a.npz", member: "arr"}; anything else → {path}. */
export function parseInputSpec(spec: string): { path: string; member?: string } {
  const m = /^(.+)\[([^[\]]+)\]$/.exec(spec);
  if (!m) return { path: spec };
  return { path: m[1] as string, member: m[2] as string };
}

// ------------------------------------------------------------------------------------------------

function u16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}
function u64(b: Uint8Array, o: number, file: string): number {
  const lo = u32(b, o);
  const hi = u32(b, o + 4);
  if (hi >= 0x200000) throw new LimitError(file, "ZIP64 size or offset beyond 2^53");
  return hi * 0x100000000 + lo;
}

function readCentralDirectory(bytes: Uint8Array, file: string): NpzMemberInfo[] {
  const need = (off: number, len: number, what: string): void => {
    if (off < 0 || off + len > bytes.length)
      throw new NpyError(file, `truncated archive: ${what} at offset ${off} runs past the end (${bytes.length} bytes)`);
  };
  // End of central directory: the last signature within the final 64 KiB + 22 bytes.
  let eocd = -1;
  for (let o = bytes.length - 22; o >= 0 && o >= bytes.length - 22 - 0xffff; o--) {
    if (u32(bytes, o) === SIG_EOCD) {
      eocd = o;
      break;
    }
  }
  if (eocd < 0)
    throw new NpyError(file, isZip(bytes) ? "truncated archive: no end-of-central-directory record" : "not an .npz (ZIP) archive");
  let count = u16(bytes, eocd + 10);
  let cdSize = u32(bytes, eocd + 12);
  let cdOffset = u32(bytes, eocd + 16);
  if (eocd >= 20 && u32(bytes, eocd - 20) === SIG_ZIP64_LOCATOR) {
    const z = u64(bytes, eocd - 12, file);
    need(z, 56, "ZIP64 end-of-central-directory record");
    if (u32(bytes, z) !== SIG_ZIP64_EOCD) throw new NpyError(file, `bad ZIP64 end-of-central-directory signature at offset ${z}`);
    count = u64(bytes, z + 32, file);
    cdSize = u64(bytes, z + 40, file);
    cdOffset = u64(bytes, z + 48, file);
  }
  need(cdOffset, cdSize, "central directory");
  if (count > cdSize / 46) throw new NpyError(file, `central directory claims ${count} entries in ${cdSize} bytes`);
  const out: NpzMemberInfo[] = [];
  let o = cdOffset;
  for (let i = 0; i < count; i++) {
    need(o, 46, `central directory entry ${i}`);
    if (u32(bytes, o) !== SIG_CENTRAL) throw new NpyError(file, `bad central directory signature at offset ${o}`);
    const flags = u16(bytes, o + 8);
    const method = u16(bytes, o + 10);
    const crc = u32(bytes, o + 16);
    let compressedSize = u32(bytes, o + 20);
    let size = u32(bytes, o + 24);
    const nameLen = u16(bytes, o + 28);
    const extraLen = u16(bytes, o + 30);
    const commentLen = u16(bytes, o + 32);
    let localHeaderOffset = u32(bytes, o + 42);
    need(o + 46, nameLen + extraLen + commentLen, `central directory entry ${i} name/extra`);
    const nameBytes = bytes.subarray(o + 46, o + 46 + nameLen);
    const path = flags & 0x800 ? decodeUtf8(nameBytes, file) : String.fromCharCode(...nameBytes);
    // ZIP64 extended information: the fields that are 0xFFFFFFFF, in this order.
    let e = o + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = u16(bytes, e);
      const len = u16(bytes, e + 2);
      if (e + 4 + len > extraEnd) throw new NpyError(file, `malformed extra field in entry '${path}'`);
      if (id === 0x0001) {
        let p = e + 4;
        const take = (): number => {
          if (p + 8 > e + 4 + len) throw new NpyError(file, `short ZIP64 extra field in entry '${path}'`);
          const v = u64(bytes, p, file);
          p += 8;
          return v;
        };
        if (size === 0xffffffff) size = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
      }
      e += 4 + len;
    }
    if (flags & 0x1) throw new NpyError(file, `member '${path}' is encrypted`);
    if (!path.endsWith("/")) {
      const name = path.endsWith(".npy") ? path.slice(0, -4) : path;
      out.push({ name, path, method, compressedSize, size, crc32: crc, localHeaderOffset });
    }
    o = extraEnd + commentLen;
  }
  return out;
}

function decodeUtf8(b: Uint8Array, file: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(b);
  } catch (e) {
    throw new NpyError(file, "member name is not valid UTF-8", { cause: e });
  }
}

function extractMember(bytes: Uint8Array, file: string, m: NpzMemberInfo): Uint8Array {
  const lh = m.localHeaderOffset;
  if (lh + 30 > bytes.length || u32(bytes, lh) !== SIG_LOCAL)
    throw new NpyError(file, `member '${m.path}': no local file header at offset ${lh}`);
  const start = lh + 30 + u16(bytes, lh + 26) + u16(bytes, lh + 28);
  if (start + m.compressedSize > bytes.length) {
    throw new NpyError(file, `member '${m.path}': ${m.compressedSize} compressed bytes at offset ${start} run past the end of the archive`);
  }
  const src = bytes.subarray(start, start + m.compressedSize);
  let data: Uint8Array;
  if (m.method === 0) {
    if (m.compressedSize !== m.size)
      throw new NpyError(file, `member '${m.path}' is stored but declares ${m.size} bytes for ${m.compressedSize} stored`);
    data = src;
  } else if (m.method === 8) {
    data = inflateExactly(src, m, file);
  } else {
    throw new NpyError(file, `member '${m.path}' uses unsupported compression method ${m.method}`);
  }
  const actual = crc32(data);
  if (actual !== m.crc32) throw new NpyError(file, `member '${m.path}': CRC-32 mismatch`);
  return data;
}

class Overflow extends Error {}

/** Inflates into a buffer of the declared size; stops as soon as the output would exceed it. */
function inflateExactly(src: Uint8Array, m: NpzMemberInfo, file: string): Uint8Array {
  // DEFLATE cannot expand more than ~1032:1; a larger claim is corrupt or hostile, and refusing it
  // keeps the output allocation proportional to the archive.
  if (m.size > m.compressedSize * MAX_DEFLATE_RATIO + 1024) {
    throw new NpyError(
      file,
      `member '${m.path}' declares ${m.size} bytes from ${m.compressedSize} compressed bytes, beyond what DEFLATE can produce`,
    );
  }
  const out = new Uint8Array(m.size);
  let written = 0;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    if (written + chunk.length > out.length) throw new Overflow();
    out.set(chunk, written);
    written += chunk.length;
    if (final) ended = true;
  });
  try {
    for (let p = 0; p < src.length; p += INFLATE_CHUNK) {
      const end = Math.min(src.length, p + INFLATE_CHUNK);
      inflater.push(src.subarray(p, end), end === src.length);
    }
    if (src.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (e) {
    if (e instanceof Overflow) {
      throw new NpyError(
        file,
        `member '${m.path}' inflates to more than the ${m.size} bytes it declares (refusing a possible decompression bomb)`,
      );
    }
    throw new NpyError(file, `member '${m.path}': corrupt deflate data (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  if (!ended && written !== m.size) throw new NpyError(file, `member '${m.path}': deflate stream ended early`);
  if (written !== m.size) throw new NpyError(file, `member '${m.path}' inflated to ${written} bytes, the archive declares ${m.size}`);
  return out;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as used by ZIP). */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
