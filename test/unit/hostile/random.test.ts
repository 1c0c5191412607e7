// Seeded generator pass over the hostile shapes (fan-out, loops, splats, parse shapes, wide sums,
// regexes): random sizes around the budgets; every case must end with a result or a typed error,
// quickly. `HOSTILE_SEED` / `HOSTILE_CASES` run other seeds / more cases locally.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import { StudioError } from "../../../src/core/errors.js";
import type { MemorySource } from "../../../src/core/io.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import { loadModel } from "../../../src/runtime/index.js";
import {
  fanOut,
  parseExampleDense,
  recursiveWhile,
  regexModel,
  splatChain,
  stringSplat,
  whileForever,
  wideAddN,
  rng,
} from "./generators.js";

const SEED = Number(process.env["HOSTILE_SEED"] ?? 17);
const CASES = Number(process.env["HOSTILE_CASES"] ?? 24);
const MiB = 1024 * 1024;

const f32 = (values: number[]): HostTensor => ({ dtype: DataType.DT_FLOAT, shape: [values.length], data: Float32Array.from(values) });
const enc = new TextEncoder();

type Case = { name: string; src: MemorySource; feeds: Record<string, HostTensor> };

const SHAPES: ((r: () => number) => Case)[] = [
  (r) => {
    const d = 1 + Math.floor(r() * 24);
    return { name: `fanOut(${d})`, src: fanOut(d), feeds: { x: f32([1]) } };
  },
  (r) => {
    const n = 2 + Math.floor(r() * 5);
    const e = Math.floor(2 ** (10 + r() * 14));
    return { name: `splatChain(${n}, ${e})`, src: splatChain(n, e), feeds: {} };
  },
  (r) => {
    const e = Math.floor(2 ** (4 + r() * 26));
    return { name: `stringSplat(${e})`, src: stringSplat(e), feeds: {} };
  },
  (r) => {
    const e = Math.floor(2 ** (2 + r() * 28));
    return {
      name: `parseExampleDense(${e})`,
      src: parseExampleDense(e),
      feeds: { serialized: { dtype: DataType.DT_STRING, shape: [1], data: [new Uint8Array(0)] } },
    };
  },
  (r) => {
    const n = 1 + Math.floor(r() * 5000);
    return { name: `wideAddN(${n})`, src: wideAddN(n), feeds: { x: f32([1]) } };
  },
  () => ({ name: "whileForever", src: whileForever(), feeds: { x: f32([0]) } }),
  () => ({ name: "recursiveWhile", src: recursiveWhile(), feeds: { x: f32([0]) } }),
  (r) => {
    const pattern = ["(a+)+$", "(a|aa)+b", "(.*a){12}", "((a*)*)*c", "(x+x+)+y"][Math.floor(r() * 5)]!;
    const len = Math.floor(r() * 4000);
    return {
      name: `regex(${pattern}, ${len})`,
      src: regexModel(pattern),
      feeds: { s: { dtype: DataType.DT_STRING, shape: [1], data: [enc.encode("a".repeat(len) + "!")] } },
    };
  },
];

void test(`hostile generators (seed ${SEED}, ${CASES} cases): a result or a typed error within 5 s each`, async () => {
  const r = rng(SEED);
  for (let i = 0; i < CASES; i++) {
    const c = SHAPES[Math.floor(r() * SHAPES.length)]!(r);
    const t0 = performance.now();
    try {
      const m = await loadModel(c.src, "m", {
        backend: "cpu",
        fastPath: false,
        limits: { maxRunBytes: 64 * MiB, maxLoopMs: 300, maxPlanNodes: 20_000 },
      });
      try {
        await (await m.prepare("serving_default")).run(c.feeds);
      } finally {
        m.dispose();
      }
    } catch (e) {
      assert.ok(e instanceof StudioError, `${c.name}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
    const ms = performance.now() - t0;
    assert.ok(ms < 5000, `${c.name}: ${Math.round(ms)} ms`);
  }
});
