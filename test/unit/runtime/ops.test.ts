// New op kernels (engines/kernels/*.ts) against numpy / Python reference values on both backends.
// The values come from test/unit/runtime/ops/refs.py (TensorFlow's documented semantics, written
// independently of the kernels); regenerate refs.json with that script.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import Long from "long";
import { DataType } from "../../../src/core/dtype.js";
import { StudioError } from "../../../src/core/errors.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import { BACKENDS, graphModel, konst, runOnce, type Attr, type Node } from "./graphModel.js";

interface RefTensor {
  dtype: "float32" | "int32" | "bool" | "string";
  shape: number[];
  /** Strings as text, or `{ hex }` for raw bytes (ill-formed UTF-8 inputs). */
  values: (number | boolean | string | { hex: string })[];
}
interface RefCase {
  name: string;
  op: string;
  attrs: Record<string, Record<string, unknown>>;
  inputs: RefTensor[];
  outputs?: RefTensor[];
  error?: string;
  atol: number;
}

const REFS = JSON.parse(readFileSync(join(import.meta.dirname, "ops", "refs.json"), "utf8")) as { cases: RefCase[] };
const DTYPES = { float32: DataType.DT_FLOAT, int32: DataType.DT_INT32, bool: DataType.DT_BOOL, string: DataType.DT_STRING };

function attrOf(a: Record<string, unknown>): Attr {
  if ("list_i" in a) return { list: { i: (a["list_i"] as number[]).map((x) => Long.fromNumber(x)) } };
  if ("list_s" in a) return { list: { s: (a["list_s"] as string[]).map((x) => new TextEncoder().encode(x)) } };
  if ("list_f" in a) return { list: { f: a["list_f"] as number[] } };
  if ("i" in a) return { i: Long.fromNumber(a["i"] as number) };
  if ("s" in a) return { s: new TextEncoder().encode(a["s"] as string) };
  return a as Attr;
}

function model(c: RefCase) {
  const nodes: Node[] = c.inputs.map((t, i) =>
    konst(
      `in${i}`,
      DTYPES[t.dtype],
      t.values.map((v) => (typeof v === "boolean" ? Number(v) : typeof v === "object" ? Buffer.from(v.hex, "hex") : v)),
      t.shape,
    ),
  );
  nodes.push({
    name: "op",
    op: c.op,
    input: c.inputs.map((_, i) => `in${i}`),
    attr: Object.fromEntries(Object.entries(c.attrs).map(([k, v]) => [k, attrOf(v)])),
  });
  const outs = Object.fromEntries((c.outputs ?? [{ dtype: "float32" }]).map((o, k) => [`out${k}`, [`op:${k}`, DTYPES[o.dtype]] as const]));
  return graphModel(nodes, {}, outs);
}

function check(name: string, got: HostTensor | undefined, want: RefTensor, atol: number): void {
  assert.ok(got, `${name}: missing output`);
  assert.deepEqual([...got.shape], want.shape, `${name}: shape`);
  const hex = want.values.some((v) => typeof v === "object");
  const text = (v: Uint8Array) => (hex ? Buffer.from(v).toString("hex") : new TextDecoder().decode(v));
  const values = Array.from(got.data as ArrayLike<number | Uint8Array>, (v) => (v instanceof Uint8Array ? text(v) : v));
  const expected = want.values.map((v) => (typeof v === "boolean" ? Number(v) : typeof v === "object" ? v.hex : v));
  if (want.dtype !== "float32") return assert.deepEqual(values, expected, name);
  values.forEach((v, i) => {
    const e = expected[i] as number;
    assert.ok(Math.abs((v as number) - e) <= atol + 1e-5 * Math.abs(e), `${name}: [${i}] ${v} vs ${e}`);
  });
}

describe("op kernels against numpy references", () => {
  for (const backend of BACKENDS) {
    for (const c of REFS.cases) {
      it(`${c.name} (${backend})`, async () => {
        const src = model(c);
        if (c.error) {
          await assert.rejects(runOnce(src, backend, {}), (e: unknown) => {
            assert.ok(e instanceof StudioError, String(e));
            assert.ok(e.message.includes(c.error!), e.message);
            assert.match(e.message, /\bop\b/, "names the node");
            return true;
          });
          return;
        }
        const out = await runOnce(src, backend, {});
        c.outputs!.forEach((o, k) => check(`${c.name} output ${k}`, out[`out${k}`], o, c.atol));
      });
    }
  }
});
