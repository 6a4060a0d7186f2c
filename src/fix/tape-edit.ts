/**
 * The fixer's edits computed without the yaml package, from the span tape of a document the fast reader
 * read (src/fix/tape-doc.ts): the same edit as src/fix/edits.ts's YamlEditor for the shapes manifests
 * have (replace a scalar, add a key to a block or flow mapping, append to a sequence, fill an empty value),
 * so that json and SARIF output, which show every fix and suggestion, do not parse each document again.
 *
 * Each method returns the YamlEditor's result (an edit, or null where it has none) when it is certain of
 * it, and undefined where it is not (a block scalar, comment lines after the place of an insertion, the
 * rarer edits): the fixer then asks the YamlEditor. test/fix-fast.test.ts compares both on every
 * fixture, example and corpus.
 */
import type { Path } from '../parse/source.js';
import { isCollectionValue, renderBlockItem, renderBlockPair, renderFlow, scalarText, type FixValue, type TextEdit } from './edit-text.js';
import { Kind, type TapeDoc } from './tape-doc.js';

/** an edit, null (none), or undefined: not certain, ask the yaml-package editor */
export type FastEdit = TextEdit | null | undefined;

export class TapeEdits {
  constructor(readonly doc: TapeDoc) {}

  /** edits.ts replaceScalar */
  replaceScalar(path: Path, text: string): FastEdit {
    const d = this.doc;
    const n = d.at(path);
    if (n < 0) return null;
    const k = d.kind(n);
    if (k === Kind.Unsure) return undefined;
    if (k !== Kind.Scalar && k !== Kind.EmptyQuoted) return null;
    return { range: [d.vs(n), d.ve(n)], text };
  }

  /** edits.ts set */
  set(path: Path, value: FixValue): FastEdit {
    if (path.length === 0) return null;
    const d = this.doc;
    const existing = d.at(path);
    if (existing >= 0) {
      const k = d.kind(existing);
      if (k === Kind.Unsure || k === Kind.EmptyQuoted) return undefined;
      if (k === Kind.Scalar) {
        if (isCollectionValue(value)) return null;
        const q = d.text.charCodeAt(d.vs(existing));
        // a string replacing a quoted string keeps its quotes
        const text =
          typeof value === 'string' && q === 34
            ? JSON.stringify(value)
            : typeof value === 'string' && q === 39
              ? `'${value.replace(/'/g, "''")}'`
              : scalarText(value, this.jsonFlow(d.at(path.slice(0, -1))));
        return { range: [d.vs(existing), d.ve(existing)], text };
      }
      return k === Kind.Empty ? this.fillEmpty(path, value) : null;
    }
    // the deepest node that exists on the path: the first missing key must be added to a mapping there
    let node = d.root;
    let depth = 0;
    for (; depth < path.length; depth++) {
      const seg = path[depth]!;
      const k = d.kind(node);
      if (k === Kind.Seq || k === Kind.FlowSeq) {
        node = d.item(node, seg);
        if (node < 0) return null;
        continue;
      }
      if (k !== Kind.Map && k !== Kind.FlowMap) break;
      const pair = d.pair(node, String(seg));
      if (pair < 0) break;
      node = pair;
    }
    if (depth >= path.length) return null;
    const rest = path.slice(depth);
    if (rest.some((seg) => typeof seg !== 'string')) return null;
    let nested: FixValue = value;
    for (let i = rest.length - 1; i >= 1; i--) nested = { [rest[i] as string]: nested };
    const key = rest[0] as string;
    const k = d.kind(node);
    if (k === Kind.Unsure || k === Kind.EmptyQuoted) return undefined;
    if (k === Kind.Empty) return this.fillEmpty(path.slice(0, depth), { [key]: nested });
    if (k !== Kind.Map && k !== Kind.FlowMap) return null;
    if (d.children(node).some((c) => d.keyIs(c, '<<'))) return null;
    if (k === Kind.Map) return this.addPair(node, key, nested);
    const json = this.jsonFlow(node);
    return this.flowInsert(node, `${json ? JSON.stringify(key) : scalarText(key)}: ${renderFlow(nested, json)}`);
  }

  /** edits.ts append */
  append(path: Path, item: FixValue): FastEdit {
    const d = this.doc;
    const n = d.at(path);
    if (n < 0) return this.set(path, [item]);
    const k = d.kind(n);
    if (k === Kind.Empty) return this.set(path, [item]);
    if (k === Kind.Unsure || k === Kind.EmptyQuoted) return undefined;
    if (k !== Kind.Seq && k !== Kind.FlowSeq) return null;
    // a string item follows the quoting of the items there (["CHOWN"] gets "NET_RAW")
    const quoted = typeof item === 'string' && d.children(n).some((c) => d.isScalar(c) && d.text.charCodeAt(d.vs(c)) === 34);
    if (k === Kind.FlowSeq) return this.flowInsert(n, quoted ? JSON.stringify(item) : renderFlow(item, false));
    const last = d.lastChild(n);
    if (d.kind(last) === Kind.Empty) return undefined;
    const at = d.insertAfter(last, d.vs(last));
    if (at === undefined) return undefined;
    const st = d.style();
    const dashCol = d.column(d.vs(n));
    return {
      range: [at, at],
      text: st.nl + ' '.repeat(dashCol) + '- ' + (quoted ? JSON.stringify(item) : renderBlockItem(item, dashCol + 2, st)),
    };
  }

  /** edits.ts replaceValue */
  replaceValue(path: Path, value: FixValue): FastEdit {
    const d = this.doc;
    const n = d.at(path);
    if (n < 0) return null;
    const k = d.kind(n);
    if (k === Kind.Unsure) return undefined;
    if (k === Kind.Empty || k === Kind.EmptyQuoted) return null;
    if (k === Kind.Scalar) return { range: [d.vs(n), d.ve(n)], text: scalarText(value as string, false) };
    if (k === Kind.FlowMap || k === Kind.FlowSeq) return { range: [d.vs(n), d.ve(n)], text: renderFlow(value, false) };
    // a block collection's range ends after its line break, except at the end of the document, which the yaml editor parses alone
    if (value === null || typeof value !== 'object')
      return d.ve(n) <= d.docEnd() ? { range: [d.vs(n), d.ve(n)], text: renderFlow(value, false) } : undefined;
    if (k !== Kind.Map || Array.isArray(value)) return null;
    const end = this.lastValueEnd(n);
    if (end === undefined) return undefined;
    const st = d.style();
    const col = d.column(d.vs(n));
    const text = Object.entries(value)
      .map(([key, v], i) => (i === 0 ? '' : st.nl + ' '.repeat(col)) + renderBlockPair(key, v, col, st))
      .join('');
    return { range: [d.vs(n), end], text };
  }

  /** edits.ts removeItem: the item's whole lines */
  removeItem(path: Path): FastEdit {
    const d = this.doc;
    const idx = path[path.length - 1];
    if (typeof idx !== 'number') return null;
    const seq = d.at(path.slice(0, -1));
    if (seq < 0 || d.kind(seq) !== Kind.Seq) return seq >= 0 && d.kind(seq) === Kind.Unsure ? undefined : null;
    if (d.children(seq).length < 2) return null;
    const item = d.item(seq, idx);
    if (item < 0) return null;
    if (d.kind(item) === Kind.Empty) return undefined;
    const t = d.text;
    const vs = d.vs(item);
    const dash = t.lastIndexOf('-', vs);
    const start = t.lastIndexOf('\n', dash - 1) + 1;
    if (t.slice(start, dash).trim() !== '' || t.slice(dash + 1, vs).trim() !== '') return null;
    const end = this.lastValueEnd(item);
    if (end === undefined) return undefined;
    const le = d.lineEnd(end);
    const rest = t.slice(end, le).trim();
    if (rest !== '' && !rest.startsWith('#')) return null;
    const next = t.indexOf('\n', le);
    return { range: [start, next === -1 ? t.length : next + 1], text: '' };
  }

  /** edits.ts replaceKey */
  replaceKey(path: Path, text: string): FastEdit {
    if (path.length === 0) return null;
    const d = this.doc;
    const parent = d.at(path.slice(0, -1));
    if (parent < 0) return null;
    const k = d.kind(parent);
    if (k !== Kind.Map && k !== Kind.FlowMap) return null;
    const pair = d.pair(parent, String(path[path.length - 1]));
    return pair < 0 ? null : { range: [d.ks(pair), d.ke(pair)], text };
  }

  /** Where the last value of node n ends, before any trailing comment (edit-text.ts lastValueEnd); undefined: not certain. */
  private lastValueEnd(n: number): number | undefined {
    const d = this.doc;
    const k = d.kind(n);
    if (k === Kind.Map) {
      const last = d.lastChild(n);
      const lk = d.kind(last);
      return lk === Kind.Empty || lk === Kind.EmptyQuoted ? d.ke(last) : this.lastValueEnd(last);
    }
    if (k === Kind.Seq) {
      const last = d.lastChild(n);
      return d.kind(last) === Kind.Empty ? undefined : this.lastValueEnd(last);
    }
    return k === Kind.Unsure || k === Kind.Empty ? undefined : d.ve(n);
  }

  /** Whether node n is a flow mapping whose first key is double-quoted (edits.ts isJsonish, isJsonFlow). */
  private jsonFlow(n: number): boolean {
    const d = this.doc;
    if (n < 0 || d.kind(n) !== Kind.FlowMap || d.end(n) === n + 1) return false;
    return d.text.charCodeAt(d.ks(n + 1)) === 34;
  }

  /** `key:` with an empty value: the value written after the colon (edits.ts fillEmpty). */
  private fillEmpty(path: Path, value: FixValue): FastEdit {
    if (path.length === 0) return null;
    const d = this.doc;
    const parent = d.at(path.slice(0, -1));
    if (parent < 0 || d.kind(parent) !== Kind.Map) return null;
    const k = d.pair(parent, String(path[path.length - 1]));
    if (k < 0) return null;
    const ke = d.ke(k);
    const colon = d.text.indexOf(':', ke);
    if (colon < 0 || d.text.slice(ke, colon).trim() !== '') return null;
    const col = d.column(d.ks(k));
    return { range: [colon + 1, colon + 1], text: renderBlockPair('k', value, col, d.style()).slice(2) };
  }

  /** A key added after the last entry of block mapping n, at its first key's column (edits.ts addPair). */
  private addPair(n: number, key: string, value: FixValue): FastEdit {
    const d = this.doc;
    const last = d.lastChild(n);
    const indent = d.column(d.ks(n + 1));
    // after the line of the last entry's content (an empty value: its key's line)
    const at = d.insertAfter(last, d.ks(last));
    if (at === undefined) return undefined;
    const st = d.style();
    return { range: [at, at], text: st.nl + ' '.repeat(indent) + renderBlockPair(key, value, indent, st) };
  }

  /** An entry added to a flow collection n that the fast reader read (on one line): `, entry` after its last (edits.ts flowInsert). */
  private flowInsert(n: number, entry: string): FastEdit {
    const d = this.doc;
    const start = d.vs(n);
    const close = d.text.lastIndexOf(d.kind(n) === Kind.FlowSeq ? ']' : '}', d.ve(n));
    if (close < start) return null;
    const last = d.lastChild(n);
    if (last < 0) {
      const inner = d.text.slice(start + 1, close);
      if (inner.trim() !== '') return null;
      return { range: [start + 1, close], text: inner.startsWith(' ') ? ` ${entry} ` : entry };
    }
    const first = n + 1;
    if (d.laterLine(d.ks(first) >= 0 ? d.ks(first) : d.vs(first), start)) return undefined;
    return { range: [d.ve(last), d.ve(last)], text: `, ${entry}` };
  }
}
