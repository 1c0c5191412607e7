/**
 * The engine's worker thread (dist/engineWorker.js): holds one loaded model and runs it, so a run
 * that exhausts memory, traps or loops never takes the host thread (the extension host, the CLI's
 * signal handling) with it. Started and stopped by isolatedEngine.ts; reads files itself (FsSource).
 */
import { parentPort } from "node:worker_threads";
import { StudioError } from "../core/errors.js";
import { loadModel } from "../runtime/index.js";
import type { LoadedModel, PreparedSignature } from "../runtime/types.js";
import type { PrepareSpec, WireError, WorkerRequest, WorkerResponse } from "./engine-protocol.js";
import { recordTrace } from "./recordTrace.js";
import { FsSource } from "./fsSource.js";

let model: LoadedModel | undefined;
const prepared = new Map<string, Promise<PreparedSignature>>();

function prepare(spec: PrepareSpec): Promise<PreparedSignature> {
  if (!model) throw new StudioError("ENGINE", "the engine worker has no model loaded");
  const id = JSON.stringify(spec);
  let p = prepared.get(id);
  if (!p) {
    p = spec.kind === "signature" ? model.prepare(spec.key) : model.prepareTensors(spec.feeds, spec.fetches);
    prepared.set(id, p);
    p.catch(() => prepared.delete(id));
  }
  return p;
}

async function handle(req: WorkerRequest): Promise<unknown> {
  switch (req.kind) {
    case "load": {
      model = await loadModel(new FsSource("/"), req.dir, req.opts);
      const { engine, backend, tags, signatureKeys, loadMs } = model;
      return { engine, backend, tags, signatureKeys, loadMs };
    }
    case "prepare": {
      const { key, inputs, outputs, ops, warnings } = await prepare(req.spec);
      return { key, inputs, outputs, ops, warnings };
    }
    case "run":
      return (await prepare(req.spec)).run(req.feeds, req.outputs ? { outputs: req.outputs } : {});
    case "trace":
      return recordTrace(req.args);
  }
}

function wire(e: unknown): WireError {
  if (e instanceof StudioError) return { code: e.code, message: e.message, ...(e.file !== undefined ? { file: e.file } : {}) };
  return { message: e instanceof Error ? e.message : String(e) };
}

parentPort?.on("message", (req: WorkerRequest) => {
  handle(req).then(
    (value) => parentPort?.postMessage({ id: req.id, ok: true, value } satisfies WorkerResponse),
    (e: unknown) => parentPort?.postMessage({ id: req.id, ok: false, error: wire(e) } satisfies WorkerResponse),
  );
});
