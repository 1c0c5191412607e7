// One corpus model: every meta graph's every signature, run on synthetic inputs (the engine the CLI
// uses), one JSON line per signature on stdout. Spawned by bench/corpus/run.ts with a timeout.
import { FsSource } from "../../src/node/fsSource.js";
import { DataType } from "../../src/core/dtype.js";
import { SavedModelReader } from "../../src/core/savedmodel/reader.js";
import type { HostTensor } from "../../src/core/tensor.js";
import { tensorflow } from "../../src/core/proto/index.js";
import { toNumber } from "../../src/runtime/tensorproto.js";
import { loadModel } from "../../src/runtime/index.js";
import type { TensorSpec } from "../../src/runtime/types.js";

const [dir, backend = "wasm"] = process.argv.slice(2);

/** A deterministic value for an input: unknown dims 1, floats in [0, 1), ints 0, strings a tf.Example with the graph's required features. */
function synthetic(spec: TensorSpec, example: Uint8Array): HostTensor {
  const shape = (spec.shape ?? [1]).map((d) => (d < 0 ? 1 : d));
  const n = shape.reduce((a, b) => a * b, 1);
  const dt = spec.dtype > 100 ? spec.dtype - 100 : spec.dtype;
  if (dt === DataType.DT_STRING) return { dtype: dt, shape, data: Array.from({ length: n }, () => example) };
  if (dt === DataType.DT_FLOAT || dt === 0)
    return { dtype: DataType.DT_FLOAT, shape, data: Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000) };
  if (dt === DataType.DT_DOUBLE) return { dtype: dt, shape, data: Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000) };
  if (dt === DataType.DT_INT64) return { dtype: dt, shape, data: new BigInt64Array(n) };
  if (dt === DataType.DT_BOOL) return { dtype: dt, shape, data: new Uint8Array(n) };
  if (dt === DataType.DT_UINT8) return { dtype: dt, shape, data: new Uint8Array(n) };
  return { dtype: dt, shape, data: new Int32Array(n) };
}

type Graph = tensorflow.MetaGraphDef.$Properties;

/** The dense features every ParseExample(V2) of the graph requires, with zero values of their type and size. */
function requiredFeatures(meta: Graph): Record<string, tensorflow.Feature.$Properties> {
  const all = [...(meta.graph_def?.node ?? []), ...(meta.graph_def?.library?.function ?? []).flatMap((f) => f.node_def ?? [])];
  const byName = new Map(all.map((n) => [n.name ?? "", n]));
  const strings = (input: string | undefined) =>
    (byName.get((input ?? "").split(":")[0]!)?.attr?.["value"]?.tensor?.string_val ?? []).map((b) => new TextDecoder().decode(b));
  const feature: Record<string, tensorflow.Feature.$Properties> = {};
  for (const n of all) {
    if (n.op !== "ParseExample" && n.op !== "ParseExampleV2") continue;
    const types = n.attr?.["Tdense"]?.list?.type ?? [];
    const shapes = n.attr?.["dense_shapes"]?.list?.shape ?? [];
    const keys =
      n.op === "ParseExampleV2"
        ? strings(n.input?.[3])
        : (n.input ?? [])
            .slice(2 + toNumber(n.attr?.["Nsparse"]?.i ?? 0), 2 + toNumber(n.attr?.["Nsparse"]?.i ?? 0) + types.length)
            .flatMap((i) => strings(i));
    keys.forEach((k, j) => {
      const size = (shapes[j]?.dim ?? []).reduce((a, d) => a * Math.max(toNumber(d.size ?? 1), 1), 1);
      const t = types[j];
      feature[k] =
        t === DataType.DT_STRING
          ? { bytes_list: { value: Array.from({ length: size }, () => new Uint8Array()) } }
          : t === DataType.DT_INT64
            ? { int64_list: { value: new Array<number>(size).fill(0) } }
            : { float_list: { value: new Array<number>(size).fill(0.5) } };
    });
  }
  return feature;
}

const print = (o: object) => process.stdout.write(JSON.stringify(o) + "\n");

async function main(): Promise<void> {
  const source = new FsSource();
  const reader = await SavedModelReader.open(source, dir!);
  for (const mg of reader.metaGraphs()) {
    const ops = [...new Set(reader.metaGraphDef(mg.index).graph_def?.node?.map((n) => n.op ?? "") ?? [])];
    const lib = reader.metaGraphDef(mg.index).graph_def?.library?.function ?? [];
    for (const f of lib) for (const n of f.node_def ?? []) ops.push(n.op ?? "");
    print({ kind: "graph", tags: mg.tags, ops: [...new Set(ops)].sort() });
    const example = tensorflow.Example.encode({ features: { feature: requiredFeatures(reader.metaGraphDef(mg.index)) } }).finish();
    let model;
    try {
      model = await loadModel(reader, dir!, { tags: mg.tags, backend: backend as "wasm" | "cpu" });
    } catch (e) {
      for (const s of mg.signatures.filter((x) => x.key !== "__saved_model_init_op"))
        print({
          kind: "sig",
          tags: mg.tags,
          sig: s.key,
          status: "refused",
          code: (e as { code?: string }).code ?? "INTERNAL",
          message: String((e as Error).message).slice(0, 400),
        });
      continue;
    }
    for (const key of model.signatureKeys) {
      const t0 = performance.now();
      try {
        const p = await model.prepare(key);
        const feeds = Object.fromEntries(p.inputs.filter((i) => !i.hasDefault).map((i) => [i.key, synthetic(i, example)]));
        const r = await p.run(feeds);
        const outs = Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.shape]));
        print({ kind: "sig", tags: mg.tags, sig: key, status: "ok", ms: Math.round(performance.now() - t0), outputs: outs, ops: p.ops });
      } catch (e) {
        const code = (e as { code?: string }).code;
        print({
          kind: "sig",
          tags: mg.tags,
          sig: key,
          status: code ? "refused" : "crashed",
          code: code ?? "INTERNAL",
          message: String((e as Error).message).slice(0, 400),
        });
      }
    }
    model.dispose();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    print({ kind: "fatal", message: String((e as Error).message ?? e).slice(0, 400), code: (e as { code?: string }).code ?? "INTERNAL" });
    process.exit(0);
  },
);
