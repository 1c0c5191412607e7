/**
 * Keras major version inference. Explicit signals only:
 *   - a setting ("2" | "3") wins;
 *   - Keras 2 markers: `import tf_keras`; `os.environ["TF_USE_LEGACY_KERAS"] = "1"`;
 *   - Keras 3 markers: `import keras_core`; `keras.ops` (`from keras import ops`, `keras.ops.x`), which
 *     Keras 2 never had; `os.environ["KERAS_BACKEND"] = "jax" | "torch" | "numpy" | "openvino"` (backends
 *     only Keras 3 has), or `= "tensorflow"` in a file that imports standalone `keras` (multi-backend
 *     Keras 2.3 and older read that variable too, but only with theano/cntk as the alternatives);
 *   - pins in requirements*.txt / pyproject.toml / setup.cfg: keras 3.x, keras < 3, tensorflow < 2.16
 *     (tf.keras is Keras 2), tensorflow >= 2.16 (tf.keras is Keras 3 unless tf_keras is used).
 * Anything else is "unknown", and only rules that hold for both versions run.
 */
import type { Bindings } from "./imports.js";

export type KerasVersion = 2 | 3 | "unknown";

/** KERAS_BACKEND values that only Keras 3 knows. */
const K3_ONLY_BACKENDS = new Set(["jax", "torch", "numpy", "openvino"]);
/**
 * Standalone keras modules Keras 3 removed (ModuleNotFoundError with keras 3.15.1; present in keras 2.6's tree): a
 * file importing one runs only on Keras 2.
 */
const K2_ONLY_MODULES =
  /^keras\.(engine|layers\.(core|merge|convolutional|recurrent|normalization|embeddings|pooling|advanced_activations|wrappers|noise|local|cudnn_recurrent))(\.|$)/;
/** Keras 3's own legacy package (keras/src/legacy), in no Keras 2 release (2.13.1 and 2.15.0 have keras/src without it). */
const K3_ONLY_MODULES = /^keras\.src\.legacy(\.|$)/;
export type VersionSetting = "auto" | "2" | "3";

export interface VersionEvidence {
  readonly version: KerasVersion;
  readonly reason: string;
  /** Decided by the file's own code (an import, an environment variable, an API only one version has). */
  readonly marker?: true;
}

export interface ProjectFile {
  /** Path (for the reason text). */
  readonly path: string;
  readonly text: string;
}

export function inferKerasVersion(
  setting: VersionSetting,
  b: Bindings,
  source: string,
  projectFiles: readonly ProjectFile[],
): VersionEvidence {
  if (setting === "2" || setting === "3")
    return { version: Number(setting) as 2 | 3, reason: "setting savedModelStudio.python.kerasVersion" };
  if (b.modules.has("tf_keras")) return { version: 2, reason: "imports tf_keras", marker: true };
  if (b.modules.has("keras_core")) return { version: 3, reason: "imports keras_core", marker: true };
  const only = [...b.names.values()].find((q) => K2_ONLY_MODULES.test(q) || K3_ONLY_MODULES.test(q));
  if (only)
    return K3_ONLY_MODULES.test(only)
      ? { version: 3, reason: `imports ${only} (only Keras 3 has keras.src.legacy)`, marker: true }
      : { version: 2, reason: `imports ${only} (a module Keras 3 removed)`, marker: true };
  if (/TF_USE_LEGACY_KERAS["']\s*\]\s*=\s*["'](1|true|True)["']/.test(source))
    return { version: 2, reason: "sets TF_USE_LEGACY_KERAS=1", marker: true };
  const usesStandalone = [...b.names.values()].some((q) => q === "keras" || q.startsWith("keras."));
  if ([...b.names.values()].some((q) => q === "keras.ops" || q.startsWith("keras.ops.")) || /\bkeras\.ops\.\w/.test(source))
    return { version: 3, reason: "uses keras.ops (Keras 3 only)", marker: true };
  const backend = /KERAS_BACKEND["']\s*\]\s*=\s*["'](\w+)["']/.exec(source)?.[1];
  if (backend && (K3_ONLY_BACKENDS.has(backend) || (backend === "tensorflow" && usesStandalone)))
    return { version: 3, reason: `sets KERAS_BACKEND=${backend}`, marker: true };
  for (const f of projectFiles) {
    const pins = parsePins(f.text);
    const keras = pins.get("keras");
    const tf = pins.get("tensorflow") ?? pins.get("tensorflow-cpu") ?? pins.get("tensorflow-gpu");
    const k = keras ? majorOf(keras) : undefined;
    if (k === 3 || k === 2) {
      // standalone keras pin decides for `import keras`; tf.keras follows it too from TF 2.16 on
      if (usesStandalone || !tf) return { version: k, reason: `${f.path} pins keras ${keras}` };
    }
    if (tf) {
      const t = tfKerasMajor(tf);
      if (t === 2 && !pins.has("tf-keras") && !pins.has("tf_keras"))
        return { version: 2, reason: `${f.path} pins tensorflow ${tf} (tf.keras is Keras 2 before TF 2.16)` };
      if (t === 3 && !pins.has("tf-keras") && !pins.has("tf_keras"))
        return { version: 3, reason: `${f.path} pins tensorflow ${tf} (Keras 3 from TF 2.16)` };
    }
  }
  return { version: "unknown", reason: "no import or pin decides the Keras version" };
}

/**
 * A file without markers of its own runs in the process of the workspace modules it imports: when those that
 * have markers agree, their version is the file's (`train.py` importing `src/model.py`, which sets
 * KERAS_BACKEND). Pins and settings are not inherited (the file reads the same project files itself).
 */
export function inheritedVersion(
  own: VersionEvidence,
  imported: readonly { readonly name: string; readonly version?: VersionEvidence }[],
): VersionEvidence {
  if (own.version !== "unknown") return own;
  const marked = imported.filter((m) => m.version?.marker && m.version.version !== "unknown");
  const versions = new Set(marked.map((m) => m.version!.version));
  if (versions.size !== 1) return own;
  const m = marked[0]!;
  return { version: m.version!.version, reason: `imports ${m.name}, which ${m.version!.reason}` };
}

/** `name` → version specifier, from requirements lines or quoted PEP 508 strings (pyproject/setup.cfg). */
export function parsePins(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re =
    /(?:^|["'\s,[])([A-Za-z][A-Za-z0-9_.-]*)\s*(\[[^\]]*\])?\s*((?:[<>=!~]=?|===)\s*[0-9][^;"'\n,#]*(?:,\s*(?:[<>=!~]=?)\s*[0-9][^;"'\n,#]*)*)/gm;
  for (const m of text.matchAll(re)) {
    const name = m[1]!.toLowerCase().replace(/_/g, "-");
    out.set(name === "tf-keras" ? "tf-keras" : name, m[3]!.trim());
  }
  // bare names (no specifier) still matter for tf-keras
  if (/(^|["'\s,[])tf[-_]keras\b/m.test(text) && !out.has("tf-keras")) out.set("tf-keras", "");
  return out;
}

/** Major version a specifier allows, when it pins exactly one. */
export function majorOf(spec: string): 2 | 3 | undefined {
  const parts = spec.split(",").map((s) => s.trim());
  let lo: number | undefined;
  let hi: number | undefined;
  for (const p of parts) {
    const m = /^(===|==|~=|>=|>|<=|<|!=)\s*(\d+)(?:\.(\d+))?/.exec(p);
    if (!m) continue;
    const major = Number(m[2]);
    const minor = m[3] === undefined ? 0 : Number(m[3]);
    if (m[1] === "==" || m[1] === "===" || m[1] === "~=") lo = hi = major;
    else if (m[1] === ">=" || m[1] === ">") lo = major;
    else if (m[1] === "<") hi = minor === 0 ? major - 1 : major;
    else if (m[1] === "<=") hi = major;
  }
  if (lo !== undefined && hi !== undefined && lo === hi && (lo === 2 || lo === 3)) return lo;
  if (lo === 3 || (lo !== undefined && lo > 3)) return 3;
  if (hi === 2) return 2;
  return undefined;
}

/** Keras major bundled as tf.keras for a tensorflow specifier (2.16 switched to Keras 3). */
function tfKerasMajor(spec: string): 2 | 3 | undefined {
  const parts = spec.split(",").map((s) => s.trim());
  let lo: [number, number] | undefined;
  let hi: [number, number] | undefined;
  let exclusiveHi = false;
  for (const p of parts) {
    const m = /^(===|==|~=|>=|>|<=|<)\s*(\d+)\.(\d+)/.exec(p);
    if (!m) continue;
    const v: [number, number] = [Number(m[2]), Number(m[3])];
    if (m[1] === "==" || m[1] === "===" || m[1] === "~=") lo = hi = v;
    else if (m[1] === ">=" || m[1] === ">") lo = v;
    else if (m[1] === "<" || m[1] === "<=") {
      hi = v;
      exclusiveHi = m[1] === "<";
    }
  }
  const cmp = (a: [number, number], b: [number, number]): number => a[0] - b[0] || a[1] - b[1];
  const K3: [number, number] = [2, 16];
  if (lo && cmp(lo, K3) >= 0) return 3;
  if (hi && (cmp(hi, K3) < 0 || (exclusiveHi && cmp(hi, K3) === 0))) return 2;
  return undefined;
}
