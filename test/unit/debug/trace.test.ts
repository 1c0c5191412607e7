// `savedmodel trace` in-process on fixtures: one row per executed node, NaN/Inf counted where they
// appear, loop iterations and functions named, CSV and JSON.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { main } from "../../../src/cli/main.js";
import { FIXTURES } from "../helpers/fixtures.js";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd: FIXTURES });
  return { code, out, err };
}

/** One CSV line's cells (quoted fields with "" escapes). */
function csvRow(line: string): string[] {
  return [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1]!.replace(/^"|"$/g, "").replace(/""/g, '"'));
}

interface Row {
  node: string;
  op: string;
  function: string;
  iteration: number | null;
  outputs: string;
  min: number | null;
  nan: number;
  inf: number;
  ms: number | null;
}

describe("savedmodel trace", { timeout: 120_000 }, () => {
  it("writes one CSV row per node with NaN/Inf counts where they appear", async () => {
    const r = await cli("trace", "--dir", "savedmodels/serving_half_plus_two_cpu", "--input_exprs", "x=[[1.0], [inf]]");
    assert.equal(r.code, 0, r.err);
    const [head, ...rows] = r.out.trimEnd().split("\n").map(csvRow);
    assert.deepEqual(head, ["index", "node", "op", "function", "iteration", "outputs", "min", "max", "mean", "nan", "inf", "ms", "error"]);
    const byNode = new Map(rows.map((cells) => [cells[1], Object.fromEntries(head!.map((h, i) => [h, cells[i]]))]));
    assert.deepEqual(
      [...byNode.keys()].filter((n) => ["Mul", "Add", "y"].includes(n!)),
      ["Mul", "Add", "y"],
    );
    const mul = byNode.get("Mul")!;
    assert.equal(mul["outputs"], "float32[2, 1]");
    assert.deepEqual([mul["nan"], mul["inf"], mul["min"]], ["0", "1", "0.5"], "Mul: 0 NaN, 1 Inf, min 0.5");
  });

  it("names functions and While iterations (JSON) and refuses to overwrite", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sms-trace-"));
    try {
      const out = join(dir, "t.json");
      const args = [
        "trace",
        "--dir",
        "savedmodels/keras_lstm_timeseries",
        "--inputs",
        "input_6=cases/keras_lstm_timeseries__serving_default/inputs/input_6.npy",
        "--out",
        out,
      ];
      const r = await cli(...args);
      assert.equal(r.code, 0, r.err);
      const t = JSON.parse(readFileSync(out, "utf8")) as { signature: string; nodes: Row[] };
      assert.equal(t.signature, "serving_default");
      const body = t.nodes.filter((n) => /^while_body_\d+$/.test(n.function));
      assert.deepEqual([...new Set(body.map((n) => n.iteration))], [0, 1, 2, 3, 4]);
      assert.ok(t.nodes.every((n) => n.ms === null || n.ms >= 0));
      assert.ok(t.nodes.some((n) => n.op === "MatMul" && /^float32\[/.test(n.outputs)));
      const again = await cli(...args);
      assert.equal(again.code, 1);
      assert.match(again.err, /exists; pass --overwrite/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--out never writes through a dangling symbolic link unless --overwrite, and then replaces the link, not its target", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sms-trace-link-"));
    try {
      const out = join(dir, "t.csv");
      const target = join(dir, "elsewhere.csv");
      symlinkSync(target, out);
      const args = ["trace", "--dir", "savedmodels/serving_half_plus_two_cpu", "--input_exprs", "x=[[1.0]]", "--out", out];
      const refused = await cli(...args);
      assert.notEqual(refused.code, 0);
      assert.match(refused.err, /exists; pass --overwrite/);
      assert.equal(readlinkSync(out), target);
      assert.equal(existsSync(target), false);
      const ok = await cli(...args, "--overwrite");
      assert.equal(ok.code, 0, ok.err);
      assert.match(readFileSync(out, "utf8"), /^index,node,op/);
      assert.equal(existsSync(target), false, "the link's target was never created");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
