// The `savedmodel` CLI end to end on the fixtures (in-process: same code as dist/cli.js).
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { main } from "../../../src/cli/main.js";
import { FIXTURES, loadModelsJson } from "../helpers/fixtures.js";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd: FIXTURES });
  return { code, out, err };
}

const model = (name: string) => join(FIXTURES, "savedmodels", name);

describe("savedmodel show", () => {
  it("lists tag sets", async () => {
    const r = await cli("show", "--dir", model("tfx_transform_fn"));
    assert.equal(r.code, 0);
    assert.equal(r.out, "The given SavedModel contains the following tag-sets:\n'transform'\n");
  });

  it("lists signature keys of a tag set", async () => {
    const r = await cli("show", "--dir", model("tfjs_module_with_multiple_signatures"), "--tag_set", "serve");
    assert.equal(r.code, 0);
    assert.match(r.out, /SignatureDef key: "serving_default"\nSignatureDef key: "timestwo"\n$/);
  });

  it("shows one signature like saved_model_cli", async () => {
    const r = await cli("show", "--dir", model("serving_half_plus_two_cpu"), "--tag_set", "serve", "--signature_def", "serving_default");
    assert.equal(r.code, 0);
    assert.equal(
      r.out,
      [
        "The given SavedModel SignatureDef contains the following input(s):",
        "  inputs['x'] tensor_info:",
        "      dtype: DT_FLOAT",
        "      shape: (-1, 1)",
        "      name: x:0",
        "The given SavedModel SignatureDef contains the following output(s):",
        "  outputs['y'] tensor_info:",
        "      dtype: DT_FLOAT",
        "      shape: (-1, 1)",
        "      name: y:0",
        "Method name is: tensorflow/serving/predict",
        "",
      ].join("\n"),
    );
  });

  it("--all prints every signature, the ops and the concrete functions", async () => {
    const r = await cli("show", "--all", "--dir", model("tfjs_times_three_float"));
    assert.equal(r.code, 0);
    assert.match(r.out, /MetaGraphDef with tag-set: 'serve' contains the following SignatureDefs:/);
    assert.match(r.out, /signature_def\['serving_default'\]:/);
    assert.match(r.out, /The MetaGraph with tag set \['serve'\] contains the following ops: \{.*'StatefulPartitionedCall'.*\}/);
    assert.match(r.out, /Concrete Functions:\n {2}Function Name: '/);
    assert.match(r.out, /TensorSpec\(shape=\(\), dtype=tf\.float32, name='x'\)/);
  });

  it("--all on a model with custom ops still lists its concrete functions", async () => {
    const r = await cli("show", "--all", "--dir", model("tfdf_adult_rf"));
    assert.equal(r.code, 0);
    assert.match(r.out, /'SimpleMLInferenceOpWithHandle'/);
    assert.match(r.out, /Function Name: 'call_get_leaves'|Function Name: '/);
  });

  it("--json matches models.json for every fixture", async () => {
    for (const m of loadModelsJson()) {
      const r = await cli("show", "--json", "--dir", join(FIXTURES, m.path));
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out) as Record<string, unknown>;
      assert.deepEqual(j["signatures"], m.signatures, m.name);
      assert.deepEqual(j["tags"], m.tags, m.name);
      assert.deepEqual(j["custom_ops"], m.custom_ops, m.name);
      assert.equal((j["variables"] as { count: number }).count, m.variables.count, m.name);
    }
  });

  it("resolves a TF Serving base directory to its newest version", async () => {
    const r = await cli(
      "show",
      "--dir",
      model("serving_half_plus_two_2_versions"),
      "--tag_set",
      "serve",
      "--signature_def",
      "regress_x2_to_y3",
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /name: x2:0/);
  });

  it("--list_ops prints the ops of the tag set", async () => {
    const r = await cli("show", "--dir", model("tf2onnx_redundant_inputs"), "--tag_set", "serve", "--list_ops");
    assert.equal(r.code, 0);
    assert.match(r.out, /^The MetaGraph with tag set \['serve'\] contains the following ops: \{'AddV2'|'Add'/);
  });

  it("reads saved_model.pbtxt", async () => {
    const r = await cli("show", "--dir", model("tf1_pbtxt_mnist_cnn"));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /'serve'/);
  });
});

describe("savedmodel errors", () => {
  it("a missing directory: exit 1, one line naming it", async () => {
    const r = await cli("show", "--dir", "does/not/exist");
    assert.equal(r.code, 1);
    assert.equal(r.err.trim().split("\n").length, 1);
    assert.match(r.err, /does\/not\/exist/);
  });
  it("an unknown tag set", async () => {
    const r = await cli("show", "--dir", model("serving_counter"), "--tag_set", "train");
    assert.equal(r.code, 1);
    assert.match(r.err, /tag-set 'train' could not be found/);
  });
  it("an unknown signature lists the available ones", async () => {
    const r = await cli("show", "--dir", model("serving_counter"), "--tag_set", "serve", "--signature_def", "nope");
    assert.equal(r.code, 1);
    assert.match(r.err, /no SignatureDef 'nope'.*available:/);
  });
  it("an unknown option", async () => {
    const r = await cli("show", "--dri", "x");
    assert.equal(r.code, 1);
    assert.match(r.err, /--dri/);
  });
  it("an unknown command", async () => {
    const r = await cli("frobnicate");
    assert.equal(r.code, 1);
    assert.match(r.err, /unknown command 'frobnicate'/);
  });
});

describe("savedmodel scan", () => {
  it("finds no default deny-listed ops in a plain model", async () => {
    const r = await cli("scan", "--dir", model("serving_half_plus_two_cpu"));
    assert.equal(r.code, 0);
    assert.match(r.out, /does not contain the default denylisted ops: \{'ReadFile', 'WriteFile', 'PrintV2'\}/);
  });
  it("reports ops from a custom deny list, including inside functions", async () => {
    const r = await cli("scan", "--dir", model("serving_half_plus_two_tf2_cpu"), "--op_denylist", "SaveV2,MergeV2Checkpoints,Foo");
    assert.equal(r.code, 0);
    assert.match(r.out, /contains the following denylisted ops: \{'MergeV2Checkpoints', 'SaveV2'\}/);
  });
});

describe("savedmodel vars", () => {
  it("lists every variable of the two-shard MobileNet with totals", async () => {
    const r = await cli("vars", "--dir", model("teachable_machine_mobilenet_2shards"));
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split("\n");
    // 264 index entries minus _CHECKPOINTABLE_OBJECT_GRAPH, plus the totals line
    assert.equal(lines.length, 263 + 1);
    assert.match(lines[lines.length - 1]!, /^263 variables, .* 2 shard\(s\)$/);
  });
  it("prints one variable's values", async () => {
    const r = await cli("vars", "--dir", model("serving_half_plus_two_cpu"), "--name", "a", "--values");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^a \(DT_FLOAT\) \[\] 4 B\n0\.5\n$/);
  });
  it("names TF2 variables by their object path", async () => {
    const r = await cli("vars", "--dir", model("keras_mnist"), "--json");
    assert.equal(r.code, 0, r.err);
    const vars = JSON.parse(r.out) as { checkpointKey: string; path?: string; trainable?: boolean }[];
    const kernel = vars.find((v) => v.checkpointKey.startsWith("layer_with_weights-0/kernel/"));
    assert.ok(kernel?.path?.startsWith("root."), JSON.stringify(kernel));
    assert.equal(kernel?.trainable, true);
  });
});

describe("savedmodel run fast-path options", () => {
  const mnist = (...extra: string[]) =>
    cli(
      "run",
      "--dir",
      model("keras_mnist"),
      "--signature_def",
      "serving_default",
      "--inputs",
      `conv2d_input=${join(FIXTURES, "cases/keras_mnist__serving_default/inputs/conv2d_input.npy")}`,
      "--backend",
      "cpu",
      "--json",
      ...extra,
    );
  const values = (out: string) => (JSON.parse(out) as { outputs: { dense_1: { values: number[] } } }).outputs.dense_1.values;

  it("--no_fast_path gives the same outputs through tfjs alone (within float rounding)", async () => {
    const fast = await mnist();
    const plain = await mnist("--no_fast_path");
    assert.equal(fast.code, 0, fast.err);
    assert.equal(plain.code, 0, plain.err);
    const a = values(fast.out);
    const b = values(plain.out);
    assert.equal(a.length, 20);
    a.forEach((x, i) => assert.ok(Math.abs(x - b[i]!) < 1e-5, `value ${i}: ${x} vs ${b[i]}`));
  });

  it("refuses a thread count that is not a whole number from 1 to 64", async () => {
    for (const bad of ["0", "1.5", "x", "65"]) {
      const r = await mnist("--threads", bad);
      assert.equal(r.code, 1);
      assert.match(r.err, /--threads must be a whole number from 1 to 64/);
    }
  });
});
