/** What the launcher (scripts/integration/run.mjs) passes to the extension host. */
import * as path from "node:path";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { waitFor } from "./harness.js";

export const suite = process.env.SMS_SUITE ?? "trusted";
/** The temporary workspace folder (copies of a few fixture models, input files, out/). */
export const workspace = process.env.SMS_WORKSPACE ?? "";
/** ../shared/fixtures as an absolute path. */
export const fixtures = process.env.SMS_FIXTURES ?? "";
const syncDir = process.env.SMS_SYNC_DIR;
/** The web pass behind the isolating proxy (run.mjs --host web-isolated): SharedArrayBuffer, threads. */
export const isolated = process.env.SMS_ISOLATED === "1";

/** Models the launcher copies into <workspace>/models. */
export const MODELS = [
  "serving_half_plus_two_cpu",
  "serving_half_plus_two_tf2_cpu",
  "tfjs_times_three_float",
  "tfjs_module_with_multiple_signatures",
  "serving_half_plus_two_2_versions",
];

/** Models the launcher copies into <workspace>/editor (opened in the custom editor). */
export const EDITOR_MODELS = ["keras_mnist", "teachable_machine_mobilenet_2shards"];

export function wsPath(...parts: string[]): string {
  return path.join(workspace, ...parts);
}

/** Asks the launcher for a screenshot named `name` and waits until it is taken (no-op without a launcher). */
export async function screenshot(name: string, opts: { collapse?: string[]; widenSidebar?: number } = {}): Promise<void> {
  if (!syncDir) return;
  writeFileSync(path.join(syncDir, `${name}.request`), JSON.stringify(opts));
  await waitFor(`screenshot ${name}`, () => existsSync(path.join(syncDir, `${name}.done`)), 30_000, 100);
}

/** One step of a {@link probePage} probe; each yields one value (see scripts/integration/run.mjs probe()). */
export type ProbeStep =
  | { wait: string }
  | { click: string }
  | { count: string }
  | { text: string }
  | { attrs: [selector: string, attribute: string] }
  | { fill: [selector: string, text: string] }
  | { shot: string };
export type ProbeValue = string | number | null | (string | null)[];

let probes = 0;
/**
 * Asks the launcher to run `steps` in the workbench page's frame that holds `frame.selector` (containing
 * `frame.text`): the way to reach a webview's DOM, which the extension host API cannot see. Resolves to
 * one value per step (null for wait/click/shot, a number for count, a string for text, a list for attrs).
 */
export async function probePage(frame: { selector: string; text?: string }, steps: ProbeStep[], timeoutMs = 60_000): Promise<ProbeValue[]> {
  if (!syncDir) throw new Error("no launcher (SMS_SYNC_DIR unset): the page cannot be probed");
  const name = `probe-${process.pid}-${++probes}`;
  const file = path.join(syncDir, `${name}.probe`);
  writeFileSync(`${file}.tmp`, JSON.stringify({ frame, steps, timeoutMs }));
  renameSync(`${file}.tmp`, file);
  const result = path.join(syncDir, `${name}.result`);
  await waitFor(`probe ${JSON.stringify(frame)}`, () => existsSync(result), timeoutMs + 30_000, 100);
  const r = JSON.parse(readFileSync(result, "utf8")) as { values?: ProbeValue[]; error?: string };
  rmSync(result);
  if (r.error !== undefined) throw new Error(`page probe failed: ${r.error}`);
  return r.values ?? [];
}
