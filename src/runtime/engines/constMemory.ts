/**
 * What a model's constants hold (issue 17): decoded constants stay for the model's life, and the fast
 * path keeps its own copy of those it takes (in its shared memory, after a transient host draft). Both
 * count against the run budget (budget.ts): checked here while preparing, and handed to each run's
 * RunBudget as bytes already held.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { LimitError } from "../../core/errors.js";
import type { TensorRef } from "../plan.js";

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

export class ConstantMemory {
  /** Bytes of the constants decoded so far. */
  private decodedBytes = 0;
  /** Bytes of the fast path's copies of constants. */
  private fastPathBytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Bytes the constants and their copies hold (counted by every run). */
  held(): number {
    return this.decodedBytes + this.fastPathBytes;
  }

  /** Before decoding a constant of `bytes` outside a run: it exists twice while decoded. */
  checkDecode(name: string, bytes: number): void {
    const total = this.held() + 2 * bytes;
    if (total > this.maxBytes)
      throw new LimitError(
        undefined,
        `${name} (Const) would take the model's constants to about ${mib(total)} MiB while decoded: over the memory budget of ${mib(this.maxBytes)} MiB`,
      );
  }

  decoded(bytes: number): void {
    this.decodedBytes += bytes;
  }

  /**
   * `constant` for the fast path: it takes a constant only while the copies fit the budget (the
   * transient draft counted too); beyond it, the node runs on the ordinary kernels.
   */
  forFastPath(constant: (r: TensorRef) => tf.Tensor | undefined): (r: TensorRef) => tf.Tensor | undefined {
    const taken = new Set<tf.Tensor>();
    return (r) => {
      const t = constant(r);
      if (!t || taken.has(t)) return t;
      const bytes = t.size * 4;
      if (this.held() + 2 * bytes > this.maxBytes) return undefined;
      this.fastPathBytes += bytes;
      taken.add(t);
      return t;
    };
  }
}
