/** Readers of plan-node attributes shared by the kernels, the fusion pass and the fast path. */
import { toNumber } from "../tensorproto.js";
import type { PlanNode } from "../plan.js";

const utf8 = new TextDecoder();

/** A string attribute (`padding`, `data_format`, ...), or `def` when absent. */
export function aStr(node: PlanNode, name: string, def = ""): string {
  const v = node.attrs[name]?.s;
  return v ? utf8.decode(v) : def;
}

/** A list-of-ints attribute (`strides`, `ksize`, ...), [] when absent. */
export function aInts(node: PlanNode, name: string): number[] {
  return (node.attrs[name]?.list?.i ?? []).map((x) => toNumber(x));
}

/** An int attribute (`k`, `block_size`, `axis`, ...), or `def` when absent. */
export function aInt(node: PlanNode, name: string, def = 0): number {
  const v = node.attrs[name]?.i;
  return v === undefined || v === null ? def : toNumber(v);
}

/** A bool attribute, or `def` when absent. */
export function aBool(node: PlanNode, name: string, def = false): boolean {
  const v = node.attrs[name]?.b;
  return v === undefined || v === null ? def : v;
}

/** A float attribute, or `def` when absent. */
export function aFloat(node: PlanNode, name: string, def = 0): number {
  const v = node.attrs[name]?.f;
  return v === undefined || v === null ? def : v;
}

/** A type attribute (a tensorflow.DataType number), or `def` when absent. */
export function aType(node: PlanNode, name: string, def = 0): number {
  return node.attrs[name]?.type ?? def;
}

/** A list-of-floats attribute (`boundaries`, ...), [] when absent. */
export function aFloats(node: PlanNode, name: string): number[] {
  return [...(node.attrs[name]?.list?.f ?? [])];
}
