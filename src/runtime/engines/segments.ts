/**
 * The embedded engine's fast path: chains of float32 layers (convolutions, depthwise convolutions,
 * matmuls with their fused epilogues, batch norms, activations, pooling, reshapes, softmax) become
 * one `_SmsSegment` node that runs on our own SIMD kernels (../wasm) in a shared memory, split
 * across threads. The activations stay in that memory from the segment's input to its output, so a
 * Sequential CNN costs two copies and one node dispatch instead of a tfjs kernel per op.
 *
 * A chain only takes a node when its data input is the previous node's sole-use output and every
 * other input is a constant known at prepare time. Programs are compiled per input shape; an input
 * that is not float32, or a shape a layer does not accept, runs the original nodes through the
 * ordinary kernels instead (the same results, the tfjs way).
 *
 * This file runs segments (programs per input shape: shapes, buffer slots by liveness, one arena,
 * the layers' kernel calls); segmentBuild.ts finds and builds them from a plan; segmentLayers.ts
 * holds the layers' shapes and kernel calls.
 */
import * as tf from "@tensorflow/tfjs-core";
import { StudioError } from "../../core/errors.js";
import type { PlanNode } from "../plan.js";
import type { SimdRuntime } from "../wasm/pool.js";
import { emitLayer, geometry, isPointwise, outShapeOf, scratchBlock, type Geometry, type Step } from "./segmentLayers.js";

export const SEGMENT_OP = "_SmsSegment";

/** An original node and where its inputs come from (for the fallback). */
export interface Original {
  readonly node: PlanNode;
  /** Per input: a value (0 = the segment input, k + 1 = original k's output) or a constant. */
  readonly args: readonly ({ value: number } | { constant: tf.Tensor })[];
}

export interface SegmentPlanNode extends PlanNode {
  readonly segment: Segment;
}

/** Runs one original node through the ordinary kernels (the fallback evaluates them in order). */
export type Fallback = (node: PlanNode, inputs: tf.Tensor[]) => tf.Tensor;

interface Program {
  readonly steps: (() => void)[];
  readonly input: number;
  readonly output: number;
  readonly outShape: number[];
  readonly arena: number;
  readonly arenaBytes: number;
  readonly flops: number;
}

const MAX_PROGRAMS = 8;

export class Segment {
  /** Names of the nodes this segment replaces, in order (error messages, tests). */
  readonly names: string[];
  private readonly blocks: [number, number][] = [];
  private readonly programs = new Map<string, Program | null>();
  private disposed = false;

  constructor(
    private readonly rt: SimdRuntime,
    readonly originals: readonly Original[],
    private readonly steps: readonly Step[],
    blocks: [number, number][],
  ) {
    this.names = originals.map((o) => o.node.name);
    this.blocks = blocks;
  }

  /** FLOPs (2 per multiply-add of conv / depthwise / matmul layers) of the last program run. */
  lastFlops = 0;
  /** Why a program was abandoned for the ordinary kernels (a fast-path failure), if one was. */
  disabledReason: string | undefined;

  run(x: tf.Tensor, fallback: Fallback): tf.Tensor {
    if (x.dtype === "float32") {
      const out = this.runHost(x.dataSync() as Float32Array, x.shape);
      if (out) return tf.tensor(out.data, out.shape, "float32");
    }
    this.assertAlive();
    return this.runOriginals(x, fallback);
  }

  /**
   * Runs the program for a float32 input given as host data, or returns null when the layers do not
   * take this shape (or a kernel failed): the caller then runs the original nodes.
   */
  runHost(data: Float32Array, shape: readonly number[]): { data: Float32Array; shape: number[] } | null {
    this.assertAlive();
    const key = shape.join(",");
    let prog = this.programs.get(key);
    if (prog === undefined) {
      prog = this.compile(shape);
      if (this.programs.size >= MAX_PROGRAMS) this.evictOne();
      this.programs.set(key, prog);
    }
    if (!prog) return null;
    this.rt.f32().set(data, prog.input >> 2);
    try {
      for (const s of prog.steps) s();
    } catch (e) {
      // A kernel trap means a bug in the fast path: remember it (tests assert there is none) and
      // keep the model usable the ordinary way, with the same results.
      this.programs.set(key, null);
      this.rt.release(prog.arena, prog.arenaBytes);
      this.disabledReason = e instanceof Error ? e.message : String(e);
      return null;
    }
    this.lastFlops = prog.flops;
    const n = prog.outShape.reduce((a, b) => a * b, 1);
    return { data: this.rt.f32().slice(prog.output >> 2, (prog.output >> 2) + n), shape: [...prog.outShape] };
  }

  private assertAlive(): void {
    if (this.disposed) throw new StudioError("ENGINE", "segment used after its model was disposed");
  }

  /** The ordinary way: every original node through its kernel. */
  private runOriginals(x: tf.Tensor, fallback: Fallback): tf.Tensor {
    const values: tf.Tensor[] = [x];
    for (const o of this.originals) {
      values.push(
        fallback(
          o.node,
          o.args.map((a) => ("value" in a ? values[a.value]! : a.constant)),
        ),
      );
    }
    return values[values.length - 1]!;
  }

  private evictOne(): void {
    for (const [k, p] of this.programs) {
      this.programs.delete(k);
      if (p) this.rt.release(p.arena, p.arenaBytes);
      return;
    }
  }

  /** A program for this input shape, or null when a layer does not accept it. */
  private compile(inShape: readonly number[]): Program | null {
    const plan = planShapes(this.steps, inShape);
    if (!plan) return null;
    const slots = assignSlots(this.steps, plan.shapes.length);
    const arena = this.allocArena(plan, slots.count);
    if (!arena) return null;
    const addr = (v: number) => arena.start + slots.slotOf[v]! * arena.actBytes;
    const { steps, flops } = this.emitSteps(plan, addr, arena.scratch);
    const result = plan.shapes.length - 1;
    return {
      steps,
      input: addr(0),
      output: addr(result),
      outShape: plan.shapes[result]!,
      arena: arena.start,
      arenaBytes: arena.bytes,
      flops,
    };
  }

  /** One block for every slot (each the size of the largest value) and the patch matrix. */
  private allocArena(plan: ShapePlan, slots: number): { start: number; bytes: number; actBytes: number; scratch: number } | null {
    if (!Number.isSafeInteger(plan.maxAct * 4) || plan.maxAct * 4 * slots + plan.scratchBytes > 1 << 30) return null;
    const actBytes = Math.ceil((plan.maxAct * 4 + 16) / 64) * 64;
    const bytes = actBytes * slots + plan.scratchBytes + 64;
    let start: number;
    try {
      start = this.rt.alloc(bytes);
    } catch {
      return null;
    }
    return { start, bytes, actBytes, scratch: start + slots * actBytes };
  }

  /** The kernel calls of every layer, reading and writing the values' slots. */
  private emitSteps(plan: ShapePlan, addr: (v: number) => number, scratch: number): { steps: (() => void)[]; flops: number } {
    const steps: (() => void)[] = [];
    let flops = 0;
    this.steps.forEach((st, i) => {
      const e = emitLayer(st.layer, {
        rt: this.rt,
        s: plan.shapes[st.inputs[0]!]!,
        o: plan.shapes[i + 1]!,
        src: addr(st.inputs[0]!),
        dst: addr(i + 1),
        src2: st.inputs.length > 1 ? addr(st.inputs[1]!) : 0,
        geo: plan.geos[i],
        scratch,
      });
      flops += e.flops;
      if (e.run) steps.push(e.run);
    });
    return { steps, flops };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.programs.values()) if (p) this.rt.release(p.arena, p.arenaBytes);
    this.programs.clear();
    for (const [start, bytes] of this.blocks) this.rt.release(start, bytes);
  }
}

interface ShapePlan {
  /** Every value's shape: 0 the input, i + 1 the output of step i. */
  readonly shapes: number[][];
  readonly geos: (Geometry | undefined)[];
  /** Elements of the largest value; bytes of the patch matrix. */
  readonly maxAct: number;
  readonly scratchBytes: number;
}

const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Shapes first (no allocation): every value's shape, the largest one, the patch matrix; null when a layer refuses its input. */
function planShapes(layers: readonly Step[], inShape: readonly number[]): ShapePlan | null {
  const shapes: number[][] = [[...inShape]];
  const geos: (Geometry | undefined)[] = [];
  let maxAct = count(inShape);
  let scratchBytes = 0;
  for (const step of layers) {
    const ins = step.inputs.map((v) => shapes[v]!);
    const out = outShapeOf(step.layer, ins);
    if (!out) return null;
    const layer = step.layer;
    let geo: Geometry | undefined;
    if (layer.kind === "conv" || layer.kind === "depthwise" || layer.kind === "pool") {
      geo = geometry(ins[0]!, layer.kh, layer.kw, layer.sh, layer.sw, layer.pad);
      if (layer.kind === "conv" && !isPointwise(layer, geo)) {
        // The patch matrix: one buffer shared by the layers (they run one after the other).
        scratchBytes = Math.max(scratchBytes, scratchBlock(out[0]! * geo.oh * geo.ow * layer.kh * layer.kw * layer.ci * 4));
      }
    }
    geos.push(geo);
    shapes.push(out);
    maxAct = Math.max(maxAct, count(out));
  }
  return { shapes, geos, maxAct, scratchBytes };
}

/**
 * Buffers by liveness: a value's slot is free again after its last reader ran; a reshape shares its
 * input's slot. A step's output never shares a slot with its inputs.
 */
function assignSlots(layers: readonly Step[], values: number): { slotOf: number[]; count: number } {
  const last = new Array<number>(values).fill(-1);
  layers.forEach((st, i) => {
    for (const v of st.inputs) last[v] = i;
  });
  last[values - 1] = layers.length; // the result outlives every step
  const slotOf: number[] = [0];
  const refs: number[] = [1];
  const freeSlots: number[] = [];
  const release = (v: number) => {
    const sl = slotOf[v]!;
    if (--refs[sl]! === 0) freeSlots.push(sl);
  };
  if (last[0] === -1) release(0);
  layers.forEach((st, i) => {
    const v = i + 1;
    if (st.layer.kind === "reshape") {
      const sl = slotOf[st.inputs[0]!]!;
      slotOf[v] = sl;
      refs[sl]!++;
    } else {
      const sl = freeSlots.length > 0 ? freeSlots.pop()! : refs.length;
      if (sl === refs.length) refs.push(0);
      slotOf[v] = sl;
      refs[sl]!++;
    }
    for (const u of new Set(st.inputs)) if (last[u] === i) release(u);
    if (last[v] === -1) release(v);
  });
  return { slotOf, count: refs.length };
}
