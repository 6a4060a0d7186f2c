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

/** int32s per node */
export const W = 6;
const KS = 0;
const KE = 1;
const VS = 2;
const VE = 3;
const END = 4;
const AUX = 5;

/** the key's text in the source is not the key: see SpanTape.keys */
const F_KEY = 1;
/** a key that a later duplicate replaced: never matched */
const F_DEAD = 2;
/** a merge key (`<<`): holds the merged sources, never matched */
const F_MERGE = 4;
const LINK_SHIFT = 3;

function spanAt(d: Int32Array, n: number): Span {
  const o = n * W;
  return { ks: d[o + KS]!, ke: d[o + KE]!, vs: d[o + VS]!, ve: d[o + VE]! };
}

/** The node whose children node n has: itself, or the node an alias or merge links it to. */
function bodyOf(d: Int32Array, n: number): number {
  let link = d[n * W + AUX]! >>> LINK_SHIFT;
  // links point backwards (at an anchor, or at a merge source), so this ends
  while (link > 0) {
    n = link - 1;
    link = d[n * W + AUX]! >>> LINK_SHIFT;
  }
  return n;
}

function keyIs(d: Int32Array, text: string, keys: Map<number, string> | undefined, n: number, key: string): boolean {
  const o = n * W;
  if (d[o + AUX]! & F_KEY) return keys?.get(n) === key;
  const ks = d[o + KS]!;
  return ks >= 0 && d[o + KE]! - ks === key.length && text.startsWith(key, ks);
}

/** The live child of node n with this key, or -1. */
function childOf(d: Int32Array, text: string, keys: Map<number, string> | undefined, n: number, key: string): number {
  const b = bodyOf(d, n);
  const end = d[b * W + END]!;
  for (let c = b + 1; c < end; c = d[c * W + END]!) {
    if (!(d[c * W + AUX]! & (F_DEAD | F_MERGE)) && keyIs(d, text, keys, c, key)) return c;
  }
  return -1;
}

/** The children of node n (only the live ones when `live`), in order. */
function childrenOf(d: Int32Array, n: number, live: boolean): number[] {
  const b = bodyOf(d, n);
  const end = d[b * W + END]!;
  const out: number[] = [];
  for (let c = b + 1; c < end; c = d[c * W + END]!) if (!live || !(d[c * W + AUX]! & (F_DEAD | F_MERGE))) out.push(c);
  return out;
}

export class SpanTape {
  constructor(
    /** W int32s per node, depth-first */
    readonly data: Int32Array,
    /** the source text the key offsets point into */
    readonly text: string,
    /** keys whose source text differs from the key, by node index */
    readonly keys: Map<number, string> | undefined,
    /** document values, in order (for `get`) */
    readonly values: readonly unknown[] = [],
  ) {}

  get nodes(): number {
    return this.data.length / W;
  }

  span(n: number): Span {
    return spanAt(this.data, n);
  }

  /** The node whose children node n has: itself, or the node an alias or merge links it to. */
  body(n: number): number {
    return bodyOf(this.data, n);
  }

  /** The key of node n (a map entry), or undefined for sequence items and roots. */
  key(n: number): string | undefined {
    const d = this.data;
    const o = n * W;
    if (d[o + AUX]! & F_KEY) return this.keys?.get(n);
    const ks = d[o + KS]!;
    return ks < 0 ? undefined : this.text.slice(ks, d[o + KE]!);
  }

  /** The live child of node n with this key, or -1. */
  child(n: number, key: string): number {
    return childOf(this.data, this.text, this.keys, n, key);
  }

  /** The first entry of node n (a map) as its key order has it (a repeated key keeps its first place and last node), or -1. */
  first(n: number): number {
    const d = this.data;
    const b = this.body(n);
    const end = d[b * W + END]!;
    for (let c = b + 1; c < end; c = d[c * W + END]!) {
      const aux = d[c * W + AUX]!;
      if (aux & F_MERGE) continue;
      return aux & F_DEAD ? this.child(n, this.key(c)!) : c;
    }
    return -1;
  }

  // the last item found, so that walking a long sequence in order is linear
  private lastSeq = -1;
  private lastIndex = 0;
  private lastItem = 0;

  /** The i-th child of node n (a sequence item), or -1. */
  item(n: number, i: number): number {
    const d = this.data;
    const b = this.body(n);
    const end = d[b * W + END]!;
    let c = b + 1;
    let k = 0;
    if (b === this.lastSeq && i >= this.lastIndex) {
      c = this.lastItem;
      k = this.lastIndex;
    }
    for (; k < i && c < end; k++) c = d[c * W + END]!;
    if (c >= end) return -1;
    this.lastSeq = b;
    this.lastIndex = i;
    this.lastItem = c;
    return c;
  }

  /** The live children of node n, in source order (merged keys last). */
  children(n: number): number[] {
    return childrenOf(this.data, n, true);
  }

  /** The root node of each document, in order. */
  roots(): number[] {
    const out: number[] = [];
    const d = this.data;
    for (let r = 0; r < this.nodes; r = d[r * W + END]!) out.push(r);
    return out;
  }

  private view: WeakMap<object, Map<string, Span> | Span[]> | undefined;

  /**
   * The positions of one container's entries as a Map (by key) or an array (by index), as the
   * readers once stored them: a view for tests and tools, built for the whole file on first use.
   * The engine walks the tape instead.
   */
  get(container: object): Map<string, Span> | Span[] | undefined {
    if (!this.view) {
      const view = new WeakMap<object, Map<string, Span> | Span[]>();
      const d = this.data;
      const visit = (v: unknown, n: number): void => {
        if (v === null || typeof v !== 'object' || view.has(v)) return;
        const b = this.body(n);
        const end = d[b * W + END]!;
        if (Array.isArray(v)) {
          const t: Span[] = [];
          view.set(v, t);
          for (let c = b + 1; c < end; c = d[c * W + END]!) {
            visit(v[t.length], c);
            t.push(this.span(c));
          }
        } else {
          const t = new Map<string, Span>();
          view.set(v, t);
          for (let c = b + 1; c < end; c = d[c * W + END]!) {
            const aux = d[c * W + AUX]!;
            if (aux & F_MERGE) continue;
            const k = this.key(c)!;
            t.set(k, this.span(c));
            if (!(aux & F_DEAD)) visit((v as Record<string, unknown>)[k], c);
          }
        }
      };
      const roots = this.roots();
      this.values.forEach((v, i) => {
        if (roots[i] !== undefined) visit(v, roots[i]!);
      });
      this.view = view;
    }
    return this.view.get(container);
  }
}

/** Writes a tape while a reader walks its input: open a node, write its children, close it. */
export class TapeWriter {
  private d = new Int32Array(W * 64);
  private n = 0;
  private keys: Map<number, string> | undefined;
  /** open nodes, innermost last */
  private stack: number[] = [];

  constructor(private readonly text: string) {}

  /** The innermost open node. */
  get top(): number {
    return this.stack[this.stack.length - 1]!;
  }

  /** Opens a node for a map entry with this key (ks = -1: a sequence item or a document root). */
  open(ks: number, ke: number, key?: string): number {
    const i = this.n++;
    let d = this.d;
    if (i * W + W > d.length) {
      const g = new Int32Array(d.length * 2);
      g.set(d);
      this.d = d = g;
    }
    const o = i * W;
    d[o + KS] = ks;
    d[o + KE] = ke;
    d[o + VS] = -1;
    d[o + VE] = -1;
    d[o + END] = i + 1;
    d[o + AUX] = 0;
    if (key !== undefined && !(ks >= 0 && ke - ks === key.length && this.text.startsWith(key, ks))) {
      d[o + AUX] = F_KEY;
      (this.keys ??= new Map()).set(i, key);
    }
    this.stack.push(i);
    return i;
  }

  /** Closes node i (the innermost open one) with its value's offsets. */
  close(i: number, vs: number, ve: number): void {
    this.stack.pop();
    const o = i * W;
    this.d[o + VS] = vs;
    this.d[o + VE] = ve;
    this.d[o + END] = this.n;
  }

  /** Node i shares the children of node `to` (an alias of an anchored node, a merged entry). */
  link(i: number, to: number): void {
    this.d[i * W + AUX] = (this.d[i * W + AUX]! & 7) | ((to + 1) << LINK_SHIFT);
  }

  /** Node i is a merge key: its value holds the sources, it is never matched by key. */
  markMerge(i: number): void {
    this.d[i * W + AUX]! |= F_MERGE;
  }

  /**
   * A later entry `later` of the open map `parent` repeats a key: the last earlier live entry
   * with that key stops matching, and its span is returned (the first span of a duplicate key).
   */
  replace(parent: number, later: number, key: string): Span | undefined {
    const d = this.d;
    let prev = -1;
    for (let c = parent + 1; c < later; c = d[c * W + END]!) {
      if (!(d[c * W + AUX]! & (F_DEAD | F_MERGE)) && keyIs(d, this.text, this.keys, c, key)) prev = c;
    }
    if (prev < 0) return undefined;
    d[prev * W + AUX]! |= F_DEAD;
    return this.spanOf(prev);
  }

  spanOf(n: number): Span {
    return spanAt(this.d, n);
  }

  /** The live entry of node `src` (a map, through its links) with this key, or -1. */
  childOf(src: number, key: string): number {
    return childOf(this.d, this.text, this.keys, src, key);
  }

  /** The children of node n (through its links), in order. */
  itemsOf(n: number): number[] {
    return childrenOf(this.d, n, false);
  }

  /** Appends a closed entry that copies entry `from` of a merge source: its offsets, its key, its children by link. */
  copyEntry(from: number): void {
    const o = from * W;
    const d = this.d;
    const key = d[o + AUX]! & F_KEY ? this.keys!.get(from) : undefined;
    const i = this.open(d[o + KS]!, d[o + KE]!, key);
    const e = this.d;
    this.link(i, bodyOf(this.d, from));
    this.close(i, e[o + VS]!, e[o + VE]!);
  }

  /** Drops the nodes from `count` on (a document the reader gave up on) and closes nothing. */
  truncate(count: number, depth: number): void {
    this.n = count;
    this.stack.length = depth;
    if (this.keys) for (const k of [...this.keys.keys()]) if (k >= count) this.keys.delete(k);
  }

  get depth(): number {
    return this.stack.length;
  }

  finish(values: readonly unknown[] = []): SpanTape {
    return new SpanTape(this.d.slice(0, this.n * W), this.text, this.keys, values);
  }
}

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
