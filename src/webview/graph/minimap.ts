/**
 * Minimap of the graph view: every box as a small rectangle and the visible part as a frame; a click
 * or drag centres the view there.
 */
import { clear, s } from "../dom.js";
import type { LayoutResult } from "./layout.js";

const W = 180;
const H = 120;

export class Minimap {
  readonly el: SVGSVGElement;
  private readonly boxes: SVGGElement;
  private readonly frame: SVGRectElement;
  private scale = 1;
  private ox = 0;
  private oy = 0;

  /** `center(x, y)` gets layout coordinates. */
  constructor(private readonly center: (x: number, y: number) => void) {
    this.boxes = s("g", {});
    this.frame = s("rect", { class: "minimap-frame" });
    this.el = s("svg", { class: "minimap", width: W, height: H, "aria-label": "Minimap", role: "img" }, this.boxes, this.frame);
    const go = (e: PointerEvent) => {
      const r = this.el.getBoundingClientRect();
      this.center((e.clientX - r.left - this.ox) / this.scale, (e.clientY - r.top - this.oy) / this.scale);
    };
    this.el.addEventListener("pointerdown", (e) => {
      e.stopPropagation();
      go(e);
      this.el.setPointerCapture(e.pointerId);
    });
    this.el.addEventListener("pointermove", (e) => {
      if (e.buttons & 1) go(e);
    });
  }

  /** Redraws the boxes of a new layout (`kinds`: a CSS class per unit). */
  draw(l: LayoutResult, kinds: readonly string[]): void {
    clear(this.boxes);
    this.scale = Math.min((W - 8) / Math.max(1, l.width), (H - 8) / Math.max(1, l.height));
    this.ox = (W - l.width * this.scale) / 2;
    this.oy = (H - l.height * this.scale) / 2;
    for (let i = 0; i * 4 < l.boxes.length; i++) {
      const w = Math.max(1, (l.boxes[i * 4 + 2] ?? 0) * this.scale);
      const h = Math.max(1, (l.boxes[i * 4 + 3] ?? 0) * this.scale);
      this.boxes.append(
        s("rect", {
          class: kinds[i] ?? "",
          x: this.ox + (l.boxes[i * 4] ?? 0) * this.scale - w / 2,
          y: this.oy + (l.boxes[i * 4 + 1] ?? 0) * this.scale - h / 2,
          width: w,
          height: h,
        }),
      );
    }
  }

  /** The visible rectangle in layout coordinates. */
  view(x: number, y: number, w: number, h: number): void {
    this.frame.setAttribute("x", String(this.ox + x * this.scale));
    this.frame.setAttribute("y", String(this.oy + y * this.scale));
    this.frame.setAttribute("width", String(Math.max(2, w * this.scale)));
    this.frame.setAttribute("height", String(Math.max(2, h * this.scale)));
  }
}
