/**
 * YAML/JSON text → plain JS values read with go-yaml v2 semantics, plus a
 * position table for every map entry and sequence item.
 *
 * The `yaml` package's composer is run with the failsafe schema (every scalar
 * stays a string, no tag resolution work), and one walk over its AST builds
 * the values, resolves plain scalars the cluster's way, records ambiguous
 * scalars and duplicate keys, expands merge keys and aliases under a budget,
 * and stores offsets. Line/column conversion happens lazily, through one
 * line-start table per file.
 */
import type { CST, Document, Node as YNode } from 'yaml';

/** The yaml package, loaded on first use: inputs the fast reader accepts never need it. */
let yamlModule: typeof import('yaml') | undefined;
function Y(): typeof import('yaml') {
  return (yamlModule ??= require('yaml') as typeof import('yaml'));
}
const isScalar = (n: unknown): boolean => Y().isScalar(n);
const isMap = (n: unknown): boolean => Y().isMap(n);
const isSeq = (n: unknown): boolean => Y().isSeq(n);
const isAlias = (n: unknown): boolean => Y().isAlias(n);
import { resolveTagged } from './goyaml.js';
import { fastParse } from './fast.js';
import {
  addEntry,
  keyToString,
  plainScalar,
  setKey,
  type Ambiguity,
  type DuplicateKey,
  type ParseOptions,
  type ParsedDocument,
  type ParseOutput,
  type SyntaxProblem,
} from './document.js';

export { addEntry, keyToString, plainScalar, setKey } from './document.js';
export type { Ambiguity, DuplicateKey, ParseOptions, ParsedDocument, ParseOutput, SyntaxProblem } from './document.js';
import { scanYaml11, type Yaml11Error } from './yaml11.js';
import { SourceText, type PathSeg, type Span } from './source.js';
import { TapeWriter } from './tape.js';

export { locate, SpanTape, type Located } from './tape.js';

const FAST_DEFAULT = process.env.K8S_GOLD_FAST_PARSE !== '0';

const DEFAULT_MAX_EXPANDED = 1_000_000;
const DEFAULT_MAX_DEPTH = 500;

class DocAbort extends Error {
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

class Walker {
  ambiguities: Ambiguity[] = [];
  duplicateKeys: DuplicateKey[] = [];
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

/** Offset of a JSON.parse error, from V8's message ("... at position 12", "line 2 column 5"). */
function jsonErrorOffset(message: string, text: string): number {
  const m = /at position (\d+)/.exec(message);
  if (m) return Number(m[1]);
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) {
    const src = new SourceText(text);
    let off = 0;
    for (let l = 1; l < Number(lc[1]); l++) off += src.lineText(l).length + 1;
    return off + Number(lc[2]) - 1;
  }
  return 0;
}

const HINTS: Record<string, string> = {
  TAB_AS_INDENT: 'tabs are not allowed as indentation in YAML; indent with spaces',
  BLOCK_AS_IMPLICIT_KEY:
    'a nested mapping cannot start here: check the indentation of the lines below, or quote a value that contains ": "',
  MULTILINE_IMPLICIT_KEY: 'a key must be on a single line: check the indentation, or quote a value that contains ": "',
  BAD_INDENT: 'check the indentation',
};

/** How the yaml package's CST token types read in a message. */
const TOKEN_WORDS: Record<string, string> = {
  'flow-seq-end': '"]"',
  'flow-map-end': '"}"',
  'flow-seq-start': '"["',
  'flow-map-start': '"{"',
  comma: '","',
  'map-value-ind': '":"',
  'seq-item-ind': '"- "',
  'explicit-key-ind': '"? "',
  'doc-start': '"---"',
  'doc-end': '"..."',
  scalar: 'text',
  'single-quoted-scalar': 'quoted string',
  'double-quoted-scalar': 'quoted string',
  'block-scalar': 'block scalar',
  'block-scalar-header': 'block scalar',
  anchor: 'anchor',
  alias: 'alias',
  tag: 'tag',
  comment: 'comment',
  directive: 'directive',
};

/** The yaml package's messages that dump token names, in words. */
function untoken(first: string): string {
  let m = /^Unexpected ([\w-]+) token in YAML stream: "(.*)"$/.exec(first);
  if (m) {
    if (m[1] === 'flow-seq-end' || m[1] === 'flow-map-end') return `"${m[2]}" without a matching "${m[2] === ']' ? '[' : '{'}"`;
    return `unexpected ${TOKEN_WORDS[m[1]!] ?? JSON.stringify(m[2])} here`;
  }
  m = /^Unexpected ([\w-]+) at node end$/.exec(first);
  if (m)
    return `unexpected ${TOKEN_WORDS[m[1]!] ?? m[1]} after a complete value: check the indentation, and the space after ":" in "key: value"`;
  m = /^Flow (sequence|map) in block collection must be sufficiently indented and end with a ([\]}])$/.exec(first);
  if (m) return `unclosed flow ${m[1] === 'map' ? 'mapping' : 'sequence'}: "${m[2]}" missing`;
  m = /^Unexpected , in (flow \w+)$/.exec(first);
  if (m) return `"," without a value before it in a ${m[1]}`;
  if (/^Unexpected block-seq-ind on same line with key$/.test(first))
    return 'a list item ("- ") cannot start on the line of its key: move it to the next line';
  m = /^Unexpected ([\w-]+) token$/.exec(first);
  if (m && TOKEN_WORDS[m[1]!]) return `unexpected ${TOKEN_WORDS[m[1]!]} here`;
  return first;
}

function friendly(code: string, message: string): string {
  const first = untoken(message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''));
  const hint = HINTS[code];
  if (!hint || first.startsWith('unclosed flow')) return first;
  return code === 'TAB_AS_INDENT' || code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY' ? hint : `${first}; ${hint}`;
}

/**
 * Deepest collection nesting of one CST document, counted without recursion,
 * stopping as soon as it passes `limit`: the offset of the first collection
 * past the limit, or -1. The composer recurses once per level
 * and a stack overflow inside it can abort the whole process (V8 may run out
 * of memory compiling a regular expression at the stack limit), so documents
 * nested deeper than the limit are never handed to it.
 */
export function cstTooDeep(doc: CST.Document, limit: number): number {
  const stack: [CST.Token | null | undefined, number][] = [[doc.value, 0]];
  while (stack.length) {
    const [tok, depth] = stack.pop()!;
    if (!tok) continue;
    if (tok.type === 'block-map' || tok.type === 'block-seq' || tok.type === 'flow-collection') {
      if (depth > limit) return tok.offset;
      for (const it of tok.items as { key?: CST.Token | null; value?: CST.Token }[]) {
        if (it.key) stack.push([it.key, depth + 1]);
        if (it.value) stack.push([it.value, depth + 1]);
      }
    }
  }
  return -1;
}

export function parseText(text: string, opts: ParseOptions = {}): ParseOutput {
  if (opts.fast ?? FAST_DEFAULT) {
    const fast = fastParse(text, opts);
    if (fast) return fast;
  }
  const source = new SourceText(text);
  const errors: SyntaxProblem[] = [];

  if (opts.json) {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        JSON.parse(text);
      } catch (e) {
        const msg = (e as Error).message;
        // A stream of concatenated JSON objects is valid input for kubectl; only report real grammar errors.
        if (!/non-whitespace character after JSON/.test(msg)) {
          const off = jsonErrorOffset(msg, text);
          errors.push({ message: `invalid JSON: ${msg.replace(/^JSON\.parse: /, '')}`, code: 'JSON_SYNTAX', start: off, end: off + 1 });
        }
      }
    }
  }

  let out = compose(text, opts, text);
  let scanErrors: Yaml11Error[] = [];
  if (out.problems.some((e) => e.yaml)) {
    // The yaml package (YAML 1.2) rejected something: read the text as go-yaml v2 does, which accepts
    // more (src/parse/yaml11.ts), and compose a same-length rewrite of it when one is needed.
    const scan = scanYaml11(text);
    scanErrors = scan.errors;
    if (scan.text !== undefined) out = compose(scan.text, opts, text, scan.values);
  }
  // one finding per document: its first problem, in go-yaml's words when its scanner found one earlier
  const first = new Map<number, DocProblem>();
  for (const e of out.problems) {
    if (e.doc < 0) {
      errors.push({ message: e.message, code: e.code, start: e.start, end: e.end });
      continue;
    }
    const prev = first.get(e.doc);
    if (!prev || e.start < prev.start) first.set(e.doc, e);
  }
  for (const [d, e] of first) {
    let problem: SyntaxProblem = { message: e.message, code: e.code, start: e.start, end: e.end };
    const range = out.docRanges[d];
    if (e.yaml && range) {
      const se = scanErrors.find((x) => x.offset >= range[0] && x.offset <= range[1]);
      // go-yaml's scanner found the problem earlier than the yaml package did (e.g. the "[" that is never closed)
      if (se && (se.offset <= e.start || LENIENCY_ARTIFACT.test(e.message)))
        problem = { message: se.message, code: e.code, start: se.offset, end: se.offset + 1 };
    }
    errors.push(problem);
  }
  errors.sort((a, b) => a.start - b.start);
  return { source, documents: out.documents, errors, spans: out.spans };
}

/**
 * The yaml package's complaints about text that go-yaml reads (src/parse/yaml11.ts): in a document that
 * go-yaml's scanner rejects too, its own message is the one to show.
 */
const LENIENCY_ARTIFACT = /^(Missing closing .quote|unclosed flow|Comments must be separated from other tokens by white space)/;

interface DocProblem extends SyntaxProblem {
  /** index of the document, -1 outside any */
  doc: number;
  /** reported by the yaml package's parser (not by k8s-gold's own checks) */
  yaml: boolean;
}

interface Composed {
  documents: ParsedDocument[];
  problems: DocProblem[];
  /** start and end offset of each document */
  docRanges: [number, number][];
  spans: ParseOutput['spans'];
}

/**
 * The yaml package's reading of `text`, walked into go-yaml values; `original`: the text the offsets
 * point into (`text` is a same-length rewrite of it when `overrides` are given: see Walker).
 */
function compose(text: string, opts: ParseOptions, original: string, overrides?: Map<number, string>): Composed {
  const tape = new TapeWriter(original);
  const documents: ParsedDocument[] = [];
  const problems: DocProblem[] = [];
  const docRanges: [number, number][] = [];
  const maxExpanded = opts.maxExpandedNodes ?? DEFAULT_MAX_EXPANDED;
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;

  const { Composer, Parser } = Y();
  const composer = new Composer({ schema: 'failsafe', uniqueKeys: false, merge: false, strict: true, prettyErrors: false });
  const parser = new Parser();
  let index = 0;
  let prevEnd = 0;
  /** indexes of documents too deeply nested to compose */
  const tooDeep = new Map<number, number>();
  const handle = (doc: Document.Parsed): void => {
    const docErrors = doc.errors.filter((e) => e.code !== 'TAG_RESOLVE_FAILED');
    const contents = doc.contents as YNode | null;
    const r = doc.range ?? [0, 0, 0];
    const rootSpan: Span = contents?.range
      ? { ks: -1, ke: -1, vs: contents.range[0], ve: contents.range[1] }
      : { ks: -1, ke: -1, vs: r[0], ve: r[0] };
    const pd: ParsedDocument = {
      index: index++,
      value: null,
      ok: docErrors.length === 0,
      rootSpan,
      ambiguities: [],
      duplicateKeys: [],
      empty:
        contents == null ||
        (isScalar(contents) && (contents as { value: unknown }).value === '' && (contents as { type?: string }).type === 'PLAIN'),
      node: tape.open(-1, -1),
    };
    docRanges[pd.index] = [Math.min(prevEnd, r[0]), Math.max(r[2], r[0])];
    prevEnd = Math.max(prevEnd, r[2]);
    const deepAt = tooDeep.get(pd.index);
    if (deepAt !== undefined) {
      pd.ok = false;
      pd.empty = false;
      problems.push({
        message: `nesting deeper than ${maxDepth} levels; not linted`,
        code: 'TOO_DEEP',
        start: deepAt,
        end: deepAt + 1,
        doc: pd.index,
        yaml: false,
      });
    }
    for (const e of docErrors) {
      problems.push({ message: friendly(e.code, e.message), code: e.code, start: e.pos[0], end: e.pos[1], doc: pd.index, yaml: true });
    }
    if (pd.ok && !pd.empty) {
      const open = tape.depth;
      const w = new Walker(tape, maxExpanded, maxDepth, opts.core12, overrides);
      try {
        const [v] = w.node(contents, 0);
        pd.value = v;
        pd.ambiguities = w.ambiguities;
        pd.duplicateKeys = w.duplicateKeys;
      } catch (e) {
        if (e instanceof DocAbort) {
          problems.push({ message: e.message, code: e.code, start: e.start, end: e.end, doc: pd.index, yaml: false });
        } else if (e instanceof RangeError) {
          problems.push({
            message: 'document nested too deeply to read; not linted',
            code: 'TOO_DEEP',
            start: rootSpan.vs,
            end: rootSpan.vs,
            doc: pd.index,
            yaml: false,
          });
        } else {
          throw e;
        }
        pd.ok = false;
        pd.value = null;
        // the nodes written before the walk stopped
        tape.truncate(pd.node + 1, open);
      }
    }
    tape.close(pd.node, rootSpan.vs, rootSpan.ve);
    documents.push(pd);
  };
  try {
    let docTokens = 0;
    for (const tok of parser.parse(text)) {
      if (tok.type === 'document') {
        const deepAt = cstTooDeep(tok, maxDepth);
        if (deepAt >= 0) {
          tooDeep.set(docTokens, deepAt);
          tok.value = undefined;
        }
        docTokens++;
      }
      for (const doc of composer.next(tok)) handle(doc as Document.Parsed);
    }
    for (const doc of composer.end(true, text.length)) handle(doc as Document.Parsed);
  } catch (e) {
    if (e instanceof RangeError) {
      problems.push({ message: 'input nested too deeply to parse; not linted', code: 'TOO_DEEP', start: 0, end: 0, doc: -1, yaml: false });
    } else {
      throw e;
    }
  }
  return { documents, problems, docRanges, spans: tape.finish(documents.map((d) => d.value)) };
}
