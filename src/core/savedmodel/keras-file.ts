/**
 * The custom objects a Keras model file names: a `.keras` archive (its config.json, compile config included)
 * or a legacy `.h5` file (the root attributes `model_config` and `training_config`). Pure: bytes in, names out.
 *
 * What counts as custom (facts from the files Keras 3.15.1 and tf.keras 2.x write):
 *   - an object `{"class_name": ..., "config": ...}` whose class is no Keras built-in; the new format also says
 *     `module` (a Keras module, or null / a user module: then custom whatever its name) and `registered_name`
 *     (`pkg>Name` when registered, the saved name Keras looks up);
 *   - a function object `{"class_name": "function", "config": "my_act"}` (new format, also under
 *     `"module": "builtins"`) whose name is no Keras function;
 *   - a plain string where a function goes: `activation` / `recurrent_activation` / `fn` in layer and metric
 *     configs, and every string of the compile config's loss / metrics (legacy `"loss": "dice_loss"`).
 * Names Keras resolves itself (its functions, classes and their aliases such as "mse" or "acc") are not custom.
 */
import { File as H5File } from "jsfive";
import { StudioError } from "../errors.js";
import { readZipMember } from "../npy/npz.js";
import builtins from "./keras-builtins.json";

export interface KerasFileObjects {
  readonly format: "keras" | "h5";
  /** Custom objects the model config names (saved names: `Name` or `pkg>Name`), sorted. */
  readonly objects: readonly string[];
  /** Custom objects only the compile config names (needed when the load compiles), sorted. */
  readonly compile: readonly string[];
}

/** At most this much config.json is inflated from a `.keras` archive. */
const MAX_CONFIG_BYTES = 32 << 20;

/** Keras' classes, and the aliases it exports them under (`keras.layers.Convolution1D` is Conv1D). */
const BUILTIN_CLASSES = new Set<string>([
  ...builtins.classes,
  ...["Convolution1D", "Convolution2D", "Convolution3D", "Convolution2DTranspose", "Convolution3DTranspose"],
  ...["Deconvolution2D", "Deconvolution3D", "SeparableConvolution1D", "SeparableConvolution2D"],
  ...["MaxPool1D", "MaxPool2D", "MaxPool3D", "AvgPool1D", "AvgPool2D", "AvgPool3D"],
  ...["GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D", "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D"],
]);
/** Keras' functions, and the string aliases compile() and layers accept (losses.get / metrics.get / activations.get). */
const BUILTIN_FUNCTIONS = new Set<string>([
  ...builtins.functions,
  ...["mse", "mae", "mape", "msle", "acc", "accuracy", "ce", "crossentropy", "bce", "kld", "kl_divergence"],
  ...["kullback_leibler_divergence", "logcosh", "log_cosh", "cosine_proximity", "cosine", "huber_loss"],
  ...["hard_swish", "leaky_relu", "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy"],
]);
/** Keys of a config whose plain string value names a function. */
const FUNCTION_KEYS = new Set(["activation", "recurrent_activation", "fn"]);
/** Keys of a compile config whose strings name losses and metrics. */
const COMPILE_KEYS = ["loss", "metrics", "weighted_metrics"];

/** Whether a saved class or function name is one Keras resolves without custom objects. */
export function isBuiltinName(saved: string, kind: "class" | "function"): boolean {
  const gt = saved.lastIndexOf(">");
  const pkg = gt < 0 ? undefined : saved.slice(0, gt);
  if (pkg !== undefined && pkg !== "keras" && !pkg.startsWith("keras.") && !pkg.startsWith("keras_")) return false;
  const bare = gt < 0 ? saved : saved.slice(gt + 1);
  return kind === "class"
    ? BUILTIN_CLASSES.has(bare)
    : BUILTIN_FUNCTIONS.has(bare) || BUILTIN_FUNCTIONS.has(bare.toLowerCase()) || BUILTIN_CLASSES.has(bare);
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Custom names in one config tree (`out`), walking objects and arrays. */
function collect(node: Json, out: Set<string>, compile: boolean): void {
  if (typeof node === "string") {
    if (compile && !isBuiltinName(node, "function")) out.add(node);
    return;
  }
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const x of node) collect(x, out, compile);
    return;
  }
  const cls = node["class_name"];
  if (typeof cls === "string") {
    classObject(node, cls, out);
    return;
  }
  for (const v of Object.values(node)) collect(v, out, compile);
}

/** A serialized Keras object: itself, then the objects its config holds. */
function classObject(node: { [k: string]: Json }, cls: string, out: Set<string>): void {
  if (cls.startsWith("__")) return; // __keras_tensor__, __tuple__, __numpy__ ...: values, not objects
  const registered = typeof node["registered_name"] === "string" ? node["registered_name"] : undefined;
  const config = node["config"];
  if (cls === "function") {
    const name = registered && registered !== "function" ? registered : typeof config === "string" ? config : undefined;
    if (name && !isBuiltinName(name, "function")) out.add(name);
    return;
  }
  // a class from a user module is custom even when Keras has one of that name (`siamese.CosineSimilarity`)
  const module = node["module"];
  const saved = registered ?? cls;
  const userModule = typeof module === "string" && !/^(keras|tf_keras|keras_core)(\.|$)/.test(module);
  if (userModule || (typeof module !== "string" && !isBuiltinName(saved, "class"))) out.add(saved);
  if (config === null || typeof config !== "object" || Array.isArray(config)) return collect(config ?? null, out, false);
  for (const [k, v] of Object.entries(config)) {
    if (typeof v === "string") {
      if (FUNCTION_KEYS.has(k) && !isBuiltinName(v, "function")) out.add(v);
    } else collect(v, out, false);
  }
}

/** The configs a Keras model file holds: the model's, and the compile (training) config when it was compiled. */
export interface KerasFileConfigs {
  readonly format: "keras" | "h5";
  readonly model: unknown;
  readonly compile: unknown;
}

/** The custom objects named by a model file's configs (what `kerasFileObjects` reports for the file). */
export function kerasConfigObjects(c: KerasFileConfigs): KerasFileObjects {
  return { format: c.format, ...namesOf(c.model as Json, (c.compile ?? null) as Json) };
}

function namesOf(model: Json, compileConfig: Json): { objects: string[]; compile: string[] } {
  const objects = new Set<string>();
  collect(model, objects, false);
  const compile = new Set<string>();
  if (compileConfig && typeof compileConfig === "object" && !Array.isArray(compileConfig))
    for (const k of COMPILE_KEYS) collect(compileConfig[k] ?? null, compile, true);
  for (const o of objects) compile.delete(o);
  return { objects: [...objects].sort(), compile: [...compile].sort() };
}

/** A `.keras` / `.h5` file that is not what its name says, or whose config cannot be read. */
const fileError = (file: string, what: string, cause?: unknown): StudioError =>
  new StudioError("KERAS_FILE", `${file}: ${what}`, file, cause === undefined ? undefined : { cause });

function parseJson(text: unknown, file: string, what: string): Json {
  if (text === undefined || text === null) return null;
  const s = typeof text === "string" ? text : text instanceof Uint8Array ? new TextDecoder().decode(text) : String(text);
  try {
    return JSON.parse(s) as Json;
  } catch (e) {
    throw fileError(file, `${what} is not JSON`, e);
  }
}

/** HDF5's format signature, at the start of a file without a user block (as h5py writes Keras files). */
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** The root attributes of an HDF5 file (jsfive), with its failures as typed errors. */
function hdf5Attributes(bytes: Uint8Array, file: string): Record<string, unknown> {
  if (!HDF5_SIGNATURE.every((b, i) => bytes[i] === b))
    throw fileError(file, "not an HDF5 file (a Git LFS pointer or a download that failed?)");
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return new H5File(buffer, file).attrs;
  } catch (e) {
    throw fileError(file, `unreadable HDF5 file (${e instanceof Error ? e.message : String(e)})`, e);
  }
}

/**
 * Reads the configs of a `.keras` or `.h5` file's bytes; undefined when it holds no model config (a weights
 * file). Throws StudioError ("KERAS_FILE") for a file that is not what its name says, NpyError / LimitError for a
 * malformed or oversized archive member.
 */
export function kerasFileConfigs(bytes: Uint8Array, file: string, format: "keras" | "h5"): KerasFileConfigs | undefined {
  if (format === "keras") {
    const config = readZipMember(bytes, file, "config.json", MAX_CONFIG_BYTES);
    if (!config) return undefined;
    const json = parseJson(new TextDecoder().decode(config), file, "config.json");
    if (!json || typeof json !== "object" || Array.isArray(json)) return undefined;
    const { compile_config: compile = null, ...model } = json;
    return { format, model, compile };
  }
  const attrs = hdf5Attributes(bytes, file);
  if (attrs["model_config"] === undefined) return undefined; // a weights-only file
  return {
    format,
    model: parseJson(attrs["model_config"], file, "model_config"),
    compile: parseJson(attrs["training_config"], file, "training_config"),
  };
}

/** The custom object names of a `.keras` or `.h5` file's bytes (kerasFileConfigs, then kerasConfigObjects). */
export function kerasFileObjects(bytes: Uint8Array, file: string, format: "keras" | "h5"): KerasFileObjects | undefined {
  const c = kerasFileConfigs(bytes, file, format);
  return c && kerasConfigObjects(c);
}
