// Issue 17, item 1: the engine runs in a worker thread. Cancel stops even a synchronous endless loop
// within a second; a run that exhausts the worker's heap is a typed error; the host lives on and the
// next call gets a fresh engine.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { after, test } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import { StudioError } from "../../../src/core/errors.js";
import type { MemorySource } from "../../../src/core/io.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import { loadModelIsolated } from "../../../src/node/isolatedEngine.js";
import { traceIsolated } from "../../../src/node/isolatedTrace.js";
import { recordTrace } from "../../../src/node/recordTrace.js";
import { REPO_ROOT } from "../helpers/fixtures.js";
import { countingWhile, fanOut, whileForever } from "./generators.js";

const SCRIPT = join(REPO_ROOT, "src/node/engine-worker.ts");
const tmp = mkdtempSync(join(tmpdir(), "hostile-iso-"));
after(() => rmSync(tmp, { recursive: true, force: true }));
const f32 = (values: number[]): HostTensor => ({ dtype: DataType.DT_FLOAT, shape: [values.length], data: Float32Array.from(values) });

/** Writes a generated model to disk (the worker reads files itself). */
async function onDisk(name: string, src: MemorySource): Promise<string> {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "saved_model.pb"), await src.read("m/saved_model.pb"));
  return dir;
}

const isCode = (code: string) => (e: unknown) => e instanceof StudioError && e.code === code;

void test("isolated: results equal the in-process engine's", async () => {
  const m = await loadModelIsolated(await onDisk("fan", fanOut(3)), { backend: "cpu" }, { script: SCRIPT });
  try {
    assert.equal(m.engine, "embedded");
    const sig = await m.prepare("serving_default");
    assert.deepEqual(
      sig.inputs.map((i) => i.key),
      ["x"],
    );
    const r = await sig.run({ x: f32([1, 2]) });
    assert.deepEqual(Array.from(r.outputs["y"]!.data as Float32Array), [8, 16]);
  } finally {
    m.dispose();
  }
});

void test("isolated: cancelling an endless While stops it within 1 s; the next call gets a fresh engine", async () => {
  const m = await loadModelIsolated(
    await onDisk("loop", whileForever()),
    { backend: "cpu", limits: { maxLoopMs: 600_000 } },
    { script: SCRIPT },
  );
  try {
    const sig = await m.prepare("serving_default");
    const ac = new AbortController();
    const started = sig.run({ x: f32([0]) }, { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    ac.abort();
    await assert.rejects(started, isCode("CANCELLED"));
    assert.ok(performance.now() - t0 < 1000, `${Math.round(performance.now() - t0)} ms`);
    // A fresh worker loads the model again and prepares the signature.
    const again = await m.prepare("serving_default");
    assert.deepEqual(
      again.outputs.map((o) => o.key),
      ["y"],
    );
  } finally {
    m.dispose();
  }
});

void test("isolated: a run that exhausts the worker's heap is a typed error; the host survives", () => {
  const env = { ...process.env };
  delete env["NODE_OPTIONS"];
  const t0 = performance.now();
  const out = execFileSync(process.execPath, ["--import", "tsx", join(__dirname, "heap-cap-child.ts")], {
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
  const r = JSON.parse(out.trim().split("\n").pop()!) as { code: string; message: string; reprepared: number; hostHeapMb: number };
  assert.equal(r.code, "LIMIT_EXCEEDED", r.message);
  assert.match(r.message, /ran out of memory/);
  assert.equal(r.reprepared, 1);
  assert.ok(r.hostHeapMb < 512, `host heap ${r.hostHeapMb} MiB`);
  assert.ok(performance.now() - t0 < 30_000);
});

void test("Run with Trace in the worker: rows as recorded in process; Cancel stops a traced long loop within 1 s", async () => {
  const dir = await onDisk("trace-fan", fanOut(2));
  const args = { model: dir, inputExprs: { x: "[1.0]" }, backend: "cpu" as const };
  const inWorker = await traceIsolated(args, { script: SCRIPT });
  const inProcess = await recordTrace(args);
  assert.equal(inWorker.error, undefined);
  assert.deepEqual(
    inWorker.rows.map((r) => [r.node, r.op, r.outputs, r.mean]),
    inProcess.rows.map((r) => [r.node, r.op, r.outputs, r.mean]),
  );
  assert.ok(inWorker.rows.some((r) => r.op === "AddV2" && r.mean === 4));

  const loop = await onDisk("trace-loop", countingWhile(1e9));
  const ac = new AbortController();
  const started = traceIsolated({ model: loop, inputExprs: { x: "[0.0]" }, backend: "cpu" }, { script: SCRIPT }, ac.signal);
  await new Promise((r) => setTimeout(r, 2000));
  const t0 = performance.now();
  ac.abort();
  await assert.rejects(started, isCode("CANCELLED"));
  assert.ok(performance.now() - t0 < 1000, `${Math.round(performance.now() - t0)} ms`);
});
