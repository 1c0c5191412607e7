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
  // Zones (GUIDE §1): only src/extension may import vscode; core/runtime/protocol stay pure.
  {
    files: ["src/core/**/*.ts", "src/runtime/**/*.ts", "src/protocol/**/*.ts"],
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
              group: ["**/extension/**", "**/cli/**", "**/webview/**", "**/server/**"],
              message: "core/runtime must not depend on host zones.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/webview/**/*.ts", "src/server/**/*.ts", "src/cli/**/*.ts", "src/debug/**/*.ts"],
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
);
