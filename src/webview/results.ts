/**
 * Entry of dist/results.js: the tensor panels (Run Signature results, Show Variable). Renders the
 * `TensorPage` the host sends (protocol/results.ts) with textContent only, and posts the page's few
 * requests back: ready, save, show an earlier run.
 */
import type { TensorCard, TensorPage, TensorPanelMessage, TensorPanelRequest } from "../protocol/results.js";
import { button, clear, h } from "./dom.js";

interface VsCodeApi {
  postMessage(msg: TensorPanelRequest): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

function card(c: TensorCard): HTMLElement {
  const d = c.display;
  return h(
    "section",
    { class: "output" },
    h(
      "h2",
      {},
      h("span", { class: "key" }, c.key),
      " ",
      h("span", { class: "type" }, d.type),
      " ",
      h("span", { class: "size muted" }, d.size),
    ),
    h("div", { class: "stats" }, ...(d.stats ?? []).map(([k, v]) => h("div", {}, `${k}: ${v}`))),
    h("pre", { class: "preview", tabindex: "0" }, d.preview),
  );
}

function history(page: TensorPage, post: (m: TensorPanelRequest) => void): HTMLElement | null {
  if (page.history.length === 0) return null;
  const item = (e: TensorPage["history"][number]) =>
    h(
      "li",
      {},
      h(
        "button",
        {
          "data-id": e.id,
          class: e.current ? "current" : undefined,
          "aria-current": e.current ? "true" : undefined,
          onclick: () => post({ type: "show", id: e.id }),
        },
        e.label,
      ),
    );
  return h("div", {}, h("h3", {}, "Runs (newest first)"), h("nav", { class: "history" }, h("ol", {}, ...page.history.map(item))));
}

export function renderPage(root: HTMLElement, page: TensorPage, post: (m: TensorPanelRequest) => void): void {
  clear(root);
  root.append(
    h(
      "header",
      {},
      h("h1", {}, page.heading, " ", h("span", { class: "muted" }, page.context)),
      page.canSave
        ? button("Save outputs…", () => post({ type: "save" }), { title: "Write each output as <key>.npy into a folder" })
        : null,
    ),
    h("div", { class: "meta" }, page.meta),
  );
  const hist = history(page, post);
  if (hist) root.append(hist);
  if (page.inputs)
    root.append(
      h("h3", {}, "Inputs"),
      h(
        "ul",
        { class: "inputs" },
        ...(page.inputs.length > 0
          ? page.inputs.map((i) => h("li", {}, h("span", { class: "key" }, i.key), ` ${i.type} ← ${i.from}`))
          : [h("li", {}, "(none)")]),
      ),
    );
  if (page.warnings.length > 0) root.append(h("ul", { class: "warnings" }, ...page.warnings.map((w) => h("li", {}, w))));
  if (page.inputs) root.append(h("h3", {}, "Outputs"));
  root.append(...(page.tensors.length > 0 ? page.tensors.map(card) : [h("p", {}, "(no outputs)")]));
  if (page.summaryNote) root.append(h("div", { class: "note" }, page.summaryNote));
}

if (typeof document !== "undefined" && typeof acquireVsCodeApi === "function") {
  const api = acquireVsCodeApi();
  const root = document.getElementById("root") ?? document.body;
  window.addEventListener("message", (e: MessageEvent) => {
    const m = e.data as TensorPanelMessage | undefined;
    if (m?.kind === "page" && m.page && typeof m.page === "object") renderPage(root, m.page, (r) => api.postMessage(r));
  });
  api.postMessage({ type: "ready" });
}
