/**
 * Direct calls into web-tree-sitter's wasm exports for walking a tree with a cursor.
 *
 * web-tree-sitter's TreeCursor copies the cursor state (four 32-bit words) into the module's transfer
 * buffer before every call and reads it back after, through generic `setValue`/`getValue`: that JS
 * glue, not tree-sitter, is most of the cost of a walk. The wasm functions keep the cursor in the
 * transfer buffer themselves, so a walk that makes no other call into the module in between can leave
 * it there: one plain wasm call per step or getter.
 *
 * The exports are reached through the options object handed to `Parser.init` (emscripten fills it in
 * as the module object). Nothing here is public API, so `parser.ts` checks the raw walk against the
 * public TreeCursor on a probe text at start-up and falls back to the public path when they differ or
 * an export is missing (another web-tree-sitter version).
 */
import type { Tree, TreeCursor } from "web-tree-sitter";

/** A cursor function of the module: takes the tree's address, reads/writes the cursor in the transfer buffer. */
type CursorFn = (tree: number) => number;

interface ModuleExports {
  HEAP32?: Int32Array;
  _ts_init?: () => number;
  _ts_tree_cursor_goto_first_child_wasm?: CursorFn;
  _ts_tree_cursor_goto_next_sibling_wasm?: CursorFn;
  _ts_tree_cursor_goto_parent_wasm?: CursorFn;
  _ts_tree_cursor_current_node_type_id_wasm?: CursorFn;
  _ts_tree_cursor_current_field_id_wasm?: CursorFn;
  _ts_tree_cursor_start_index_wasm?: CursorFn;
  _ts_tree_cursor_end_index_wasm?: CursorFn;
}

export interface RawCursorOps {
  readonly firstChild: CursorFn;
  readonly nextSibling: CursorFn;
  readonly parent: CursorFn;
  readonly typeId: CursorFn;
  readonly fieldId: CursorFn;
  readonly startIndex: CursorFn;
  readonly endIndex: CursorFn;
  /** Puts a public cursor's state into the transfer buffer; returns the tree's address. */
  enter(tree: Tree, cursor: TreeCursor): number;
  /** Copies the (possibly moved or reallocated) state back into the public cursor, so `delete()` frees the right stack. */
  leave(cursor: TreeCursor): void;
}

let ops: RawCursorOps | undefined;
let enabled = true;

type Words = Record<0 | 1 | 2 | 3, number>;

/** Binds the raw functions of an initialised module (the object given to `Parser.init`); false when one is missing. */
export function bindRawCursor(module: object): boolean {
  const m = module as ModuleExports;
  const {
    _ts_init: init,
    _ts_tree_cursor_goto_first_child_wasm: firstChild,
    _ts_tree_cursor_goto_next_sibling_wasm: nextSibling,
    _ts_tree_cursor_goto_parent_wasm: parent,
    _ts_tree_cursor_current_node_type_id_wasm: typeId,
    _ts_tree_cursor_current_field_id_wasm: fieldId,
    _ts_tree_cursor_start_index_wasm: startIndex,
    _ts_tree_cursor_end_index_wasm: endIndex,
  } = m;
  if (!init || !firstChild || !nextSibling || !parent || !typeId || !fieldId || !startIndex || !endIndex) return false;
  if (!(m.HEAP32 instanceof Int32Array)) return false;
  // ts_init only writes the two version numbers into the transfer buffer and returns its address.
  const transfer = init() >> 2;
  ops = {
    firstChild,
    nextSibling,
    parent,
    typeId,
    fieldId,
    startIndex,
    endIndex,
    enter(tree, cursor) {
      // The heap view is replaced when the wasm memory grows: read it from the module each time.
      const heap = m.HEAP32!;
      const c = cursor as unknown as Words;
      heap[transfer] = c[0];
      heap[transfer + 1] = c[1];
      heap[transfer + 2] = c[2];
      heap[transfer + 3] = c[3];
      return (tree as unknown as Words)[0];
    },
    leave(cursor) {
      const heap = m.HEAP32!;
      const c = cursor as unknown as Words;
      c[0] = heap[transfer]!;
      c[1] = heap[transfer + 1]!;
      c[2] = heap[transfer + 2]!;
      c[3] = heap[transfer + 3]!;
    },
  };
  return true;
}

/** The raw functions, when bound and not disabled. */
export function rawCursor(): RawCursorOps | undefined {
  return enabled ? ops : undefined;
}

/** Turns the raw path off (probe mismatch) or back on (tests comparing both paths). */
export function setRawCursorEnabled(on: boolean): void {
  enabled = on;
}
