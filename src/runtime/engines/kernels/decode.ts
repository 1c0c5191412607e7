/**
 * Image decoders a serving signature uses on image bytes: DecodeJpeg (jpeg-js), DecodePng (fast-png),
 * DecodeBmp (uncompressed 24/32-bit, read here), DecodeImage (by signature bytes). Pure JS, with size
 * limits checked before pixels are allocated; channel conversion as TensorFlow's `channels` attribute
 * asks (0 = as stored, 1 = gray, 3 = RGB, 4 = RGBA).
 */
import * as tf from "@tensorflow/tfjs-core";
import * as jpeg from "jpeg-js";
import { decode as decodePngBytes, convertIndexedToRgb } from "fast-png";
import { DEFAULT_LIMITS } from "../../../core/limits.js";
import type { PlanNode } from "../../plan.js";
import { aInt, aType } from "../attrs.js";
import type { Kernel } from "../values.js";
import { bytesIn, invalid, tensorIn, unsupported, type KernelTable } from "./util.js";

interface Pixels {
  width: number;
  height: number;
  channels: number;
  data: ArrayLike<number>;
  /** Largest sample value (255 or 65535). */
  max: number;
}

/** Largest image (pixels) decoded: keeps a hostile header from driving a huge allocation. */
const MAX_PIXELS = Math.floor(DEFAULT_LIMITS.maxTensorBytes / 16);

function checkSize(node: PlanNode, width: number, height: number): void {
  if (width * height > MAX_PIXELS) throw invalid(node, `image of ${width}x${height} pixels is over the ${MAX_PIXELS}-pixel budget`);
}

function decodeJpegBytes(node: PlanNode, bytes: Uint8Array): Pixels {
  try {
    const img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: MAX_PIXELS / 1e6,
      maxMemoryUsageInMB: Math.floor(DEFAULT_LIMITS.maxTensorBytes / 2 ** 20),
    });
    checkSize(node, img.width, img.height);
    return { width: img.width, height: img.height, channels: img.data.length / (img.width * img.height), data: img.data, max: 255 };
  } catch (e) {
    throw invalid(node, `Invalid JPEG data or crop window: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function decodePng(node: PlanNode, bytes: Uint8Array): Pixels {
  try {
    const img = decodePngBytes(bytes);
    checkSize(node, img.width, img.height);
    if (img.palette) {
      const rgb = convertIndexedToRgb(img);
      return { width: img.width, height: img.height, channels: rgb.length / (img.width * img.height), data: rgb, max: 255 };
    }
    return { width: img.width, height: img.height, channels: img.channels, data: img.data, max: img.depth === 16 ? 65535 : 255 };
  } catch (e) {
    throw invalid(node, `Invalid PNG data: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Uncompressed BMP (BITMAPINFOHEADER, 24 or 32 bits per pixel, bottom-up or top-down rows). */
function decodeBmp(node: PlanNode, b: Uint8Array): Pixels {
  if (b.length < 54 || b[0] !== 0x42 || b[1] !== 0x4d) throw invalid(node, "Invalid BMP data: no BM header");
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const offset = dv.getUint32(10, true);
  const width = dv.getInt32(18, true);
  const rawHeight = dv.getInt32(22, true);
  const bpp = dv.getUint16(28, true);
  const compression = dv.getUint32(30, true);
  if (bpp !== 24 && bpp !== 32) throw unsupported(node, `a ${bpp}-bit BMP`);
  if (compression !== 0 && compression !== 3) throw unsupported(node, `BMP compression ${compression}`);
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0) throw invalid(node, `Invalid BMP size ${width}x${rawHeight}`);
  checkSize(node, width, height);
  const channels = bpp / 8;
  const stride = Math.ceil((width * channels) / 4) * 4;
  if (offset + stride * height > b.length) throw invalid(node, "Invalid BMP data: pixel data is truncated");
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const srcRow = offset + (rawHeight > 0 ? height - 1 - y : y) * stride;
    for (let x = 0; x < width; x++) {
      const s = srcRow + x * channels;
      const d = (y * width + x) * channels;
      // Stored BGR(A): TensorFlow returns RGB(A).
      out[d] = b[s + 2]!;
      out[d + 1] = b[s + 1]!;
      out[d + 2] = b[s]!;
      if (channels === 4) out[d + 3] = b[s + 3]!;
    }
  }
  return { width, height, channels, data: out, max: 255 };
}

/** Converts to `want` channels (0 = as stored): gray = 0.299 R + 0.587 G + 0.114 B; alpha dropped or opaque. */
function toChannels(p: Pixels, want: number): { data: Int32Array; channels: number } {
  const c = want === 0 ? p.channels : want;
  const n = p.width * p.height;
  const out = new Int32Array(n * c);
  const src = p.data;
  for (let i = 0; i < n; i++) {
    const s = i * p.channels;
    const gray = p.channels >= 3 ? Math.round(0.299 * src[s]! + 0.587 * src[s + 1]! + 0.114 * src[s + 2]!) : src[s]!;
    const alpha = p.channels === 2 ? src[s + 1]! : p.channels === 4 ? src[s + 3]! : p.max;
    for (let k = 0; k < c; k++) {
      let v: number;
      if (c <= 2) v = k === 0 ? gray : alpha;
      else if (k === 3) v = alpha;
      else v = p.channels >= 3 ? src[s + k]! : gray;
      out[i * c + k] = v;
    }
  }
  return { data: out, channels: c };
}

function channelsAttr(node: PlanNode, allowed: readonly number[]): number {
  const c = aInt(node, "channels");
  if (!allowed.includes(c)) throw invalid(node, `channels must be one of ${allowed.join(", ")}, got ${c}`);
  return c;
}

type Format = "jpeg" | "png" | "bmp" | "gif";

function sniff(b: Uint8Array): Format | undefined {
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return "png";
  if (b[0] === 0x42 && b[1] === 0x4d) return "bmp";
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return "gif";
  return undefined;
}

const DECODERS: Record<Exclude<Format, "gif">, (node: PlanNode, b: Uint8Array) => Pixels> = {
  jpeg: decodeJpegBytes,
  png: decodePng,
  bmp: decodeBmp,
};

/** The scalar image bytes input. */
function contents(node: PlanNode, inputs: Parameters<Kernel>[2]): Uint8Array {
  const t = tensorIn(node, inputs, 0);
  if (t.rank !== 0) throw invalid(node, `contents must be scalar, got shape [${t.shape.join(",")}]`);
  return bytesIn(node, inputs, 0)[0]!;
}

function imageTensor(node: PlanNode, p: Pixels, channels: number, batch: boolean): tf.Tensor {
  const { data, channels: c } = toChannels(p, channels);
  const dtype = aType(node, "dtype", 4);
  const shape = batch ? [1, p.height, p.width, c] : [p.height, p.width, c];
  // dtype uint8 / uint16 keep the integer samples; float32 scales to [0, 1] as convert_image_dtype does.
  if (dtype === 1)
    return tf.tensor(
      Float32Array.from(data, (v) => v / p.max),
      shape,
      "float32",
    );
  if (dtype !== 4 && dtype !== 17) throw unsupported(node, `output dtype ${dtype}`);
  return tf.tensor(data, shape, "int32");
}

function decoderKernel(format: Exclude<Format, "gif">, allowed: readonly number[]): Kernel {
  return (_c, node, inputs) => {
    const b = contents(node, inputs);
    const found = sniff(b);
    if (format === "png" && found !== "png" && found !== undefined && found !== "jpeg")
      throw invalid(node, `Expected image (PNG), got ${found}`);
    // TensorFlow's DecodeJpeg / DecodePng also accept the other format's bytes (they dispatch).
    const decoder = found && found !== "gif" ? DECODERS[found] : DECODERS[format];
    return [imageTensor(node, decoder(node, b), channelsAttr(node, allowed), false)];
  };
}

const decodeImage: Kernel = (_c, node, inputs) => {
  const b = contents(node, inputs);
  const found = sniff(b);
  if (!found) throw invalid(node, "Unknown image file format. One of JPEG, PNG, GIF, BMP required.");
  if (found === "gif") throw unsupported(node, "decoding GIF images");
  return [imageTensor(node, DECODERS[found](node, b), channelsAttr(node, [0, 1, 3, 4]), false)];
};

export const DECODE_KERNELS: KernelTable = [
  ["DecodeJpeg", decoderKernel("jpeg", [0, 1, 3])],
  ["DecodePng", decoderKernel("png", [0, 1, 3, 4])],
  ["DecodeBmp", decoderKernel("bmp", [0, 3, 4])],
  ["DecodeImage", decodeImage],
];
