// Runs the run cases of ../shared/fixtures/cases.json through the runtime API and compares outputs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { baseType, dtypeName } from "../../../src/core/dtype.js";
import { parseNpy } from "../../../src/core/npy/index.js";
import { isStringData, type HostTensor } from "../../../src/core/tensor.js";
import { loadModel, type BackendKind, type LoadedModel } from "../../../src/runtime/index.js";
import { FIXTURES, REPO_ROOT } from "../helpers/fixtures.js";
import { FsSource } from "../helpers/fsSource.js";

export interface Expected {
  file: string;
  rtol: number;
  atol: number;
}
export interface Step {
  step: number;
  signature: string;
  inputs: Record<string, string>;
  expected: Record<string, Expected>;
}
export interface RunCase {
  id: string;
  model: string;
  tags: string[];
  signature?: string | null;
  inputs?: Record<string, string | { indices: string; values: string; dense_shape: string }>;
  feeds?: Record<string, string>;
  fetches?: string[];
  expected?: Record<string, Expected>;
  sequence?: Step[];
  expect_error?: { contains: string[]; match: string };
  requires_op_library?: string;
  note?: string;
}

export const WASM_PATHS = join(REPO_ROOT, "node_modules/@tensorflow/tfjs-backend-wasm/dist/") + "/";

export function loadCases(): RunCase[] {
  return JSON.parse(readFileSync(join(FIXTURES, "cases.json"), "utf8")) as RunCase[];
}

export function readNpyFile(rel: string): HostTensor {
  const p = join(FIXTURES, rel);
  return parseNpy(new Uint8Array(readFileSync(p)), p);
}

/** Inputs of a case as runtime feeds (COO-sparse inputs become key/indices, key/values, key/dense_shape). */
export function caseFeeds(inputs: RunCase["inputs"] | Record<string, string> | undefined): Record<string, HostTensor> {
  const feeds: Record<string, HostTensor> = {};
  for (const [k, v] of Object.entries(inputs ?? {})) {
    if (typeof v === "string") feeds[k] = readNpyFile(v);
    else for (const part of ["indices", "values", "dense_shape"] as const) feeds[`${k}/${part}`] = readNpyFile(v[part]);
  }
  return feeds;
}

/** numpy.allclose-style comparison after dtype and shape; returns a problem or null. */
export function compare(key: string, actual: HostTensor | undefined, exp: Expected): string | null {
  const want = readNpyFile(exp.file);
  if (!actual) return `${key}: missing output`;
  if (baseType(actual.dtype) !== baseType(want.dtype)) return `${key}: dtype ${dtypeName(actual.dtype)}, expected ${dtypeName(want.dtype)}`;
  if (actual.shape.join(",") !== want.shape.join(","))
    return `${key}: shape [${actual.shape.join(", ")}], expected [${want.shape.join(", ")}]`;
  if (isStringData(want.data) || isStringData(actual.data)) {
    const a = actual.data as Uint8Array[];
    const w = want.data as Uint8Array[];
    for (let i = 0; i < w.length; i++) {
      if (Buffer.compare(Buffer.from(a[i] ?? []), Buffer.from(w[i]!)) !== 0) {
        return `${key}[${i}]: '${Buffer.from(a[i] ?? []).toString()}' != '${Buffer.from(w[i]!).toString()}'`;
      }
    }
    return null;
  }
  const a = Array.from(actual.data as ArrayLike<number | bigint>, Number);
  const w = Array.from(want.data as ArrayLike<number | bigint>, Number);
  for (let i = 0; i < w.length; i++) {
    const x = a[i]!;
    const y = w[i]!;
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (!(Math.abs(x - y) <= exp.atol + exp.rtol * Math.abs(y))) return `${key}[${i}]: ${x} != ${y} (rtol ${exp.rtol}, atol ${exp.atol})`;
  }
  return null;
}

export type Outcome = { status: "pass" } | { status: "fail"; why: string } | { status: "skip"; why: string };

export async function openCaseModel(c: RunCase, backend: BackendKind, fastPath = true): Promise<LoadedModel> {
  return loadModel(new FsSource(), join(FIXTURES, c.model), { tags: c.tags, backend, wasmPaths: WASM_PATHS, fastPath });
}

/** Runs a case; `fastPath: false` sends every op through tfjs (the engine's fast path is on by default). */
export async function runCase(c: RunCase, backend: BackendKind, fastPath = true): Promise<Outcome> {
  if (c.requires_op_library) return { status: "skip", why: `needs the ${c.requires_op_library} op library` };
  let model: LoadedModel | undefined;
  try {
    model = await openCaseModel(c, backend, fastPath);
    const problems: string[] = [];
    if (model.backend !== backend) problems.push(`ran on the ${model.backend} backend, not ${backend}`);
    const steps: Step[] = c.sequence ?? [
      { step: 0, signature: c.signature ?? "", inputs: (c.inputs ?? c.feeds ?? {}) as Record<string, string>, expected: c.expected ?? {} },
    ];
    for (const s of steps) {
      const prepared =
        c.signature === null && !c.sequence
          ? await model.prepareTensors(Object.keys(c.feeds ?? {}), c.fetches ?? [])
          : await model.prepare(s.signature);
      const res = await prepared.run(caseFeeds(c.sequence ? s.inputs : (c.inputs ?? c.feeds)));
      for (const [k, e] of Object.entries(s.expected)) {
        const p = compare(k, res.outputs[k], e);
        if (p) problems.push(c.sequence ? `step ${s.step}: ${p}` : p);
      }
    }
    if (c.expect_error)
      return { status: "fail", why: `expected an error containing one of ${c.expect_error.contains.slice(0, 3).join(", ")}…, but it ran` };
    return problems.length === 0 ? { status: "pass" } : { status: "fail", why: problems.join("; ") };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (c.expect_error) {
      return c.expect_error.contains.some((s) => msg.includes(s))
        ? { status: "pass" }
        : { status: "fail", why: `error '${msg}' names none of the expected strings` };
    }
    return { status: "fail", why: msg };
  } finally {
    model?.dispose();
  }
}
