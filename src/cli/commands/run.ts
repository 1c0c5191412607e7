/**
 * `savedmodel run`: saved_model_cli run without TensorFlow. Inputs from .npy/.npz files, safe Python
 * literals, or tf.Examples; outputs printed (text or --json) and optionally written as .npy.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { dtypeName, dtypeShortName } from "../../core/dtype.js";
import { StudioError, describeError } from "../../core/errors.js";
import { parseInputSpec, parseNpy, parseNpz, writeNpy } from "../../core/npy/index.js";
import { examplesFromText } from "../../core/inputs/examples.js";
import { literalToTensor } from "../../core/inputs/literal.js";
import { outputFileNames } from "../../core/output-names.js";
import { formatTensor, tensorStats } from "../../core/tensor-format.js";
import { isStringData, type HostTensor } from "../../core/tensor.js";
import { FsSource } from "../../node/fsSource.js";
import { defaultEngineWorkerScript, loadModelIsolated } from "../../node/isolatedEngine.js";
import { writeOutputFiles } from "../../node/writeOutputs.js";
import {
  loadModel,
  type BackendKind,
  type EngineKind,
  type LoadOptions,
  type PreparedSignature,
  type TensorSpec,
} from "../../runtime/index.js";
import type { CliIO } from "../io.js";
import { resolveModelDir, splitTags } from "./show.js";

export const RUN_HELP = `usage: savedmodel run --dir DIR [--tag_set serve] [--signature_def KEY] [inputs...] [options]

Runs a signature of a SavedModel on the embedded engine (pure TypeScript on tfjs, no TensorFlow).
Inputs (combine freely; one key each):
  --inputs 'k=a.npy;k2=b.npz[arr]'     .npy files, or an array of an .npz (the only one when unnamed)
  --input_exprs 'k=[[1,2]];k2=3.5'     Python literals: nested lists of numbers / strings / bools
  --input_examples 'k=[{"x":[2.0]}]'   serialized tf.Examples (float list, int list -> int64, str -> bytes)
Graphs without signatures: --feeds 'x:0=a.npy;y:0=b.npy' --fetches 'Softmax:0,out:0'
Options:
  --outdir DIR      write <output key>.npy (signature dtype; '/' and ':' become '_')
  --overwrite       allow replacing existing files in --outdir
  --engine E        embedded (default) | native (@tensorflow/tfjs-node, optional)
  --backend B       wasm (default, SIMD) | cpu
  --allow_unsafe_ops  run ops with effects outside the model (file I/O, ...)
  --no_fast_path    run every op through tfjs (no SIMD fast path for conv / matmul layers)
  --threads N       threads the fast path splits a layer across (default: cores, at most 4)
  --seed N          seed for random ops that have none of their own (default 0: runs are reproducible)
  --json            machine-readable outputs and timings
`;

export function splitAssignments(spec: string | undefined, flag: string): [string, string][] {
  if (!spec) return [];
  return spec
    .split(";")
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf("=");
      if (eq <= 0) throw new StudioError("USAGE", `${flag}: expected KEY=VALUE, got '${p}'`);
      return [p.slice(0, eq).trim(), p.slice(eq + 1).trim()];
    });
}

export function readArrayFile(spec: string, cwd: string): HostTensor {
  const { path, member } = parseInputSpec(spec);
  const abs = isAbsolute(path) ? path : resolve(cwd, path);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(abs));
  } catch (e) {
    throw new StudioError("NOT_FOUND", `${path}: cannot read (${describeError(e)})`, path);
  }
  if (path.endsWith(".npz") || member !== undefined) {
    const arrays = parseNpz(bytes, path);
    if (member !== undefined) {
      const a = arrays.get(member) ?? arrays.get(member.replace(/\.npy$/, ""));
      if (!a) throw new StudioError("NOT_FOUND", `${path}: no array '${member}' (has: ${[...arrays.keys()].join(", ")})`, path);
      return a;
    }
    if (arrays.size !== 1) throw new StudioError("USAGE", `${path}: holds ${arrays.size} arrays; pick one with ${path}[name]`, path);
    return [...arrays.values()][0]!;
  }
  return parseNpy(bytes, path);
}

function jsonValues(t: HostTensor): unknown {
  if (isStringData(t.data)) return t.data.map((b) => new TextDecoder().decode(b));
  return Array.from(t.data as ArrayLike<number | bigint>, (x) =>
    typeof x === "bigint"
      ? x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(x)
        : x.toString()
      : Number.isFinite(x)
        ? x
        : String(x),
  );
}

export function wasmDir(): string | undefined {
  // The bundled CLI ships the .wasm files next to itself (dist/); from source, use the package's.
  if (typeof __dirname === "string" && existsSync(join(__dirname, "tfjs-backend-wasm-simd.wasm"))) return __dirname + "/";
  try {
    const pkg = require.resolve("@tensorflow/tfjs-backend-wasm/package.json") as string;
    return join(dirname(pkg), "dist") + "/";
  } catch {
    return undefined;
  }
}

/** Options `run` and `trace` share: the model, the signature, its inputs, the backend, --overwrite. */
export const SIGNATURE_OPTIONS = {
  dir: { type: "string" },
  tag_set: { type: "string" },
  signature_def: { type: "string" },
  inputs: { type: "string" },
  input_exprs: { type: "string" },
  overwrite: { type: "boolean", default: false },
  backend: { type: "string", default: "wasm" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** Errors go to main() like every command's (one format; --debug prints the stack there). */
export async function runCommand(argv: string[], io: CliIO): Promise<number> {
  return runInner(argv, io);
}

async function runInner(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...SIGNATURE_OPTIONS,
      input_examples: { type: "string" },
      feeds: { type: "string" },
      fetches: { type: "string" },
      outdir: { type: "string" },
      engine: { type: "string", default: "embedded" },
      allow_unsafe_ops: { type: "boolean", default: false },
      no_fast_path: { type: "boolean", default: false },
      threads: { type: "string" },
      seed: { type: "string" },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout(RUN_HELP);
    return 0;
  }
  if (!values.dir) throw new StudioError("USAGE", "--dir is required (see savedmodel run --help)");
  if (values.engine !== "embedded" && values.engine !== "native")
    throw new StudioError("USAGE", `--engine must be embedded or native, not '${values.engine}'`);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 64))
    throw new StudioError("USAGE", `--threads must be a whole number from 1 to 64, not '${values.threads}'`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && (!Number.isSafeInteger(seed) || seed < 0))
    throw new StudioError("USAGE", `--seed must be a non-negative whole number, not '${values.seed}'`);
  if (values.backend !== "wasm" && values.backend !== "cpu")
    throw new StudioError("USAGE", `--backend must be wasm or cpu, not '${values.backend}'`);
  const tensorMode = values.feeds !== undefined || values.fetches !== undefined;
  if (tensorMode && (values.inputs || values.input_exprs || values.input_examples || values.signature_def)) {
    throw new StudioError("USAGE", "--feeds/--fetches (tensor names) cannot be combined with signature inputs");
  }
  if (tensorMode && !values.fetches) throw new StudioError("USAGE", "--feeds needs --fetches");
  const source = new FsSource();
  const dir = await resolveModelDir(source, values.dir, io.cwd);
  const t0 = performance.now();
  const wasm = wasmDir();
  const loadOptions: LoadOptions = {
    tags: values.tag_set !== undefined ? splitTags(values.tag_set) : ["serve"],
    engine: values.engine as EngineKind,
    backend: values.backend as BackendKind,
    allowUnsafeOps: values.allow_unsafe_ops,
    fastPath: !values.no_fast_path,
    ...(threads !== undefined ? { threads } : {}),
    ...(wasm ? { wasmPaths: wasm } : {}),
  };
  // Both engines run in a worker thread: Ctrl-C stops even an endless loop at once, and a model that
  // exhausts the worker's heap ends with a typed error (native: the checks run there too, before tfjs-node).
  const isolated = defaultEngineWorkerScript() !== undefined;
  // Ctrl-C cancels (a run stops at once, a load or prepare before the run starts) instead of killing the process mid-write.
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once("SIGINT", onSigint);
  const model = await (isolated ? loadModelIsolated(resolve(io.cwd, dir), loadOptions) : loadModel(source, dir, loadOptions)).catch(
    (e: unknown) => {
      process.off("SIGINT", onSigint);
      throw e;
    },
  );
  try {
    const loadMs = performance.now() - t0;
    const p0 = performance.now();
    let prepared: PreparedSignature;
    const feeds: Record<string, HostTensor> = {};
    if (tensorMode) {
      const feedPairs = splitAssignments(values.feeds, "--feeds");
      const fetches = (values.fetches ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
      prepared = await model.prepareTensors(
        feedPairs.map(([k]) => k),
        fetches,
      );
      for (const [k, f] of feedPairs) feeds[k] = readArrayFile(f, io.cwd);
    } else {
      prepared = await model.prepare(values.signature_def ?? "serving_default");
      const spec = (k: string): TensorSpec | undefined => prepared.inputs.find((i) => i.key === k);
      const set = (k: string, t: HostTensor, flag: string) => {
        if (feeds[k]) throw new StudioError("USAGE", `${flag}: input '${k}' is given twice`);
        feeds[k] = t;
      };
      for (const [k, f] of splitAssignments(values.inputs, "--inputs")) set(k, readArrayFile(f, io.cwd), "--inputs");
      for (const [k, e] of splitAssignments(values.input_exprs, "--input_exprs"))
        set(k, literalToTensor(e, spec(k)?.dtype ?? 0, spec(k)?.shape ?? null), "--input_exprs");
      for (const [k, e] of splitAssignments(values.input_examples, "--input_examples")) set(k, examplesFromText(e), "--input_examples");
    }
    const prepareMs = performance.now() - p0;
    const res = await prepared.run(feeds, { signal: ac.signal, ...(seed !== undefined ? { seed } : {}) });
    for (const w of [...prepared.warnings, ...res.warnings]) io.stderr(`warning: ${w}\n`);
    if (values.outdir) {
      const out = isAbsolute(values.outdir) ? values.outdir : resolve(io.cwd, values.outdir);
      const names = outputFileNames(Object.keys(res.outputs));
      const files = Object.entries(res.outputs).map(([k, t]) => ({ name: names.get(k)!, bytes: () => writeNpy(t) }));
      await writeOutputFiles(out, files, { overwrite: values.overwrite });
    }
    const timings = {
      loadMs: round(loadMs),
      prepareMs: round(prepareMs),
      runMs: round(res.timings.totalMs),
      execMs: round(res.timings.execMs),
      backend: model.backend,
      engine: model.engine,
    };
    if (values.json) {
      const outputs: Record<string, unknown> = {};
      for (const [k, t] of Object.entries(res.outputs)) {
        const n = t.shape.reduce((a, b) => a * b, 1);
        outputs[k] = {
          dtype: dtypeShortName(t.dtype),
          shape: t.shape,
          ...(n <= 10000 ? { values: jsonValues(t) } : { summary: tensorStats(t) }),
        };
      }
      io.stdout(JSON.stringify({ signature: prepared.key, outputs, timings, warnings: res.warnings }, null, 2) + "\n");
    } else {
      for (const [k, t] of Object.entries(res.outputs)) {
        io.stdout(`Result for output key ${k} (${dtypeName(t.dtype)}, shape [${t.shape.join(", ")}]):\n${formatTensor(t)}\n`);
      }
      io.stdout(
        `(${model.engine}/${model.backend}: load ${timings.loadMs} ms, prepare ${timings.prepareMs} ms, run ${timings.runMs} ms)\n`,
      );
    }
    return 0;
  } finally {
    process.off("SIGINT", onSigint);
    model.dispose();
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
