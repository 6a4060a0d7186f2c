/** The tape's record layout (W int32s per node, the aux flags) and the raw walks over a tape's data that reader and writer share. */
import type { Span } from './source.js';

/** int32s per node */
export const W = 6;
export const KS = 0;
export const KE = 1;
export const VS = 2;
export const VE = 3;
export const END = 4;
export const AUX = 5;

/** the key's text in the source is not the key: see SpanTape.keys */
export const F_KEY = 1;
/** a key that a later duplicate replaced: never matched */
export const F_DEAD = 2;
/** a merge key (`<<`): holds the merged sources, never matched */
export const F_MERGE = 4;
export const LINK_SHIFT = 3;

export function spanAt(d: Int32Array, n: number): Span {
  const o = n * W;
  return { ks: d[o + KS]!, ke: d[o + KE]!, vs: d[o + VS]!, ve: d[o + VE]! };
}

/** The node whose children node n has: itself, or the node an alias or merge links it to. */
export function bodyOf(d: Int32Array, n: number): number {
  let link = d[n * W + AUX]! >>> LINK_SHIFT;
  // links point backwards (at an anchor, or at a merge source), so this ends
  while (link > 0) {
    n = link - 1;
    link = d[n * W + AUX]! >>> LINK_SHIFT;
  }
  return n;
}

export function keyIs(d: Int32Array, text: string, keys: Map<number, string> | undefined, n: number, key: string): boolean {
  const o = n * W;
  if (d[o + AUX]! & F_KEY) return keys?.get(n) === key;
  const ks = d[o + KS]!;
  return ks >= 0 && d[o + KE]! - ks === key.length && text.startsWith(key, ks);
}

/** The live child of node n with this key, or -1. */
export function childOf(d: Int32Array, text: string, keys: Map<number, string> | undefined, n: number, key: string): number {
  const b = bodyOf(d, n);
  const end = d[b * W + END]!;
  for (let c = b + 1; c < end; c = d[c * W + END]!) {
    if (!(d[c * W + AUX]! & (F_DEAD | F_MERGE)) && keyIs(d, text, keys, c, key)) return c;
  }
  return -1;
}

/** The children of node n (only the live ones when `live`), in order. */
export function childrenOf(d: Int32Array, n: number, live: boolean): number[] {
  const b = bodyOf(d, n);
  const end = d[b * W + END]!;
  const out: number[] = [];
  for (let c = b + 1; c < end; c = d[c * W + END]!) if (!live || !(d[c * W + AUX]! & (F_DEAD | F_MERGE))) out.push(c);
  return out;
}
