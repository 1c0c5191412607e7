// Every attack of issue 17 as a `savedmodel` command on a generated model folder, run in a child process
// of its own (dist/cli.js, the product, with the engine in its worker thread) so its time and peak RSS
// (worker included) are measured alone. Used by cli-attacks.test.ts (limits asserted) and bench/hostile.ts
// (numbers recorded in bench/results.md).
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DataType } from "../../../src/core/dtype.js";
import { writeBundle } from "../../../src/core/bundle/writer.js";
import type { MemorySource } from "../../../src/core/io.js";
import { FIXTURES, REPO_ROOT } from "../helpers/fixtures.js";
import {
  bigStringOutput,
  fanOut,
  manyOutputKeys,
  parseExampleDense,
  recursiveWhile,
  regexModel,
  splatChain,
  stringSplat,
  whileForever,
  wideAddN,
} from "./generators.js";

const MiB = 1024 * 1024;
export const CLI = join(REPO_ROOT, "dist", "cli.js");
const PEAK_RSS_PRELOAD = pathToFileURL(join(__dirname, "peak-rss.mjs")).href;

/** What a correct answer looks like: the exit code and patterns on stdout / stderr. */
export interface Expect {
  readonly exit: 0 | 1;
  readonly stderr?: RegExp;
  readonly stdout?: RegExp;
  /** Must not appear in stdout or stderr (bytes from outside the model). */
  readonly never?: RegExp;
  /** Checked after the run (nothing written outside, for example); returns a problem or undefined. */
  readonly after?: (dir: string) => string | undefined;
}

export interface CliAttack {
  readonly name: string;
  /** What the issue says the attack did before. */
  readonly what: string;
  /** Writes the attack under `dir` (empty, created) and returns the CLI arguments. */
  readonly setup: (dir: string) => Promise<string[]>;
  readonly expect: Expect;
}

async function writeModel(dir: string, src: MemorySource): Promise<string> {
  const m = join(dir, "model");
  mkdirSync(m, { recursive: true });
  writeFileSync(join(m, "saved_model.pb"), await src.read("m/saved_model.pb"));
  return m;
}

/** A writable copy of a fixture model. */
function copyFixture(name: string, dir: string): string {
  const m = join(dir, "model");
  cpSync(join(FIXTURES, "savedmodels", name), m, { recursive: true });
  return m;
}

const run = (m: string, ...rest: string[]) => ["run", "--dir", m, ...rest];
const BUDGET = /LIMIT_EXCEEDED|budget|memory/;
const PASSWD = /root:x:0:0/;

export const CLI_ATTACKS: readonly CliAttack[] = [
  {
    name: "string_splat",
    what: "string Const [2^28] from one value (V8 heap out of memory)",
    setup: async (d) => run(await writeModel(d, stringSplat(2 ** 28))),
    expect: { exit: 1, stderr: BUDGET },
  },
  {
    name: "parse_example_dense",
    what: "ParseExample dense_shapes [2^28], one empty example (heap out of memory)",
    setup: async (d) => run(await writeModel(d, parseExampleDense(2 ** 28)), "--input_exprs", 'serialized=[""]'),
    expect: { exit: 1, stderr: BUDGET },
  },
  {
    name: "print_300mb_string",
    what: "a 300 MB string output printed as text (built character by character)",
    setup: async (d) => run(await writeModel(d, bigStringOutput(300_000, 1000))),
    expect: { exit: 0, stdout: /MiB more/ },
  },
  {
    name: "vars_300mb_string",
    what: "vars --values of a 300 MB string variable",
    setup: async (d) => {
      const m = copyFixture("serving_half_plus_two_cpu", d);
      const big = new Uint8Array(300 * 1000 * 1000).fill(0x61);
      const { index, shards } = await writeBundle([["big", { dtype: DataType.DT_STRING, shape: [1], data: [big] }]]);
      writeFileSync(join(m, "variables", "variables.index"), index);
      writeFileSync(join(m, "variables", "variables.data-00000-of-00001"), shards[0]!);
      return ["vars", "--dir", m, "--name", "big", "--values"];
    },
    expect: { exit: 0, stdout: /MiB more/ },
  },
  {
    name: "while_forever",
    what: "a While whose condition is always true (hang, SIGINT ignored)",
    setup: async (d) => run(await writeModel(d, whileForever()), "--input_exprs", "x=[1.0]"),
    expect: { exit: 1, stderr: /ran longer than 15 s|more than 1000000 control-flow function calls/ },
  },
  {
    name: "fan_out_20",
    what: "function fan-out depth 20 (exponential inlining, 3 GB in 60 s)",
    setup: async (d) => run(await writeModel(d, fanOut(20)), "--input_exprs", "x=[1.0]"),
    expect: { exit: 1, stderr: /more than 500000 nodes/ },
  },
  {
    name: "redos",
    what: "StaticRegexFullMatch '(a+)+' on 'aaa…ab' (backtracking)",
    setup: async (d) => run(await writeModel(d, regexModel("(a+)+")), "--input_exprs", `s=["${"a".repeat(5000)}b"]`),
    expect: { exit: 0, stdout: /False/ },
  },
  {
    name: "symlink_loops",
    what: "two symlinks to '.' in the model folder (show never returns)",
    setup: async (d) => {
      const m = copyFixture("serving_half_plus_two_cpu", d);
      symlinkSync(".", join(m, "loop1"));
      symlinkSync(".", join(m, "variables", "loop2"));
      return ["show", "--dir", m, "--all"];
    },
    expect: { exit: 0, stdout: /MetaGraphDef with tag-set: 'serve'/ },
  },
  {
    name: "symlink_loops_run",
    what: "two symlinks to '.' in the model folder (run never returns)",
    setup: async (d) => {
      const m = copyFixture("serving_half_plus_two_cpu", d);
      symlinkSync(".", join(m, "loop1"));
      symlinkSync(".", join(m, "assets", "loop2"));
      return run(m, "--input_exprs", "x=[[1.0]]");
    },
    expect: { exit: 0, stdout: /2\.5/ },
  },
  {
    name: "asset_to_passwd",
    what: "a vocabulary asset symlinked to /etc/passwd (a table initialiser read it)",
    setup: async (d) => {
      const m = copyFixture("tfx_transform_fn", d);
      const vocab = readdirSync(join(m, "assets"))[0]!;
      rmSync(join(m, "assets", vocab));
      symlinkSync("/etc/passwd", join(m, "assets", vocab));
      return run(m, "--tag_set", "transform", "--signature_def", "transform_signature");
    },
    expect: { exit: 1, stderr: /OUTSIDE_MODEL|outside the model/, never: PASSWD },
  },
  {
    name: "assets_to_etc",
    what: "assets/ symlinked to /etc (the whole tree was read)",
    setup: async (d) => {
      const m = copyFixture("serving_half_plus_two_cpu", d);
      rmSync(join(m, "assets"), { recursive: true });
      symlinkSync("/etc", join(m, "assets"));
      return ["show", "--dir", m, "--all"];
    },
    expect: { exit: 0, stdout: /MetaGraphDef/, never: PASSWD },
  },
  {
    name: "shard_to_outside",
    what: "a data shard symlinked to an outside file (vars --values printed its bytes)",
    setup: async (d) => {
      const m = copyFixture("serving_half_plus_two_cpu", d);
      const shard = join(m, "variables", "variables.data-00000-of-00001");
      rmSync(shard);
      symlinkSync("/etc/passwd", shard);
      return ["vars", "--dir", m, "--name", "a", "--values"];
    },
    expect: { exit: 1, stderr: /OUTSIDE_MODEL|outside the model|missing/, never: PASSWD },
  },
  {
    name: "outdir_dangling_link",
    what: "--outdir holding a dangling symlink y.npy (written outside without --overwrite)",
    setup: async (d) => {
      const m = copyFixture("serving_half_plus_two_cpu", d);
      mkdirSync(join(d, "out"));
      symlinkSync(join(d, "outside.npy"), join(d, "out", "y.npy"));
      return run(m, "--input_exprs", "x=[[1.0]]", "--outdir", join(d, "out"));
    },
    expect: {
      exit: 1,
      stderr: /exists|overwrite/,
      after: (d) => (existsSync(join(d, "outside.npy")) ? "the link's target was written" : undefined),
    },
  },
  {
    name: "splat_chain_6x1GiB",
    what: "six 1 GiB splat Consts chained with AddV2 (8.3 GB, then 'memory access out of bounds')",
    setup: async (d) => run(await writeModel(d, splatChain(6, 2 ** 28))),
    expect: { exit: 1, stderr: BUDGET },
  },
  {
    name: "splat_chain_6x600MiB",
    what: "six 600 MiB splats (each under every per-tensor limit): the run budget must hold",
    setup: async (d) => run(await writeModel(d, splatChain(6, (600 * MiB) / 4))),
    expect: { exit: 1, stderr: BUDGET },
  },
  {
    name: "add_n_20000_wasm",
    what: "AddN with 20,000 inputs on wasm (memory access out of bounds, backend broken)",
    setup: async (d) => run(await writeModel(d, wideAddN(20_000)), "--input_exprs", "x=[1.0, 2.0]", "--backend", "wasm"),
    expect: { exit: 0, stdout: /\[20000\.? 40000\.?\]/ },
  },
  {
    name: "recursive_while",
    what: "a While body that runs itself (Maximum call stack size exceeded at run time)",
    setup: async (d) => run(await writeModel(d, recursiveWhile()), "--input_exprs", "x=[1.0]"),
    expect: { exit: 1, stderr: /calls itself recursively/ },
  },
  {
    name: "colliding_output_keys",
    what: "output keys a/b, a:b, a_b wrote one a_b.npy (two outputs lost)",
    setup: async (d) => run(await writeModel(d, manyOutputKeys(["a/b", "a:b", "a_b"])), "--outdir", join(d, "out")),
    expect: {
      exit: 1,
      stderr: /would both be written to a_b\.npy; nothing was written/,
      after: (d) => (existsSync(join(d, "out")) && readdirSync(join(d, "out")).length > 0 ? "files were written" : undefined),
    },
  },
  {
    name: "long_output_key",
    what: "a 300-character output key (raw ENAMETOOLONG after other files were written)",
    setup: async (d) => run(await writeModel(d, manyOutputKeys(["k".repeat(300), "short"])), "--outdir", join(d, "out")),
    expect: {
      exit: 0,
      after: (d) => (readdirSync(join(d, "out")).length === 2 ? undefined : `wrote ${readdirSync(join(d, "out")).join(", ")}`),
    },
  },
];

export interface AttackOutcome {
  readonly exit: number | null;
  readonly signal: string | null;
  readonly ms: number;
  /** Peak resident set of the whole process (engine worker included), MiB; undefined when it was killed. */
  readonly peakMiB: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

/** Keeps the first `max` characters of a stream (a hostile run must not fill the test's memory). */
function capped(max: number): { add: (b: Buffer) => void; text: () => string } {
  let s = "";
  return { add: (b) => void (s.length < max && (s += b.toString("utf8").slice(0, max - s.length))), text: () => s };
}

/** Runs `savedmodel <args>` (`cli`: the bundle) in a child process (clean NODE_OPTIONS), killed after `timeoutMs`. */
export function runCli(args: readonly string[], cwd: string, timeoutMs: number, cli = CLI): Promise<AttackOutcome> {
  const rssFile = join(cwd, `peak-rss-${process.pid}-${Date.now()}.txt`);
  const env: NodeJS.ProcessEnv = { ...process.env, SMS_PEAK_RSS_FILE: rssFile };
  delete env["NODE_OPTIONS"];
  const out = capped(64 * 1024);
  const err = capped(64 * 1024);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", PEAK_RSS_PRELOAD, cli, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", out.add);
    child.stderr.on("data", err.add);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (exit, signal) => {
      clearTimeout(timer);
      const peak = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) / 1024 : undefined;
      rmSync(rssFile, { force: true });
      resolve({ exit, signal, ms: performance.now() - t0, peakMiB: peak, stdout: out.text(), stderr: err.text() });
    });
  });
}

/** What is wrong with `o` for `a` (undefined: a correct answer). */
export function judge(a: CliAttack, o: AttackOutcome, dir: string): string | undefined {
  const e = a.expect;
  if (o.exit !== e.exit) return `exit ${o.exit ?? o.signal}, expected ${e.exit}: ${o.stderr.slice(0, 400)}`;
  if (e.stderr && !e.stderr.test(o.stderr)) return `stderr does not match ${e.stderr}: ${o.stderr.slice(0, 400)}`;
  if (e.stdout && !e.stdout.test(o.stdout)) return `stdout does not match ${e.stdout}: ${o.stdout.slice(0, 400)}`;
  if (e.never && (e.never.test(o.stdout) || e.never.test(o.stderr))) return `output shows ${e.never}`;
  if (o.exit === 1 && !/^savedmodel \w+: /m.test(o.stderr)) return `not a one-line typed error: ${o.stderr.slice(0, 400)}`;
  return e.after?.(dir);
}
