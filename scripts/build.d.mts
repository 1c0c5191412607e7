// Types of the tables scripts/build.mjs exports (tests read them; the script itself stays plain JS).
export interface BuildEntry {
  readonly in: string;
  readonly out: string;
  readonly platform: "node" | "browser";
  readonly format: "cjs" | "iife" | "esm";
  readonly external: readonly string[];
  readonly mainFields?: readonly string[];
  /** Path parts no input of this bundle may have (checked on every build). */
  readonly forbid?: readonly string[];
}
export const generators: readonly { readonly script: string; readonly outputs: readonly string[] }[];
export const entries: readonly BuildEntry[];
export const assets: readonly (readonly [from: string, to: string])[];
/** Every file the product loads from dist/. */
export const PRODUCT: readonly string[];
