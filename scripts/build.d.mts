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
  /** "web": swap modules for their web versions (webSubstitutes). */
  readonly substitutes?: "web";
}
export const generators: readonly { readonly script: string; readonly outputs: readonly string[] }[];
export const entries: readonly BuildEntry[];
export const assets: readonly (readonly [from: string, to: string])[];
/** Every file the product loads from dist/. */
export const PRODUCT: readonly string[];
/** Desktop module → its web version, swapped in the web bundle. */
export const webSubstitutes: Readonly<Record<string, string>>;
/** Dependency files embedded as worker source text (their Node branch is never run in a browser). */
export const embeddedWorkerSources: readonly string[];
/** Node built-ins named in `require("…")` calls of `text`, one per call. */
export function nodeRequiresIn(text: string): string[];
/** The esbuild plugin of browser bundles: refuses Node built-ins from our sources, applies `substitutes`. */
export function browserPlugin(entry: Pick<BuildEntry, "out" | "substitutes">): import("esbuild").Plugin;
