/**
 * The web build's lazy.ts: the worker host cannot `require` a second bundle, so both parts (readerPart.ts
 * and runtimePart.ts) are in dist/web/extension.js and these return them (their Node-only members are
 * replaced, see desktopOnly.ts).
 */
import * as ReaderModule from "../extension/readerPart.js";
import * as RuntimeModule from "../extension/runtimePart.js";

export type ReaderPart = typeof ReaderModule;
export type RuntimePart = typeof RuntimeModule;

export async function readerPart(): Promise<ReaderPart> {
  return ReaderModule;
}

export async function runtimePart(): Promise<RuntimePart> {
  return RuntimeModule;
}
