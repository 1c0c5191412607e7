/**
 * The engine out of the host thread (issue 17, item 1): `loadModelIsolated` loads a model in a
 * worker thread (engine-worker.ts) with a heap cap and returns a `LoadedModel` whose runs happen
 * there. The host thread stays free, so:
 *  - cancelling (an AbortSignal; Ctrl-C in the CLI) terminates the worker at once, even inside a
 *    synchronous loop, and the run rejects with CANCELLED;
 *  - a worker that runs out of its heap, traps or exits becomes a typed error (LIMIT_EXCEEDED /
 *    ENGINE) and the host survives;
 *  - the next call after a lost worker starts a fresh one and loads the model again.
 * Runs on one model are serialized (one worker, one model); feeds and results are copied across.
 */
import type { Worker } from "node:worker_threads";
import { LimitError, StudioError, type ErrorCode } from "../core/errors.js";
import { DEFAULT_WORKER_HEAP_MB } from "../core/limits.js";
import type { HostTensor } from "../core/tensor.js";
import type { LoadOptions, LoadedModel, PreparedSignature, RunOptions, RunResult } from "../runtime/types.js";
import { scriptNextTo, startWorker } from "./worker-script.js";
import type { LoadInfo, PreparedInfo, PrepareSpec, WireError, WorkerRequest, WorkerResponse } from "./engine-protocol.js";

export interface IsolationOptions {
  /** The worker script (default: engineWorker.js next to this bundle, or engine-worker.ts under tsx). */
  readonly script?: string;
  /** Heap cap of the worker, MiB (V8 old generation). Default 1536 (with the run budget, a run stays under 2 GiB RSS). */
  readonly maxHeapMb?: number;
}

export { DEFAULT_WORKER_HEAP_MB };

/** Distributive Omit over the request union (keeps each variant's own fields). */
type Payload = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, "id"> : never) : never;

/** The worker script next to this module, if there is one. */
export function defaultEngineWorkerScript(): string | undefined {
  return scriptNextTo(typeof __dirname === "string" ? __dirname : undefined, ["engineWorker.js", "engine-worker.ts"]);
}

function rebuild(e: WireError): StudioError {
  return new StudioError((e.code ?? "ENGINE") as ErrorCode, e.message, e.file);
}

/** One worker thread holding one model. */
export class EngineWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private nextId = 1;
  dead: StudioError | undefined;

  constructor(script: string, maxHeapMb: number) {
    const options = { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } };
    this.worker = startWorker(script, options);
    this.worker.on("message", (m: WorkerResponse) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(rebuild(m.error));
    });
    this.worker.on("error", (e: Error & { code?: string }) => {
      this.fail(
        e.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? new LimitError(
              undefined,
              `the engine ran out of memory (its heap is capped at ${maxHeapMb} MiB) and was stopped; the next run starts a fresh engine`,
            )
          : new StudioError("ENGINE", `the engine crashed (${e.message}); the next run starts a fresh engine`),
      );
    });
    this.worker.on("exit", (code) =>
      this.fail(new StudioError("ENGINE", `the engine stopped (exit code ${code}); the next run starts a fresh engine`)),
    );
  }

  private fail(e: StudioError): void {
    this.dead ??= e;
    for (const p of this.pending.values()) p.reject(this.dead);
    this.pending.clear();
  }

  call<T>(req: Payload, signal?: AbortSignal): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    if (signal?.aborted) return Promise.reject(new StudioError("CANCELLED", "run cancelled"));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        // Terminating is the only way to stop a run inside a synchronous loop; the model is reloaded next time.
        this.fail(new StudioError("CANCELLED", "run cancelled"));
        void this.worker.terminate();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => signal?.removeEventListener("abort", onAbort);
      this.pending.set(id, {
        resolve: (v) => {
          done();
          resolve(v as T);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      this.worker.postMessage({ ...req, id });
    });
  }

  terminate(): void {
    this.fail(new StudioError("ENGINE", "the model was disposed"));
    void this.worker.terminate();
  }
}

/** A model loaded in a worker thread; see the module comment. */
class IsolatedModel implements LoadedModel {
  private worker: EngineWorker;
  private loading: Promise<LoadInfo>;
  private disposed = false;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private readonly opts: LoadOptions,
    private readonly script: string,
    private readonly maxHeapMb: number,
    private info: LoadInfo,
    first: EngineWorker,
  ) {
    this.worker = first;
    this.loading = Promise.resolve(info);
  }

  static async load(dir: string, opts: LoadOptions, script: string, maxHeapMb: number): Promise<IsolatedModel> {
    const w = new EngineWorker(script, maxHeapMb);
    try {
      const info = await w.call<LoadInfo>({ kind: "load", dir, opts });
      return new IsolatedModel(dir, opts, script, maxHeapMb, info, w);
    } catch (e) {
      w.terminate();
      throw e;
    }
  }

  get engine(): "embedded" | "native" {
    return this.info.engine;
  }
  get backend(): string {
    return this.info.backend;
  }
  get tags(): readonly string[] {
    return this.info.tags;
  }
  get signatureKeys(): readonly string[] {
    return this.info.signatureKeys;
  }
  get loadMs(): number {
    return this.info.loadMs;
  }

  /** The live worker, a fresh one (model loaded again) when the last one was lost. */
  private async live(): Promise<EngineWorker> {
    if (this.disposed) throw new StudioError("ENGINE", "the model was disposed");
    if (this.worker.dead) {
      this.worker = new EngineWorker(this.script, this.maxHeapMb);
      this.loading = this.worker.call<LoadInfo>({ kind: "load", dir: this.dir, opts: this.opts });
    }
    this.info = await this.loading;
    return this.worker;
  }

  /** Calls run one after another (a cancelled run's worker is replaced before the next starts). */
  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const job = this.queue.then(fn);
    this.queue = job.catch(() => undefined);
    return job;
  }

  private prepareSpec(spec: PrepareSpec): Promise<PreparedSignature> {
    return this.serialized(async () => {
      const info = await (await this.live()).call<PreparedInfo>({ kind: "prepare", spec });
      return {
        ...info,
        run: (feeds: Readonly<Record<string, HostTensor>>, ro: RunOptions = {}): Promise<RunResult> =>
          this.serialized(async () =>
            (await this.live()).call<RunResult>({ kind: "run", spec, feeds, ...(ro.outputs ? { outputs: ro.outputs } : {}) }, ro.signal),
          ),
      };
    });
  }

  prepare(signatureKey: string): Promise<PreparedSignature> {
    return this.prepareSpec({ kind: "signature", key: signatureKey });
  }

  prepareTensors(feeds: readonly string[], fetches: readonly string[]): Promise<PreparedSignature> {
    return this.prepareSpec({ kind: "tensors", feeds: [...feeds], fetches: [...fetches] });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.worker.terminate();
  }
}

/**
 * Loads the SavedModel in `dir` (a local path: the worker reads it with node:fs) in a worker thread.
 * Throws ENGINE when no worker script is found (callers may fall back to the in-process engine).
 */
export async function loadModelIsolated(dir: string, opts: LoadOptions = {}, iso: IsolationOptions = {}): Promise<LoadedModel> {
  const script = iso.script ?? defaultEngineWorkerScript();
  if (!script) throw new StudioError("ENGINE", "the engine worker script (engineWorker.js) was not found next to the bundle");
  return IsolatedModel.load(dir, opts, script, iso.maxHeapMb ?? DEFAULT_WORKER_HEAP_MB);
}
