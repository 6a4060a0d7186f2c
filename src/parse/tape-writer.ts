/** TapeWriter: writes a span tape while a reader walks its input. */
import type { Span } from './source.js';
import { SpanTape } from './span-tape.js';
import { giveScratch, storeTape, takeScratch } from './tape-arena.js';
import {
  AUX,
  bodyOf,
  childOf,
  childrenOf,
  END,
  F_DEAD,
  F_KEY,
  F_MERGE,
  KE,
  KS,
  keyIs,
  LINK_SHIFT,
  spanAt,
  VE,
  VS,
  W,
} from './tape-layout.js';

/** Writes a tape while a reader walks its input: open a node, write its children, close it. */
export class TapeWriter {
  /** a scratch shared with earlier writers (tape-arena.ts): finish() copies the tape out and hands it on */
  private d = takeScratch();
  private done = false;
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

  /** The finished tape, stored in a shared chunk (tape-arena.ts); the writer is not used afterwards. */
  finish(values: readonly unknown[] = []): SpanTape {
    const { data, chunk } = storeTape(this.d.subarray(0, this.n * W));
    this.discard();
    return new SpanTape(data, this.text, this.keys, values, chunk);
  }

  /** The writer is given up (or finished): its scratch goes to the next writer. */
  discard(): void {
    if (this.done) return;
    this.done = true;
    giveScratch(this.d);
  }
}
