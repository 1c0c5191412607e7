import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "src/core/proto/gen/**",
      "src/runtime/wasm/gen/**",
      "src/runtime/wasm/as/**",
      "out/**",
      ".test-tmp/**",
      ".bench-tmp/**",
      "test/fuzz-corpus/**",
      "**/*.js",
      "**/*.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { project: ["./tsconfig.json", "./tsconfig.webview.json"], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": [
        "error",
        // node:test's describe/it return promises the runner tracks itself.
        {
          allowForKnownSafeCalls: [
            {
              from: "package",
              name: ["describe", "it", "test", "suite", "before", "after", "beforeEach", "afterEach"],
              package: "node:test",
            },
          ],
        },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-throw-literal": "error",
    },
  },
  // Zones (GUIDE §1, docs/ARCHITECTURE.md): every folder of src/ has its rule. Only src/extension
  // imports vscode; core/runtime/editor-model/protocol stay pure (no vscode, no I/O, no host zones,
  // no JSON of another zone).
  {
    files: ["src/core/**/*.ts", "src/runtime/**/*.ts", "src/protocol/**/*.ts", "src/editor-model/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["vscode"], message: "core/runtime/protocol must not import vscode (GUIDE §1)." },
            {
              group: ["node:fs", "fs", "node:fs/promises", "fs/promises"],
              message: "core reads bytes only through ModelSource (GUIDE §2.2).",
            },
            {
              group: ["**/extension/**", "**/cli/**", "**/webview/**", "**/server/**", "**/node/**", "**/debug/**"],
              message: "core/runtime/editor-model must not depend on host zones.",
            },
            {
              group: ["node:child_process", "child_process", "node:net", "net", "node:http", "http"],
              message: "pure zones do no I/O; platform services come in through a seam (runtime/wasm/threads).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/webview/**/*.ts", "src/server/**/*.ts", "src/cli/**/*.ts", "src/debug/**/*.ts", "src/node/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["vscode"], message: "only src/extension imports vscode." },
            { group: ["**/extension/**"], message: "nothing depends on extension." },
          ],
        },
      ],
    },
  },
  // VS Code for the Web (src/web): a host zone like src/extension, but no Node built-in may reach the browser bundle
  // (scripts/build.mjs checks the bundle too).
  {
    files: ["src/web/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["node:*", "fs", "fs/*", "path", "os", "crypto", "child_process", "worker_threads", "module", "url", "util"],
              message: "src/web runs in the browser: no Node built-ins.",
            },
            { group: ["**/node/**"], message: "src/web replaces src/node's modules; it must not import them." },
          ],
        },
      ],
    },
  },
  // The webview is DOM only: besides the protocol and light core modules, nothing of the host.
  {
    files: ["src/webview/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["vscode"], message: "only src/extension imports vscode." },
            {
              group: ["**/extension/**", "**/server/**", "**/cli/**", "**/node/**", "**/debug/**", "**/runtime/**"],
              message: "the webview talks to the host through src/protocol only.",
            },
            { group: ["node:*"], message: "the webview runs in a browser." },
          ],
        },
      ],
    },
  },
);
