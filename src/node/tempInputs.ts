/**
 * Debug Signature's input tensors as .npy files in a fresh temporary folder (the recording engine
 * reads its inputs from files). Node only: the web build replaces this module (src/web/desktopOnly.ts).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A new, empty folder for one session's inputs. */
export function tempInputDir(): string {
  return mkdtempSync(join(tmpdir(), "savedmodel-debug-"));
}

/** Writes input `key` (any characters) as `<dir>/<safe key>.npy`; returns the file's path. */
export function writeTempInput(dir: string, key: string, npy: Uint8Array): string {
  const file = join(dir, `${key.replace(/[^\w.-]/g, "_")}.npy`);
  writeFileSync(file, npy);
  return file;
}
