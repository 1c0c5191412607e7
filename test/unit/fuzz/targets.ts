/**
 * Fuzz targets: each mutates real fixture files and drives a reader the way the product does.
 * A StudioError from one step does not stop the others (more code gets exercised per input).
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { StudioError } from "../../../src/core/errors.js";
import { MemorySource } from "../../../src/core/io.js";
import { TensorBundle } from "../../../src/core/bundle/index.js";
import { parseNpy } from "../../../src/core/npy/npy.js";
import { listNpz, parseNpz } from "../../../src/core/npy/npz.js";
import { formatTensor, tensorStats } from "../../../src/core/tensor-format.js";
import { readerFacts } from "../../../src/core/savedmodel/facts.js";
import { kerasFileObjects } from "../../../src/core/savedmodel/keras-file.js";
import { SavedModelReader, parseSavedModelText, savedModelToText } from "../../../src/core/savedmodel/reader.js";
import { showAll } from "../../../src/core/savedmodel/show.js";
import { tensorflow } from "../../../src/core/proto/index.js";
import type { Parser } from "web-tree-sitter";
import { analyzePython, codeActionsFor } from "../../../src/server/python/analyze.js";
import { PythonDocument } from "../../../src/server/python/document.js";
import { createPythonParser } from "../../../src/server/python/parser.js";
import { FIXTURES, REPO_ROOT } from "../helpers/fixtures.js";
import { engineTarget } from "./engine-target.js";
import type { Seed, Target } from "./harness.js";
import { binaryMutation, npyMutation, protoMutation, textMutation, zipMutation } from "./mutate.js";

const MODELS = join(FIXTURES, "savedmodels");
const NPY_DIR = join(REPO_ROOT, "test", "fixtures", "npy");
const CASES = join(FIXTURES, "cases");
/** Seeds up to this size are used in CI (bigger ones only in the long run). */
const CI_SEED_BYTES = 400 * 1024;

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

const fileCache = new Map<string, Uint8Array>();
function readCached(path: string): Uint8Array {
  let b = fileCache.get(path);
  if (!b) {
    b = new Uint8Array(readFileSync(path));
    fileCache.set(path, b);
  }
  return b;
}

/** Model directories (relative to savedmodels/) holding a saved_model.pb or .pbtxt. */
function modelDirs(): string[] {
  return walk(MODELS)
    .filter((p) => /saved_model\.pb(txt)?$/.test(p) && !p.includes("/assets"))
    .map((p) => relative(MODELS, join(p, "..")))
    .sort();
}

/** Every file of a model directory, keyed as `m/<relative path>`. */
function modelFiles(dir: string): Record<string, Uint8Array> {
  const root = join(MODELS, dir);
  const out: Record<string, Uint8Array> = {};
  if (!existsSync(root)) return out;
  for (const p of walk(root)) out[`m/${relative(root, p)}`] = readCached(p);
  return out;
}

function seedsFrom(paths: readonly string[], base: string, ci: boolean | undefined): Seed[] {
  return paths
    .filter((p) => existsSync(p))
    .map((p) => ({ name: relative(base, p), bytes: readCached(p) }))
    .filter((s) => !ci || s.bytes.length <= CI_SEED_BYTES);
}

/** Runs `fn`; a typed error is remembered (and rethrown at the end), anything else escapes at once. */
class Steps {
  first: StudioError | undefined;
  async run(fn: () => unknown): Promise<void> {
    try {
      await fn();
    } catch (e) {
      if (!(e instanceof StudioError)) throw e;
      this.first ??= e;
    }
  }
  done(): void {
    if (this.first) throw this.first;
  }
}

/** Everything a user can ask of an open SavedModel. */
async function exercise(r: SavedModelReader, s: Steps): Promise<void> {
  await s.run(() => r.metaGraphs());
  await s.run(() => r.schemaVersion);
  await s.run(() => r.loadBody());
  const count = (() => {
    try {
      return r.metaGraphs().length;
    } catch {
      return 0;
    }
  })();
  for (let i = 0; i < Math.min(count, 4); i++) {
    await s.run(() => r.ops(i));
    await s.run(() => r.objectGraph(i));
    await s.run(() => r.functions(i));
    await s.run(() => r.functionIndex(i));
    await s.run(() => r.variableSummaries(i));
  }
  await s.run(() => showAll(r, { listOps: true }));
  await s.run(() => r.keras());
  await s.run(() => r.fingerprint());
  await s.run(() => readerFacts(r));
}

async function openAndExercise(src: MemorySource, s: Steps, headOnly: boolean): Promise<void> {
  let r: SavedModelReader | undefined;
  await s.run(async () => {
    r = await SavedModelReader.open(src, "m", headOnly ? { headOnly: true } : {});
  });
  if (r) await exercise(r, s);
}

export const savedModelTarget: Target = {
  name: "savedmodel",
  seeds: (o) =>
    seedsFrom(
      modelDirs().map((d) => join(MODELS, d, "saved_model.pb")),
      MODELS,
      o?.ci,
    ),
  mutation: protoMutation,
  async run(input, seedName) {
    const files = modelFiles(seedName.replace(/\/?saved_model\.pb$/, ""));
    const src = new MemorySource({ ...files, "m/saved_model.pb": input });
    const s = new Steps();
    await openAndExercise(src, s, false);
    await openAndExercise(src, s, true);
    s.done();
  },
};

const pbtxtSeedCache = new Map<string, Uint8Array>();
/** Real .pbtxt files plus the text form of small binary fixtures. */
function pbtxtSeeds(ci: boolean | undefined): Seed[] {
  const seeds = seedsFrom(
    [
      ...modelDirs().map((d) => join(MODELS, d, "saved_model.pbtxt")),
      ...walk(join(REPO_ROOT, "test", "fixtures", "pbtxt")).filter((p) => p.endsWith(".pbtxt")),
    ],
    REPO_ROOT,
    ci,
  );
  for (const d of modelDirs()) {
    const pb = join(MODELS, d, "saved_model.pb");
    if (!existsSync(pb) || statSync(pb).size > 64 * 1024) continue;
    const name = `text-of:${relative(MODELS, pb)}`;
    let text = pbtxtSeedCache.get(name);
    if (!text) {
      text = new TextEncoder().encode(savedModelToText(tensorflow.SavedModel.decode(readCached(pb))));
      pbtxtSeedCache.set(name, text);
    }
    seeds.push({ name, bytes: text });
  }
  return seeds;
}

export const pbtxtTarget: Target = {
  name: "pbtxt",
  seeds: (o) => pbtxtSeeds(o?.ci),
  mutation: textMutation,
  async run(input, seedName) {
    const text = new TextDecoder("utf-8").decode(input);
    const s = new Steps();
    await s.run(() => parseSavedModelText("saved_model.pbtxt", text));
    const dir = seedName.startsWith("text-of:")
      ? seedName.slice(8).replace(/\/?saved_model\.pb$/, "")
      : (/savedmodels\/(.+)\/saved_model\.pbtxt$/.exec(seedName)?.[1] ?? "");
    const files = dir ? modelFiles(dir) : {};
    delete files["m/saved_model.pb"];
    delete files["m/saved_model.pbtxt"];
    await openAndExercise(new MemorySource({ ...files, "m/saved_model.pbtxt": input }), s, false);
    s.done();
  },
};

/** Reads every entry of a bundle the way the variables view does. */
async function exerciseBundle(src: MemorySource, s: Steps): Promise<void> {
  let b: TensorBundle | undefined;
  await s.run(async () => {
    b = await TensorBundle.open(src, "m/variables/variables");
  });
  if (!b) return;
  const bundle = b;
  for (const e of bundle.entries().slice(0, 400)) {
    await s.run(async () => {
      const t = await bundle.readTensor(e.key);
      if (!Array.isArray(t.data) && t.data.length <= 64) formatTensor(t);
    });
  }
  await s.run(() => bundle.objectGraph());
}

export const bundleIndexTarget: Target = {
  name: "bundle-index",
  seeds: (o) =>
    seedsFrom(
      modelDirs().map((d) => join(MODELS, d, "variables", "variables.index")),
      MODELS,
      o?.ci,
    ),
  mutation: binaryMutation,
  async run(input, seedName) {
    const files = modelFiles(seedName.replace(/\/?variables\/variables\.index$/, ""));
    const s = new Steps();
    await exerciseBundle(new MemorySource({ ...files, "m/variables/variables.index": input }), s);
    s.done();
  },
};

export const bundleDataTarget: Target = {
  name: "bundle-data",
  seeds: (o) =>
    seedsFrom(
      modelDirs().flatMap((d) => walk(join(MODELS, d, "variables")).filter((p) => /variables\.data-\d+-of-\d+$/.test(p))),
      MODELS,
      o?.ci ? true : undefined,
    ),
  mutation: binaryMutation,
  async run(input, seedName) {
    const m = /^(.*?)\/?variables\/(variables\.data-\d+-of-\d+)$/.exec(seedName);
    const files = m ? modelFiles(m[1] as string) : {};
    const s = new Steps();
    await exerciseBundle(new MemorySource({ ...files, [`m/variables/${m?.[2] ?? "variables.data-00000-of-00001"}`]: input }), s);
    s.done();
  },
};

export const npyTarget: Target = {
  name: "npy",
  seeds: (o) => {
    const local = seedsFrom(
      walk(NPY_DIR).filter((p) => p.endsWith(".npy")),
      REPO_ROOT,
      o?.ci,
    );
    const cases = seedsFrom(
      walk(CASES).filter((p) => p.endsWith(".npy")),
      FIXTURES,
      o?.ci,
    );
    return [...local, ...(o?.ci ? cases.filter((_, i) => i % 8 === 0) : cases)];
  },
  mutation: npyMutation,
  async run(input) {
    const t = parseNpy(input, "fuzz.npy");
    const n = Array.isArray(t.data) ? t.data.length : t.data.length;
    if (n <= 100_000) {
      formatTensor(t);
      tensorStats(t);
    }
  },
};

export const npzTarget: Target = {
  name: "npz",
  seeds: (o) =>
    seedsFrom(
      walk(NPY_DIR).filter((p) => p.endsWith(".npz")),
      REPO_ROOT,
      o?.ci,
    ),
  mutation: zipMutation,
  async run(input) {
    const s = new Steps();
    await s.run(() => listNpz(input, "fuzz.npz"));
    await s.run(() => parseNpz(input, "fuzz.npz"));
    s.done();
  },
};

/** `.keras` archives and `.h5` files as the language server reads them (the format the seed's name says). */
export const kerasFileTarget: Target = {
  name: "keras-file",
  seeds: (o) =>
    seedsFrom(
      walk(join(REPO_ROOT, "test", "fixtures", "keras-files")).filter((p) => /\.(keras|h5)$/.test(p)),
      REPO_ROOT,
      o?.ci,
    ),
  mutation: binaryMutation,
  async run(input, seedName) {
    const format = seedName.endsWith(".keras") ? "keras" : "h5";
    return kerasFileObjects(input, `fuzz.${format}`, format);
  },
};

/** keras_metadata.pb and fingerprint.pb next to an intact saved_model.pb. */
export const metadataTarget: Target = {
  name: "metadata",
  seeds: (o) =>
    seedsFrom(
      modelDirs().flatMap((d) => [join(MODELS, d, "keras_metadata.pb"), join(MODELS, d, "fingerprint.pb")]),
      MODELS,
      o?.ci,
    ),
  mutation: protoMutation,
  async run(input, seedName) {
    const m = /^(.*?)\/?(keras_metadata\.pb|fingerprint\.pb)$/.exec(seedName);
    const files = m ? modelFiles(m[1] as string) : {};
    const file = m?.[2] ?? "keras_metadata.pb";
    const src = new MemorySource({ ...files, [`m/${file}`]: input });
    const r = await SavedModelReader.open(src, "m");
    const s = new Steps();
    await s.run(() => r.keras());
    await s.run(() => r.fingerprint());
    s.done();
  },
};

let pythonParser: Promise<Parser> | undefined;

/**
 * The Python analyser on damaged source: the language server's path (incremental update from the
 * original text, analysis, code actions over the whole file). It has no typed errors: it must not throw.
 */
export const pythonTarget: Target = {
  name: "python",
  seeds: (o) =>
    seedsFrom(
      walk(join(REPO_ROOT, "test", "python")).filter((p) => p.endsWith(".py")),
      REPO_ROOT,
      o?.ci,
    ),
  // Nesting is capped at 2,000 here: tree-sitter parsing of 20,000 nested brackets takes seconds (a known
  // limit, see the todo test in limits.test.ts); the analyser itself is fuzzed at that depth there.
  mutation: () => textMutation(2000),
  async run(input, seedName) {
    pythonParser ??= createPythonParser();
    const doc = new PythonDocument(await pythonParser);
    try {
      const original = join(REPO_ROOT, seedName);
      if (seedName && existsSync(original)) doc.update(new TextDecoder().decode(readCached(original)));
      const source = new TextDecoder().decode(input);
      doc.update(source);
      const uri = "file:///project/fuzz.py";
      const r = analyzePython({
        uri,
        source,
        statements: doc.statements(),
        settings: { enable: true, kerasVersion: "auto", checkModelsOnDisk: false },
      });
      codeActionsFor(uri, r.findings, { start: { line: 0, character: 0 }, end: { line: 1 << 30, character: 0 } });
    } finally {
      doc.dispose();
    }
  },
};

export const TARGETS: readonly Target[] = [
  savedModelTarget,
  pbtxtTarget,
  bundleIndexTarget,
  bundleDataTarget,
  npyTarget,
  npzTarget,
  kerasFileTarget,
  metadataTarget,
  pythonTarget,
  engineTarget,
];

export function targetByName(name: string): Target | undefined {
  return TARGETS.find((t) => t.name === name);
}
