// Run by isolation.test.ts in a child process with a clean environment: a process-wide
// --max-old-space-size (the test runner sets one in NODE_OPTIONS) overrides a worker's heap cap.
// Prints the outcome of a run that exhausts the worker's heap as one JSON line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StudioError } from "../../../src/core/errors.js";
import { loadModelIsolated } from "../../../src/node/isolatedEngine.js";
import { stringSplat } from "./generators.js";

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), "heap-cap-"));
  try {
    const dir = join(tmp, "m");
    mkdirSync(dir);
    writeFileSync(join(dir, "saved_model.pb"), await stringSplat(2 ** 24).read("m/saved_model.pb"));
    // The run budget is lifted on purpose so the heap cap is what stops it.
    const m = await loadModelIsolated(
      dir,
      { backend: "cpu", limits: { maxRunBytes: Number.MAX_SAFE_INTEGER } },
      { script: join(__dirname, "../../../src/node/engine-worker.ts"), maxHeapMb: 96 },
    );
    const sig = await m.prepare("serving_default");
    const outcome = await sig.run({}).then(
      () => ({ code: "OK" }),
      (e: unknown) => ({ code: e instanceof StudioError ? e.code : "UNTYPED", message: String(e) }),
    );
    // The host is alive and a fresh engine answers.
    const again = await m.prepare("serving_default");
    m.dispose();
    process.stdout.write(
      JSON.stringify({ ...outcome, reprepared: again.outputs.length, hostHeapMb: process.memoryUsage().heapUsed / 2 ** 20 }) + "\n",
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
