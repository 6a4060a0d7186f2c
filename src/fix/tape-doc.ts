/**
 * A document the fast reader read (src/parse/fast.ts), seen as the yaml-package editor sees its AST
 * (src/fix/edit-docs.ts): node kinds, keys as the failsafe schema reads them, the node at a path, the
 * style of the document, where a collection's last content ends. Everything is read from the span tape and
 * the text: the fast reader accepts only a subset of YAML (no anchor, alias, tag, tab, CR, merge key,
 * multi-line flow collection) whose tape offsets are the yaml package's node ranges.
 */
import type { Path } from '../parse/source.js';
import type { SpanTape } from '../parse/span-tape.js';
import { AUX, END, F_KEY, KE, KS, VE, VS, W } from '../parse/tape-layout.js';
import type { Style } from './edit-text.js';

/** What a tape node holds, as the yaml AST would type it. */
export enum Kind {
  /** an empty value (`key:` alone) */
  Empty,
  /** a plain or quoted scalar on one line, or a multi-line plain scalar */
  Scalar,
  /** `""` or `''`: a scalar whose source (its value) is empty, as an empty value's is */
  EmptyQuoted,
  /** a block scalar (`|`, `>`) or a multi-line quoted scalar: the fast path leaves them to the yaml package */
  Unsure,
  Map,
  Seq,
  FlowMap,
  FlowSeq,
}

export class TapeDoc {
  private readonly d: Int32Array;
  private st: Style | undefined;
  constructor(
    readonly text: string,
    readonly tape: SpanTape,
    /** the document's root node */
    readonly root: number,
  ) {
    this.d = tape.data;
  }

  ks(n: number): number {
    return this.d[n * W + KS]!;
  }
  ke(n: number): number {
    return this.d[n * W + KE]!;
  }
  vs(n: number): number {
    return this.d[n * W + VS]!;
  }
  ve(n: number): number {
    return this.d[n * W + VE]!;
  }
  end(n: number): number {
    return this.d[n * W + END]!;
  }

  /** Every child of node n in source order, a duplicate key's earlier entries included (as the AST's items). */
  children(n: number): number[] {
    const out: number[] = [];
    for (let c = n + 1; c < this.end(n); c = this.end(c)) out.push(c);
    return out;
  }

  lastChild(n: number): number {
    let last = -1;
    for (let c = n + 1; c < this.end(n); c = this.end(c)) last = c;
    return last;
  }

  kind(n: number): Kind {
    const c = this.text.charCodeAt(this.vs(n));
    if (this.end(n) > n + 1) {
      if (c === 123) return Kind.FlowMap;
      if (c === 91) return Kind.FlowSeq;
      return this.ks(n + 1) >= 0 ? Kind.Map : Kind.Seq;
    }
    if (this.vs(n) === this.ve(n)) return Kind.Empty;
    if (c === 123) return Kind.FlowMap;
    if (c === 91) return Kind.FlowSeq;
    if (c === 124 || c === 62) return Kind.Unsure;
    if (c === 34 || c === 39) {
      const ve = this.ve(n);
      if (ve - this.vs(n) === 2) return Kind.EmptyQuoted;
      if (this.text.lastIndexOf('\n', ve - 1) > this.vs(n)) return Kind.Unsure;
    }
    return Kind.Scalar;
  }

  /** Whether node n is a scalar of the AST (an empty value included). */
  isScalar(n: number): boolean {
    const k = this.kind(n);
    return k === Kind.Scalar || k === Kind.EmptyQuoted || k === Kind.Unsure || k === Kind.Empty;
  }

  /** Whether entry c's key, as the failsafe schema reads it, is `key` (no string made). */
  keyIs(c: number, key: string): boolean {
    const ks = this.ks(c);
    const q = this.text.charCodeAt(ks);
    if (q === 34 || q === 39) return (this.d[c * W + AUX]! & F_KEY) !== 0 && this.tape.keys?.get(c) === key;
    return this.ke(c) - ks === key.length && this.text.startsWith(key, ks);
  }

  /** The last entry of map n whose key is `key` (edit-text.ts findPair), or -1. */
  pair(n: number, key: string): number {
    let found = -1;
    const end = this.end(n);
    for (let c = n + 1; c < end; c = this.end(c)) if (this.keyIs(c, key)) found = c;
    return found;
  }

  /** The node at a path from the root (edit-docs.ts nodeAt), or -1. */
  at(path: Path): number {
    let cur = this.root;
    for (const seg of path) {
      const k = this.kind(cur);
      if (k === Kind.Map || k === Kind.FlowMap) {
        cur = this.pair(cur, String(seg));
        if (cur < 0) return -1;
      } else if (k === Kind.Seq || k === Kind.FlowSeq) {
        cur = this.item(cur, seg);
        if (cur < 0) return -1;
      } else return -1;
    }
    return cur;
  }

  /** Item `seg` of sequence n (the AST's `items[seg]`), or -1. */
  item(n: number, seg: string | number): number {
    if (typeof seg !== 'number' || !Number.isInteger(seg) || seg < 0) return -1;
    let c = n + 1;
    for (let i = 0; i < seg && c < this.end(n); i++) c = this.end(c);
    return c < this.end(n) ? c : -1;
  }

  /** Where the yaml editor's parse of this document alone ends (edit-docs.ts doc): the end of its last content's line. */
  docEnd(): number {
    return this.lineEnd(this.contentEnd(this.vs(this.root), this.ve(this.root)));
  }

  column(offset: number): number {
    return offset - (this.text.lastIndexOf('\n', offset - 1) + 1);
  }

  /** Whether offset a is on a later line than offset b. */
  laterLine(a: number, b: number): boolean {
    if (a <= b) return false;
    const i = this.text.indexOf('\n', b);
    return i >= 0 && i < a;
  }

  lineEnd(offset: number): number {
    const i = this.text.indexOf('\n', offset);
    return i === -1 ? this.text.length : i;
  }

  /** The last non-blank offset before `end` (edit-docs.ts contentEnd). */
  contentEnd(start: number, end: number): number {
    let e = end;
    while (e > start && /\s/.test(this.text[e - 1]!)) e--;
    return e;
  }

  /**
   * Where an entry or item to add after node n goes: the end of the line of n's last content, as the
   * editor's `lineEnd(contentEnd(start, range[2]))`; undefined when comment lines follow it before the
   * next content line (the AST may count them into n's node end).
   */
  insertAfter(n: number, start: number): number | undefined {
    const e = this.contentEnd(start, this.ve(n));
    const at = this.lineEnd(e);
    const t = this.text;
    let p = at + 1;
    while (p < t.length) {
      while (p < t.length && t.charCodeAt(p) === 32) p++;
      const c = t.charCodeAt(p);
      if (c === 35) return undefined;
      if (c !== 10) break;
      p++;
    }
    return at;
  }

  /** The indentation the document uses (edit-docs.ts getStyle): the first nested block mapping's and block sequence's. */
  style(): Style {
    if (this.st) return this.st;
    let step = 0;
    let seqIndent = -1;
    const last = this.end(this.root);
    for (let c = this.root + 1; c < last; c++) {
      const ks = this.ks(c);
      if (ks < 0) continue;
      const k = this.kind(c);
      if (k === Kind.Map && step === 0) {
        const first = this.ks(c + 1);
        if (this.laterLine(first, ks)) step = this.column(first) - this.column(ks);
      } else if (k === Kind.Seq && seqIndent < 0 && this.laterLine(this.vs(c), ks)) {
        seqIndent = this.column(this.vs(c)) - this.column(ks);
      }
    }
    this.st = { nl: '\n', step: step > 0 ? step : 2, seqIndent: seqIndent >= 0 ? seqIndent : 2, json: false };
    return this.st;
  }
}
