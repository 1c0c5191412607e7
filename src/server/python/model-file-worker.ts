/**
 * One Keras model file's custom objects, read in a worker thread with a heap cap (models.ts `readModelFile`):
 * a crafted `.h5` / `.keras` file can make the HDF5 or zip reader loop or allocate without bound, and the
 * language server must outlive it. Posts `ModelFileResult` once.
 */
import { parentPort, workerData } from "node:worker_threads";
import { kerasFileObjects, type KerasFileObjects } from "../../core/savedmodel/keras-file.js";

export interface ModelFileJob {
  readonly bytes: Uint8Array;
  readonly file: string;
  readonly format: "keras" | "h5";
}

export type ModelFileResult = { readonly objects: KerasFileObjects | undefined } | { readonly error: string };

if (parentPort) {
  const job = workerData as ModelFileJob;
  let result: ModelFileResult;
  try {
    result = { objects: kerasFileObjects(job.bytes, job.file, job.format) };
  } catch (e) {
    result = { error: e instanceof Error ? e.message : String(e) };
  }
  parentPort.postMessage(result);
}
