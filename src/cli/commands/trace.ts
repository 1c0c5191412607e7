/**
 * `savedmodel trace`: runs a signature once, node by node (no fusion, no fast path), and writes every
 * executed node — function, While iteration, output dtypes/shapes, statistics, NaN/Inf counts, time —
 * as CSV or JSON (issue 20's "Run with Trace", from the command line). The recording is the debugger's.
 */
import { isAbsolute, resolve } from "node:path";
import { parseArgs } from "node:util";
import { StudioError, describeError } from "../../core/errors.js";
import { record } from "../../debug/launch.js";
import { traceCsv, traceRows } from "../../debug/traceTable.js";
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
  const rec = await record({
    model: values.dir,
    cwd: io.cwd,
    backend: values.backend,
    inputs: Object.fromEntries(splitAssignments(values.inputs, "--inputs")),
    inputExprs: Object.fromEntries(splitAssignments(values.input_exprs, "--input_exprs")),
    ...(values.tag_set !== undefined ? { tags: values.tag_set } : {}),
    ...(values.signature_def !== undefined ? { signature: values.signature_def } : {}),
  });
  try {
    const rows = traceRows(rec.records);
    const json = values.json || (out?.endsWith(".json") ?? false);
    const text = json
      ? JSON.stringify({ signature: rec.signature, error: rec.error ?? null, nodes: rows }, null, 2) + "\n"
      : traceCsv(rows);
    // Exclusive create, never through a symbolic link (node/writeOutputs.ts).
    if (out) await writeNewFile(out, new TextEncoder().encode(text), values.overwrite);
    else io.stdout(text);
    if (rec.error !== undefined) io.stderr(`savedmodel trace: the run failed: ${rec.error}\n`);
    return rec.error === undefined ? 0 : 1;
  } finally {
    rec.dispose();
  }
}
