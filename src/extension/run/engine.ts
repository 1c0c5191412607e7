/**
 * Adapter over src/runtime: loads a model once per (model, tag set, engine, backend), prepares
 * signatures, runs them. The runtime (tfjs, protobuf schemas, the engine) is imported on first use
 * only, so activation stays cheap.
 */
import type { HostTensor } from "../../core/tensor.js";
import type { LoadedModel, PreparedSignature, RunResult } from "../../runtime/types.js";
import type { Backend, Engine } from "../config.js";
import type { ModelEntry } from "../models.js";
import { partPath, requireFiles, wasmFiles } from "../parts.js";
import { runtimePart, type RuntimePart } from "../lazy.js";
import { FsSource } from "../../node/fsSource.js";
import { loadModelIsolated } from "../../node/isolatedEngine.js";

interface CacheEntry {
  readonly key: string;
  readonly model: Promise<LoadedModel>;
}

export interface RunRequest {
  readonly model: ModelEntry;
  readonly tags: readonly string[];
  readonly signature: string;
  readonly feeds: Record<string, HostTensor>;
  readonly engine: Engine;
  readonly backend: Backend;
  readonly signal: AbortSignal;
  /** Allow ops with effects outside the model (the per-model `allowUnsafeOpsFor` setting). */
  readonly allowUnsafeOps?: boolean;
}

export interface RunOutcome extends RunResult {
  readonly engine: string;
  readonly backend: string;
  readonly loadMs: number;
  readonly cachedModel: boolean;
  readonly prepareMs: number;
}

export class EngineHost {
  private cache: CacheEntry[] = [];
  private static readonly MAX_MODELS = 2;

  /** @param distDir the extension's dist/ folder (holds the tfjs wasm files). */
  constructor(private readonly distDir: string) {}

  /**
   * Loads the model (cached) and plans the signature without running it: unsupported or unsafe ops
   * are refused here, before the user picks inputs.
   */
  async check(req: Omit<RunRequest, "feeds" | "signal">): Promise<PreparedSignature> {
    const { loaded } = await this.load(req);
    return loaded.prepare(req.signature);
  }

  async run(req: RunRequest): Promise<RunOutcome> {
    const { loaded, cachedModel } = await this.load(req);
    const t0 = performance.now();
    const prepared = await loaded.prepare(req.signature);
    const prepareMs = performance.now() - t0;
    if (req.signal.aborted) throw abortError();
    const result = await prepared.run(req.feeds, { signal: req.signal });
    return { ...result, engine: loaded.engine, backend: loaded.backend, loadMs: cachedModel ? 0 : loaded.loadMs, cachedModel, prepareMs };
  }

  private async load(req: Omit<RunRequest, "feeds" | "signal">): Promise<{ loaded: LoadedModel; cachedModel: boolean }> {
    const key = JSON.stringify([req.model.id, req.tags, req.engine, req.backend, req.allowUnsafeOps === true]);
    let entry = this.cache.find((e) => e.key === key);
    const cachedModel = entry !== undefined;
    if (!entry) {
      if (req.engine === "embedded" && req.backend === "wasm") requireFiles("tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm");
      const runtime = await runtimePart();
      entry = {
        key,
        model: this.open(runtime, req),
      };
      this.cache.unshift(entry);
      entry.model.catch(() => this.forget(key));
      while (this.cache.length > EngineHost.MAX_MODELS) this.disposeEntry(this.cache.pop()!);
    } else {
      this.cache = [entry, ...this.cache.filter((e) => e !== entry)];
    }
    return { loaded: await entry.model, cachedModel };
  }

  /**
   * Local models load in a worker thread with a heap cap (node/isolatedEngine.ts), on either engine:
   * a hostile model that loops or exhausts memory cannot take the extension host down, and Cancel
   * stops it at once. Other file systems run in process (the engine reads through vscode.workspace.fs).
   */
  private async open(runtime: RuntimePart, req: Omit<RunRequest, "feeds" | "signal">): Promise<LoadedModel> {
    const opts = {
      tags: req.tags,
      engine: req.engine,
      backend: req.backend,
      allowUnsafeOps: req.allowUnsafeOps === true,
      ...(await wasmFiles(this.distDir)),
    };
    if (req.model.source instanceof FsSource) {
      requireFiles("engineWorker.js"); // a missing worker is reported, never silently run in the host
      return loadModelIsolated(req.model.dir, opts, { script: partPath("engineWorker.js") });
    }
    return runtime.loadModel(req.model.source, req.model.dir, opts);
  }

  /** Drops loaded models of `modelId` (the model changed on disk). */
  invalidate(modelId: string): void {
    for (const e of this.cache.filter((c) => JSON.parse(c.key)[0] === modelId)) this.disposeEntry(e);
  }

  private forget(key: string): void {
    this.cache = this.cache.filter((e) => e.key !== key);
  }

  private disposeEntry(e: CacheEntry): void {
    this.forget(e.key);
    e.model.then((m) => m.dispose()).catch(() => undefined);
  }

  dispose(): void {
    for (const e of [...this.cache]) this.disposeEntry(e);
  }
}

function abortError(): Error {
  return Object.assign(new Error("cancelled"), { code: "CANCELLED" });
}
