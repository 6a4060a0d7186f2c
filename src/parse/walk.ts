/** The walk over the yaml package's AST into go-yaml values and the span tape (aliases, merge keys, budgets). */
import type { Node as YNode } from 'yaml';
import { addEntry, keyToString, plainScalar, setKey, type Ambiguity, type DuplicateKey } from './document.js';
import { resolveTagged } from './goyaml.js';
import type { PathSeg } from './source.js';
import type { TapeWriter } from './tape.js';
import { isAlias, isMap, isScalar, isSeq } from './yaml-package.js';

export class DocAbort extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

interface Anchored {
  value: unknown;
  size: number;
  /** the tape node whose children are the anchored node's */
  node: number;
}

export class Walker {
  ambiguities: Ambiguity[] = [];
  duplicateKeys: DuplicateKey[] = [];
  /** offsets of empty implicit keys in block mappings (`a: [b]: 2` reads as one): go-yaml's scanner decides (parse.ts) */
  emptyKeys: number[] = [];
  anchors = new Map<string, Anchored>();
  expanded = 0;
  path: PathSeg[] = [];
  constructor(
    /** the tape, with the node of the value to walk open */
    private tape: TapeWriter,
    private maxExpanded: number,
    private maxDepth: number,
    private core12 = false,
    /** go-yaml's values of scalars whose text was rewritten (src/parse/yaml11.ts), by start offset */
    private overrides?: Map<number, string>,
  ) {}

  private budget(n: number, node: YNode): void {
    this.expanded += n;
    if (this.expanded > this.maxExpanded) {
      const r = node.range ?? [0, 0, 0];
      throw new DocAbort(
        `document expands to more than ${this.maxExpanded} nodes through aliases (an alias bomb?); not linted`,
        'ALIAS_EXPANSION',
        r[0],
        r[1],
      );
    }
  }

  scalar(node: YNode & { value: unknown; type?: string; source?: string; tag?: string }, isKey: boolean): unknown {
    let raw = typeof node.value === 'string' ? node.value : String(node.value);
    if (this.overrides && node.range) raw = this.overrides.get(node.range[0]) ?? raw;
    const plain = node.type === 'PLAIN';
    if (node.tag && node.tag !== '!') {
      const r = resolveTagged(node.tag, raw, plain);
      if ('error' in r) {
        const range = node.range ?? [0, 0, 0];
        throw new DocAbort(r.error, 'BAD_TAG', range[0], range[1]);
      }
      return r.value;
    }
    if (!plain) return raw;
    const range = node.range ?? [0, 0, 0];
    return plainScalar(raw, isKey, this.path, range[0], range[1], this.ambiguities, this.core12);
  }

  /** Returns [value, expandedSize]; the tape's innermost open node is the value's, unless `key` (an alias key). */
  node(node: YNode | null | undefined, depth: number, key = false): [unknown, number] {
    if (node == null) return [null, 1];
    const at = this.tape.top;
    if (depth > this.maxDepth) {
      const r = node.range ?? [0, 0, 0];
      throw new DocAbort(`nesting deeper than ${this.maxDepth} levels; not linted`, 'TOO_DEEP', r[0], r[1]);
    }
    let out: [unknown, number];
    if (isScalar(node)) {
      out = [this.scalar(node as never, false), 1];
      this.budget(1, node);
    } else if (isMap(node)) {
      out = this.map(node as never, depth);
    } else if (isSeq(node)) {
      out = this.seq(node as never, depth);
    } else if (isAlias(node)) {
      const name = (node as unknown as { source: string }).source;
      const a = this.anchors.get(name);
      const r = node.range ?? [0, 0, 0];
      if (!a) throw new DocAbort(`unknown anchor "${name}"`, 'BAD_ALIAS', r[0], r[1]);
      this.budget(a.size, node);
      if (!key) this.tape.link(at, a.node);
      return [a.value, a.size];
    } else {
      out = [null, 1];
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) this.anchors.set(anchor, { value: out[0], size: out[1], node: at });
    return out;
  }

  private map(
    node: YNode & { items: { key: YNode | null; value: YNode | null }[]; range?: [number, number, number] },
    depth: number,
  ): [unknown, number] {
    const obj: Record<string, unknown> = {};
    const tape = this.tape;
    const parent = tape.top;
    let size = 1;
    let merges: { value: unknown; keyNode: YNode; node: number }[] | undefined;
    for (const pair of node.items) {
      const kn = pair.key;
      const vn = pair.value;
      let key: string;
      let ks = -1;
      let ke = -1;
      if (kn && isScalar(kn)) {
        const k = kn as YNode & { value: unknown; type?: string; tag?: string };
        ks = k.range?.[0] ?? -1;
        ke = k.range?.[1] ?? -1;
        if (k.type === 'PLAIN' && !k.tag && k.value === '<<') {
          this.path.push('<<');
          const m = tape.open(ks, ke);
          tape.markMerge(m);
          const [mv, msize] = this.node(vn, depth + 1);
          const vr = vn?.range;
          tape.close(m, vr ? vr[0] : ke, vr ? vr[1] : ke);
          this.path.pop();
          size += msize;
          (merges ??= []).push({ value: mv, keyNode: kn, node: m });
          continue;
        }
        if (k.value === '' && ks === ke && ks >= 0 && !(node as { flow?: boolean }).flow) this.emptyKeys.push(ks);
        key = keyToString(this.scalar(k as never, true));
      } else if (kn && isAlias(kn)) {
        const [kv] = this.node(kn, depth + 1, true);
        key = keyToString(kv);
        ks = kn.range?.[0] ?? -1;
        ke = kn.range?.[1] ?? -1;
      } else if (kn == null) {
        key = 'null';
      } else {
        const r = kn.range ?? [0, 0, 0];
        throw new DocAbort('a mapping key must be a scalar; Kubernetes cannot read collection keys', 'BAD_KEY', r[0], r[1]);
      }
      this.path.push(key);
      const r = tape.open(ks, ke, key);
      const [v, vsize] = this.node(vn, depth + 1);
      this.path.pop();
      size += vsize;
      const vr = vn?.range;
      if (vr && !(vn && isScalar(vn) && (vn as { value: unknown }).value === '' && vr[0] === vr[1])) tape.close(r, vr[0], vr[1]);
      else tape.close(r, ke, ke);
      addEntry(obj, tape, parent, r, key, v, this.path, this.duplicateKeys);
    }
    if (merges) {
      // Explicit keys win over merged ones; earlier merge sources win over later ones (YAML merge-key spec).
      for (const m of merges) {
        const sources = Array.isArray(m.value) ? m.value : [m.value];
        const nodes = Array.isArray(m.value) ? tape.itemsOf(m.node) : [m.node];
        sources.forEach((src, j) => {
          if (!src || typeof src !== 'object' || Array.isArray(src)) {
            const r = m.keyNode.range ?? [0, 0, 0];
            throw new DocAbort('a merge key (<<) must merge a mapping or a list of mappings', 'BAD_MERGE', r[0], r[1]);
          }
          const from = nodes[j];
          for (const k of Object.keys(src)) {
            if (Object.prototype.hasOwnProperty.call(obj, k)) continue;
            setKey(obj, k, (src as Record<string, unknown>)[k]);
            const c = from === undefined ? -1 : tape.childOf(from, k);
            if (c >= 0) tape.copyEntry(c);
          }
        });
      }
    }
    return [obj, size];
  }

  private seq(node: YNode & { items: (YNode | null)[] }, depth: number): [unknown, number] {
    const arr: unknown[] = new Array(node.items.length);
    const tape = this.tape;
    let size = 1;
    for (let i = 0; i < node.items.length; i++) {
      const item = node.items[i];
      this.path.push(i);
      const n = tape.open(-1, -1);
      const [v, s] = this.node(item, depth + 1);
      this.path.pop();
      size += s;
      arr[i] = v;
      const r = item?.range ?? [0, 0, 0];
      tape.close(n, r[0], r[1]);
    }
    return [arr, size];
  }
}
