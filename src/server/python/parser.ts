/**
 * web-tree-sitter + tree-sitter-python, initialised once per process.
 *
 * The wasm files are located through `wasmDir` (the built extension copies them next to
 * dist/server.js) or, by default, in node_modules (tests, `--stdio` from a checkout).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join } from "node:path";
import type * as TreeSitter from "web-tree-sitter";
import { encodeTree } from "./ast.js";
import { bindRawCursor, setRawCursorEnabled } from "./raw-cursor.js";

// The CommonJS build on purpose: the ESM build reads `import.meta.url` at load time, which does not
// exist in the cjs bundle (dist/server.js). `require` makes esbuild pick the package's "require" export.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Language, Parser } = require("web-tree-sitter") as typeof TreeSitter;
type Language = TreeSitter.Language;
type Parser = TreeSitter.Parser;

export const RUNTIME_WASM = "web-tree-sitter.wasm";
export const PYTHON_WASM = "tree-sitter-python.wasm";

export interface ParserOptions {
  /** Directory holding web-tree-sitter.wasm and tree-sitter-python.wasm. */
  readonly wasmDir?: string;
  /** Directory whose node_modules hold the packages when they cannot be resolved (default: the working directory). */
  readonly root?: string;
  /** The two files themselves (a parse worker gets the ones the server thread loaded). */
  readonly files?: { readonly runtime: string; readonly python: string };
}

let ready: Promise<Language> | undefined;
let loadedFiles: { runtime: string; python: string } | undefined;

/** The wasm files `loadPython` loaded (undefined before it was called). */
export function loadedWasmFiles(): { runtime: string; python: string } | undefined {
  return loadedFiles;
}

/** Where the two wasm files are: `wasmDir` when it has them, else the installed packages. */
export function locateWasm(opts: ParserOptions = {}): { runtime: string; python: string } {
  // An explicit directory, then the bundle's own directory (dist/ in the packaged extension).
  const here = typeof __dirname === "string" && isAbsolute(__dirname) ? __dirname : undefined;
  for (const dir of [opts.wasmDir, here]) {
    if (!dir) continue;
    const runtime = join(dir, RUNTIME_WASM);
    const python = join(dir, PYTHON_WASM);
    if (existsSync(runtime) && existsSync(python)) return { runtime, python };
  }
  const req = createRequire(here ? join(here, "index.js") : join(process.cwd(), "package.json"));
  const fromPackage = (pkg: string, file: string): string => {
    try {
      return join(dirname(req.resolve(`${pkg}/package.json`)), file);
    } catch {
      return join(opts.root ?? process.cwd(), "node_modules", pkg, file);
    }
  };
  return { runtime: fromPackage("web-tree-sitter", RUNTIME_WASM), python: fromPackage("tree-sitter-python", PYTHON_WASM) };
}

/** Loads the runtime and the Python grammar once; later calls share the same promise. */
export function loadPython(opts: ParserOptions = {}): Promise<Language> {
  ready ??= (async () => {
    const { runtime, python } = opts.files ?? locateWasm(opts);
    loadedFiles = { runtime, python };
    // Emscripten fills this object in as the module: raw-cursor.ts calls its wasm exports directly.
    const module = { locateFile: () => runtime };
    await Parser.init(module);
    const lang = await Language.load(python);
    if (bindRawCursor(module)) setRawCursorEnabled(rawCursorAgrees(lang));
    return lang;
  })();
  return ready;
}

/** A parser bound to the Python grammar. Call `loadPython` first. */
export async function createPythonParser(opts: ParserOptions = {}): Promise<Parser> {
  const lang = await loadPython(opts);
  const parser = new Parser();
  parser.setLanguage(lang);
  return parser;
}

/** Covers fields, nesting, strings, comments, an error and a missing token. */
const PROBE = `import os as o\n@d(1)\nclass A(B, metaclass=M):\n    """doc"""\n    def f(self, x=[1, {"k": (2,)}], *a, **k):  # c\n        return [y for y in x if y] or f"{x!r}"\n    async def g(self): await h(lambda: 1)\nif x:\n    pass\nelif (y := 2):\n    z = a[1:2, ...].b @ c\nelse: raise E from e\ndef bad(:\n    x = (1,\n`;

/** Whether the raw cursor walk encodes the probe exactly as the public TreeCursor does. */
function rawCursorAgrees(lang: Language): boolean {
  const parser = new Parser();
  try {
    parser.setLanguage(lang);
    const tree = parser.parse(PROBE);
    if (!tree) return false;
    try {
      setRawCursorEnabled(true);
      const raw = encodeTree(tree);
      setRawCursorEnabled(false);
      const plain = encodeTree(tree);
      if (raw.count !== plain.count || raw.hasError !== plain.hasError || raw.count < 50) return false;
      for (let i = 0; i < raw.count * 5; i++) if (raw.data[i] !== plain.data[i]) return false;
      return true;
    } finally {
      tree.delete();
    }
  } catch {
    return false;
  } finally {
    parser.delete();
  }
}
