/**
 * Keys of the entries that hold the slices of a partitioned variable. TensorFlow's checkpoint code
 * stores each slice under an OrderedCode key (facts from tensorflow/core/util/saved_tensor_slice_util
 * and lib/strings/ordered_code):
 *   NumIncreasing(0) · String(name) · NumIncreasing(rank) · for each dim: SignedNumIncreasing(start),
 *   SignedNumIncreasing(length)   (a full extent is start 0, length -1)
 * NumIncreasing(v): one length byte, then v big-endian without leading zero bytes (0 -> "\x00").
 * String(s): s with 0x00 -> 00 ff and 0xff -> ff 00, then the separator 00 01.
 * SignedNumIncreasing(v): 1..10 bytes; the first bits are the sign bit (1 = non-negative) followed by
 *   (length - 1) copies of it and one opposite bit, then the value in two's complement; negative
 *   numbers are the bit inversion of the encoding of ~v.
 */

/** One dimension of a slice: `length` -1 means the whole dimension (then `start` is 0). */
export interface SliceExtent {
  readonly start: number;
  readonly length: number;
}

export type TensorSlice = readonly SliceExtent[];

export function encodeSliceKey(name: Uint8Array, slice: TensorSlice): Uint8Array {
  const out: number[] = [0x00]; // NumIncreasing(0)
  for (const b of name) {
    if (b === 0x00) out.push(0x00, 0xff);
    else if (b === 0xff) out.push(0xff, 0x00);
    else out.push(b);
  }
  out.push(0x00, 0x01);
  pushNumIncreasing(out, slice.length);
  for (const e of slice) {
    pushSignedNumIncreasing(out, e.start);
    pushSignedNumIncreasing(out, e.length);
  }
  return Uint8Array.from(out);
}

/** The full tensor's key bytes and the slice, when `key` is a well-formed slice key; otherwise undefined. */
export function decodeSliceKey(key: Uint8Array): { name: Uint8Array; slice: SliceExtent[] } | undefined {
  if (key.length < 4 || key[0] !== 0x00) return undefined;
  let pos = 1;
  const name: number[] = [];
  for (;;) {
    if (pos + 1 >= key.length) return undefined;
    const b = key[pos] as number;
    const next = key[pos + 1] as number;
    if (b === 0x00) {
      if (next === 0x01) {
        pos += 2;
        break;
      }
      if (next !== 0xff) return undefined;
      name.push(0x00);
      pos += 2;
    } else if (b === 0xff) {
      if (next !== 0x00) return undefined;
      name.push(0xff);
      pos += 2;
    } else {
      name.push(b);
      pos += 1;
    }
  }
  const rankLen = key[pos];
  if (rankLen === undefined || rankLen > 2 || pos + 1 + rankLen > key.length) return undefined;
  let rank = 0;
  for (let i = 0; i < rankLen; i++) rank = rank * 256 + (key[pos + 1 + i] as number);
  pos += 1 + rankLen;
  if (rank === 0) return undefined;
  const slice: SliceExtent[] = [];
  for (let d = 0; d < rank; d++) {
    const s = readSignedNumIncreasing(key, pos);
    if (!s) return undefined;
    const l = readSignedNumIncreasing(key, s.next);
    if (!l) return undefined;
    slice.push({ start: s.value, length: l.value });
    pos = l.next;
  }
  if (pos !== key.length) return undefined;
  return { name: Uint8Array.from(name), slice };
}

/** A box of a partitioned tensor: resolved starts and lengths per dimension. */
export interface SliceBox {
  readonly starts: readonly number[];
  readonly lengths: readonly number[];
}

/** Most slices one partitioned variable may list (the overlap check is pairwise). */
export const MAX_SLICES = 10_000;

/**
 * The first pair of boxes that share an element, or undefined. With no overlap, boxes inside the
 * shape whose volumes add up to the tensor's element count tile it exactly (no gap either).
 */
export function firstOverlap(boxes: readonly SliceBox[]): [number, number] | undefined {
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i]!;
    if (a.lengths.some((l) => l === 0)) continue;
    for (let j = i + 1; j < boxes.length; j++) {
      const b = boxes[j]!;
      let overlap = true;
      for (let d = 0; d < a.starts.length && overlap; d++) {
        const [as, al, bs, bl] = [a.starts[d]!, a.lengths[d]!, b.starts[d]!, b.lengths[d]!];
        overlap = as < bs + bl && bs < as + al;
      }
      if (overlap) return [i, j];
    }
  }
  return undefined;
}

function pushNumIncreasing(out: number[], v: number): void {
  const bytes: number[] = [];
  while (v > 0) {
    bytes.unshift(v % 256);
    v = Math.floor(v / 256);
  }
  out.push(bytes.length, ...bytes);
}

/** Encoding length for SignedNumIncreasing: n bytes hold [-2^(7n-1), 2^(7n-1)). */
function signedLength(v: bigint): number {
  const x = v < 0n ? ~v : v;
  const bits = x === 0n ? 0 : x.toString(2).length; // bit length of the magnitude
  return Math.min(10, Math.floor(bits / 7) + 1);
}

function pushSignedNumIncreasing(out: number[], value: number): void {
  const v = BigInt(value);
  const n = signedLength(v);
  const x = v < 0n ? ~v : v;
  // Header: n leading one-bits (sign + n-1 size bits) over an n-byte big-endian field, then the value.
  const totalBits = BigInt(8 * n);
  const header = ((1n << BigInt(n)) - 1n) << (totalBits - BigInt(n));
  let enc = header | x;
  if (v < 0n) enc = ~enc & ((1n << totalBits) - 1n);
  for (let i = n - 1; i >= 0; i--) out.push(Number((enc >> BigInt(8 * i)) & 0xffn));
}

function readSignedNumIncreasing(key: Uint8Array, pos: number): { value: number; next: number } | undefined {
  const first = key[pos];
  if (first === undefined) return undefined;
  const negative = (first & 0x80) === 0;
  // Count leading bits equal to the sign bit, over the first two bytes (lengths up to 10).
  const two = ((negative ? ~first : first) & 0xff) * 256 + (((negative ? ~(key[pos + 1] ?? 0) : (key[pos + 1] ?? 0)) as number) & 0xff);
  let n = 0;
  while (n < 11 && (two & (0x8000 >> n)) !== 0) n++;
  if (n < 1 || n > 10 || pos + n > key.length) return undefined;
  let enc = 0n;
  for (let i = 0; i < n; i++) enc = (enc << 8n) | BigInt(key[pos + i] as number);
  const totalBits = BigInt(8 * n);
  if (negative) enc = ~enc & ((1n << totalBits) - 1n);
  const header = ((1n << BigInt(n)) - 1n) << (totalBits - BigInt(n));
  let v = enc & ~header & ((1n << totalBits) - 1n);
  if (negative) v = ~v;
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) return undefined;
  return { value: Number(v), next: pos + n };
}
