/**
 * The web build's replacement for the Node-only parts of Debug Signature and Run with Trace
 * (src/node/isolatedTrace.ts: the recording in a Node worker thread; src/node/tempInputs.ts: inputs
 * written as .npy files on the local disk; the debug adapter is a Node process, refused by parts.ts).
 * Both features record a run from input files on the local disk, which the web-worker extension host
 * has no access to: each entry point throws a DESKTOP_ONLY error instead.
 */
import { StudioError } from "../core/errors.js";

const MESSAGE =
  "Debug Signature and Run with Trace need the desktop extension host (they record from input files through Node); " +
  "Run Signature works in VS Code for the Web";

function desktopOnly(): never {
  throw new StudioError("DESKTOP_ONLY", MESSAGE);
}

/** src/node/isolatedTrace.ts */
export async function traceIsolated(): Promise<never> {
  desktopOnly();
}

/** src/node/tempInputs.ts */
export function tempInputDir(): string {
  desktopOnly();
}

export function writeTempInput(): string {
  desktopOnly();
}
