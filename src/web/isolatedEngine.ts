/**
 * The web build's node/isolatedEngine.ts: there are no worker threads with a heap cap in the
 * web-worker extension host, so a model is loaded in the host itself (a worker already: the
 * workbench stays responsive). The run budgets (runtime/budget.ts) still bound time and memory;
 * Cancel is seen between nodes, not inside one kernel.
 */
import type { LoadOptions, LoadedModel } from "../runtime/types.js";
import { FsSource } from "./fsSource.js";
import { runtimePart } from "./lazy.js";

export interface IsolationOptions {
  readonly script?: string;
  readonly maxHeapMb?: number;
}

/** Loads the SavedModel at `dir` (an absolute path of a `file:` folder) in this host. */
export async function loadModelIsolated(dir: string, opts: LoadOptions = {}, _iso: IsolationOptions = {}): Promise<LoadedModel> {
  return (await runtimePart()).loadModel(new FsSource("/"), dir, opts);
}
