/**
 * Function breakpoints on a recorded run (PURE): `dense_1/MatMul` (a node), `op:MatMul` (every node
 * of an op type), `fn:<function>` (entry of a function), each with an optional condition on the
 * node's output: `nonfinite`, `max > 1e3`, `shape[0] == 0`, clauses joined with `&&`.
 */
import { StudioError } from "../core/errors.js";
import { namesNode, type NodeRecord, type TensorRecord } from "./trace.js";

export interface Breakpoint {
  readonly id: number;
  readonly spec: string;
  readonly matches: (r: NodeRecord, firstInFrame: boolean) => boolean;
  readonly condition?: (t: TensorRecord | undefined) => boolean;
}

/** What a condition can read from a tensor, by name. */
const READERS: ReadonlyMap<string, (t: TensorRecord) => number> = new Map([
  ["min", (t) => t.stats?.min ?? NaN],
  ["max", (t) => t.stats?.max ?? NaN],
  ["mean", (t) => t.stats?.mean ?? NaN],
  ["std", (t) => t.stats?.std ?? NaN],
  ["nan", (t) => t.stats?.nanCount ?? 0],
  ["inf", (t) => t.stats?.infCount ?? 0],
  ["zeros", (t) => t.stats?.zeroCount ?? 0],
  ["size", (t) => t.shape.reduce((a, b) => a * b, 1)],
  ["rank", (t) => t.shape.length],
]);

const COMPARE: ReadonlyMap<string, (a: number, b: number) => boolean> = new Map([
  ["==", (a, b) => a === b],
  ["!=", (a, b) => a !== b],
  [">=", (a, b) => a >= b],
  ["<=", (a, b) => a <= b],
  [">", (a, b) => a > b],
  ["<", (a, b) => a < b],
]);

/** Matchers by spec prefix; a spec without a known prefix is a node name. */
const KINDS: readonly [string, (arg: string) => Breakpoint["matches"]][] = [
  ["op:", (op) => (r) => r.op === op],
  ["fn:", (fn) => (r, first) => first && sameFunction(r.frame.fn, fn)],
];

/** `__inference_call_123` also answers to `call`. */
function sameFunction(actual: string, wanted: string): boolean {
  return actual === wanted || actual.replace(/^__inference_/, "").replace(/_\d+$/, "") === wanted;
}

function reader(lhs: string): (t: TensorRecord) => number {
  const shape = /^shape\[(\d+)\]$/.exec(lhs);
  if (shape) {
    const k = Number(shape[1]);
    return (t) => t.shape[k] ?? NaN;
  }
  const r = READERS.get(lhs);
  if (!r) throw new StudioError("USAGE", `unknown quantity '${lhs}' (use ${[...READERS.keys()].join(", ")}, shape[i] or nonfinite)`);
  return r;
}

function clause(text: string): (t: TensorRecord) => boolean {
  if (text === "nonfinite") return (t) => t.nonfinite > 0;
  const m = /^([a-z]+(?:\[\d+\])?)\s*(==|!=|>=|<=|>|<)\s*(\S+)$/.exec(text);
  const value = m ? Number(m[3]) : NaN;
  if (!m || Number.isNaN(value))
    throw new StudioError("USAGE", `cannot read condition '${text}' (e.g. nonfinite, max > 1e3, shape[0] == 0)`);
  const get = reader(m[1]!);
  const cmp = COMPARE.get(m[2]!)!;
  return (t) => cmp(get(t), value);
}

/** Parses a condition; throws a StudioError("USAGE") naming what it cannot read. */
export function parseCondition(text: string): (t: TensorRecord | undefined) => boolean {
  const clauses = text.split("&&").map((c) => clause(c.trim()));
  return (t) => t !== undefined && clauses.every((c) => c(t));
}

/** Parses a breakpoint spec and condition (throws StudioError("USAGE") on a bad condition). */
export function parseBreakpoint(id: number, spec: string, condition?: string): Breakpoint {
  const name = spec.trim();
  const kind = KINDS.find(([p]) => name.startsWith(p));
  const matches: Breakpoint["matches"] = kind ? kind[1](name.slice(kind[0].length).trim()) : (r) => namesNode(r.name, name);
  const cond = condition?.trim();
  return { id, spec: name, matches, ...(cond ? { condition: parseCondition(cond) } : {}) };
}

/** Breakpoints that stop before `r` (conditions read its first output, known from the recording). */
export function hits(bps: readonly Breakpoint[], r: NodeRecord, firstInFrame: boolean): Breakpoint[] {
  return bps.filter((b) => b.matches(r, firstInFrame) && (!b.condition || b.condition(r.outputs?.[0])));
}
