/**
 * What the flow walk (flow.ts) tracks per variable, what it records per save, and how branch states merge.
 */
import type { PyNode } from "./ast.js";
import type { CustomClass } from "./classes.js";
import type { Finding, PathExt } from "./context.js";

export type Status = "unbuilt" | "buildOnly" | "built" | "maybe";

export interface VarState {
  readonly status: Status;
  /** Custom class of the instance; undefined for Keras-constructed models (Sequential, Model, load_model). */
  readonly cls: CustomClass | undefined;
  readonly origin: PyNode;
  readonly buildCall?: PyNode;
  /** Custom classes instantiated in the constructor call (passed-in layers). */
  readonly parts: readonly string[];
  /**
   * Index into the scope's instantiated classes from which they may belong to this model: classes
   * created before the previous model was created belong to that one (notebooks rebind `model`).
   */
  readonly scopeFrom?: number;
  /** Same for the custom functions referenced in the scope (layer arguments). */
  readonly functionsFrom?: number;
  /** File functions given to this model's compile() (loss, metrics), and those its factory handed to Keras. */
  readonly compiled?: readonly FunctionRef[];
}

export type State = Map<string, VarState>;

/** "checkpoint": a whole-model ModelCheckpoint given to fit(): recorded for loads of its path; only the format check (SMS104) applies. */
export type SaveKind = "save" | "export" | "tfsave" | "checkpoint";

export interface SaveRecord {
  readonly call: PyNode;
  readonly kind: SaveKind;
  readonly pathNode: PyNode | undefined;
  readonly ext: PathExt;
  readonly varName: string;
  readonly cls: CustomClass | undefined;
  /** Custom classes whose instances were created in the scope before the save. */
  readonly scopeClasses: readonly string[];
  readonly parts: readonly string[];
  /** Top-level functions of the file handed to Keras in the scope before the save (activations, losses, ...). */
  readonly scopeFunctions: readonly FunctionRef[];
}

/**
 * A file function given to Keras: "layer" arguments (activation, initializers, regularizers,
 * constraints) are needed to rebuild the model; "compile" ones (loss, metrics) only to compile it.
 */
export interface FunctionRef {
  readonly name: string;
  readonly role: "layer" | "compile";
}

export interface FlowResult {
  readonly findings: Finding[];
  readonly saves: SaveRecord[];
}

export function copy(st: State): State {
  return new Map(st);
}

const plainSubclass = (c: CustomClass | undefined): boolean =>
  c !== undefined && c.kind === "model" && !c.functionalInit && !c.sequential && !c.builtInInit;
const bothSubclassed = (a: CustomClass | undefined, b: CustomClass | undefined): boolean => plainSubclass(a) && plainSubclass(b);

export function merge(states: (State | null)[]): State | null {
  const live = states.filter((s): s is State => s !== null);
  if (live.length === 0) return null;
  if (live.length === 1) return copy(live[0]!);
  const names = new Set<string>();
  for (const s of live) for (const k of s.keys()) names.add(k);
  const out: State = new Map();
  for (const name of names) {
    const vs = live.map((s) => s.get(name));
    const first = vs[0];
    if (
      first &&
      vs.every((v) => v !== undefined && v.status === first.status && (v.cls === first.cls || bothSubclassed(v.cls, first.cls)))
    ) {
      // `model = A(...) if msg else B(...)`: two subclassed models in the same state stay tracked (the first names it)
      out.set(name, first);
    } else {
      const any = vs.find((v) => v !== undefined)!;
      out.set(name, { ...any, status: "maybe" });
    }
  }
  return out;
}
