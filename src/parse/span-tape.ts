/** SpanTape: a finished tape, read by node (spans, keys, children, items) and viewed per container. */
import type { Span } from './source.js';
import { releaseTape, type TapeChunk } from './tape-arena.js';
import { AUX, bodyOf, childOf, childrenOf, END, F_DEAD, F_KEY, F_MERGE, KE, KS, spanAt, W } from './tape-layout.js';

export class SpanTape {
  constructor(
    /** W int32s per node, depth-first (empty once released) */
    public data: Int32Array,
    /** the source text the key offsets point into */
    readonly text: string,
    /** keys whose source text differs from the key, by node index */
    readonly keys: Map<number, string> | undefined,
    /** document values, in order (for `get`) */
    readonly values: readonly unknown[] = [],
    /** the shared buffer `data` is in (tape-arena.ts), until released */
    private chunk?: TapeChunk,
  ) {}

  /**
   * Gives the tape back (its file is linted and its positions are no longer read): the last tape released of a
   * shared chunk gives the chunk's memory back at once (tape-arena.ts). The tape reads as empty afterwards.
   */
  release(): void {
    if (!this.chunk) return;
    releaseTape(this.chunk);
    this.chunk = undefined;
    this.data = new Int32Array(0);
  }

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
