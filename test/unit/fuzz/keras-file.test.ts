// CI-bounded fuzzing of the Keras model-file reader (see harness.ts for the property). Fixed seed: reproducible.
import { it } from "node:test";
import { fuzzInCi } from "./ci.js";
import { kerasFileTarget } from "./targets.js";

it("fuzz keras-file: mutated .keras/.h5 files end in a result or a typed error, within 1 s and 256 MB", { timeout: 120_000 }, async () => {
  await fuzzInCi(kerasFileTarget, { seed: 111, runs: 1500, timeLimitMs: 5_000 });
});
