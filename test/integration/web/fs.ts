/** node:fs for the web test bundle: the synchronous calls the suites make, run by the launcher (bridge.ts). */
import { bridge } from "./bridge.js";

/** A Uint8Array with the few Buffer methods the suites use. */
export class BridgeBuffer extends Uint8Array {
  override toString(encoding = "utf8"): string {
    if (encoding === "latin1") return String.fromCharCode(...this);
    return new TextDecoder().decode(this);
  }
  readUInt16LE(at: number): number {
    return new DataView(this.buffer, this.byteOffset).getUint16(at, true);
  }
  readUInt32LE(at: number): number {
    return new DataView(this.buffer, this.byteOffset).getUint32(at, true);
  }
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function readFileSync(file: string, encoding?: string | { encoding?: string }): string | BridgeBuffer {
  const bin = atob(bridge("readFileSync", [file]) as string);
  const bytes = new BridgeBuffer(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const enc = typeof encoding === "string" ? encoding : encoding?.encoding;
  return enc ? bytes.toString(enc) : bytes;
}

export function writeFileSync(file: string, data: string | Uint8Array): void {
  bridge("writeFileSync", [file, toBase64(typeof data === "string" ? new TextEncoder().encode(data) : data)]);
}

const call =
  (op: string) =>
  (...args: unknown[]): never =>
    bridge(op, args) as never;

export const existsSync = call("existsSync") as (p: string) => boolean;
export const readdirSync = call("readdirSync") as (p: string) => string[];
export const mkdirSync = call("mkdirSync") as (p: string, o?: object) => void;
export const rmSync = call("rmSync") as (p: string, o?: object) => void;
export const renameSync = call("renameSync") as (a: string, b: string) => void;
export const copyFileSync = call("copyFileSync") as (a: string, b: string) => void;
export const cpSync = call("cpSync") as (a: string, b: string, o?: object) => void;
export const symlinkSync = call("symlinkSync") as (a: string, b: string) => void;
