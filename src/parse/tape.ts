/**
 * The span tape: every position of a parsed file in one Int32Array, instead of
 * a Map or array of span objects per container.
 *
 * A node is one record of W int32s, written depth-first (a node, then its
 * children, then its next sibling): the key's start and end (-1 for sequence
 * items and document roots), the value's start and end, `end` (the index of
 * the first node after its subtree, so siblings are found by skipping
 * subtrees) and `aux` (flags, and a link). Each document has one root node;
 * the roots follow each other at the top level.
 *
 * A key is matched against the source text at [ks, ke) when that text is the
 * key itself (the usual plain key); the keys whose text differs (quoted,
 * escaped, resolved like `on` → `true`) are kept in a sparse map by node.
 * A node reached through an alias or a merge key links to the node whose
 * children it shares; a key written twice keeps only its last node live, as
 * the value does.
 *
 * `locate()` walks a path down the tape from a node; nothing but the tape is
 * retained per file. The tape is transferable to and from worker threads
 * (its buffer and the small key map).
 */
import type { Path, Span } from './source.js';
import type { SpanTape } from './span-tape.js';
import { END, VE, VS, W } from './tape-layout.js';

export { W } from './tape-layout.js';
export { SpanTape } from './span-tape.js';
export { TapeWriter } from './tape-writer.js';

/** Finds the span for a path, or the nearest existing ancestor's. */
export interface Located {
  span: Span;
  /** how many leading segments of the path exist */
  depth: number;
  exact: boolean;
  /** the value at the deepest existing node */
  value: unknown;
  /** the tape node of the deepest existing node */
  node: number;
}

/** The root node of the document whose root span is `rootSpan` (documents never share one, unless both are childless). */
function rootNode(tape: SpanTape, rootSpan: Span): number {
  const d = tape.data;
  for (let r = 0; r < tape.nodes; r = d[r * W + END]!) {
    if (d[r * W + VS] === rootSpan.vs && d[r * W + VE] === rootSpan.ve) return r;
  }
  return -1;
}

/**
 * The deepest node on `path` from `at` (a node, or a document's root span) whose value is `root`:
 * a missing segment stops at its nearest existing ancestor.
 */
export function locate(tape: SpanTape, root: unknown, at: number | Span, path: Path): Located {
  let node = typeof at === 'number' ? at : rootNode(tape, at);
  if (node < 0) return { span: at as Span, depth: 0, exact: path.length === 0, value: root, node };
  let cur: unknown = root;
  let depth = 0;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') break;
    let next: number;
    if (Array.isArray(cur)) {
      if (typeof seg !== 'number' || seg < 0 || !Number.isInteger(seg)) break;
      next = tape.item(node, seg);
    } else {
      next = tape.child(node, String(seg));
    }
    if (next < 0) break;
    node = next;
    cur = (cur as Record<string, unknown>)[seg as string];
    depth++;
  }
  return { span: depth === 0 && typeof at !== 'number' ? at : tape.span(node), depth, exact: depth === path.length, value: cur, node };
}
