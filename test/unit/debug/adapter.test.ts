// The `savedmodel` debug adapter driven over stdio as a DAP client would (node dist/debugAdapter.js;
// run `npm run build` first) on real fixture models: breakpoints by name, op and function, conditions,
// stepping over / into / out of inlined calls and While bodies, the `nonfinite` and `error` stops,
// evaluate against numpy, and results equal to a normal run.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { readFileSync } from "node:fs";
import { parseNpy } from "../../../src/core/npy/index.js";
import { tensorflow } from "../../../src/core/proto/index.js";
import { FsSource } from "../../../src/node/fsSource.js";
import { loadModel } from "../../../src/runtime/index.js";
import { FIXTURES } from "../helpers/fixtures.js";
import { DapClient } from "./dapClient.js";

const model = (name: string) => join(FIXTURES, "savedmodels", name);
const caseInput = (id: string, key: string) => join(FIXTURES, "cases", id, "inputs", `${key}.npy`);
const MNIST = { model: model("keras_mnist"), inputs: { conv2d_input: caseInput("keras_mnist__serving_default", "conv2d_input") } };
const LSTM = { model: model("keras_lstm_timeseries"), inputs: { input_6: caseInput("keras_lstm_timeseries__serving_default", "input_6") } };
const HALF = { model: model("serving_half_plus_two_cpu"), inputs: { x: caseInput("serving_half_plus_two_cpu__serving_default", "x") } };

interface Bp {
  name: string;
  condition?: string;
}

interface Stop {
  reason: string;
  description?: string;
  /** Frame names, innermost first, and the function each is in. */
  frames: string[];
  functions: string[];
}

const clients: DapClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

async function start(
  launch: Record<string, unknown>,
  breakpoints: Bp[] = [],
  filters: string[] = [],
): Promise<{ c: DapClient; bps: DebugProtocol.Breakpoint[] }> {
  const c = new DapClient();
  clients.push(c);
  const init = await c.request("initialize", { adapterID: "savedmodel", pathFormat: "path", linesStartAt1: true, columnsStartAt1: true });
  assert.ok(init.success, init.message);
  await c.waitEvent("initialized");
  const set = await c.request<DebugProtocol.SetFunctionBreakpointsResponse>("setFunctionBreakpoints", { breakpoints });
  await c.request("setExceptionBreakpoints", { filters });
  await c.request("configurationDone");
  const lr = await c.request("launch", launch);
  assert.ok(lr.success, lr.message);
  return { c, bps: set.body.breakpoints };
}

/** The next stop, or undefined when the session ended. */
async function stopped(c: DapClient): Promise<Stop | undefined> {
  const e = await c.waitEvent(["stopped", "terminated"]);
  if (e.event === "terminated") return undefined;
  const body = (e as DebugProtocol.StoppedEvent).body;
  const st = await c.request<DebugProtocol.StackTraceResponse>("stackTrace", { threadId: 1 });
  return {
    reason: body.reason,
    ...(body.description !== undefined ? { description: body.description } : {}),
    frames: st.body.stackFrames.map((f) => f.name),
    functions: st.body.stackFrames.map((f) => f.moduleId as string),
  };
}

async function resume(c: DapClient, command: "continue" | "next" | "stepIn" | "stepOut"): Promise<Stop | undefined> {
  const r = await c.request(command, { threadId: 1 });
  assert.ok(r.success, r.message);
  return stopped(c);
}

async function scope(c: DapClient, frameId: number, name: string): Promise<Map<string, DebugProtocol.Variable>> {
  const s = await c.request<DebugProtocol.ScopesResponse>("scopes", { frameId });
  const ref = s.body.scopes.find((x) => x.name === name)?.variablesReference;
  assert.ok(ref, `scope ${name}`);
  const v = await c.request<DebugProtocol.VariablesResponse>("variables", { variablesReference: ref });
  return new Map(v.body.variables.map((x) => [x.name, x]));
}

/** All elements of an expandable tensor variable, read through paged indexed children. */
async function elements(c: DapClient, v: { variablesReference: number; indexedVariables?: number }): Promise<number[]> {
  const n = v.indexedVariables ?? 0;
  const out: number[] = [];
  for (let start = 0; start < n; start += 10_000) {
    const r = await c.request<DebugProtocol.VariablesResponse>("variables", {
      variablesReference: v.variablesReference,
      filter: "indexed",
      start,
      count: Math.min(10_000, n - start),
    });
    out.push(...r.body.variables.map((x) => Number(x.value)));
  }
  return out;
}

async function evaluate(c: DapClient, expression: string): Promise<DebugProtocol.EvaluateResponse> {
  return c.request<DebugProtocol.EvaluateResponse>("evaluate", { expression, frameId: 0, context: "watch" });
}

/** The run's outputs as the adapter reports them when the session ends. */
function reportedOutputs(c: DapClient): Map<string, { shape: number[]; values: number[] }> {
  const out = new Map<string, { shape: number[]; values: number[] }>();
  for (const e of c.drain("output")) {
    const d = (e as DebugProtocol.OutputEvent).body.data as { output?: string; shape: number[]; values: number[] } | undefined;
    if (d?.output) out.set(d.output, d);
  }
  return out;
}

/** Runs a Python/numpy snippet with `data` as JSON on stdin; returns its JSON stdout. */
function numpy(script: string, data: unknown): unknown {
  const r = spawnSync("python3", ["-c", `import json, sys\nimport numpy as np\ndata = json.load(sys.stdin)\n${script}`], {
    input: JSON.stringify(data),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function assertClose(actual: readonly number[], expected: readonly number[], rtol: number, atol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    assert.ok(Math.abs(a - e) <= atol + rtol * Math.abs(e), `${what}[${i}]: ${a} vs ${e}`);
  });
}

describe("debug adapter over stdio", { timeout: 240_000 }, () => {
  it("op:MatMul stops before each MatMul of a Keras model; the results equal a normal run", async () => {
    const { c, bps } = await start(MNIST, [{ name: "op:MatMul" }]);
    assert.deepEqual(
      bps.map((b) => b.verified),
      [true],
    );
    const s1 = await stopped(c);
    assert.equal(s1?.reason, "breakpoint");
    assert.equal(s1.frames[0], "sequential/dense/MatMul (MatMul)");
    assert.match(s1.functions[0]!, /^__inference__wrapped_model_\d+$/);
    assert.deepEqual(s1.frames.slice(1), [
      "StatefulPartitionedCall (StatefulPartitionedCall)",
      "StatefulPartitionedCall (StatefulPartitionedCall)",
    ]);
    const computed1 = await scope(c, 0, "Computed");
    assert.ok(computed1.has("sequential/flatten/Reshape"));
    assert.ok(!computed1.has("sequential/dense/MatMul"), "a breakpoint stops before its node runs");
    const inputs1 = await scope(c, 0, "Inputs");
    assert.match(
      inputs1.get("sequential/flatten/Reshape:0")?.value ?? "",
      /^float32\[2, 576\] min -?[\d.e-]+ max [\d.e-]+ mean -?[\d.e-]+ nan 0$/,
    );

    // Each frame points at its node's line in a listing of the function, served as a DAP source.
    const st = await c.request<DebugProtocol.StackTraceResponse>("stackTrace", { threadId: 1 });
    const top = st.body.stackFrames[0]!;
    const src = await c.request<DebugProtocol.SourceResponse>("source", {
      source: top.source,
      sourceReference: top.source!.sourceReference,
    });
    assert.equal(
      src.body.content.split("\n")[top.line - 1],
      "sequential/dense/MatMul = MatMul(sequential/flatten/Reshape, sequential/dense/MatMul/ReadVariableOp)",
    );
    assert.match(src.body.content.split("\n")[0]!, /^# function __inference__wrapped_model_\d+, called by StatefulPartitionedCall/);

    const s2 = await resume(c, "continue");
    assert.equal(s2?.frames[0], "sequential/dense_1/MatMul (MatMul)");
    assert.ok((await scope(c, 0, "Computed")).has("sequential/dense/MatMul"));
    assert.equal(await resume(c, "continue"), undefined);

    // The same signature run normally (fused kernels and the fast path on).
    const normal = await loadModel(new FsSource(), MNIST.model);
    try {
      const sig = await normal.prepare("serving_default");
      const res = await sig.run({
        conv2d_input: parseNpy(new Uint8Array(readFileSync(MNIST.inputs.conv2d_input)), MNIST.inputs.conv2d_input),
      });
      const got = reportedOutputs(c).get("dense_1");
      assert.ok(got, "the adapter reports the output");
      assert.deepEqual(got.shape, res.outputs["dense_1"]!.shape);
      assertClose(got.values, Array.from(res.outputs["dense_1"]!.data as Float32Array), 1e-5, 1e-6, "dense_1");
    } finally {
      normal.dispose();
    }
  });

  it("stops at a node by (trailing) name and on conditions read from the node's output", async () => {
    const { c, bps } = await start(MNIST, [
      { name: "dense_1/MatMul" },
      { name: "op:Relu", condition: "max > 1e3" },
      { name: "op:Softmax", condition: "shape[0] == 2 && min >= 0" },
      { name: "op:Conv2D", condition: "bogus ~ 3" },
      { name: "no/such/node" },
    ]);
    assert.deepEqual(
      bps.map((b) => b.verified),
      [true, true, true, false, true],
    );
    assert.match(bps[3]!.message ?? "", /cannot read condition 'bogus ~ 3'/);
    assert.equal((await stopped(c))?.frames[0], "sequential/dense_1/MatMul (MatMul)");
    // Once the run is recorded, a breakpoint no node matches is reported unverified.
    const changed = c.drain("breakpoint").map((e) => (e as DebugProtocol.BreakpointEvent).body.breakpoint);
    assert.deepEqual(
      changed.map((b) => [b.id, b.verified]),
      [[bps[4]!.id, false]],
    );
    const s = await resume(c, "continue");
    assert.equal(s?.frames[0], "sequential/dense_1/Softmax (Softmax)");
    assert.equal(await resume(c, "continue"), undefined, "no Relu output exceeds 1e3");
  });

  it("next stays in a function, stepIn enters inlined calls, stepOut leaves them", async () => {
    const { c } = await start({ ...MNIST, stopOnEntry: true });
    let s = await stopped(c);
    assert.equal(s?.reason, "entry");
    assert.equal(s.frames.length, 1);
    for (let k = 0; k < 3; k++) {
      s = await resume(c, "next");
      assert.equal(s?.reason, "step");
      assert.equal(s.frames.length, 1, "next does not enter calls");
    }
    let steps = 0;
    while (s && s.frames.length < 3 && steps++ < 500) s = await resume(c, "stepIn");
    assert.equal(s?.frames.length, 3, "stepIn reaches the Keras model's function");
    assert.match(s.functions[0]!, /__inference__wrapped_model/);
    const inner = s.frames[0];
    const n = await resume(c, "next");
    assert.equal(n?.frames.length, 3);
    assert.notEqual(n.frames[0], inner);
    const out = await resume(c, "stepOut");
    assert.ok(out === undefined || out.frames.length < 3, "stepOut finishes the function");
  });

  it("fn: breakpoints stop at each While body activation with its iteration; stepOut leaves the loop", async () => {
    const { c } = await start(LSTM, [{ name: "fn:while_body" }]);
    const s0 = await stopped(c);
    assert.equal(s0?.reason, "breakpoint");
    assert.match(s0.functions[0]!, /^while_body_\d+$/);
    assert.match(s0.frames[1]!, /\(StatelessWhile\) iteration 0$/);
    const s1 = await resume(c, "continue");
    assert.ok(s1);
    assert.match(s1.frames[1] ?? "", /\(StatelessWhile\) iteration 1$/);
    const n = await resume(c, "next");
    assert.equal(n?.frames[1], s1.frames[1], "next stays in the same iteration");
    await c.request("setFunctionBreakpoints", { breakpoints: [] });
    const out = await resume(c, "stepOut");
    assert.ok(out, "the loop's caller has nodes after the loop");
    assert.equal(out.frames.length, s1.frames.length - 1);
    assert.ok(!out.functions[0]!.startsWith("while_"), `left the loop: ${out.functions[0]}`);
  });

  it("the nonfinite filter stops after the first node producing NaN/Inf from an input holding Inf", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sms-debug-"));
    try {
      const path = join(dir, "inf.npy");
      numpy("x = np.load(data['src']); x[0, 5, 5, 0] = np.inf; np.save(data['dst'], x); print('{}')", {
        src: MNIST.inputs.conv2d_input,
        dst: path,
      });
      const { c } = await start({ model: MNIST.model, inputs: { conv2d_input: path } }, [], ["nonfinite"]);
      const s = await stopped(c);
      assert.equal(s?.reason, "exception");
      assert.equal(s.frames[0], "sequential/conv2d/Conv2D (Conv2D)");
      assert.match(
        s.description ?? "",
        /^StatefulPartitionedCall\/StatefulPartitionedCall\/sequential\/conv2d\/Conv2D \(Conv2D\) produced \d+ NaN and [1-9]\d* Inf$/,
      );
      const info = await c.request<DebugProtocol.ExceptionInfoResponse>("exceptionInfo", { threadId: 1 });
      assert.equal(info.body.exceptionId, "nonfinite");
      // Exception stops come after the node ran: its output is computed.
      assert.match((await scope(c, 0, "Computed")).get("sequential/conv2d/Conv2D")?.value ?? "", / inf [1-9]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("evaluate of intermediate tensors equals numpy's values", async () => {
    const { c } = await start(HALF, [{ name: "y" }]);
    assert.equal((await stopped(c))?.frames[0], "y (Identity)");
    const vars = await scope(c, 0, "Model variables");
    const a = await elements(c, vars.get("a")!);
    const b = await elements(c, vars.get("b")!);
    const mul = await evaluate(c, "Mul:0");
    assert.ok(mul.success, mul.message);
    assert.match(mul.body.result, /^float32\[\d+, 1\] /);
    const add = await evaluate(c, "Add");
    const ref = numpy(
      "x = np.load(data['x']).astype(np.float32); m = np.float32(data['a'][0]) * x; print(json.dumps({'mul': m.ravel().tolist(), 'add': (m + np.float32(data['b'][0])).ravel().tolist()}))",
      {
        x: HALF.inputs.x,
        a,
        b,
      },
    ) as { mul: number[]; add: number[] };
    assertClose(await elements(c, mul.body), ref.mul, 1e-6, 1e-6, "Mul");
    assertClose(await elements(c, add.body), ref.add, 1e-6, 1e-6, "Add");
    const missing = await evaluate(c, "y");
    assert.equal(missing.success, false, "y has not run yet");

    // A Keras layer: dense = flatten @ kernel, from the values the debugger shows, against numpy.
    const k = await start(MNIST, [{ name: "sequential/dense/MatMul" }, { name: "sequential/dense/BiasAdd" }]);
    await stopped(k.c);
    const ins = await scope(k.c, 0, "Inputs");
    const x = await elements(k.c, ins.get("sequential/flatten/Reshape:0")!);
    const w = await elements(k.c, ins.get("sequential/dense/MatMul/ReadVariableOp:0")!);
    await resume(k.c, "continue");
    const got = await evaluate(k.c, "dense/MatMul");
    assert.match(got.body.result, /^float32\[2, 128\] /);
    const want = numpy(
      "x = np.array(data['x'], np.float32).reshape(2, 576); w = np.array(data['w'], np.float32).reshape(576, 128); print(json.dumps((x @ w).ravel().tolist()))",
      {
        x,
        w,
      },
    ) as number[];
    assertClose(await elements(k.c, got.body), want, 1e-4, 1e-5, "dense/MatMul");
    const stats = await k.c.request<DebugProtocol.VariablesResponse>("variables", {
      variablesReference: got.body.variablesReference,
      filter: "named",
    });
    assert.deepEqual(
      stats.body.variables.map((v) => v.name),
      ["stats"],
    );
  });

  it("with debug info, frames point at the Python line that created the op", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sms-debuginfo-"));
    try {
      const copy = join(dir, "half");
      cpSync(HALF.model, copy, { recursive: true });
      mkdirSync(join(copy, "debug"));
      const info = tensorflow.GraphDebugInfo.encode({
        files: ["/home/dev/project/half_plus_two.py"],
        traces: { Mul: { file_line_cols: [{ file_index: 0, line: 17, col: 4 }] } },
      }).finish();
      writeFileSync(join(copy, "debug", "saved_model_debug_info.pb"), info);
      const { c } = await start({ ...HALF, model: copy }, [{ name: "Mul" }, { name: "y" }]);
      assert.equal((await stopped(c))?.frames[0], "Mul (Mul)");
      let top = (await c.request<DebugProtocol.StackTraceResponse>("stackTrace", { threadId: 1 })).body.stackFrames[0]!;
      assert.deepEqual([top.source?.path, top.line, top.column], ["/home/dev/project/half_plus_two.py", 17, 5]);
      assert.equal((await resume(c, "continue"))?.frames[0], "y (Identity)");
      top = (await c.request<DebugProtocol.StackTraceResponse>("stackTrace", { threadId: 1 })).body.stackFrames[0]!;
      assert.equal(top.source?.path, undefined, "a node without a trace keeps the graph listing");
      assert.ok(top.source?.sourceReference);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the error filter stops at the failing node with the engine's message; bad launches fail with typed messages", async () => {
    const { c } = await start({ model: MNIST.model, inputExprs: { conv2d_input: "[[[[1.0]]]]" } }, [], ["error"]);
    const s = await stopped(c);
    assert.equal(s?.reason, "exception");
    const info = await c.request<DebugProtocol.ExceptionInfoResponse>("exceptionInfo", { threadId: 1 });
    assert.equal(info.body.exceptionId, "error");
    assert.ok(
      info.body.description?.startsWith(`StatefulPartitionedCall/StatefulPartitionedCall/${s.frames[0]!.replace(/ \(.*/, "")} (`),
      info.body.description,
    );
    assert.equal(await resume(c, "continue"), undefined);

    const bad = new DapClient();
    clients.push(bad);
    await bad.request("initialize", { adapterID: "savedmodel", pathFormat: "path" });
    await bad.request("configurationDone");
    // Requests before any launch get answers, not crashes.
    const st = await bad.request<DebugProtocol.StackTraceResponse>("stackTrace", { threadId: 1 });
    assert.deepEqual(st.body.stackFrames, []);
    assert.equal((await evaluate(bad, "x")).success, false);
    const vs = await bad.request<DebugProtocol.VariablesResponse>("variables", { variablesReference: 12345 });
    assert.deepEqual(vs.body.variables, []);
    assert.equal((await bad.request("next", { threadId: 1 })).success, true);
    for (const [args, msg] of [
      [{}, /'model' .* is required/],
      [{ model: MNIST.model, backend: "gpu" }, /'backend' must be wasm or cpu/],
      [{ model: MNIST.model, inputs: { conv2d_input: 3 } }, /'inputs' must map input keys to strings/],
      [{ model: MNIST.model, inputExprs: { nope: "[1]" } }, /has no input 'nope'/],
      [{ model: join(FIXTURES, "no-such-model") }, /no-such-model/],
    ] as const) {
      const r = await bad.request("launch", args);
      assert.equal(r.success, false);
      assert.match(r.message ?? JSON.stringify(r.body), msg);
    }
  });
});
