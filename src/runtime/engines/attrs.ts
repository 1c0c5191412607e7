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
