/**
 * Collapse by name scope: big graphs are shown as groups (one box per collapsed scope) so the layout
 * and the SVG stay small. DOM-free (the webview, its layout worker, the Node tests and the benchmark
 * share it).
 *
 * Scopes are the "/"-separated prefixes of node names. A flat level with too many leaves (synthetic
 * chains, `add_1 … add_9999`) gets synthetic sub-scopes: by name stem, then in chunks, so every level
 * stays browsable.
 */

export interface CollapseInput {
  readonly nodes: readonly {
    readonly name: string;
    readonly op: string;
    readonly role?: string;
    /** Variable name (`dense/kernel`): the node is drawn in the "variables" group under this name. */
    readonly variable?: string;
    /** Dtype and shape of the first output (`float32[3,3,1,32]`). */
    readonly tensor?: string;
  }[];
  /** [from, to, control] by node index. */
  readonly edges: readonly (readonly [number, number, number])[];
}

export interface Unit {
  /** Node name, or the scope path of a group. */
  readonly id: string;
  readonly kind: "node" | "group";
  /** Node index for kind "node". */
  readonly node: number;
  /** Nodes inside (1 for a node). */
  readonly size: number;
  /** Short label: last name segment, the variable's name, the full name of a pinned input/output, or the group's last segment. */
  readonly label: string;
  /** Op for nodes; "3 ops: Conv2D, Relu, …" summary for groups. */
  readonly op: string;
  /** Signature input (drawn in the top row) or output (bottom row). */
  readonly pin?: "input" | "output";
  /** Laid out in the side column with its edges drawn on demand (the collapsed variables group). */
  readonly side?: boolean;
}

export interface Collapsed {
  readonly units: readonly Unit[];
  /** [fromUnit, toUnit, multiplicity, controlOnly ? 1 : 0]. */
  readonly edges: readonly (readonly [number, number, number, number])[];
  /** Per unit edge: the index of one graph edge it stands for (a data edge when there is one). */
  readonly edgeOrigin: Int32Array;
  /** Unit index for each node. */
  readonly unitOf: Int32Array;
}

/**
 * Boxes at most at first paint (the "Auto" view): few enough to be legible at Fit (issue 18); a
 * click expands a group in place.
 */
export const DEFAULT_UNIT_LIMIT = 32;
/** Most boxes a first paint may have (the "at most ~60 boxes"); DEFAULT_UNIT_LIMIT stays well below. */
export const FIRST_PAINT_MAX = 60;
/** Inputs (outputs) drawn in their own top (bottom) row when there are at most this many; more stay in their scopes. */
export const PIN_MAX = 12;
/** Leaves with one name stem (`Const_4 … Const_15`) that form a series group at any level. */
export const SERIES_MIN = 4;
/** Children of one level above which synthetic sub-scopes are made (by name stem, then in runs). */
export const FLAT_LIMIT = 24;
/** Top-level scope holding the variable nodes, by their names. */
export const VARIABLES_SCOPE = "(variables)";

interface Trie {
  readonly path: string;
  readonly children: Map<string, Trie>;
  /** Node index when a node has exactly this path. */
  node: number;
  size: number;
  /** A pinned input/output: not put into a series group. */
  pinned?: boolean;
}

function newTrie(path: string): Trie {
  return { path, children: new Map(), node: -1, size: 0 };
}

function stem(name: string): string {
  const s = name.replace(/[_\-.]?\d+$/, "");
  return s === "" ? name : s;
}

function child(t: Trie, key: string): Trie {
  return newTrie(t.path === "" ? key : `${t.path}/${key}`);
}

/** Moves `items` of `t` into a new synthetic child scope `key`. */
function regroup(t: Trie, key: string, items: readonly [string, Trie][]): void {
  const g = child(t, key);
  for (const [k, v] of items) {
    t.children.delete(k);
    g.children.set(k, v);
  }
  t.children.set(key, g);
}

/** Splits over-full levels: leaves with a common stem into "stem…", then runs into "first … last". */
function splitFlat(t: Trie): void {
  {
    const byStem = new Map<string, [string, Trie][]>();
    for (const e of t.children) {
      if (e[1].children.size > 0 || (e[1].pinned && t.children.size <= FLAT_LIMIT)) continue;
      const k = stem(e[0]);
      let l = byStem.get(k);
      if (!l) byStem.set(k, (l = []));
      l.push(e);
    }
    const min = t.children.size > FLAT_LIMIT ? 2 : SERIES_MIN;
    for (const [st, items] of byStem)
      if (items.length >= min && items.length < t.children.size && !t.children.has(`${st}…`)) regroup(t, `${st}…`, items);
  }
  if (t.children.size > FLAT_LIMIT) {
    const all = [...t.children];
    const per = Math.ceil(all.length / FLAT_LIMIT);
    for (let i = 0; i < all.length; i += per) {
      const part = all.slice(i, i + per);
      if (part.length < 2) continue;
      regroup(t, `${part[0]![0]} … ${part[part.length - 1]![0]}`, part);
    }
  }
  for (const c of t.children.values()) if (c.children.size > 0) splitFlat(c);
}

function computeSizes(t: Trie): number {
  let n = t.node >= 0 ? 1 : 0;
  for (const c of t.children.values()) n += computeSizes(c);
  t.size = n;
  return n;
}

/** Ops that hold parameters: folded into their single consumer (as Netron shows initializers). */
const PARAMETER_OPS = new Set(["Const", "VarHandleOp", "VariableV2", "Variable"]);

/**
 * Nodes that are not drawn themselves (-1: drawn):
 *  - pass-through nodes of inlined calls join their producer: an `_Arg` fed by the caller, a
 *    `_Retval` read by the caller (the signature's own outputs stay);
 *  - parameters (constants, unnamed variables) with no inputs and one consumer join the consumer
 *    (Keras TF1 graphs keep variables in top-level scopes far from the ops using them).
 */
export function foldParameters(input: CollapseInput): Int32Array {
  const n = input.nodes.length;
  const feed = new Int32Array(n).fill(-1);
  const hasOut = new Uint8Array(n);
  const indeg = new Int32Array(n);
  for (const [a, b, control] of input.edges) {
    indeg[b]!++;
    hasOut[a] = 1;
    if (!control && feed[b] === -1) feed[b] = a;
  }
  const alias = new Int32Array(n).fill(-1);
  input.nodes.forEach((node, i) => {
    if ((node.op === "_Arg" || (node.op === "_Retval" && hasOut[i])) && feed[i]! >= 0) alias[i] = feed[i]!;
  });
  const root = (i: number): number => {
    let r = i;
    for (let guard = 0; alias[r]! >= 0 && guard < 1000; guard++) r = alias[r]!;
    return r;
  };
  const consumer = new Int32Array(n).fill(-1);
  for (const [a0, b0] of input.edges) {
    const a = root(a0);
    const b = root(b0);
    if (a === b) continue;
    consumer[a] = consumer[a] === -1 || consumer[a] === b ? b : -2;
  }
  const folded = new Int32Array(n).fill(-1);
  input.nodes.forEach((node, i) => {
    const r = root(i);
    if (r !== i) folded[i] = r;
  });
  input.nodes.forEach((node, i) => {
    if (folded[i]! >= 0 || indeg[i] !== 0 || node.variable || !PARAMETER_OPS.has(node.op)) return;
    const c = consumer[i]!;
    if (c >= 0 && folded[c]! < 0) folded[i] = c;
  });
  // aliases of a folded parameter follow it
  folded.forEach((f, i) => {
    if (f >= 0 && folded[f]! >= 0) folded[i] = folded[f]!;
  });
  return folded;
}

/** Signature inputs (no inputs of their own) and outputs (read by nothing): drawn at the top level. */
function pins(input: CollapseInput, folded: Int32Array): ("input" | "output" | undefined)[] {
  const hasIn = new Uint8Array(input.nodes.length);
  const hasOut = new Uint8Array(input.nodes.length);
  for (const [a, b] of input.edges) {
    if (folded[a]! >= 0 || folded[b]! >= 0) {
      const fa = folded[a]! >= 0 ? folded[a]! : a;
      const fb = folded[b]! >= 0 ? folded[b]! : b;
      if (fa === fb) continue;
      hasIn[fb] = 1;
      hasOut[fa] = 1;
    } else {
      hasIn[b] = 1;
      hasOut[a] = 1;
    }
  }
  const pin = input.nodes.map((n, i) =>
    folded[i]! >= 0 || n.variable
      ? undefined
      : n.role === "input" && !hasIn[i]
        ? "input"
        : n.role === "output" && !hasOut[i]
          ? "output"
          : undefined,
  );
  for (const kind of ["input", "output"] as const) {
    if (pin.filter((p) => p === kind).length > PIN_MAX) pin.forEach((p, i) => p === kind && (pin[i] = undefined));
  }
  return pin;
}

export class ScopeTree {
  readonly root: Trie;
  /** For each node, the chain of scope tries from the root's child to the node's own trie. */
  private readonly chains: Trie[][];

  /** For each node, the consumer it is folded into (-1: shown itself). */
  readonly folded: Int32Array;

  /** Signature inputs and outputs, drawn at the top level in the first / last row. */
  readonly pins: readonly ("input" | "output" | undefined)[];

  constructor(readonly input: CollapseInput) {
    this.root = newTrie("");
    this.folded = foldParameters(input);
    this.pins = pins(input, this.folded);
    input.nodes.forEach((n, i) => {
      if (this.folded[i]! >= 0) return;
      const segs = this.pins[i] ? [n.name] : n.variable ? [VARIABLES_SCOPE, ...n.variable.split("/")] : n.name.split("/");
      let t = this.root;
      for (const seg of segs) {
        let c = t.children.get(seg);
        if (!c) t.children.set(seg, (c = child(t, seg)));
        t = c;
      }
      // two nodes on one path (a variable read through two handles): the second gets a suffix
      for (let k = 2; t.node >= 0; k++) {
        const parent = this.find(t.path.slice(0, Math.max(0, t.path.lastIndexOf("/")))) ?? this.root;
        const key = `${segs[segs.length - 1]} (${k})`;
        let c = parent.children.get(key);
        if (!c) parent.children.set(key, (c = child(parent, key)));
        t = c;
      }
      t.node = i;
      if (this.pins[i]) t.pinned = true;
    });
    splitFlat(this.root);
    computeSizes(this.root);
    // chains: walk down again (synthetic scopes changed the paths)
    this.chains = new Array<Trie[]>(input.nodes.length);
    const walk = (t: Trie, chain: Trie[]) => {
      for (const c of t.children.values()) {
        const next = [...chain, c];
        if (c.node >= 0) this.chains[c.node] = next;
        if (c.children.size > 0) walk(c, next);
      }
    };
    walk(this.root, []);
  }

  /** Every scope path (tries with children), for the UI's expand/collapse. */
  isScope(path: string): boolean {
    return this.find(path)?.children.size !== undefined && (this.find(path)?.children.size ?? 0) > 0;
  }

  find(path: string): Trie | undefined {
    if (path === "") return this.root;
    // synthetic segments contain no "/" except their own separators, so walk by prefix
    let t: Trie | undefined = this.root;
    while (t && t.path !== path) {
      let next: Trie | undefined;
      for (const c of t.children.values()) {
        if (path === c.path || path.startsWith(c.path + "/")) {
          next = c;
          break;
        }
      }
      t = next;
    }
    return t;
  }

  /**
   * The scopes to expand so that at most `limit` units are visible: breadth-first from the root,
   * biggest scopes first, while the count stays within the limit.
   */
  autoExpand(limit = DEFAULT_UNIT_LIMIT): Set<string> {
    const expanded = new Set<string>();
    let visible = this.root.children.size;
    const frontier: Trie[] = [...this.root.children.values()].filter((c) => c.children.size > 0);
    // the variables group is opened last: the computation is what a first look is for
    const weight = (t: Trie) => (t.path === VARIABLES_SCOPE || t.path.startsWith(VARIABLES_SCOPE + "/") ? -1 / t.size : t.size);
    while (frontier.length > 0) {
      frontier.sort((a, b) => weight(b) - weight(a));
      const t = frontier.shift()!;
      const cost = t.children.size + (t.node >= 0 ? 1 : 0) - 1;
      if (visible + cost > limit) continue;
      visible += cost;
      expanded.add(t.path);
      for (const c of t.children.values()) if (c.children.size > 0) frontier.push(c);
    }
    return expanded;
  }

  /** Groups nodes by their outermost collapsed scope. */
  collapse(expanded: ReadonlySet<string>): Collapsed {
    const units: Unit[] = [];
    const unitByKey = new Map<string, number>();
    const unitOf = new Int32Array(this.input.nodes.length);
    const nodes = this.input.nodes;
    this.input.nodes.forEach((n, i) => {
      if (this.folded[i]! >= 0) return;
      const chain = this.chains[i] ?? [];
      let group: Trie | undefined;
      for (const t of chain) {
        if (t.children.size > 0 && t.size > 1 && !expanded.has(t.path)) {
          group = t;
          break;
        }
      }
      const key = group ? "g:" + group.path : "n:" + n.name;
      let u = unitByKey.get(key);
      if (u === undefined) {
        u = units.length;
        unitByKey.set(key, u);
        if (group) {
          const seg = group.path.slice(group.path.lastIndexOf("/") + 1);
          units.push({ id: group.path, kind: "group", node: -1, size: group.size, label: seg, op: "" });
        } else {
          const pin = this.pins[i];
          const label = n.variable ?? (pin ? n.name : this.shortName(i));
          // a node named like its op shows its output instead (`MaxPool` / `float32[?,13,13,32]`)
          const op = n.variable ? `variable ${n.tensor ?? ""}`.trim() : label === n.op && n.tensor ? n.tensor : n.op;
          units.push({
            id: n.name,
            kind: "node",
            node: i,
            size: 1,
            label,
            op,
            ...(pin ? { pin } : {}),
          });
        }
      }
      unitOf[i] = u;
    });
    // parameters take their consumer's unit and count in its size
    const extra = new Map<number, number>();
    this.folded.forEach((c, i) => {
      if (c < 0) return;
      const u = unitOf[c]!;
      unitOf[i] = u;
      extra.set(u, (extra.get(u) ?? 0) + 1);
    });
    for (const [u, k] of extra) units[u] = { ...units[u]!, size: units[u]!.size + k };
    // group op summaries
    const opCounts = new Map<number, Map<string, number>>();
    nodes.forEach((n, i) => {
      const u = unitOf[i]!;
      if (units[u]?.kind !== "group" || this.folded[i]! >= 0) return;
      let m = opCounts.get(u);
      if (!m) opCounts.set(u, (m = new Map()));
      m.set(n.op, (m.get(n.op) ?? 0) + 1);
    });
    for (const [u, m] of opCounts) {
      const top = [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([op]) => op);
      const unit = units[u]!;
      const drawn = [...m.values()].reduce((a, b) => a + b, 0);
      const isVars = unit.id === VARIABLES_SCOPE || unit.id.startsWith(VARIABLES_SCOPE + "/");
      units[u] = {
        ...unit,
        op: isVars ? `${drawn} variables` : `${drawn} ops: ${top.join(", ")}${m.size > 3 ? ", …" : ""}`,
        ...(unit.id === VARIABLES_SCOPE ? { side: true } : {}),
      };
    }
    const edgeMap = new Map<number, [number, number, number, number, number]>();
    const n = units.length;
    this.input.edges.forEach(([from, to, control], gi) => {
      const a = unitOf[from];
      const b = unitOf[to];
      if (a === undefined || b === undefined || a === b) return;
      const k = a * n + b;
      const e = edgeMap.get(k);
      if (e) {
        e[2]++;
        if (!control && e[3]) {
          e[3] = 0;
          e[4] = gi;
        }
      } else edgeMap.set(k, [a, b, 1, control ? 1 : 0, gi]);
    });
    const list = [...edgeMap.values()];
    return {
      units,
      edges: list.map(([a, b, m, c]) => [a, b, m, c] as const),
      edgeOrigin: Int32Array.from(list, (e) => e[4]),
      unitOf,
    };
  }

  /** Last name segment, with its scope's when the scope holds nothing else (`SparseTensor_5/dense_shape`). */
  private shortName(i: number): string {
    const chain = this.chains[i] ?? [];
    const own = chain[chain.length - 1];
    const parent = chain[chain.length - 2];
    const seg = (t: Trie) => t.path.slice(t.path.lastIndexOf("/") + 1);
    if (!own) return this.input.nodes[i]?.name ?? "";
    return parent && parent.size === 1 ? `${seg(parent)}/${seg(own)}` : seg(own);
  }

  /** The scope paths to expand to show a node (a folded parameter: its consumer's). */
  scopesOf(node: number): string[] {
    const shown = this.folded[node]! >= 0 ? this.folded[node]! : node;
    return (this.chains[shown] ?? []).filter((t) => t.children.size > 0).map((t) => t.path);
  }
}
