// Image decoders: PNG / BMP decode to the exact pixels written; JPEG (quality 100) within a small error;
// channel conversion; hostile bytes give TensorFlow's InvalidArgument naming the node. Both backends.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as jpeg from "jpeg-js";
import { encode as encodePng } from "fast-png";
import { DataType } from "../../../src/core/dtype.js";
import { StudioError } from "../../../src/core/errors.js";
import { BACKENDS, graphModel, int, runOnce, type, type Node } from "./graphModel.js";

const W = 5;
const H = 3;
/** An RGBA test pattern. */
const rgba = Uint8Array.from({ length: W * H * 4 }, (_, i) => (i % 4 === 3 ? 200 : (i * 37) % 256));
const rgb = Uint8Array.from({ length: W * H * 3 }, (_, i) => rgba[Math.floor(i / 3) * 4 + (i % 3)]!);

function bmp24(): Uint8Array {
  const stride = Math.ceil((W * 3) / 4) * 4;
  const b = new Uint8Array(54 + stride * H);
  const dv = new DataView(b.buffer);
  b.set([0x42, 0x4d]);
  dv.setUint32(2, b.length, true);
  dv.setUint32(10, 54, true);
  dv.setUint32(14, 40, true);
  dv.setInt32(18, W, true);
  dv.setInt32(22, H, true); // bottom-up
  dv.setUint16(26, 1, true);
  dv.setUint16(28, 24, true);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const s = (y * W + x) * 3;
      const d = 54 + (H - 1 - y) * stride + x * 3;
      b.set([rgb[s + 2]!, rgb[s + 1]!, rgb[s]!], d);
    }
  return b;
}

function model(op: string, bytes: Uint8Array, channels: number): ReturnType<typeof graphModel> {
  const nodes: Node[] = [
    {
      name: "img",
      op: "Const",
      attr: { dtype: type(DataType.DT_STRING), value: { tensor: { dtype: DataType.DT_STRING, tensor_shape: {}, string_val: [bytes] } } },
    },
    { name: "decode", op, input: ["img"], attr: { channels: int(channels), dtype: type(DataType.DT_UINT8) } },
  ];
  return graphModel(nodes, {}, { y: ["decode:0", DataType.DT_UINT8] });
}

describe("image decoders", () => {
  for (const backend of BACKENDS) {
    it(`PNG, BMP exactly; JPEG closely; channels converted (${backend})`, async () => {
      const png = encodePng({ width: W, height: H, data: rgba, channels: 4, depth: 8 });
      const out = await runOnce(model("DecodePng", png, 0), backend, {});
      assert.deepEqual(out["y"]!.shape, [H, W, 4]);
      assert.deepEqual(Array.from(out["y"]!.data as Uint8Array), Array.from(rgba));
      const asRgb = await runOnce(model("DecodeImage", png, 3), backend, {});
      assert.deepEqual(Array.from(asRgb["y"]!.data as Uint8Array), Array.from(rgb));
      const gray = await runOnce(model("DecodePng", png, 1), backend, {});
      const want = Array.from({ length: W * H }, (_, i) =>
        Math.round(0.299 * rgb[i * 3]! + 0.587 * rgb[i * 3 + 1]! + 0.114 * rgb[i * 3 + 2]!),
      );
      assert.deepEqual(Array.from(gray["y"]!.data as Uint8Array), want);
      const b = await runOnce(model("DecodeBmp", bmp24(), 0), backend, {});
      assert.deepEqual(b["y"]!.shape, [H, W, 3]);
      assert.deepEqual(Array.from(b["y"]!.data as Uint8Array), Array.from(rgb));
      const jpg = jpeg.encode({ width: W, height: H, data: rgba }, 100).data;
      const j = await runOnce(model("DecodeJpeg", new Uint8Array(jpg), 3), backend, {});
      assert.deepEqual(j["y"]!.shape, [H, W, 3]);
      const err = Math.max(...Array.from(j["y"]!.data as Uint8Array, (v, i) => Math.abs(v - rgb[i]!)));
      assert.ok(err <= 40, `JPEG max error ${err}`); // chroma subsampling on a 5x3 noise pattern
    });
    it(`refuses bytes that are not an image (${backend})`, async () => {
      for (const op of ["DecodeJpeg", "DecodePng", "DecodeImage", "DecodeBmp"]) {
        await assert.rejects(runOnce(model(op, new TextEncoder().encode("not an image at all"), 0), backend, {}), (e: unknown) => {
          assert.ok(e instanceof StudioError && e.code === "INVALID_INPUT", String(e));
          assert.match(e.message, /decode/);
          return true;
        });
      }
    });
  }
});
