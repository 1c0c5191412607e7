/**
 * Entry of the web bundle (package.json `browser`, dist/web/extension.js): the same host as the desktop
 * (src/extension/extension.ts) in the web-worker extension host, with the Node-only modules replaced at
 * build time (scripts/build.mjs `webSubstitutes`). Here: where the extension's own files are.
 */
import type * as vscode from "vscode";
import { activate as activateHost, deactivate, type StudioApi } from "../extension/extension.js";
import { setDistUri } from "./parts.js";

export function activate(context: vscode.ExtensionContext): StudioApi {
  setDistUri(context.extensionUri);
  return activateHost(context);
}

export { deactivate };
