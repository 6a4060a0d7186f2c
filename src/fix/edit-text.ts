/**
 * The text side of src/fix/edits.ts: edit and value types, how a value is written as YAML or JSON source, the
 * node-range helpers the editor uses, and how edits are merged and applied.
 */
import type { Document, Node as YNode, Pair, Scalar, YAMLMap } from 'yaml';

/** A text edit, as ESLint's fix: replace text[range[0], range[1]) with `text`. */
export interface TextEdit {
  range: [number, number];
  text: string;
}

export type Y = typeof import('yaml');
let yamlModule: Y | undefined;
export function Y(): Y {
  return (yamlModule ??= require('yaml') as Y);
}

/** JSON-compatible values a fix writes. */
export type FixValue = string | number | boolean | null | FixValue[] | { [k: string]: FixValue };

/** YAML 1.1 words and forms that a plain scalar must not take when a string is meant. */
const NEEDS_QUOTES = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|)$/;
/** plain where every YAML reader agrees: a letter first (never a number or a sexagesimal), no `: `, ` #`, or trailing `:` */
const PLAIN_SAFE = /^[A-Za-z_/][A-Za-z0-9_./@+:-]*$/;

/** A scalar as YAML source: strings plain where every reader agrees, else double-quoted. */
export function scalarText(v: string | number | boolean | null, json = false): string {
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (!json && PLAIN_SAFE.test(v) && !v.endsWith(':') && !NEEDS_QUOTES.test(v)) return v;
  return JSON.stringify(v);
}

export interface Style {
  nl: string;
  /** indentation step of nested block mappings */
  step: number;
  /** extra indentation of a block sequence under its key (0: `key:\n- a`, 2: `key:\n  - a`) */
  seqIndent: number;
  json: boolean;
}

/** Adds `by` to every node range of a document parsed from a slice of the file. */
export function shiftRanges(d: Document.Parsed, by: number): void {
  const Yy = Y();
  const shift = (n: unknown): void => {
    if (Yy.isNode(n) && n.range) n.range = [n.range[0] + by, n.range[1] + by, n.range[2] + by];
  };
  if (d.range) d.range = [d.range[0] + by, d.range[1] + by, d.range[2] + by];
  // keys and values alike
  Yy.visit(d, { Node: (_k, n) => shift(n) });
}

/** Where the last value of a block collection ends, before any trailing comment (its deepest last scalar or flow collection). */
export function lastValueEnd(n: YNode): number | undefined {
  const Yy = Y();
  if (Yy.isMap(n) && !n.flow) {
    const last = n.items[n.items.length - 1];
    if (!last) return undefined;
    const v = last.value as YNode | null;
    if (v && !(Yy.isScalar(v) && (v as Scalar).source === '')) return lastValueEnd(v);
    return (last.key as YNode | null)?.range?.[1];
  }
  if (Yy.isSeq(n) && !n.flow) {
    const last = n.items[n.items.length - 1] as YNode | undefined;
    return last ? lastValueEnd(last) : undefined;
  }
  return n.range?.[1];
}

export function startOf(item: unknown): number | undefined {
  const Yy = Y();
  if (Yy.isPair(item)) return (item.key as YNode | null)?.range?.[0];
  return Yy.isNode(item) ? item.range?.[0] : undefined;
}

export function endOf(item: unknown): number | undefined {
  const Yy = Y();
  if (Yy.isPair(item)) {
    const v = item.value as YNode | null;
    if (v?.range && !(Yy.isScalar(v) && (v as Scalar).source === '' && v.range[0] === v.range[1])) return v.range[1];
    return (item.key as YNode | null)?.range?.[1];
  }
  return Yy.isNode(item) ? item.range?.[1] : undefined;
}

export function findPair(map: YAMLMap<unknown, unknown>, key: string): Pair<unknown, unknown> | undefined {
  const Yy = Y();
  let found: Pair<unknown, unknown> | undefined;
  for (const p of map.items) {
    if (Yy.isScalar(p.key) && String((p.key as Scalar).value) === key) found = p;
  }
  return found;
}

export function isCollectionValue(v: FixValue): v is FixValue[] | { [k: string]: FixValue } {
  return v !== null && typeof v === 'object';
}

/** A value in flow style: `{a: b}`, `[x]`, or JSON when `json`. */
export function renderFlow(v: FixValue, json: boolean): string {
  if (Array.isArray(v)) return `[${v.map((x) => renderFlow(x, json)).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${json ? JSON.stringify(k) : scalarText(k)}: ${renderFlow(x, json)}`)
      .join(', ')}}`;
  }
  return scalarText(v, json);
}

/** `key: value` in block style, the key at column `indent`. */
export function renderBlockPair(key: string, v: FixValue, indent: number, st: Style): string {
  const k = scalarText(key);
  if (Array.isArray(v)) {
    if (v.length === 0) return `${k}: []`;
    const ci = indent + st.seqIndent;
    return `${k}:` + v.map((x) => st.nl + ' '.repeat(ci) + '- ' + renderBlockItem(x, ci + 2, st)).join('');
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    if (entries.length === 0) return `${k}: {}`;
    const ci = indent + st.step;
    return `${k}:` + entries.map(([kk, x]) => st.nl + ' '.repeat(ci) + renderBlockPair(kk, x, ci, st)).join('');
  }
  return `${k}: ${scalarText(v)}`;
}

/** A sequence item's content after `- `, its first key at column `indent`. */
export function renderBlockItem(v: FixValue, indent: number, st: Style): string {
  if (Array.isArray(v)) return renderFlow(v, false);
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    if (entries.length === 0) return '{}';
    return entries.map(([k, x], i) => (i === 0 ? '' : st.nl + ' '.repeat(indent)) + renderBlockPair(k, x, indent, st)).join('');
  }
  return scalarText(v);
}

/** Merges several edits of one fix into one (ESLint's mergeFixes): the text between them is kept. */
export function mergeEdits(text: string, edits: readonly TextEdit[]): TextEdit | null {
  if (edits.length === 0) return null;
  if (edits.length === 1) return edits[0]!;
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  const start = sorted[0]!.range[0];
  const end = Math.max(...sorted.map((e) => e.range[1]));
  let out = '';
  let pos = start;
  for (const e of sorted) {
    if (e.range[0] < pos) return null; // overlapping edits of one fix
    out += text.slice(pos, e.range[0]) + e.text;
    pos = e.range[1];
  }
  out += text.slice(pos, end);
  return { range: [start, end], text: out };
}

/** Applies non-overlapping edits (sorted by the caller or not) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    out += text.slice(pos, e.range[0]) + e.text;
    pos = e.range[1];
  }
  return out + text.slice(pos);
}
