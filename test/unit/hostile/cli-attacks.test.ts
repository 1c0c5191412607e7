// Issue 17, "Done when": every attack, run as a `savedmodel` command (dist/cli.js: the product, engine in
// its worker thread) in a child process of its own, ends with a typed error or a correct result within
// 30 s and 2 GiB peak RSS (the whole process, worker included), and reads or writes nothing outside.
// Ctrl-C stops a long While loop within 1 s. The numbers are recorded by bench/hostile.ts.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { CLI, CLI_ATTACKS, judge, runCli } from "./attacks.js";
import { countingWhile } from "./generators.js";

const LIMIT_MS = 30_000;
const LIMIT_MIB = 2048;
const tmp = mkdtempSync(join(tmpdir(), "hostile-cli-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

void test("dist/cli.js is built (npm run build)", () => assert.ok(existsSync(CLI), `${CLI} is missing`));

for (const a of CLI_ATTACKS) {
  void test(`${a.name}: ${a.what} → a typed error or a correct result, ≤ 30 s, ≤ 2 GiB RSS`, async () => {
    const dir = join(tmp, a.name);
    mkdirSync(dir);
    const args = await a.setup(dir);
    const o = await runCli(args, dir, LIMIT_MS + 10_000);
    assert.equal(judge(a, o, dir), undefined);
    assert.ok(o.ms <= LIMIT_MS, `${Math.round(o.ms)} ms`);
    assert.ok(o.peakMiB !== undefined && o.peakMiB <= LIMIT_MIB, `peak RSS ${o.peakMiB?.toFixed(0)} MiB`);
    rmSync(dir, { recursive: true, force: true });
  });
}

void test("Ctrl-C stops `savedmodel run` inside a long While loop within 1 s", async () => {
  const dir = join(tmp, "sigint");
  mkdirSync(dir);
  writeFileSync(join(dir, "saved_model.pb"), await countingWhile(1e9).read("m/saved_model.pb"));
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env["NODE_OPTIONS"];
  const child = spawn(process.execPath, [CLI, "run", "--dir", dir, "--input_exprs", "x=[0.0]", "--backend", "cpu"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  const closed = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  // Long enough for the model to load and the loop to be well under way, even on a loaded machine
  // (a Ctrl-C that came earlier would cancel the run before it starts, with the same message).
  await new Promise((r) => setTimeout(r, 5000));
  assert.equal(child.exitCode, null, `the loop ended by itself: ${stderr}`);
  const t0 = performance.now();
  child.kill("SIGINT");
  const code = await closed;
  const ms = performance.now() - t0;
  assert.ok(ms < 1000, `stopped ${Math.round(ms)} ms after SIGINT`);
  assert.equal(code, 1);
  assert.match(stderr, /savedmodel run: .*cancelled/);
});
