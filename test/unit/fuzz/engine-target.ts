/**
 * Fuzz target "engine" (issue 17): the hostile shapes of test/unit/hostile/generators.ts (fan-out, loops,
 * recursion, splats, parse shapes, wide sums, regexes) as seeds, mutated structure-aware, then loaded,
 * prepared and run on the embedded engine with small budgets: every case ends in a result or a typed error.
 */
import { DataType } from "../../../src/core/dtype.js";
import { MemorySource } from "../../../src/core/io.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import { loadModel, type TensorSpec } from "../../../src/runtime/index.js";
import {
  countingWhile,
  fanOut,
  parseExampleDense,
  recursiveWhile,
  regexModel,
  splatChain,
  stringSplat,
  modelBytes,
  whileForever,
  wideAddN,
} from "../hostile/generators.js";
import type { Seed, Target } from "./harness.js";
import { protoMutation } from "./mutate.js";

const MiB = 1024 * 1024;
/** Small budgets: a case must end within the fuzzer's 1 s and 256 MB. */
const LIMITS = { maxRunBytes: 64 * MiB, maxLoopMs: 300, maxFunctionCalls: 20_000, maxPlanNodes: 20_000 };

const GENERATORS: Readonly<Record<string, () => MemorySource>> = {
  fanOut: () => fanOut(8),
  splatChain: () => splatChain(4, 1 << 20),
  stringSplat: () => stringSplat(1 << 16),
  whileForever,
  countingWhile: () => countingWhile(50),
  recursiveWhile,
  parseExampleDense: () => parseExampleDense(64),
  wideAddN: () => wideAddN(300),
  regex: () => regexModel("(a+)+$"),
};

const seeds = (): Seed[] => Object.entries(GENERATORS).map(([name, make]) => ({ name: `hostile:${name}`, bytes: modelBytes(make()) }));

const enc = new TextEncoder();
/** A small feed for an input of any shape: one element (strings: a regex-hostile text). */
function feedFor(spec: TensorSpec): HostTensor | undefined {
  if (spec.dtype === DataType.DT_FLOAT) return { dtype: DataType.DT_FLOAT, shape: [1], data: Float32Array.of(1) };
  if (spec.dtype === DataType.DT_STRING) return { dtype: DataType.DT_STRING, shape: [1], data: [enc.encode("a".repeat(64) + "!")] };
  if (spec.dtype === DataType.DT_INT32) return { dtype: DataType.DT_INT32, shape: [1], data: Int32Array.of(1) };
  return undefined;
}

export const engineTarget: Target = {
  name: "engine",
  seeds,
  mutation: protoMutation,
  async run(input) {
    const m = await loadModel(new MemorySource({ "m/saved_model.pb": input }), "m", { backend: "cpu", fastPath: false, limits: LIMITS });
    try {
      for (const key of m.signatureKeys) {
        const sig = await m.prepare(key);
        const feeds: Record<string, HostTensor> = {};
        for (const i of sig.inputs) {
          const f = feedFor(i);
          if (f) feeds[i.key] = f;
        }
        await sig.run(feeds);
      }
    } finally {
      m.dispose();
    }
  },
};
