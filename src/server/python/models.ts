/**
 * Models on disk, as the Python rules need them: saved Keras class names and signature keys of SavedModel
 * directories, the custom objects `.keras` and `.h5` files name.
 * The only module that reads models; it goes through the core reader (src/core/savedmodel) over a
 * `ModelSource`. Results are cached per model directory and revalidated by the mtime of
 * saved_model.pb / keras_metadata.pb; lookups never block: a miss starts an async read and returns
 * "pending", and `onDidChange` fires when the result (or a change on disk) is known.
 */
import { joinPath, type ModelSource } from "../../core/io.js";
import type { KerasFileObjects } from "../../core/savedmodel/keras-file.js";
import { scriptNextTo, startWorker } from "../../node/worker-script.js";
import { SavedModelReader } from "../../core/savedmodel/reader.js";
import { extOf, type DiskLookup, type DiskLookupResult, type DiskModel } from "./context.js";
import type { ModelFileJob, ModelFileResult } from "./model-file-worker.js";

/** A Keras model file (`.keras`, `.h5`) by its name; undefined for a SavedModel directory. */
export function modelFileFormat(path: string): "keras" | "h5" | undefined {
  const ext = extOf(path);
  return ext === "keras" || ext === "h5" ? ext : undefined;
}

/** Model files larger than this are not read (the whole file is read to find its config). */
export const MAX_MODEL_FILE_BYTES = 128 << 20;

/** Heap and time a model file's reading may take (a crafted file can loop or allocate in the HDF5 reader). */
export const MODEL_FILE_WORKER = { heapMb: 512, timeoutMs: 10_000 };

/**
 * Model files read at once (bytes in memory and a worker each): a workspace whose scripts load a thousand model
 * files reads them in turn, not all together.
 */
const MODEL_FILE_READS = 2;
let reading = 0;
const waiting: (() => void)[] = [];

/** Model file reads running and queued now (tests). */
export function modelFileReads(): { readonly running: number; readonly queued: number } {
  return { running: reading, queued: waiting.length };
}

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  // a finished read hands its slot to the next waiting one
  if (reading >= MODEL_FILE_READS) await new Promise<void>((resolve) => waiting.push(resolve));
  else reading++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else reading--;
  }
}

/** Reads the custom objects a `.keras` / `.h5` file names; undefined when it is unreadable or holds no model. */
async function readModelFile(source: ModelSource, path: string, format: "keras" | "h5"): Promise<DiskModel | undefined> {
  const st = await source.stat(path);
  if (st?.kind !== "file" || st.size > MAX_MODEL_FILE_BYTES) return undefined;
  const r = await inTurn(async () => objectsInWorker({ bytes: await source.read(path), file: path, format }));
  return r && { dir: path, format, keras: true, savedNames: r.objects, compileNames: r.compile, signatures: [] };
}

/**
 * `kerasFileObjects` in a worker thread with a heap cap and a time limit: undefined when the file is not a
 * model we can read (a Git LFS pointer, a truncated or foreign file) or when reading it ran out of either.
 */
function objectsInWorker(job: ModelFileJob): Promise<KerasFileObjects | undefined> {
  const script = scriptNextTo(typeof __dirname === "string" ? __dirname : undefined, ["modelFileWorker.js", "model-file-worker.ts"]);
  if (!script) return Promise.resolve(undefined);
  const bytes = job.bytes.slice(); // its own buffer, handed over whole
  return new Promise((resolve) => {
    let done = false;
    const worker = startWorker(script, {
      workerData: { ...job, bytes },
      transferList: [bytes.buffer],
      resourceLimits: { maxOldGenerationSizeMb: MODEL_FILE_WORKER.heapMb },
    });
    const finish = (r: KerasFileObjects | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => finish(undefined), MODEL_FILE_WORKER.timeoutMs);
    worker.on("message", (m: ModelFileResult) => finish("objects" in m ? m.objects : undefined));
    worker.on("error", () => finish(undefined));
    worker.on("exit", () => finish(undefined));
  });
}

/** Reads the facts of one SavedModel directory or Keras model file (no cache). */
export async function readDiskModel(source: ModelSource, dir: string): Promise<DiskModel | undefined> {
  const format = modelFileFormat(dir);
  if (format) return readModelFile(source, dir, format);
  let reader: SavedModelReader;
  try {
    reader = await SavedModelReader.open(source, dir);
  } catch {
    return undefined;
  }
  const signatures = new Set<string>();
  try {
    for (const mg of reader.metaGraphs()) for (const s of mg.signatures) signatures.add(s.key);
  } catch {
    // signatures are a nicety for the TFSMLayer hint
  }
  let savedNames: string[] = [];
  let keras = false;
  try {
    const k = await reader.keras();
    if (k) {
      keras = true;
      savedNames = [...new Set(k.layers.map((l) => l.registeredName ?? l.className).filter((c) => c.length > 0))].sort();
    }
  } catch {
    keras = false;
  }
  return { dir, format: "savedmodel", keras, savedNames, signatures: [...signatures].sort() };
}

interface Entry {
  state: "loading" | "ready" | "none";
  model?: DiskModel;
  stamp: string;
  checkedAt: number;
}

export interface DiskModelCacheOptions {
  /** Directories a relative path is resolved against, first match wins (document folder, workspace roots). */
  readonly roots: (docDir: string) => readonly string[];
  /** Minimum ms between two mtime checks of the same model. */
  readonly revalidateMs?: number;
  readonly now?: () => number;
}

export class DiskModelCache {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly source: ModelSource,
    private readonly opts: DiskModelCacheOptions,
  ) {}

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** A synchronous lookup function for one document. */
  lookupFor(docDir: string): DiskLookup {
    return (literal) => this.lookup(docDir, literal);
  }

  lookup(docDir: string, literal: string): DiskLookupResult {
    if (literal.length === 0 || /^[a-z][a-z0-9+.-]*:\/\//i.test(literal)) return { state: "none" }; // gs://, hf:// ...
    const candidates = literal.startsWith("/") ? [literal] : this.opts.roots(docDir).map((r) => joinPath(r, literal));
    let pending = false;
    for (const c of candidates) {
      const key = c.replace(/\/+$/, "");
      const e = this.entries.get(key);
      if (!e) {
        this.start(key);
        pending = true;
        continue;
      }
      this.maybeRevalidate(key, e);
      if (e.state === "loading") pending = true;
      else if (e.state === "ready" && e.model) return { state: "ready", model: e.model };
    }
    return pending ? { state: "pending" } : { state: "none" };
  }

  /** Resolves every pending read (tests, benchmarks). */
  async settle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  /** Drops cached facts under a path (file watcher events). */
  invalidate(path: string): void {
    const p = path.replace(/\/+$/, "");
    let changed = false;
    for (const key of [...this.entries.keys()]) {
      if (key === p || p.startsWith(key + "/") || key.startsWith(p + "/")) {
        this.entries.delete(key);
        changed = true;
      }
    }
    if (changed) this.fire();
  }

  private readonly inflight = new Set<Promise<void>>();

  private start(key: string): void {
    const entry: Entry = { state: "loading", stamp: "", checkedAt: this.now() };
    this.entries.set(key, entry);
    const p = (async () => {
      const stamp = await this.stamp(key);
      const model = stamp ? await readDiskModel(this.source, key) : undefined;
      if (this.entries.get(key) !== entry) return;
      entry.stamp = stamp;
      entry.state = model ? "ready" : "none";
      if (model) entry.model = model;
      entry.checkedAt = this.now();
      this.fire();
    })().catch(() => {
      entry.state = "none";
    });
    this.track(p);
  }

  private maybeRevalidate(key: string, e: Entry): void {
    if (e.state === "loading" || this.now() - e.checkedAt < (this.opts.revalidateMs ?? 2000)) return;
    e.checkedAt = this.now();
    const p = (async () => {
      const stamp = await this.stamp(key);
      if (stamp !== e.stamp && this.entries.get(key) === e) {
        this.entries.delete(key);
        this.fire();
      }
    })().catch(() => undefined);
    this.track(p);
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  /** mtimes of the files the facts come from; "" when the path is neither a SavedModel nor a model file. */
  private async stamp(dir: string): Promise<string> {
    if (modelFileFormat(dir)) {
      const st = await this.source.stat(dir).catch(() => undefined);
      return st?.kind === "file" ? `${st.size}:${st.mtimeMs ?? 0}` : "";
    }
    const parts: string[] = [];
    let any = false;
    for (const f of ["saved_model.pb", "saved_model.pbtxt", "keras_metadata.pb"]) {
      const st = await this.source.stat(joinPath(dir, f)).catch(() => undefined);
      if (st?.kind === "file") {
        if (f !== "keras_metadata.pb") any = true;
        parts.push(`${f}:${st.size}:${st.mtimeMs ?? 0}`);
      }
    }
    return any ? parts.join("|") : "";
  }

  private now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }

  private fire(): void {
    for (const l of this.listeners) l();
  }
}
