import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { build } from "esbuild";
import { DataType, dtypeFromName, dtypeName, dtypeShortName } from "../../../src/core/dtype.js";
import { tensorflow } from "../../../src/core/proto/index.js";

/** Modules the activation bundle, the tree and the webview use: none may pull in the protobuf schema. */
const LIGHT = ["dtype", "tensor", "tensor-format", "units", "errors", "io", "limits", "output-names"];

describe("light core", () => {
  it("the plain DataType table equals the generated schema's enum, name for name", () => {
    const schema = Object.entries(tensorflow.DataType).filter(([k, v]) => typeof v === "number" && !k.endsWith("_REF"));
    assert.deepEqual(Object.entries(DataType), schema);
    for (const [name, v] of Object.entries(tensorflow.DataType)) {
      if (typeof v !== "number") continue;
      assert.equal(dtypeName(v), name);
      assert.equal(dtypeFromName(name), v);
    }
    assert.equal(dtypeShortName(DataType.DT_HALF + 100), "float16_ref");
    assert.equal(dtypeName(999), "DT_999");
  });

  for (const name of LIGHT) {
    it(`core/${name}.ts imports no protobuf code`, async () => {
      const res = await build({
        entryPoints: [`src/core/${name}.ts`],
        bundle: true,
        write: false,
        metafile: true,
        platform: "neutral",
        logLevel: "silent",
      });
      const inputs = Object.keys(res.metafile.inputs);
      assert.ok(inputs.length > 0);
      assert.deepEqual(
        inputs.filter((p) => p.includes("core/proto") || p.includes("protobufjs")),
        [],
      );
    });
  }
});
