/**
 * The one set of attribute readers of the embedded engine (kernels, checks, fusion, fast path, loop
 * frames): each takes anything with `attrs` (a plan node or a graph node) and a default.
 */
import { toNumber } from "../tensorproto.js";
import type { AttrMap } from "../plan.js";
import type { tensorflow } from "../../core/proto/index.js";

type Attributed = { readonly attrs: AttrMap };

const utf8 = new TextDecoder();

/** A string attribute (`padding`, `data_format`, ...), or `def` when absent. */
export function aStr(node: Attributed, name: string, def = ""): string {
  const v = node.attrs[name]?.s;
  return v ? utf8.decode(v) : def;
}

/** A list-of-ints attribute (`strides`, `ksize`, ...), [] when absent. */
export function aInts(node: Attributed, name: string): number[] {
  return (node.attrs[name]?.list?.i ?? []).map((x) => toNumber(x));
}

/** An int attribute (`k`, `block_size`, `axis`, ...), or `def` when absent. */
export function aInt(node: Attributed, name: string, def = 0): number {
  const v = node.attrs[name]?.i;
  return v === undefined || v === null ? def : toNumber(v);
}

/** A bool attribute, or `def` when absent. */
export function aBool(node: Attributed, name: string, def = false): boolean {
  const v = node.attrs[name]?.b;
  return v === undefined || v === null ? def : v;
}

/** A float attribute, or `def` when absent. */
export function aFloat(node: Attributed, name: string, def = 0): number {
  const v = node.attrs[name]?.f;
  return v === undefined || v === null ? def : v;
}

/** A type attribute (a tensorflow.DataType number), or `def` when absent. */
export function aType(node: Attributed, name: string, def = 0): number {
  return node.attrs[name]?.type ?? def;
}

/** A list-of-floats attribute (`boundaries`, ...), [] when absent. */
export function aFloats(node: Attributed, name: string): number[] {
  return [...(node.attrs[name]?.list?.f ?? [])];
}

/** A list-of-types attribute (`Tdense`, `sparse_types`, ...), [] when absent. */
export function aTypes(node: Attributed, name: string): number[] {
  return [...(node.attrs[name]?.list?.type ?? [])];
}

/** A list-of-shapes attribute: each shape's dims (-1 unknown), null for an unknown rank. */
export function aShapes(node: Attributed, name: string): (number[] | null)[] {
  return (node.attrs[name]?.list?.shape ?? []).map((s) => (s.unknown_rank ? null : (s.dim ?? []).map((d) => toNumber(d.size))));
}

/** A shape attribute's dims (-1 unknown), null when absent or of unknown rank. */
export function aShape(node: Attributed, name: string): number[] | null {
  const s = node.attrs[name]?.shape;
  return !s || s.unknown_rank ? null : (s.dim ?? []).map((d) => toNumber(d.size));
}

/** A function attribute's name (`then_branch`, `body`, ...), "" when absent. */
export function aFunc(node: Attributed, name: string): string {
  return node.attrs[name]?.func?.name ?? "";
}

/** A bytes attribute (`separator`, ...) as stored, `def` when absent. */
export function aBytes(node: Attributed, name: string, def = new Uint8Array()): Uint8Array {
  return node.attrs[name]?.s ?? def;
}

/** A list-of-functions attribute's names (`branches`), [] when absent. */
export function aFuncs(node: Attributed, name: string): string[] {
  return (node.attrs[name]?.list?.func ?? []).map((f) => f.name ?? "");
}

/** A list-of-strings attribute decoded as UTF-8 (`row_partition_types`), [] when absent. */
export function aStrs(node: Attributed, name: string): string[] {
  return (node.attrs[name]?.list?.s ?? []).map((b) => utf8.decode(b));
}

/** A tensor attribute (`value` of a Const), undefined when absent. */
export function aTensor(node: Attributed, name: string): tensorflow.TensorProto.$Properties | undefined {
  return node.attrs[name]?.tensor ?? undefined;
}
