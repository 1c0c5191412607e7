/**
 * The unsafe-op check shared by both engines: the ops a prepared closure would execute (graph nodes
 * plus every control-flow body, recursively), and the refusal of ops with effects outside the model.
 * The native engine cannot see inside libtensorflow while it runs, so it checks the signature's and
 * the init op's closures here, before handing the directory to tfjs-node.
 */
import { StudioError } from "../core/errors.js";
import { CONTROL_FLOW_OPS, funcAttrName, type GraphIndex, type PlanGraph } from "./plan.js";

/** Ops with effects outside the model: refused unless `allowUnsafeOps`. */
export const UNSAFE_OPS: ReadonlySet<string> = new Set([
  "ReadFile",
  "WriteFile",
  "MatchingFiles",
  "PyFunc",
  "PyFuncStateless",
  "EagerPyFunc",
  "Save",
  "SaveV2",
  "SaveSlices",
  "MergeV2Checkpoints",
  "Restore",
  "RestoreV2",
  "RestoreSlice",
  "CreateSummaryFileWriter",
  "CreateSummaryDbWriter",
  "SummaryWriter",
  "WriteSummary",
  "WriteScalarSummary",
  "WriteHistogramSummary",
  "WriteImageSummary",
  "WriteAudioSummary",
  "WriteRawProtoSummary",
  "WriteGraphSummary",
  "ImportEvent",
  "FlushSummaryWriter",
  "CloseSummaryWriter",
  "TFRecordReader",
  "TFRecordReaderV2",
  "WholeFileReader",
  "WholeFileReaderV2",
  "TextLineReader",
  "TextLineReaderV2",
  "FixedLengthRecordReader",
  "FixedLengthRecordReaderV2",
  "ReaderReadV2",
  "ReaderRead",
  "PrintV2",
  "Print",
  "DebugIdentity",
  "DebugIdentityV2",
  "DebugIdentityV3",
  "DebugNumericSummary",
  "DebugNumericSummaryV2",
  "SnapshotDatasetV2",
  "SaveDataset",
  "SaveDatasetV2",
]);

/** Op types of `g` and of every function its control-flow nodes run (planned, so recursion is found). */
export function collectOps(graph: GraphIndex, g: PlanGraph, into: Set<string>, seen = new Set<string>()): Set<string> {
  for (const n of g.nodes) {
    into.add(n.op);
    const keys = CONTROL_FLOW_OPS.get(n.op);
    if (!keys) continue;
    graph.planNested(n);
    for (const k of keys) {
      const v = n.attrs[k];
      const names = k === "branches" ? (v?.list?.func ?? []).map((f) => f.name ?? "") : [funcAttrName(v) ?? ""];
      for (const f of names) {
        if (seen.has(f)) continue;
        seen.add(f);
        collectOps(graph, graph.functionPlan(f).graph, into, seen);
      }
    }
  }
  return into;
}

/** Throws UNSAFE_OP naming the ops of `ops` with effects outside the model, unless allowed. */
export function refuseUnsafeOps(ops: Iterable<string>, what: string, allowUnsafeOps: boolean | undefined): void {
  const unsafe = [...new Set(ops)].filter((o) => UNSAFE_OPS.has(o)).sort();
  if (unsafe.length > 0 && !allowUnsafeOps) {
    throw new StudioError(
      "UNSAFE_OP",
      `${what} uses ops with effects outside the model: ${unsafe.join(", ")}; refusing to run them (pass allowUnsafeOps / --allow_unsafe_ops to override)`,
    );
  }
}
