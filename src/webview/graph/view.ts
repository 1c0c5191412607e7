/**
 * Graph view: breadcrumbs (signature → functions), search, SVG with zoom/pan, node panel. Big graphs
 * are collapsed by name scope and laid out progressively: first the top-level scopes (fast), then the
 * auto-expanded view; a newer request or the Cancel button stops a running layout.
 */
import type { GraphTarget, GraphView, NodeDetailsView } from "../../protocol/editor.js";
import { button, clear, errorBox, h, s } from "../dom.js";
import { renderDetails } from "./details.js";
import type { Rpc } from "../rpc.js";
import { DEFAULT_UNIT_LIMIT, ScopeTree, VARIABLES_SCOPE, type Collapsed } from "./collapse.js";
import type { LayoutResult } from "./layout.js";
import { Minimap } from "./minimap.js";
import { moveAlong, pathFromInputs, type Move } from "./navigate.js";
import { CancelledError, LayoutRunner } from "./runner.js";

/** Smallest font drawn in the graph (edge labels, op lines), in CSS px at zoom 1 (editor.css). */
export const SMALLEST_FONT_PX = 11;
/** Text is never drawn smaller than this at Fit (issue 18: legible at first sight). */
export const MIN_LEGIBLE_PX = 10;
/** Zoom below which Fit does not go. */
export const MIN_FIT_ZOOM = MIN_LEGIBLE_PX / SMALLEST_FONT_PX;
/** Box budgets Auto tries, biggest first (all within FIRST_PAINT_MAX). */
const AUTO_BUDGETS = [DEFAULT_UNIT_LIMIT, 20, 12];
/** Auto prefers levels with at least this many boxes. */
const AUTO_MIN_BOXES = 6;
/** Edge labels are drawn up to this many edges. */
const MAX_EDGE_LABELS = 400;

/** Stroke width of an edge by the element count of its tensor (-1: unknown). */
export function strokeWidth(elements: number, multiplicity: number): number {
  const bySize = elements > 0 ? 1 + Math.log10(elements) / 1.5 : 1;
  return Math.min(6, Math.max(bySize, 1 + Math.log2(multiplicity) / 2));
}

export interface GraphState {
  metaGraph: number;
  /** Navigation path; the last entry is shown. */
  crumbs: GraphTarget[];
  /** Expanded scopes; null: chosen automatically for the unit limit. */
  expandedScopes: string[] | null;
  /** Call nodes inlined by the user. */
  inline: string[];
  inlineDepth: number;
}

let scriptUrl: string | null = null;
/** Captured by main.ts at start-up (document.currentScript is only set while the script runs). */
export function setScriptUrl(url: string | null): void {
  scriptUrl = url;
}

function targetLabel(t: GraphTarget): string {
  return t.kind === "signature" ? `signature ${t.key}` : t.kind === "function" ? t.name : "whole graph";
}

export class GraphPanel {
  private state!: GraphState;
  private graph: GraphView | null = null;
  private tree: ScopeTree | null = null;
  private collapsed: Collapsed | null = null;
  private layout: LayoutResult | null = null;
  private readonly runner = new LayoutRunner(scriptUrl);
  private readonly crumbs = h("nav", { class: "crumbs", "aria-label": "Graph navigation" });
  private readonly info = h("span", { class: "muted graph-info" });
  private readonly search = h("input", { type: "search", placeholder: "Search nodes (name or op)", "aria-label": "Search nodes" });
  private readonly results = h("ul", { class: "search-results", role: "listbox", "aria-label": "Search results" });
  private readonly cancelBtn: HTMLButtonElement;
  private readonly svg: SVGSVGElement;
  private readonly viewport: SVGGElement;
  private readonly details = h("aside", { class: "node-panel", "aria-label": "Node details", "aria-live": "polite" });
  /** Expanded scopes around the focus (the last expanded group or the selected node). */
  private readonly scopeCrumbs = h("nav", { class: "scope-crumbs", "aria-label": "Expanded scope" });
  private readonly minimap: Minimap;
  private view = { x: 0, y: 0, k: 1 };
  /** Selected unit (a node or, from the keyboard, a group); -1: none. */
  private selected = -1;
  /** Graph node shown in the node panel; -1: none. */
  private selectedNode = -1;
  private focusScope = "";
  /** Smallest CSS font size of the drawn text (0: not measured yet). */
  private cssMinFont = 0;
  /** The scopes Auto expanded for the current view. */
  private autoScopes: string[] = [];
  private seq = 0;

  constructor(
    private readonly host: HTMLElement,
    private readonly rpc: Rpc,
    private readonly persist: (s: GraphState) => void,
    private readonly status: (t: string) => void,
    /** Shows the Variables tab filtered to a checkpoint path. */
    private readonly openVariable: (path: string) => void = () => undefined,
  ) {
    this.cancelBtn = button("Cancel layout", () => this.runner.cancel(), { icon: "close", secondary: true });
    this.cancelBtn.hidden = true;
    this.viewport = s("g", { class: "viewport" });
    this.svg = s("svg", { class: "graph", role: "img", "aria-label": "Graph", tabindex: "0" }, this.viewport);
    this.minimap = new Minimap((x, y) => this.centerAt(x, y, this.view.k));
    const toolbar = h(
      "div",
      { class: "toolbar" },
      this.crumbs,
      h("span", { class: "search-box" }, this.search, this.results),
      button("+", () => this.zoom(1.25), { icon: "zoom-in", title: "Zoom in (+)", secondary: true }),
      button("−", () => this.zoom(0.8), { icon: "zoom-out", title: "Zoom out (-)", secondary: true }),
      button("Fit", () => this.fit(), { icon: "screen-full", title: "Fit (0)", secondary: true }),
      button("Collapse all", () => this.setScopes([]), { secondary: true }),
      button("Auto", () => this.setScopes(null), { secondary: true, title: `Expand scopes up to ${DEFAULT_UNIT_LIMIT} boxes` }),
      this.cancelBtn,
      this.info,
    );
    clear(host);
    host.append(
      toolbar,
      this.scopeCrumbs,
      h("div", { class: "graph-split" }, h("div", { class: "graph-canvas" }, this.svg, this.minimap.el), this.details),
    );
    this.bindZoomPan();
    this.bindSearch();
  }

  setState(st: GraphState): void {
    this.state = st;
    void this.reload();
  }

  private target(): GraphTarget {
    return this.state.crumbs[this.state.crumbs.length - 1] ?? { kind: "graph" };
  }

  private renderCrumbs(): void {
    clear(this.crumbs);
    this.state.crumbs.forEach((t, i) => {
      if (i > 0) this.crumbs.append(" › ");
      const last = i === this.state.crumbs.length - 1;
      this.crumbs.append(
        last
          ? h("strong", { "aria-current": "page" }, targetLabel(t))
          : h(
              "a",
              { href: "#", onclick: (e: Event) => (e.preventDefault(), this.navigate(this.state.crumbs.slice(0, i + 1))) },
              targetLabel(t),
            ),
      );
    });
  }

  private navigate(crumbs: GraphTarget[]): void {
    this.state = {
      ...this.state,
      crumbs,
      expandedScopes: null,
      inline: [],
      inlineDepth: crumbs[crumbs.length - 1]?.kind === "signature" ? 2 : 0,
    };
    this.persist(this.state);
    void this.reload();
  }

  private async reload(): Promise<void> {
    const my = ++this.seq;
    this.runner.cancel();
    this.renderCrumbs();
    this.info.textContent = "Loading graph…";
    clear(this.details);
    try {
      const { graph } = await this.rpc.request({
        type: "getGraph",
        metaGraph: this.state.metaGraph,
        target: this.target(),
        expand: this.state.inline,
        inlineDepth: this.state.inlineDepth,
      });
      if (my !== this.seq) return;
      this.graph = graph;
      this.tree = new ScopeTree(graph);
      this.selected = -1;
      this.selectedNode = -1;
      this.focusScope = "";
      await this.relayout(true);
    } catch (e) {
      if (my !== this.seq) return;
      this.info.textContent = "";
      clear(this.viewport);
      this.details.append(errorBox(e instanceof Error ? e.message : String(e)));
    }
  }

  private setScopes(scopes: string[] | null): void {
    this.state.expandedScopes = scopes;
    this.persist(this.state);
    void this.relayout(true);
  }

  /**
   * Lays out the current level. `anchor`: keep this scope where its group box was on screen (expand
   * in place); otherwise Fit when `fit`.
   */
  private async relayout(fit: boolean, anchor?: { readonly scope: string; readonly sx: number; readonly sy: number }): Promise<void> {
    const g = this.graph;
    const tree = this.tree;
    if (!g || !tree) return;
    const my = ++this.seq;
    const auto = this.state.expandedScopes === null;
    // Auto: the biggest level (of AUTO_BUDGETS boxes at most) whose layout is as wide as the view at a
    // legible zoom; a level of a few boxes only when nothing wider fits (then the narrowest with some).
    const budgets = auto ? AUTO_BUDGETS : [0];
    const W = this.svg.getBoundingClientRect().width || 800;
    this.cancelBtn.hidden = false;
    this.svg.removeAttribute("data-done");
    try {
      let best: { c: Collapsed; layout: LayoutResult; scopes: Set<string>; ms: number } | null = null;
      let seen = -1;
      for (const budget of budgets) {
        const scopes = auto ? tree.autoExpand(budget) : new Set(this.state.expandedScopes);
        const c = tree.collapse(scopes);
        if (c.units.length === seen) continue;
        seen = c.units.length;
        this.info.textContent = `Laying out ${c.units.length} boxes (${g.nodes.length} nodes)…`;
        const t0 = performance.now();
        const layout = await this.runner.run({ units: c.units, edges: c.edges });
        if (my !== this.seq) return;
        const cand = { c, layout, scopes, ms: performance.now() - t0 };
        const fits = layout.width * MIN_FIT_ZOOM <= W;
        if (!best || (fits && c.units.length >= AUTO_MIN_BOXES)) best = cand;
        else if (c.units.length >= AUTO_MIN_BOXES && layout.width < best.layout.width) best = cand;
        if (fits && c.units.length >= AUTO_MIN_BOXES) break;
      }
      if (!best) return;
      this.autoScopes = [...best.scopes];
      this.collapsed = best.c;
      this.layout = best.layout;
      this.draw();
      if (anchor) this.keepInPlace(anchor);
      else if (fit) this.fit();
      this.dropHiddenSelection();
      this.info.textContent = `${g.nodes.length} nodes as ${best.c.units.length} boxes · layout ${Math.round(best.ms)} ms (${this.runner.mode})${g.note ? " · " + g.note : ""}${g.runNote ? " · " + g.runNote : ""}`;
      this.svg.setAttribute("data-done", "");
    } catch (e) {
      if (e instanceof CancelledError) {
        if (my === this.seq) this.info.textContent = `Layout cancelled; showing ${this.collapsed?.units.length ?? 0} boxes.`;
        return;
      }
      this.info.textContent = "";
      this.details.append(errorBox(e instanceof Error ? e.message : String(e)));
    } finally {
      if (my === this.seq) this.cancelBtn.hidden = true;
    }
  }

  private draw(): void {
    const c = this.collapsed;
    const l = this.layout;
    const g = this.graph;
    if (!c || !l || !g) return;
    clear(this.viewport);
    const hubs = new Set(l.hubs);
    const edges = s("g", { class: "edges" });
    const labels = s("g", { class: "edge-labels" });
    const withLabels = c.edges.length <= MAX_EDGE_LABELS;
    c.edges.forEach(([a, b, mult, control], i) => {
      const p = l.paths[i] ?? [];
      if (p.length < 4) return;
      let d = `M${p[0]},${p[1]}`;
      for (let k = 2; k < p.length; k += 2) d += `L${p[k]},${p[k + 1]}`;
      const hub = hubs.has(a) || hubs.has(b);
      const [tensor, elements] = control ? ["", -1] : (g.edgeTensors?.[c.edgeOrigin[i] ?? -1] ?? ["", -1]);
      const text = control ? "" : mult > 1 ? `${tensor ? tensor + " " : ""}×${mult}` : tensor;
      edges.append(
        s(
          "path",
          {
            d,
            class: `edge${control ? " control" : ""}${hub ? " hub-edge" : ""}`,
            "data-from": a,
            "data-to": b,
            "data-edge": i,
            "stroke-width": strokeWidth(elements, mult).toFixed(1),
            "marker-end": hub ? undefined : "url(#arrow)",
          },
          text ? s("title", {}, text) : null,
        ),
      );
      if (withLabels && text && !hub) {
        // at the middle of the edge's polyline, beside the line
        const m = Math.floor(p.length / 4) * 2;
        labels.append(s("text", { class: "edge-label", x: (p[m] ?? 0) + 4, y: (p[m + 1] ?? 0) + 4, "data-edge": i }, text));
      }
    });
    const defs = s(
      "defs",
      {},
      s(
        "marker",
        { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" },
        s("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "arrowhead" }),
      ),
    );
    const nodes = s("g", { class: "nodes" });
    const kinds: string[] = [];
    c.units.forEach((u, i) => {
      const x = l.boxes[i * 4] ?? 0;
      const y = l.boxes[i * 4 + 1] ?? 0;
      const w = l.boxes[i * 4 + 2] ?? 0;
      const hh = l.boxes[i * 4 + 3] ?? 0;
      const node = u.kind === "node" ? g.nodes[u.node] : undefined;
      const variable = node?.variable !== undefined || u.id === VARIABLES_SCOPE || u.id.startsWith(VARIABLES_SCOPE + "/");
      const cls = [
        "unit",
        u.kind,
        node?.role ?? "",
        u.pin ? "pin" : "",
        variable ? "variable" : "",
        node?.call ? "call" : "",
        hubs.has(i) ? "hub" : "",
        node?.ranMs !== undefined ? "ran" : "",
      ]
        .filter(Boolean)
        .join(" ");
      kinds.push(cls);
      const opLine = u.kind === "group" ? u.op : node?.call ? `${u.op} → ${node.call}` : u.op;
      const el = s(
        "g",
        { class: cls, transform: `translate(${x - w / 2},${y - hh / 2})`, "data-unit": i, tabindex: "-1" },
        s("rect", { width: w, height: hh, rx: u.kind === "group" ? 8 : 4 }),
        s("text", { x: 8, y: u.kind === "group" ? 18 : 16, class: "label" }, u.kind === "group" ? `▸ ${u.label}` : u.label),
        s("text", { x: 8, y: u.kind === "group" ? 36 : 31, class: "op" }, opLine),
        s(
          "title",
          {},
          u.kind === "group"
            ? `${u.id}\n${u.op}\nClick (or Enter) to expand`
            : `${u.id}\n${u.op}${node?.tensor ? "\n" + node.tensor : ""}${node?.ranMs !== undefined ? `\nran in ${node.ranMs.toFixed(3)} ms` : ""}${node?.call ? "\nDouble-click to inline " + node.call : ""}`,
        ),
      );
      el.addEventListener("click", (e) => {
        e.stopPropagation();
        if (u.kind === "group") this.expandScope(u.id);
        else this.select(i);
      });
      if (node?.call) {
        el.addEventListener("dblclick", (e) => {
          e.stopPropagation();
          this.inline(node.name);
        });
      }
      nodes.append(el);
    });
    this.viewport.append(defs, edges, labels, nodes);
    this.minimap.draw(l, kinds);
    this.applyView();
    if (this.selected >= 0) this.highlight(this.selected);
  }

  /** The scopes to start from when the user changes them (the automatic choice until then). */
  private currentScopes(): string[] {
    return this.state.expandedScopes ?? this.autoScopes;
  }

  /** Expands a group where it is: its contents are laid out around the place the box was. */
  private expandScope(path: string): void {
    const u = this.collapsed?.units.findIndex((x) => x.kind === "group" && x.id === path) ?? -1;
    const l = this.layout;
    const anchor =
      u >= 0 && l
        ? { scope: path, sx: (l.boxes[u * 4] ?? 0) * this.view.k + this.view.x, sy: (l.boxes[u * 4 + 1] ?? 0) * this.view.k + this.view.y }
        : undefined;
    this.state.expandedScopes = [...new Set([...this.currentScopes(), path])];
    this.focusScope = path;
    this.persist(this.state);
    void this.relayout(false, anchor);
  }

  private collapseScope(path: string): void {
    this.state.expandedScopes = this.currentScopes().filter((p) => p !== path && !p.startsWith(path + "/"));
    this.focusScope = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
    this.persist(this.state);
    void this.relayout(false, { scope: path, sx: (this.svg.getBoundingClientRect().width || 800) / 2, sy: 80 });
  }

  /** After an expand/collapse: the units of `scope` stay where the box was on screen. */
  private keepInPlace(anchor: { readonly scope: string; readonly sx: number; readonly sy: number }): void {
    const c = this.collapsed;
    const l = this.layout;
    if (!c || !l) return;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    c.units.forEach((u, i) => {
      if (u.id !== anchor.scope && !u.id.startsWith(anchor.scope + "/")) return;
      x0 = Math.min(x0, l.boxes[i * 4] ?? 0);
      x1 = Math.max(x1, l.boxes[i * 4] ?? 0);
      y0 = Math.min(y0, l.boxes[i * 4 + 1] ?? 0);
    });
    if (!Number.isFinite(x0)) return this.fit();
    const k = Math.max(this.view.k, MIN_FIT_ZOOM);
    // the top of the expanded scope goes where the group box was
    this.view = { k, x: anchor.sx - ((x0 + x1) / 2) * k, y: anchor.sy - y0 * k };
    this.applyView();
  }

  private inline(callNode: string): void {
    this.state.inline = [...new Set([...this.state.inline, callNode])];
    this.persist(this.state);
    void this.reload();
  }

  private highlight(unit: number, path: readonly number[] = []): void {
    for (const el of this.viewport.querySelectorAll(".unit.selected")) el.classList.remove("selected");
    for (const el of this.viewport.querySelectorAll(".edge.active, .edge.path")) el.classList.remove("active", "path");
    this.viewport.querySelector(`[data-unit="${unit}"]`)?.classList.add("selected");
    for (const el of this.viewport.querySelectorAll(`.edge[data-from="${unit}"], .edge[data-to="${unit}"]`)) el.classList.add("active");
    for (const e of path) this.viewport.querySelector(`.edge[data-edge="${e}"]`)?.classList.add("path");
  }

  /** Selects a unit; a node's details go to the panel (`node`: a node folded into that unit). */
  private select(unit: number, node?: number, path: readonly number[] = []): void {
    const u = this.collapsed?.units[unit];
    const g = this.graph;
    if (!u || !g) return;
    this.selected = unit;
    this.highlight(unit, path);
    (this.viewport.querySelector(`[data-unit="${unit}"]`) as SVGGElement | null)?.focus({ preventScroll: true });
    if (u.kind !== "node") {
      this.focusScope = u.id;
      this.renderScopeCrumbs();
      return;
    }
    const idx = node ?? u.node;
    const n = g.nodes[idx];
    if (!n) return;
    this.selectedNode = idx;
    this.focusScope = n.name.includes("/") && !u.pin ? n.name.slice(0, n.name.lastIndexOf("/")) : "";
    this.renderScopeCrumbs();
    clear(this.details);
    this.details.append(h("p", { class: "loading" }, n.name));
    this.rpc
      .request({
        type: "getNodeDetails",
        metaGraph: this.state.metaGraph,
        target: this.target(),
        expand: this.state.inline,
        inlineDepth: this.state.inlineDepth,
        node: n.name,
      })
      .then(({ details }) => {
        if (this.selectedNode === idx) this.showDetails(details);
      })
      .catch((e: unknown) => {
        clear(this.details);
        this.details.append(errorBox(e instanceof Error ? e.message : String(e)));
      });
  }

  /** After a new layout: the panel never shows a node that is now inside a collapsed group. */
  private dropHiddenSelection(): void {
    const c = this.collapsed;
    if (!c) return;
    if (this.selectedNode >= 0) {
      const u = c.unitOf[this.selectedNode];
      if (u === undefined || c.units[u]?.kind !== "node") {
        this.selectedNode = -1;
        this.selected = -1;
        clear(this.details);
      } else this.selected = u;
    } else if (this.selected >= c.units.length) this.selected = -1;
    this.renderScopeCrumbs();
  }

  /** "top › StatefulPartitionedCall › sequential › dense": a click collapses that scope. */
  private renderScopeCrumbs(): void {
    clear(this.scopeCrumbs);
    const tree = this.tree;
    const expanded = new Set(this.currentScopes());
    const segs = this.focusScope ? this.focusScope.split("/") : [];
    this.scopeCrumbs.append(
      h("a", { href: "#", title: "Collapse all", onclick: (e: Event) => (e.preventDefault(), this.setScopes([])) }, "top"),
    );
    segs.forEach((seg, i) => {
      const path = segs.slice(0, i + 1).join("/");
      if (!tree?.isScope(path)) return;
      this.scopeCrumbs.append(" › ");
      this.scopeCrumbs.append(
        expanded.has(path)
          ? h("a", { href: "#", title: `Collapse ${path}`, onclick: (e: Event) => (e.preventDefault(), this.collapseScope(path)) }, seg)
          : h("span", {}, seg),
      );
    });
  }

  private showDetails(d: NodeDetailsView): void {
    clear(this.details);
    const scope = d.name.includes("/") ? d.name.slice(0, d.name.lastIndexOf("/")) : "";
    renderDetails(this.details, d, this.graph?.nodes[this.selectedNode], {
      reveal: (name) => this.reveal(name),
      openVariable: (path) => this.openVariable(path),
      inline: () => this.inline(d.name),
      openFunction: (f) => this.navigate([...this.state.crumbs, { kind: "function", name: f }]),
      collapse:
        scope && this.tree?.isScope(scope) && this.currentScopes().includes(scope) ? { scope, run: () => this.collapseScope(scope) } : null,
    });
  }

  /**
   * Expands the scopes around a node, lays out again, selects and centres it and highlights the path
   * from the inputs to it. A node drawn inside another box (a constant, an argument) selects that box
   * and shows the node itself in the panel.
   */
  private reveal(name: string): void {
    const g = this.graph;
    const tree = this.tree;
    if (!g || !tree) return;
    const idx = g.nodes.findIndex((n) => n.name === name);
    if (idx < 0) return;
    const unitNow = this.collapsed?.unitOf[idx];
    const done = () => {
      const c = this.collapsed;
      const u = c?.unitOf[idx];
      if (u === undefined || !c) return;
      this.select(u, idx, pathFromInputs(c, u));
      this.center(u);
    };
    if (unitNow !== undefined && this.collapsed?.units[unitNow]?.kind === "node") return done();
    this.state.expandedScopes = [...new Set([...this.currentScopes(), ...tree.scopesOf(idx)])];
    this.persist(this.state);
    void this.relayout(false).then(done);
  }

  private bindSearch(): void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      clear(this.results);
      const q = this.search.value.trim().toLowerCase();
      const g = this.graph;
      if (!q || !g) return;
      let n = 0;
      for (const node of g.nodes) {
        if (!node.name.toLowerCase().includes(q) && !node.op.toLowerCase().includes(q)) continue;
        const li = h("li", { role: "option", tabindex: "-1" }, node.name, h("span", { class: "muted" }, ` ${node.op}`));
        li.addEventListener("click", () => {
          clear(this.results);
          this.reveal(node.name);
        });
        li.addEventListener("keydown", (e) => {
          if (e.key === "Enter") li.click();
          else if (e.key === "ArrowDown") (li.nextElementSibling as HTMLElement | null)?.focus();
          else if (e.key === "ArrowUp") ((li.previousElementSibling as HTMLElement | null) ?? this.search).focus();
          else if (e.key === "Escape") clear(this.results);
        });
        this.results.append(li);
        if (++n >= 50) break;
      }
      this.status(`${n}${n >= 50 ? "+" : ""} matches`);
    };
    this.search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    this.search.addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown") (this.results.firstElementChild as HTMLElement | null)?.focus();
      else if (e.key === "Enter") (this.results.firstElementChild as HTMLElement | null)?.click();
      else if (e.key === "Escape") clear(this.results);
    });
  }

  // zoom / pan ---------------------------------------------------------------------------------

  private applyView(): void {
    this.viewport.setAttribute("transform", `translate(${this.view.x},${this.view.y}) scale(${this.view.k})`);
    this.svg.setAttribute("data-zoom", this.view.k.toFixed(4));
    // the smallest text on screen (CSS font size × zoom), for tests and the integration check
    if (this.cssMinFont === 0) {
      const sizes = [...this.viewport.querySelectorAll("text")].slice(0, 50).map((t) => parseFloat(getComputedStyle(t).fontSize));
      this.cssMinFont = sizes.length > 0 ? Math.min(...sizes.filter((x) => x > 0)) : 0;
    }
    if (this.cssMinFont > 0) this.svg.setAttribute("data-min-font-px", (this.cssMinFont * this.view.k).toFixed(2));
    const r = this.svg.getBoundingClientRect();
    this.minimap.view(
      -this.view.x / this.view.k,
      -this.view.y / this.view.k,
      (r.width || 800) / this.view.k,
      (r.height || 600) / this.view.k,
    );
  }

  private zoom(f: number, cx?: number, cy?: number): void {
    const r = this.svg.getBoundingClientRect();
    const px = cx ?? r.width / 2;
    const py = cy ?? r.height / 2;
    const k = Math.min(4, Math.max(0.02, this.view.k * f));
    const real = k / this.view.k;
    this.view = { k, x: px - (px - this.view.x) * real, y: py - (py - this.view.y) * real };
    this.applyView();
  }

  /**
   * Fits the visible level, never below the legible zoom (MIN_FIT_ZOOM): what does not fit then is
   * reached by panning or the minimap, starting from the top (the inputs) and centred on them.
   */
  private fit(): void {
    const l = this.layout;
    if (!l) return;
    const r = this.svg.getBoundingClientRect();
    const W = r.width || 800;
    const H = r.height || 600;
    const whole = Math.min(W / Math.max(1, l.width), H / Math.max(1, l.height));
    const k = Math.min(1.25, Math.max(whole, MIN_FIT_ZOOM));
    let x = (W - l.width * k) / 2;
    if (l.width * k > W) {
      // centre on the top row (the signature's inputs), within the drawing
      const c = this.collapsed;
      const top = c ? c.units.map((_, i) => i).filter((i) => c.units[i]?.pin === "input") : [];
      const cx = top.length > 0 ? top.reduce((a, i) => a + (l.boxes[i * 4] ?? 0), 0) / top.length : l.width / 2;
      x = Math.min(0, Math.max(W - l.width * k, W / 2 - cx * k));
    }
    this.view = { k, x, y: l.height * k <= H ? (H - l.height * k) / 2 : 0 };
    this.applyView();
  }

  private centerAt(x: number, y: number, k: number): void {
    const r = this.svg.getBoundingClientRect();
    this.view = { k, x: (r.width || 800) / 2 - x * k, y: (r.height || 600) / 2 - y * k };
    this.applyView();
  }

  private center(unit: number): void {
    const l = this.layout;
    if (!l) return;
    this.centerAt(l.boxes[unit * 4] ?? 0, l.boxes[unit * 4 + 1] ?? 0, Math.max(this.view.k, 0.8));
  }

  /** Arrow keys with a selection: along the edges (up/down) or the row (left/right). */
  private moveSelection(m: Move): boolean {
    const c = this.collapsed;
    const l = this.layout;
    if (!c || !l || this.selected < 0) return false;
    const to = moveAlong(c, l, this.selected, m);
    if (to < 0) return true;
    this.select(to);
    const r = this.svg.getBoundingClientRect();
    const sx = (l.boxes[to * 4] ?? 0) * this.view.k + this.view.x;
    const sy = (l.boxes[to * 4 + 1] ?? 0) * this.view.k + this.view.y;
    if (sx < 40 || sy < 40 || sx > (r.width || 800) - 40 || sy > (r.height || 600) - 40) this.center(to);
    return true;
  }

  /** Enter: expands the selected group, or inlines the selected call. */
  private enter(): void {
    const u = this.collapsed?.units[this.selected];
    if (!u) {
      // nothing selected yet: start at the first input
      const first = this.collapsed?.units.findIndex((x) => x.pin === "input") ?? -1;
      if (first >= 0) this.select(first);
      return;
    }
    if (u.kind === "group") this.expandScope(u.id);
    else {
      const n = this.graph?.nodes[u.node];
      if (n?.call) this.inline(n.name);
    }
  }

  private bindZoomPan(): void {
    this.svg.addEventListener(
      "wheel",
      (e) => {
        e.preventDefault();
        const r = this.svg.getBoundingClientRect();
        this.zoom(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
      },
      { passive: false },
    );
    // Pan once the pointer moved a few pixels: capturing on pointerdown would retarget the click
    // away from the node under the pointer.
    let drag: { x: number; y: number; sx: number; sy: number; id: number; active: boolean } | null = null;
    this.svg.addEventListener("pointerdown", (e) => {
      drag = { x: e.clientX - this.view.x, y: e.clientY - this.view.y, sx: e.clientX, sy: e.clientY, id: e.pointerId, active: false };
    });
    this.svg.addEventListener("pointermove", (e) => {
      if (!drag || (e.buttons & 1) === 0) return;
      if (!drag.active) {
        if (Math.abs(e.clientX - drag.sx) + Math.abs(e.clientY - drag.sy) < 4) return;
        drag.active = true;
        this.svg.setPointerCapture(drag.id);
      }
      this.view.x = e.clientX - drag.x;
      this.view.y = e.clientY - drag.y;
      this.applyView();
    });
    this.svg.addEventListener("pointerup", () => (drag = null));
    this.svg.addEventListener("keydown", (e) => {
      if (e.shiftKey && e.key.startsWith("Arrow")) {
        // Shift+arrows always pan
        const d: Record<string, [number, number]> = { ArrowLeft: [60, 0], ArrowRight: [-60, 0], ArrowUp: [0, 60], ArrowDown: [0, -60] };
        const [dx, dy] = d[e.key] ?? [0, 0];
        this.view.x += dx;
        this.view.y += dy;
        this.applyView();
        e.preventDefault();
        return;
      }
      const step = 60;
      const keys: Record<string, () => void> = {
        "+": () => this.zoom(1.25),
        "=": () => this.zoom(1.25),
        "-": () => this.zoom(0.8),
        "0": () => this.fit(),
        ArrowLeft: () => this.moveSelection("left") || ((this.view.x += step), this.applyView()),
        ArrowRight: () => this.moveSelection("right") || ((this.view.x -= step), this.applyView()),
        ArrowUp: () => this.moveSelection("up") || ((this.view.y += step), this.applyView()),
        ArrowDown: () => this.moveSelection("down") || ((this.view.y -= step), this.applyView()),
        Enter: () => this.enter(),
        Escape: () => {
          this.selected = -1;
          this.highlight(-1);
        },
      };
      const f = keys[e.key];
      if (f) {
        e.preventDefault();
        f();
      }
    });
  }
}
