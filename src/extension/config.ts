/**
 * Typed settings (GUIDE §2.8): the only place that reads `savedmodelStudio.*` configuration.
 * Values are validated and defaulted here so the rest of the extension never sees `unknown`.
 */
import * as vscode from "vscode";
import { modelAllowsUnsafeOps } from "./unsafe.js";

export const SECTION = "savedmodelStudio";

export type Engine = "embedded" | "native";
export type Backend = "wasm" | "cpu";

import type { PreviewLimits } from "../core/display.js";

export type { PreviewLimits };

export class Config {
  constructor(private readonly read: () => vscode.WorkspaceConfiguration = () => vscode.workspace.getConfiguration(SECTION)) {}

  get engine(): Engine {
    return this.read().get<string>("engine") === "native" ? "native" : "embedded";
  }

  get backend(): Backend {
    return this.read().get<string>("backend") === "cpu" ? "cpu" : "wasm";
  }

  /** Glob patterns (relative to a workspace folder) of folders never searched for models. */
  get exclude(): readonly string[] {
    const v = this.read().get<unknown>("exclude");
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string" && s.length > 0) : DEFAULT_EXCLUDE;
  }

  get preview(): PreviewLimits {
    const c = this.read();
    return {
      maxElements: clampInt(c.get<unknown>("preview.maxElements"), 1, 100_000, 200),
      maxStringLength: clampInt(c.get<unknown>("preview.maxStringLength"), 8, 10_000, 200),
    };
  }

  /**
   * Models (paths as shown in the SavedModels view, relative to their workspace folder) allowed to run
   * ops with effects outside the model (files, network, processes, PyFunc). Empty by default.
   */
  get allowUnsafeOpsFor(): readonly string[] {
    const v = this.read().get<unknown>("allowUnsafeOpsFor");
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string" && s.length > 0) : [];
  }

  allowsUnsafeOps(model: { readonly relPath: string }): boolean {
    return modelAllowsUnsafeOps(this.allowUnsafeOpsFor, model.relPath);
  }

  /** Fires when any of our settings changes. */
  static onDidChange(listener: (e: vscode.ConfigurationChangeEvent) => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) listener(e);
    });
  }
}

export const DEFAULT_EXCLUDE: readonly string[] = ["**/node_modules/**", "**/.git/**", "**/.venv/**", "**/__pycache__/**"];

function clampInt(v: unknown, min: number, max: number, dflt: number): number {
  if (typeof v !== "number" || !Number.isFinite(v)) return dflt;
  return Math.min(max, Math.max(min, Math.trunc(v)));
}
