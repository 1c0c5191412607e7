/**
 * The tfjs backend of the embedded engine: chosen once per process (wasm with SIMD, falling back to
 * cpu), its .wasm files from paths or, in the web-worker host, from bytes; and how many threads it uses.
 */
import * as tf from "@tensorflow/tfjs-core";
// Named imports (not bare ones): bundlers drop bare imports of packages marked side-effect free,
// and these modules register their backends when loaded.
import { MathBackendCPU, version_cpu } from "@tensorflow/tfjs-backend-cpu";
import { getThreadsCount, setWasmPaths, version_wasm } from "@tensorflow/tfjs-backend-wasm";
import type { BackendKind } from "../types.js";

/** Versions of the tfjs backends the embedded engine runs on. */
export const BACKEND_VERSIONS: Readonly<Record<"cpu" | "wasm", string>> = { cpu: version_cpu, wasm: version_wasm };

let backendPromise: Promise<string> | undefined;
let backendWanted: string | undefined;

const BINARY_URL = "sms-wasm:";

/**
 * tfjs-backend-wasm's files given as bytes (LoadOptions.wasmBinaries): tfjs asks its platform's fetch for
 * them (setWasmPaths' usePlatformFetch) and instantiates the bytes with WebAssembly.instantiate, so no URL
 * is fetched (the web-worker extension host's fetch refuses blob: and serves extension files as text/plain).
 */
function useWasmBinaries(files: Readonly<Record<string, Uint8Array>>): void {
  const platform = tf.env().platform;
  const fetchUrl = platform.fetch.bind(platform);
  platform.fetch = (path: string, init?: RequestInit) => {
    const bytes = path.startsWith(BINARY_URL) ? files[path.slice(BINARY_URL.length)] : undefined;
    return bytes ? Promise.resolve(new Response(bytes)) : fetchUrl(path, init);
  };
  setWasmPaths(Object.fromEntries(Object.keys(files).map((n) => [n, BINARY_URL + n])), true);
}

/** Selects the tfjs backend once per process (wasm with SIMD, falling back to cpu). */
export async function ensureBackend(
  kind: BackendKind = "wasm",
  wasmPaths?: string | Record<string, string>,
  wasmBinaries?: Readonly<Record<string, Uint8Array>>,
): Promise<string> {
  if (backendPromise && backendWanted === kind) return backendPromise;
  backendWanted = kind;
  // PROD: no debug checks and no "install tfjs-node" banner on stdout/stderr.
  tf.env().set("PROD", true);
  // Loading the package registers "cpu"; referencing it here keeps bundlers from dropping it.
  if (!tf.findBackendFactory("cpu")) tf.registerBackend("cpu", () => new MathBackendCPU(), 1);
  backendPromise = (async () => {
    if (kind === "wasm") {
      try {
        if (wasmBinaries !== undefined) useWasmBinaries(wasmBinaries);
        else if (wasmPaths !== undefined) setWasmPaths(wasmPaths as string);
        if (await tf.setBackend("wasm")) return "wasm";
      } catch {
        /* fall back to cpu below */
      }
    }
    await tf.setBackend("cpu");
    return "cpu";
  })();
  return backendPromise;
}

/** Threads tfjs-backend-wasm's own pool runs on (1 on the cpu backend). */
export function tfjsThreads(backend: string): number {
  return backend === "wasm" ? getThreadsCount() : 1;
}
