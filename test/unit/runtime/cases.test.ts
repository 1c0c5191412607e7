// Every run case of ../shared/fixtures/cases.json through the runtime API (cpu backend; the CNN,
// MobileNet and LSTM cases also on wasm, with the SIMD fast path on — the default — and off, so both
// the fast path and the tfjs kernels it replaces stay checked). Prints `N passed, M failed, K skipped`.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { examplesFromText } from "../../../src/core/inputs/examples.js";
import { literalToTensor, parseLiteral } from "../../../src/core/inputs/literal.js";
import { main } from "../../../src/cli/main.js";

const runCommand = (args: string[], io: Parameters<typeof main>[1]) => main(["run", ...args], io);
import { DataType } from "../../../src/core/dtype.js";
import { parseNpy } from "../../../src/core/npy/index.js";
import { tensorflow } from "../../../src/core/proto/index.js";
import { FIXTURES, REPO_ROOT } from "../helpers/fixtures.js";
import { compare, loadCases, runCase, type Outcome } from "./caseRunner.js";

const WASM_CASES = new Set([
  "keras_mnist__serving_default",
  "keras_lstm_timeseries__serving_default",
  "keras_lstm_timeseries__serving_default__2",
  "tf1_pbtxt_mnist_cnn__no_signature",
  "teachable_machine_mobilenet_2shards__serving_default",
]);

/**
 * Cases the embedded engine does not pass yet, with the reason. They still run: a pass is reported as
 * such; a failure is counted in the closing line and marked TODO instead of failing the suite.
 */
const KNOWN_GAPS = new Map<string, string>([]);

const tally = { passed: 0, failed: 0, skipped: 0 };
const wasmRuns: string[] = [];
function count(o: Outcome): void {
  if (o.status === "pass") tally.passed++;
  else if (o.status === "fail") tally.failed++;
  else tally.skipped++;
}

describe("run cases (embedded engine)", () => {
  after(() => {
    if (wasmRuns.length > 0) console.log(`wasm backend: ${wasmRuns.join(", ")}`);
    console.log(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
  });
  for (const c of loadCases()) {
    const variants = WASM_CASES.has(c.id)
      ? ([
          ["cpu", true],
          ["wasm", true],
          ["wasm", false],
        ] as const)
      : ([["cpu", true]] as const);
    for (const [backend, fastPath] of variants) {
      it(`${c.id} [${backend}${fastPath ? "" : ", fast path off"}]`, async (t) => {
        const o = await runCase(c, backend, fastPath);
        if (backend === "cpu") count(o);
        else wasmRuns.push(`${c.id}${fastPath ? "" : " (fast path off)"}: ${o.status}`);
        if (o.status === "skip") {
          t.skip(o.why);
          return;
        }
        const gap = KNOWN_GAPS.get(c.id);
        if (gap && o.status === "fail") {
          t.todo(`${gap}: ${o.why}`);
          return;
        }
        assert.equal(o.status, "pass", o.status === "fail" ? o.why : "");
      });
    }
  }
});

describe("savedmodel run (CLI) on a subset of the cases", () => {
  const subset = [
    "serving_half_plus_two_cpu__regress_x_to_y",
    "tfjs_int64_multiply__serving_default",
    "tf1_pbtxt_mnist_cnn__no_signature",
    "tfjs_times_three_float__wrong_signature",
  ];
  for (const id of subset) {
    it(id, async () => {
      const c = loadCases().find((x) => x.id === id)!;
      const out = mkdtempSync(join(tmpdir(), "smrun-"));
      try {
        const args = ["--dir", join(FIXTURES, c.model), "--tag_set", c.tags.join(","), "--backend", "cpu", "--outdir", out, "--json"];
        if (c.signature === null) {
          args.push(
            "--feeds",
            Object.entries(c.feeds ?? {})
              .map(([k, f]) => `${k}=${join(FIXTURES, f)}`)
              .join(";"),
            "--fetches",
            (c.fetches ?? []).join(","),
          );
        } else {
          args.push("--signature_def", c.signature ?? "");
          args.push(
            "--inputs",
            Object.entries(c.inputs ?? {})
              .map(([k, f]) => `${k}=${join(FIXTURES, f as string)}`)
              .join(";"),
          );
        }
        const err: string[] = [];
        const stdout: string[] = [];
        const code = await runCommand(args, { stdout: (s) => stdout.push(s), stderr: (s) => err.push(s), cwd: REPO_ROOT });
        if (c.expect_error) {
          assert.equal(code, 1);
          const msg = err.join("");
          assert.ok(
            c.expect_error.contains.some((s) => msg.includes(s)),
            msg,
          );
          assert.equal(msg.trim().split("\n").length, 1, "one-line error");
          return;
        }
        assert.equal(code, 0, err.join(""));
        const json = JSON.parse(stdout.join("")) as { outputs: Record<string, { dtype: string; shape: number[] }> };
        for (const [k, e] of Object.entries(c.expected ?? {})) {
          const file = join(out, k.replace(/[/:]/g, "_") + ".npy");
          const written = parseNpy(new Uint8Array(readFileSync(file)), file);
          assert.equal(compare(k, written, e), null);
          assert.deepEqual(json.outputs[k]?.shape, [...written.shape]);
        }
        // Refuses to overwrite without --overwrite.
        if (Object.keys(c.expected ?? {}).length > 0) {
          const again = await runCommand(args, { stdout: () => undefined, stderr: (s) => err.push(s), cwd: REPO_ROOT });
          assert.equal(again, 1);
          assert.match(err.join(""), /--overwrite/);
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  }
});

describe("savedmodel run literals", () => {
  it("parses nested lists safely and refuses code", () => {
    const t = literalToTensor("[[1, 2.5], [True, -3e2]]", DataType.DT_FLOAT, null);
    assert.deepEqual([...t.shape], [2, 2]);
    assert.deepEqual(Array.from(t.data as Float32Array), [1, 2.5, 1, -300]);
    assert.throws(() => parseLiteral("__import__('os')"), /cannot parse literal/);
    assert.throws(() => literalToTensor("[1, [2]]", DataType.DT_FLOAT, null), /ragged/);
    assert.throws(() => literalToTensor("[[1, 2], [3]]", DataType.DT_FLOAT, null), /ragged/);
  });
  it("serializes tf.Examples with float, int64 and bytes lists", () => {
    const t = examplesFromText('[{"x": [2.0], "n": [3], "s": ["a"]}]');
    const ex = tensorflow.Example.decode((t.data as Uint8Array[])[0]!);
    const f = ex.features?.feature ?? {};
    assert.deepEqual(f["x"]!.float_list!.value, [2]);
    assert.equal(Number(f["n"]?.int64_list?.value?.[0]), 3);
    assert.equal(Buffer.from(f["s"]?.bytes_list?.value?.[0] ?? []).toString(), "a");
  });
});
