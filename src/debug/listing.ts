/**
 * Text listings of the functions a recorded run went through (PURE): one line per node in the order
 * it ran (`sequential/dense/MatMul = MatMul(sequential/flatten/Reshape, …)`), served to the editor as
 * DAP sources so a stop highlights its node's line. One listing per function activation site: the
 * iterations of a loop body share one; two inlined calls of one function each have their own.
 */
import { localName, type FrameRecord, type NodeRecord } from "./trace.js";

export interface Listing {
  /** DAP sourceReference (1-based). */
  readonly id: number;
  readonly title: string;
  readonly lines: string[];
  /** Node name -> 1-based line. */
  readonly lineOf: Map<string, number>;
}

const key = (f: FrameRecord) => `${f.fn}\u0000${f.prefix}`;

export class Listings {
  private readonly byKey = new Map<string, Listing>();
  private readonly byId: Listing[] = [];

  constructor(records: readonly NodeRecord[], signature: string) {
    for (const r of records) {
      const l = this.listingOf(r.frame, signature);
      if (l.lineOf.has(r.name)) continue;
      const args = r.inputs.map((x) => localName(r.frame, x.ref.replace(/:0$/, ""))).join(", ");
      l.lines.push(`${localName(r.frame, r.name)} = ${r.op}(${args})`);
      l.lineOf.set(r.name, l.lines.length);
    }
  }

  private listingOf(f: FrameRecord, signature: string): Listing {
    let l = this.byKey.get(key(f));
    if (!l) {
      const title = f.fn ? `${f.fn}` : `signature ${signature}`;
      const head = f.fn ? `# function ${f.fn}, called by ${f.via} (${f.viaOp})` : `# signature ${signature}`;
      l = { id: this.byId.length + 1, title, lines: [head], lineOf: new Map() };
      this.byKey.set(key(f), l);
      this.byId.push(l);
    }
    return l;
  }

  /** The listing a frame's nodes are in, and the line of `node` there (1 when not listed). */
  locate(f: FrameRecord, node: string): { listing: Listing | undefined; line: number } {
    const listing = this.byKey.get(key(f));
    return { listing, line: listing?.lineOf.get(node) ?? 1 };
  }

  text(id: number): string | undefined {
    return this.byId[id - 1]?.lines.join("\n");
  }
}
