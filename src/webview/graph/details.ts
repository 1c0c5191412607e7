/**
 * The graph view's node panel: name, op, device, variable, actions (inline a call, open a function,
 * collapse the scope), attributes and the linked inputs/outputs. DOM only, text through textContent.
 */
import type { GraphView, NodeDetailsView } from "../../protocol/editor.js";
import { add, button, h } from "../dom.js";

export interface DetailActions {
  reveal(name: string): void;
  openVariable(path: string): void;
  inline(): void;
  openFunction(name: string): void;
  /** Collapse the node's scope, when it is an expanded scope of the current view. */
  readonly collapse: { readonly scope: string; run(): void } | null;
}

function linkList(title: string, items: readonly string[], reveal: (name: string) => void): HTMLElement | null {
  if (items.length === 0) return null;
  const link = (x: string) =>
    h("li", {}, h("a", { href: "#", onclick: (e: Event) => (e.preventDefault(), reveal(x.replace(/^\^/, "").replace(/:\d+$/, ""))) }, x));
  return h("div", {}, h("h4", {}, `${title} (${items.length})`), h("ul", {}, ...items.slice(0, 100).map(link)));
}

function attrsTable(d: NodeDetailsView): HTMLElement | null {
  if (d.attrs.length === 0) return null;
  const row = (a: NodeDetailsView["attrs"][number]) =>
    h(
      "tr",
      { class: a.isDefault ? "default" : undefined },
      h("th", { scope: "row" }, a.name),
      h("td", {}, a.value, a.isDefault ? h("span", { class: "muted" }, " (default)") : null),
    );
  return h("table", { class: "attrs" }, h("tbody", {}, ...d.attrs.map(row)));
}

export function renderDetails(
  host: HTMLElement,
  d: NodeDetailsView,
  node: GraphView["nodes"][number] | undefined,
  act: DetailActions,
): void {
  const collapse = act.collapse;
  add(
    host,
    h("h3", {}, d.name),
    h(
      "p",
      {},
      h("strong", {}, d.op),
      d.custom ? h("span", { class: "badge custom" }, "custom op") : null,
      d.device ? h("span", { class: "muted" }, ` on ${d.device}`) : null,
    ),
    node?.variable ? h("p", { class: "variable-name" }, "Variable ", h("code", {}, node.variable)) : null,
    node?.variablePath
      ? h(
          "p",
          {},
          button(`Show in Variables`, () => act.openVariable(node.variablePath ?? ""), {
            icon: "symbol-variable",
            secondary: true,
            title: `Variables tab, filtered to ${node.variablePath}`,
          }),
        )
      : null,
    node?.tensor ? h("p", {}, "Output ", h("code", {}, node.tensor)) : null,
    h(
      "div",
      { class: "toolbar node-actions" },
      d.call ? button("Inline here", () => act.inline(), { icon: "unfold", secondary: true }) : null,
      ...d.functions.map((f) => button(`Open ${f}`, () => act.openFunction(f), { icon: "symbol-method", secondary: true })),
      collapse
        ? button(`Collapse ${collapse.scope.slice(collapse.scope.lastIndexOf("/") + 1)}`, () => collapse.run(), {
            secondary: true,
            title: `Collapse ${collapse.scope}`,
          })
        : null,
    ),
    attrsTable(d),
    linkList("Inputs", d.inputs, act.reveal),
    linkList("Control inputs", d.controlInputs, act.reveal),
    linkList("Outputs", d.outputs, act.reveal),
  );
}
