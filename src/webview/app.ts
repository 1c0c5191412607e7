/**
 * The editor UI: a tab list (WAI-ARIA tabs, arrow keys / Home / End) over one panel per view. Each
 * view pulls its data on first show; UI state (tab, filters, sort, selection, graph target) is kept
 * with setState so a hidden editor comes back where it was.
 */
import type { GraphTarget, SignatureView, VariableSortColumn, VariablesPage } from "../protocol/editor.js";
import { add, bytes, button, clear, errorBox, h, section, table } from "./dom.js";
import { GraphPanel, type GraphState } from "./graph/view.js";
import { Rpc } from "./rpc.js";

export interface UiState {
  tab: TabId;
  vars: { filter: string; sort: VariableSortColumn; descending: boolean; offset: number; selected: string | null };
  graph: GraphState | null;
}

const TABS = [
  ["overview", "Overview"],
  ["signatures", "Signatures"],
  ["functions", "Functions"],
  ["variables", "Variables"],
  ["keras", "Keras"],
  ["ops", "Ops"],
  ["assets", "Assets"],
  ["graph", "Graph"],
] as const;
export type TabId = (typeof TABS)[number][0];

const PAGE = 200;

export class App {
  private readonly rpc = new Rpc();
  private state: UiState;
  private readonly panels = new Map<TabId, HTMLElement>();
  private readonly loaded = new Set<TabId>();
  private readonly tabs = new Map<TabId, HTMLButtonElement>();
  private readonly status: HTMLElement;
  private graph: GraphPanel | undefined;

  constructor(private readonly root: HTMLElement) {
    const saved = this.rpc.getState<UiState>();
    this.state = {
      tab: saved.tab && TABS.some(([id]) => id === saved.tab) ? saved.tab : "overview",
      vars: { filter: "", sort: "name", descending: false, offset: 0, selected: null, ...(saved.vars ?? {}) },
      graph: saved.graph ?? null,
    };
    this.status = h("div", { class: "status", role: "status", "aria-live": "polite" });
  }

  private save(): void {
    this.rpc.setState(this.state);
  }

  async start(): Promise<void> {
    const ready = await this.rpc.request({ type: "ready" });
    const tablist = h("div", { class: "tabs", role: "tablist", "aria-label": "SavedModel views" });
    for (const [id, label] of TABS) {
      const tab = h(
        "button",
        { type: "button", role: "tab", id: `tab-${id}`, "aria-controls": `panel-${id}`, "aria-selected": "false", tabindex: "-1" },
        label,
      );
      tab.addEventListener("click", () => this.show(id, true));
      tab.addEventListener("keydown", (e) => this.tabKey(e, id));
      this.tabs.set(id, tab);
      tablist.append(tab);
      const panel = h("div", {
        role: "tabpanel",
        id: `panel-${id}`,
        "aria-labelledby": `tab-${id}`,
        tabindex: "0",
        class: "panel",
        hidden: true,
      });
      this.panels.set(id, panel);
    }
    clear(this.root);
    this.root.append(
      h("header", {}, h("h1", {}, ready.title), h("span", { class: "badge" }, ready.format)),
      tablist,
      ...this.panels.values(),
      this.status,
    );
    this.show(this.state.tab, false);
    void this.followReveals();
  }

  /** "Show in Graph" from the host: a long poll answered each time the host asks for a graph. */
  private async followReveals(): Promise<void> {
    for (;;) {
      const r = await this.rpc.request({ type: "awaitReveal" }).catch(() => undefined);
      if (!r) return;
      this.openGraph(r.metaGraph, r.target);
    }
  }

  private tabKey(e: KeyboardEvent, id: TabId): void {
    const i = TABS.findIndex(([t]) => t === id);
    let next = -1;
    if (e.key === "ArrowRight") next = (i + 1) % TABS.length;
    else if (e.key === "ArrowLeft") next = (i - 1 + TABS.length) % TABS.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = TABS.length - 1;
    if (next < 0) return;
    e.preventDefault();
    this.show(TABS[next]![0], true);
  }

  show(id: TabId, focus: boolean): void {
    this.state.tab = id;
    this.save();
    for (const [t, tab] of this.tabs) {
      const on = t === id;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      this.panels.get(t)!.hidden = !on;
      if (on && focus) tab.focus();
    }
    if (!this.loaded.has(id)) {
      this.loaded.add(id);
      const panel = this.panels.get(id)!;
      panel.append(h("p", { class: "loading" }, "Loading…"));
      this.load(id, panel).catch((e: unknown) => {
        clear(panel);
        panel.append(errorBox(e instanceof Error ? e.message : String(e)));
        this.loaded.delete(id);
      });
    }
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }

  private async load(id: TabId, panel: HTMLElement): Promise<void> {
    switch (id) {
      case "overview":
        return this.overview(panel);
      case "signatures":
        return this.signatures(panel);
      case "functions":
        return this.functions(panel);
      case "variables":
        return this.variables(panel);
      case "keras":
        return this.keras(panel);
      case "ops":
        return this.ops(panel);
      case "assets":
        return this.assets(panel);
      case "graph":
        return this.graphView(panel);
    }
  }

  private async overview(panel: HTMLElement): Promise<void> {
    const { overview: o } = await this.rpc.request({ type: "getOverview" });
    clear(panel);
    const facts: [string, string][] = [
      ["Directory", o.dir],
      ["Model file", `${o.modelFile} (${o.format})`],
      ["Schema version", String(o.schemaVersion)],
      ["Total size", `${bytes(o.totalBytes)} in ${o.files.length} files`],
      [
        "Variables",
        o.variables
          ? `${o.variables.count} (${bytes(o.variables.bytes)}, ${o.variables.shards} shard${o.variables.shards === 1 ? "" : "s"})`
          : "none",
      ],
      ["Keras classes", o.kerasClasses.join(", ") || "none"],
    ];
    add(
      panel,
      section("Model", h("dl", { class: "facts" }, ...facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]))),
      section(
        "Meta graphs",
        table(
          ["Tags", "TF version", "Signatures", "Op types", "Graph nodes", "Functions", "Init op"],
          o.metaGraphs.map((m) => [
            m.tags.join(", ") || "(none)",
            m.tfVersion || "?",
            String(m.signatureCount),
            String(m.opCount ?? "?"),
            String(m.graphNodes ?? "?"),
            String(m.functionCount ?? "?"),
            m.initOp ?? "",
          ]),
        ),
      ),
      o.fingerprint
        ? section(
            "Fingerprint",
            table(
              ["Field", "Value"],
              Object.entries(o.fingerprint).map(([k, v]) => [k, v]),
            ),
          )
        : null,
      section(
        "Files",
        table(
          ["Path", "Size"],
          o.files.map((f) => [f.path, bytes(f.bytes)]),
        ),
      ),
      section(
        "saved_model_cli show --all",
        h(
          "div",
          { class: "toolbar" },
          button("Copy", () => void this.copy(o.showAll), { icon: "copy" }),
        ),
        h("pre", { class: "showall", tabindex: "0" }, o.showAll),
      ),
    );
  }

  private async copy(text: string): Promise<void> {
    const r = await this.rpc.request({ type: "copyText", text });
    this.setStatus(r.message);
  }

  private signatureBlock(s: SignatureView): HTMLElement {
    const rows = (ts: SignatureView["inputs"]) => ts.map((t) => [t.key + (t.hasDefault ? " (default)" : ""), t.dtype, t.shape, t.name]);
    const actions = h("div", { class: "toolbar" });
    if (s.runnable) {
      actions.append(
        button(
          "Run…",
          () =>
            void this.rpc.request({ type: "runSignature", metaGraph: s.metaGraph, key: s.key }).then(
              (r) => this.setStatus(r.message),
              (e: Error) => this.setStatus(e.message),
            ),
          { icon: "play" },
        ),
        button(
          "Debug…",
          () =>
            void this.rpc.request({ type: "debugSignature", metaGraph: s.metaGraph, key: s.key }).then(
              (r) => this.setStatus(r.message),
              (e: Error) => this.setStatus(e.message),
            ),
          { icon: "debug-alt", secondary: true, title: "Step through this signature node by node in the debugger" },
        ),
        button(
          "Copy request",
          () =>
            void this.rpc.request({ type: "copyRequest", metaGraph: s.metaGraph, key: s.key }).then(
              (r) => this.setStatus(r.message),
              (e: Error) => this.setStatus(e.message),
            ),
          { icon: "copy", secondary: true },
        ),
      );
    }
    actions.append(
      button("Graph", () => this.openGraph(s.metaGraph, { kind: "signature", key: s.key }), { icon: "type-hierarchy", secondary: true }),
    );
    return h(
      "section",
      { class: "signature", "data-signature": s.key },
      h("h2", {}, s.key, h("span", { class: "muted" }, `  ${s.method}  [${s.tags.join(", ")}]`)),
      actions,
      table(["Input", "dtype", "shape", "tensor"], rows(s.inputs), "Inputs"),
      table(["Output", "dtype", "shape", "tensor"], rows(s.outputs), "Outputs"),
      s.defaults.length > 0 ? h("p", {}, `Inputs with defaults: ${s.defaults.join(", ")}`) : null,
    );
  }

  private async signatures(panel: HTMLElement): Promise<void> {
    const { signatures } = await this.rpc.request({ type: "getSignatures" });
    clear(panel);
    if (signatures.length === 0) panel.append(h("p", {}, "This model has no signatures. The Graph tab shows its whole graph."));
    for (const s of signatures) panel.append(this.signatureBlock(s));
  }

  private async functions(panel: HTMLElement): Promise<void> {
    const { functions: f } = await this.rpc.request({ type: "getFunctions", metaGraph: 0 });
    clear(panel);
    const link = (name: string) =>
      name === "<graph>"
        ? h("span", {}, name)
        : h("a", { href: "#", onclick: (e: Event) => (e.preventDefault(), this.openGraph(0, { kind: "function", name })) }, name);
    const join = (names: readonly string[]) => {
      const span = h("span", {});
      names.forEach((n, i) => span.append(...(i > 0 ? [", "] : []), link(n)));
      return span;
    };
    if (f.attached.length > 0) {
      panel.append(
        section(
          "Functions attached to the root object",
          table(
            ["Attribute", "Concrete function", "Input signature", "Output signature"],
            f.attached.flatMap((a) =>
              a.concrete.map((c) => [a.name, link(c.name), h("code", {}, c.inputSignature), h("code", {}, c.outputSignature)]),
            ),
          ),
        ),
      );
    }
    panel.append(
      section(
        `Library functions (${f.library.length})`,
        table(
          ["Function", "Nodes", "Callers", "Callees"],
          f.library.map((x) => [link(x.name), String(x.nodeCount), join(x.callers), join(x.callees)]),
        ),
      ),
    );
  }

  private async variables(panel: HTMLElement): Promise<void> {
    clear(panel);
    const v = this.state.vars;
    const filter = h("input", {
      type: "search",
      placeholder: "Filter: name, dtype, shape",
      "aria-label": "Filter variables",
      value: v.filter,
    });
    const summary = h("p", { class: "muted" });
    const tableHost = h("div", { class: "vars" });
    const detail = h("div", { class: "var-detail", "aria-live": "polite" });
    const pager = h("div", { class: "toolbar" });
    panel.append(h("div", { class: "toolbar" }, filter), summary, h("div", { class: "split" }, tableHost, detail), pager);
    let timer: ReturnType<typeof setTimeout> | undefined;
    filter.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        v.filter = filter.value;
        v.offset = 0;
        void refresh();
      }, 150);
    });
    const columns: [VariableSortColumn, string][] = [
      ["name", "Name"],
      ["dtype", "dtype"],
      ["shape", "Shape"],
      ["bytes", "Bytes"],
      ["shard", "Shard"],
    ];
    const render = (page: VariablesPage) => {
      summary.textContent = `${page.matched} of ${page.total} variables, ${bytes(page.totalBytes)} in all`;
      const head = h(
        "tr",
        {},
        ...columns.map(([col, label]) => {
          const sorted = v.sort === col;
          const th = h("th", { scope: "col", "aria-sort": sorted ? (v.descending ? "descending" : "ascending") : "none" });
          th.append(
            button(
              label + (sorted ? (v.descending ? " ▼" : " ▲") : ""),
              () => {
                v.descending = v.sort === col ? !v.descending : col === "bytes";
                v.sort = col;
                void refresh();
              },
              { secondary: true },
            ),
          );
          return th;
        }),
      );
      const body = h("tbody", {});
      for (const r of page.rows) {
        const tr = h(
          "tr",
          { tabindex: "0", "data-key": r.key, "aria-selected": String(r.key === v.selected) },
          h("td", { title: [r.key, r.path].filter(Boolean).join("\n") }, r.display),
          h("td", {}, r.dtype),
          h("td", {}, r.shape),
          h("td", {}, bytes(r.bytes)),
          h("td", {}, String(r.shard)),
        );
        const pick = () => {
          v.selected = r.key;
          this.save();
          for (const x of body.querySelectorAll("tr")) x.setAttribute("aria-selected", String(x === tr));
          void this.variableDetail(detail, r.key);
        };
        tr.addEventListener("click", pick);
        tr.addEventListener("keydown", (e) => {
          if (e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            pick();
          } else if (e.key === "ArrowDown") (tr.nextElementSibling as HTMLElement | null)?.focus();
          else if (e.key === "ArrowUp") (tr.previousElementSibling as HTMLElement | null)?.focus();
        });
        body.append(tr);
      }
      clear(tableHost);
      tableHost.append(h("table", { class: "variables", "aria-label": "Variables" }, h("thead", {}, head), body));
      clear(pager);
      if (page.matched > PAGE) {
        pager.append(
          button("Previous", () => ((v.offset = Math.max(0, v.offset - PAGE)), void refresh()), { secondary: true }),
          ` ${v.offset + 1}–${Math.min(page.matched, v.offset + PAGE)} of ${page.matched} `,
          button("Next", () => (v.offset + PAGE < page.matched ? ((v.offset += PAGE), void refresh()) : undefined), { secondary: true }),
        );
      }
    };
    const refresh = async () => {
      this.save();
      const { page } = await this.rpc.request({
        type: "getVariables",
        offset: v.offset,
        limit: PAGE,
        filter: v.filter,
        sort: v.sort,
        descending: v.descending,
      });
      render(page);
    };
    await refresh();
    if (v.selected) void this.variableDetail(detail, v.selected);
  }

  private async variableDetail(host: HTMLElement, key: string): Promise<void> {
    clear(host);
    host.append(h("p", { class: "loading" }, `Reading ${key}…`));
    try {
      const { values: x } = await this.rpc.request({ type: "getVariableValues", key });
      clear(host);
      host.append(h("h3", {}, x.key), h("p", { class: "muted" }, `${x.type} · ${x.size} · read in ${x.readMs.toFixed(1)} ms`));
      if (x.stats)
        host.append(
          table(
            x.stats.map(([k]) => k),
            [x.stats.map(([, v]) => v)],
          ),
        );
      if (x.histogram) host.append(histogramSvg(x.histogram.edges, x.histogram.counts));
      host.append(h("pre", { class: "preview", tabindex: "0" }, x.preview));
    } catch (e) {
      clear(host);
      host.append(errorBox(e instanceof Error ? e.message : String(e)));
    }
  }

  private async keras(panel: HTMLElement): Promise<void> {
    const { keras: k } = await this.rpc.request({ type: "getKeras" });
    clear(panel);
    if (!k) {
      panel.append(h("p", {}, "No Keras metadata in this model (no keras_metadata.pb and no Keras user objects in the object graph)."));
      return;
    }
    panel.append(
      h(
        "p",
        { class: "muted" },
        `From ${k.source}. ${k.customClasses.length > 0 ? `Custom classes: ${k.customClasses.join(", ")}` : "Only Keras built-in classes."}`,
      ),
    );
    const tree = h("ul", { role: "tree", class: "layers", "aria-label": "Keras layers" });
    for (const l of k.layers) {
      const d = h(
        "details",
        {},
        h(
          "summary",
          {},
          `${l.name || l.path}`,
          h("span", { class: l.custom ? "badge custom" : "badge" }, l.registeredName ?? l.className),
          l.custom ? h("span", { class: "custom-note" }, " custom") : null,
        ),
      );
      d.append(h("p", { class: "muted" }, `${l.path} (object ${l.nodeId})`), l.config ? h("pre", {}, l.config) : h("p", {}, "(no config)"));
      tree.append(h("li", { role: "treeitem", style: `margin-left:${l.depth * 16}px`, class: l.custom ? "custom" : undefined }, d));
    }
    panel.append(tree);
  }

  private async ops(panel: HTMLElement): Promise<void> {
    const { ops: o } = await this.rpc.request({ type: "getOps", metaGraph: 0 });
    clear(panel);
    const max = Math.max(1, ...o.ops.map((x) => x.count));
    const custom = o.ops.filter((x) => x.custom).map((x) => x.op);
    const denied = o.ops.filter((x) => x.denied).map((x) => x.op);
    panel.append(
      h(
        "p",
        {},
        `${o.ops.length} op types, ${o.total} nodes (graph and functions). `,
        custom.length ? h("strong", { class: "warn" }, `Custom ops: ${custom.join(", ")}. `) : "No custom ops. ",
        denied.length
          ? h("strong", { class: "danger" }, `Deny-listed ops: ${denied.join(", ")}.`)
          : `No deny-listed ops (${o.denylist.join(", ")}).`,
      ),
    );
    panel.append(
      table(
        ["Op", "Count", ""],
        o.ops.map((x) => [
          h(
            "span",
            { class: x.denied ? "danger" : x.custom ? "warn" : undefined },
            x.op,
            x.custom ? " (custom)" : "",
            x.denied ? " (deny-listed)" : "",
          ),
          String(x.count),
          h("span", { class: "bar", style: `width:${Math.max(1, Math.round((x.count / max) * 200))}px`, "aria-hidden": "true" }),
        ]),
      ),
    );
  }

  private async assets(panel: HTMLElement): Promise<void> {
    const { assets: a } = await this.rpc.request({ type: "getAssets" });
    clear(panel);
    add(
      panel,
      section(
        "assets/",
        a.assets.length
          ? table(
              ["File", "Size"],
              a.assets.map((f) => [f.path, bytes(f.bytes)]),
            )
          : h("p", {}, "none"),
      ),
      section(
        "assets.extra/",
        a.assetsExtra.length
          ? table(
              ["File", "Size"],
              a.assetsExtra.map((f) => [f.path, bytes(f.bytes)]),
            )
          : h("p", {}, "none"),
      ),
      a.assetTensors.length
        ? section(
            "Asset tensors",
            table(
              ["File", "Tensor"],
              a.assetTensors.map((t) => [t.filename, t.tensorName]),
            ),
          )
        : null,
    );
  }

  private openGraph(metaGraph: number, target: GraphTarget): void {
    this.state.graph = { metaGraph, crumbs: [target], expandedScopes: null, inline: [], inlineDepth: target.kind === "signature" ? 2 : 0 };
    this.save();
    if (this.graph) this.graph.setState(this.state.graph);
    this.show("graph", true);
  }

  private async graphView(panel: HTMLElement): Promise<void> {
    clear(panel);
    let st = this.state.graph;
    if (!st) {
      const { signatures } = await this.rpc.request({ type: "getSignatures" });
      const first = signatures.find((x) => x.runnable) ?? signatures[0];
      st = {
        metaGraph: first?.metaGraph ?? 0,
        crumbs: [first ? { kind: "signature", key: first.key } : { kind: "graph" }],
        expandedScopes: null,
        inline: [],
        inlineDepth: first ? 2 : 0,
      };
      this.state.graph = st;
    }
    this.graph = new GraphPanel(
      panel,
      this.rpc,
      (s) => {
        this.state.graph = s;
        this.save();
      },
      (t) => this.setStatus(t),
      (p) => this.showVariables(p),
    );
    this.graph.setState(st);
  }

  /** The Variables tab filtered to `filter` (the graph's "Show in Variables"). */
  private showVariables(filter: string): void {
    this.state.vars = { ...this.state.vars, filter, offset: 0, selected: null };
    this.loaded.delete("variables");
    this.show("variables", true);
  }
}

function histogramSvg(edges: readonly number[], counts: readonly number[]): HTMLElement {
  const W = 320;
  const H = 80;
  const max = Math.max(1, ...counts);
  const bw = W / Math.max(1, counts.length);
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H + 14}`);
  svg.setAttribute("class", "histogram");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `Histogram, ${counts.length} bins from ${edges[0]} to ${edges[edges.length - 1]}`);
  counts.forEach((c, i) => {
    const r = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    const bh = (c / max) * H;
    r.setAttribute("x", String(i * bw + 1));
    r.setAttribute("y", String(H - bh));
    r.setAttribute("width", String(Math.max(1, bw - 2)));
    r.setAttribute("height", String(bh));
    const t = document.createElementNS("http://www.w3.org/2000/svg", "title");
    t.textContent = `[${edges[i]?.toPrecision(4)}, ${edges[i + 1]?.toPrecision(4)}): ${c}`;
    r.append(t);
    svg.append(r);
  });
  for (const [x, v, anchor] of [
    [0, edges[0], "start"],
    [W, edges[edges.length - 1], "end"],
  ] as const) {
    const t = document.createElementNS("http://www.w3.org/2000/svg", "text");
    t.setAttribute("x", String(x));
    t.setAttribute("y", String(H + 12));
    t.setAttribute("text-anchor", anchor);
    t.textContent = v === undefined ? "" : v.toPrecision(4);
    svg.append(t);
  }
  const wrap = h("div", {});
  wrap.append(svg);
  return wrap;
}
