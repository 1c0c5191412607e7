// Random ops: Philox4x32-10 against the Random123 known-answer vectors (Salmon et al., "Parallel random
// numbers: as easy as 1, 2, 3", kat_vectors), and reproducibility / distribution on both backends.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import { loadModel } from "../../../src/runtime/index.js";
import { philox } from "../../../src/runtime/engines/kernels/random.js";
import { BACKENDS, graphModel, int, konst, type, type Node } from "./graphModel.js";

const hex = (xs: number[]) => xs.map((x) => x.toString(16).padStart(8, "0")).join(" ");
const I32 = DataType.DT_INT32;
const F = DataType.DT_FLOAT;

describe("random ops", () => {
  it("Philox4x32-10 matches the Random123 known answers", () => {
    assert.equal(hex(philox([0, 0, 0, 0], [0, 0])), "6627e8d5 e169c58d bc57ac4c 9b00dbd8");
    assert.equal(
      hex(philox([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff])),
      "408f276d 41c83b0e a20bc7c6 6d5451fd",
    );
    assert.equal(
      hex(philox([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0])),
      "d16cfe09 94fdcceb 5001e420 24126ea1",
    );
  });

  const nodes: Node[] = [
    konst("shape", I32, [4000], [1]),
    konst("seed", I32, [7, 11], [2]),
    konst("seed2", I32, [7, 12], [2]),
    konst("logits", F, [0, 0, 5, 0, -Infinity, 0], [2, 3]),
    konst("n", I32, [500], []),
    { name: "u", op: "RandomUniform", input: ["shape"], attr: { dtype: type(F), T: type(I32) } },
    { name: "u_seeded", op: "RandomUniform", input: ["shape"], attr: { dtype: type(F), T: type(I32), seed: int(3), seed2: int(4) } },
    { name: "n01", op: "RandomStandardNormal", input: ["shape"], attr: { dtype: type(F), T: type(I32) } },
    { name: "tn", op: "TruncatedNormal", input: ["shape"], attr: { dtype: type(F), T: type(I32) } },
    { name: "su", op: "StatelessRandomUniform", input: ["shape", "seed"], attr: { dtype: type(F), T: type(I32), Tseed: type(I32) } },
    { name: "su2", op: "StatelessRandomUniform", input: ["shape", "seed2"], attr: { dtype: type(F), T: type(I32), Tseed: type(I32) } },
    {
      name: "mn",
      op: "StatelessMultinomial",
      input: ["logits", "n", "seed"],
      attr: { T: type(F), Tseed: type(I32), output_dtype: type(I32) },
    },
  ];
  const outs = {
    u: ["u:0", F],
    us: ["u_seeded:0", F],
    n01: ["n01:0", F],
    tn: ["tn:0", F],
    su: ["su:0", F],
    su2: ["su2:0", F],
    mn: ["mn:0", I32],
  } as const;

  for (const backend of BACKENDS) {
    it(`is reproducible and has the right distributions (${backend})`, async () => {
      const m = await loadModel(graphModel(nodes, {}, outs), "m", { backend });
      try {
        const p = await m.prepare("serving_default");
        const a = (await p.run({})).outputs;
        const b = (await p.run({})).outputs;
        const c = (await p.run({}, { seed: 99 })).outputs;
        const v = (k: string, o = a) => Array.from(o[k]!.data as Float32Array);
        for (const k of Object.keys(outs)) assert.deepEqual(v(k), v(k, b), `${k} differs between runs`);
        // The run seed changes ops without their own seed only.
        assert.notDeepEqual(v("u"), v("u", c));
        assert.deepEqual(v("us"), v("us", c));
        assert.deepEqual(v("su"), v("su", c));
        assert.notDeepEqual(v("su"), v("su2"));
        const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
        const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
        assert.ok(v("u").every((x) => x >= 0 && x < 1));
        assert.ok(Math.abs(mean(v("u")) - 0.5) < 0.02);
        assert.ok(Math.abs(mean(v("n01"))) < 0.06 && Math.abs(sd(v("n01")) - 1) < 0.05);
        assert.ok(v("tn").every((x) => Math.abs(x) < 2));
        // Row 0 puts ~98.7 % of the mass on class 2; row 1 never draws class 1 (logit -inf).
        const mn = v("mn");
        assert.ok(mn.slice(0, 500).filter((x) => x === 2).length > 470);
        assert.ok(!mn.slice(500).includes(1));
      } finally {
        m.dispose();
      }
    });
  }
});
