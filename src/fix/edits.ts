/**
 * Text edits on YAML (and JSON) source that keep every other byte: each edit
 * is computed from the node ranges of the `yaml` package's AST (offset,
 * length, replacement), never by re-serialising a document
 * (`Document.toString()` rewrites spacing, comment gaps and sequence
 * indentation even with no change). A key added to a block mapping follows
 * that mapping's indentation, to a flow mapping its style (JSON quoting in
 * JSON); line breaks follow the file (CRLF stays CRLF). Offsets are into the
 * decoded text, without a byte-order mark, as the engine's positions are.
 *
 * Every helper returns null rather than guess: a path through an alias or a
 * merge key (`<<`), a document with a syntax error, a node of an unexpected
 * shape.
 */
import type { Node as YNode, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Path } from '../parse/source.js';
import { YamlDocuments } from './edit-docs.js';
import {
  endOf,
  findPair,
  isCollectionValue,
  lastValueEnd,
  renderBlockItem,
  renderBlockPair,
  renderFlow,
  scalarText,
  startOf,
  type FixValue,
  type TextEdit,
  Y,
} from './edit-text.js';

export { applyEdits, mergeEdits, renderFlow, scalarText, type FixValue, type TextEdit } from './edit-text.js';

export class YamlEditor extends YamlDocuments {
  /** Replace the source text of the scalar at `path` (quotes included) with `text`. */
  replaceScalar(docIndex: number, path: Path, text: string): TextEdit | null {
    const n = this.nodeAt(docIndex, path);
    if (!n || !Y().isScalar(n) || !n.range) return null;
    if ((n as Scalar).source === '' && n.range[0] === n.range[1]) return null;
    if (n.anchor || n.tag) return null;
    return { range: [n.range[0], n.range[1]], text };
  }

  /**
   * Replace the value at `path` (a scalar, or a whole mapping or sequence) with
   * `value`, in the node's own style: a block mapping keeps its column, a flow
   * collection becomes a flow collection. Comments inside the old value go with it.
   */
  replaceValue(docIndex: number, path: Path, value: FixValue): TextEdit | null {
    const n = this.nodeAt(docIndex, path);
    const Yy = Y();
    if (!n || !n.range || n.anchor || n.tag) return null;
    if (Yy.isScalar(n))
      return (n as Scalar).source === '' ? null : { range: [n.range[0], n.range[1]], text: scalarText(value as string, this.json) };
    const coll = n as YAMLMap<YNode, YNode> | YAMLSeq<YNode>;
    if (coll.flow || value === null || typeof value !== 'object')
      return { range: [n.range[0], n.range[1]], text: renderFlow(value, this.json) };
    if (!Yy.isMap(n) || Array.isArray(value)) return null;
    const st = this.getStyle();
    const col = this.column(n.range[0]);
    const end = lastValueEnd(n);
    if (end === undefined) return null;
    const text = Object.entries(value)
      .map(([k, v], i) => (i === 0 ? '' : st.nl + ' '.repeat(col)) + renderBlockPair(k, v, col, st))
      .join('');
    return { range: [n.range[0], end], text };
  }

  /**
   * Remove the item at `path` (its last segment an index) from a block
   * sequence: its whole lines, from the `-` line to the end of its last line.
   * Null for a flow sequence, the only item, or an item sharing a line with other content.
   */
  removeItem(docIndex: number, path: Path): TextEdit | null {
    const idx = path[path.length - 1];
    if (typeof idx !== 'number') return null;
    const seq = this.nodeAt(docIndex, path.slice(0, -1));
    if (!seq || !Y().isSeq(seq) || seq.flow || !seq.range || seq.items.length < 2) return null;
    const item = seq.items[idx] as YNode | undefined;
    if (!item?.range) return null;
    const dash = this.text.lastIndexOf('-', item.range[0]);
    const start = this.lineStart(dash);
    if (this.text.slice(start, dash).trim() !== '' || this.text.slice(dash + 1, item.range[0]).trim() !== '') return null;
    const end = lastValueEnd(item);
    if (end === undefined) return null;
    const le = this.lineEnd(end);
    const rest = this.text.slice(end, le).trim();
    if (rest !== '' && !rest.startsWith('#')) return null;
    const next = this.text.indexOf('\n', le);
    return { range: [start, next === -1 ? this.text.length : next + 1], text: '' };
  }

  /** Replace the source text of the mapping key at `path` (its last segment) with `text`. */
  replaceKey(docIndex: number, path: Path, text: string): TextEdit | null {
    if (path.length === 0) return null;
    const parent = this.nodeAt(docIndex, path.slice(0, -1));
    if (!parent || !Y().isMap(parent)) return null;
    const pair = findPair(parent, String(path[path.length - 1]));
    const k = pair?.key as YNode | undefined;
    if (!k || !Y().isScalar(k) || !k.range) return null;
    return { range: [k.range[0], k.range[1]], text };
  }

  /**
   * Make the field at `path` hold `value`: replace a scalar that is there, or
   * add the key to the deepest existing mapping on the path, with the missing
   * mappings in between. Null when the path crosses a sequence that lacks the
   * item, an alias, a merge key, or a value that is neither a mapping nor
   * empty.
   */
  set(docIndex: number, path: Path, value: FixValue): TextEdit | null {
    if (path.length === 0 || !this.doc(docIndex)) return null;
    const Yy = Y();
    const existing = this.nodeAt(docIndex, path);
    if (existing && Yy.isScalar(existing) && (existing as Scalar).source !== '') {
      if (isCollectionValue(value)) return null;
      const type = (existing as Scalar).type;
      // a string replacing a quoted string keeps its quotes
      const text =
        typeof value === 'string' && type === 'QUOTE_DOUBLE'
          ? JSON.stringify(value)
          : typeof value === 'string' && type === 'QUOTE_SINGLE'
            ? `'${value.replace(/'/g, "''")}'`
            : scalarText(value, this.isJsonish(docIndex, path.slice(0, -1)));
      return this.replaceScalar(docIndex, path, text);
    }
    if (existing !== undefined && existing !== null && !(Yy.isScalar(existing) && (existing as Scalar).source === '')) return null;
    if (existing !== undefined) return this.fillEmpty(docIndex, path, value);
    // the deepest node that exists on the path: the first missing key must be added to a mapping there
    const d = this.doc(docIndex)!;
    let node: YNode | null = d.contents as YNode | null;
    let depth = 0;
    for (; depth < path.length; depth++) {
      if (node === null || Yy.isAlias(node)) return null;
      const seg = path[depth]!;
      if (Yy.isSeq(node)) {
        const item = typeof seg === 'number' ? (node.items[seg] as YNode | undefined) : undefined;
        if (item === undefined) return null;
        node = item;
        continue;
      }
      if (!Yy.isMap(node)) break;
      const pair = findPair(node, String(seg));
      if (!pair) break;
      node = (pair.value as YNode | null) ?? null;
      if (node === null) return null;
    }
    if (depth >= path.length || node === null) return null;
    const rest = path.slice(depth);
    if (rest.some((seg) => typeof seg !== 'string')) return null;
    let nested: FixValue = value;
    for (let i = rest.length - 1; i >= 1; i--) nested = { [rest[i] as string]: nested };
    const key = rest[0] as string;
    if (Yy.isScalar(node) && (node as Scalar).source === '') return this.fillEmpty(docIndex, path.slice(0, depth), { [key]: nested });
    if (!Yy.isMap(node)) return null;
    return this.addPair(node as YAMLMap<YNode, YNode>, key, nested);
  }

  /** Append an item to the sequence at `path`, or create the sequence with it. */
  append(docIndex: number, path: Path, item: FixValue): TextEdit | null {
    if (!this.doc(docIndex)) return null;
    const Yy = Y();
    const n = this.nodeAt(docIndex, path);
    if (n === undefined || n === null || (Yy.isScalar(n) && (n as Scalar).source === '')) return this.set(docIndex, path, [item]);
    if (!Yy.isSeq(n) || !n.range) return null;
    const seq = n as YAMLSeq<YNode>;
    const st = this.getStyle();
    // a string item follows the quoting of the items there (["CHOWN"] gets "NET_RAW")
    const quoted = typeof item === 'string' && seq.items.some((x) => Yy.isScalar(x) && (x as Scalar).type === 'QUOTE_DOUBLE');
    if (seq.flow) return this.flowInsert(seq, quoted ? JSON.stringify(item) : renderFlow(item, st.json));
    const last = seq.items[seq.items.length - 1];
    if (!last || !Yy.isNode(last) || !last.range) return null;
    const dashCol = this.column(seq.range![0]);
    const at = this.lineEnd(this.contentEnd(last.range[0], last.range[2]));
    return {
      range: [at, at],
      text: st.nl + ' '.repeat(dashCol) + '- ' + (quoted ? JSON.stringify(item) : renderBlockItem(item, dashCol + 2, st)),
    };
  }

  private isJsonish(docIndex: number, mapPath: Path): boolean {
    if (this.json) return true;
    const m = this.nodeAt(docIndex, mapPath);
    if (!m || !Y().isMap(m) || !m.flow) return false;
    const first = m.items[0]?.key as YNode | undefined;
    return Boolean(first && Y().isScalar(first) && (first as Scalar).type === 'QUOTE_DOUBLE');
  }

  /** `key:` with an empty value (null): write the value after the colon. */
  private fillEmpty(docIndex: number, path: Path, value: FixValue): TextEdit | null {
    if (path.length === 0) return null;
    const parent = this.nodeAt(docIndex, path.slice(0, -1));
    if (!parent || !Y().isMap(parent) || parent.flow) return null;
    const pair = findPair(parent, String(path[path.length - 1]));
    const k = pair?.key as YNode | undefined;
    if (!k?.range) return null;
    const colon = this.text.indexOf(':', k.range[1]);
    if (colon < 0 || this.text.slice(k.range[1], colon).trim() !== '') return null;
    const st = this.getStyle();
    const col = this.column(k.range[0]);
    // `key: value` rendered at the key's column, then everything after `key:`
    const pairText = renderBlockPair('k', value, col, st);
    return { range: [colon + 1, colon + 1], text: pairText.slice(2) };
  }

  private addPair(map: YAMLMap<YNode, YNode>, key: string, value: FixValue): TextEdit | null {
    if (!map.range) return null;
    const Yy = Y();
    if (map.items.some((p) => Yy.isScalar(p.key) && (p.key as Scalar).value === '<<')) return null;
    const st = this.getStyle();
    if (map.flow) {
      const json = st.json || this.isJsonFlow(map);
      const k = json ? JSON.stringify(key) : scalarText(key);
      return this.flowInsert(map, `${k}: ${renderFlow(value, json)}`);
    }
    const last = map.items[map.items.length - 1];
    const firstKey = map.items[0]?.key as YNode | undefined;
    if (!last || !firstKey?.range) return null;
    const indent = this.column(firstKey.range[0]);
    const lastNode = (last.value as YNode | null) ?? (last.key as YNode | null);
    if (!lastNode?.range) return null;
    const lastKeyStart = (last.key as YNode | null)?.range?.[0] ?? lastNode.range[0];
    const at = this.lineEnd(this.contentEnd(lastKeyStart, lastNode.range[2]));
    return { range: [at, at], text: st.nl + ' '.repeat(indent) + renderBlockPair(key, value, indent, st) };
  }

  private isJsonFlow(map: YAMLMap<YNode, YNode>): boolean {
    const first = map.items[0]?.key as YNode | undefined;
    return Boolean(first && Y().isScalar(first) && (first as Scalar).type === 'QUOTE_DOUBLE');
  }

  /** Insert an entry into a flow collection: after its last entry (`, x`), on a line of its own when entries are. */
  private flowInsert(coll: YAMLMap<YNode, YNode> | YAMLSeq<YNode>, entry: string): TextEdit | null {
    const [start, end] = [coll.range![0], coll.range![1]];
    const close = this.text.lastIndexOf(coll instanceof Y().YAMLSeq ? ']' : '}', end);
    if (close < start) return null;
    const items = coll.items as unknown[];
    if (items.length === 0) {
      const inner = this.text.slice(start + 1, close);
      if (inner.trim() !== '') return null;
      return { range: [start + 1, close], text: inner.startsWith(' ') ? ` ${entry} ` : entry };
    }
    const last = items[items.length - 1];
    const lastEnd = endOf(last);
    const firstStart = startOf(items[0]);
    if (lastEnd === undefined || firstStart === undefined) return null;
    if (this.lineOf(firstStart) > this.lineOf(start)) {
      // one entry per line (pretty-printed JSON): a new line at the last entry's column
      const col = this.column(startOf(last) ?? firstStart);
      return { range: [lastEnd, lastEnd], text: `,${this.getStyle().nl}${' '.repeat(col)}${entry}` };
    }
    return { range: [lastEnd, lastEnd], text: `, ${entry}` };
  }
}
