/**
 * `savedmodel trace`: runs a signature once, node by node (no fusion, no fast path), and writes every
 * executed node — function, While iteration, output dtypes/shapes, statistics, NaN/Inf counts, time —
 * as CSV or JSON (issue 20's "Run with Trace", from the command line). The recording is the debugger's.
 */
import { isAbsolute, resolve } from "node:path";
import { parseArgs } from "node:util";
import { StudioError, describeError } from "../../core/errors.js";
import type { LaunchArgs } from "../../debug/launch.js";
import { traceCsv } from "../../debug/traceTable.js";
import { MAX_TRACE_ROWS } from "../../node/engine-protocol.js";
import { defaultEngineWorkerScript } from "../../node/isolatedEngine.js";
import { traceIsolated } from "../../node/isolatedTrace.js";
import { recordTrace } from "../../node/recordTrace.js";
import { entryExists, writeNewFile } from "../../node/writeOutputs.js";
import type { CliIO } from "../io.js";
import { SIGNATURE_OPTIONS, splitAssignments } from "./run.js";

export const TRACE_HELP = `usage: savedmodel trace --dir DIR [--tag_set serve] [--signature_def KEY] [inputs...] [--out FILE]

Runs a signature node by node and prints one row per executed node (CSV; JSON when --out ends in .json
or with --json): node, op, function, While iteration, output dtypes/shapes, min/max/mean, NaN/Inf counts, ms.
  --inputs 'k=a.npy;k2=b.npz[arr]'   --input_exprs 'k=[[1,2]]'   (as savedmodel run)
  --out FILE        write the table to FILE (refuses to replace one unless --overwrite)
  --backend B       wasm (default) | cpu
`;

export async function traceCommand(argv: string[], io: CliIO): Promise<number> {
  try {
    return await traceInner(argv, io);
  } catch (e) {
    io.stderr(`savedmodel trace: ${describeError(e)}\n`);
    return 1;
  }
}

async function traceInner(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...SIGNATURE_OPTIONS, out: { type: "string" } },
    strict: true,
  });
  if (values.help) {
    io.stdout(TRACE_HELP);
    return 0;
  }
  if (!values.dir) throw new StudioError("USAGE", "--dir is required (see savedmodel trace --help)");
  if (values.backend !== "wasm" && values.backend !== "cpu")
    throw new StudioError("USAGE", `--backend must be wasm or cpu, not '${values.backend}'`);
  const out = values.out === undefined ? undefined : isAbsolute(values.out) ? values.out : resolve(io.cwd, values.out);
  // Refused before the run if anything (a dangling symbolic link included) is there already.
  if (out && !values.overwrite && (await entryExists(out))) throw new StudioError("USAGE", `${out} exists; pass --overwrite to replace it`);
  const args: LaunchArgs = {
    model: values.dir,
    cwd: io.cwd,
    backend: values.backend,
    inputs: Object.fromEntries(splitAssignments(values.inputs, "--inputs")),
    inputExprs: Object.fromEntries(splitAssignments(values.input_exprs, "--input_exprs")),
    ...(values.tag_set !== undefined ? { tags: values.tag_set } : {}),
    ...(values.signature_def !== undefined ? { signature: values.signature_def } : {}),
  };
  // In the engine worker (Ctrl-C stops it at once, a run that fills memory is a typed error).
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once("SIGINT", onSigint);
  const rec = await (defaultEngineWorkerScript() ? traceIsolated(args, {}, ac.signal) : recordTrace(args)).finally(() =>
    process.off("SIGINT", onSigint),
  );
  const json = values.json || (out?.endsWith(".json") ?? false);
  const text = json
    ? JSON.stringify({ signature: rec.signature, error: rec.error ?? null, nodes: rec.rows }, null, 2) + "\n"
    : traceCsv(rec.rows);
  // Exclusive create, never through a symbolic link (node/writeOutputs.ts).
  if (out) await writeNewFile(out, new TextEncoder().encode(text), values.overwrite);
  else io.stdout(text);
  if (rec.omitted > 0) io.stderr(`savedmodel trace: ${rec.omitted} more node executions not listed (at most ${MAX_TRACE_ROWS})\n`);
  if (rec.error !== undefined) io.stderr(`savedmodel trace: the run failed: ${rec.error}\n`);
  return rec.error === undefined ? 0 : 1;
}
