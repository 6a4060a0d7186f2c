/**
 * A fast, single-pass reader for the subset of YAML that Kubernetes manifests
 * use, producing exactly what parseText's yaml-based path produces (values,
 * spans, ambiguities, duplicate keys, document flags), or `undefined` when the
 * input leaves the subset, in which case the caller runs the full parser.
 *
 * Supported: `---` document markers (alone on their line, optionally with a
 * comment), comment and blank lines, block mappings and block sequences
 * (compact `- key: v` items, sequences at their parent key's indentation),
 * single-line plain scalars, single-line single- and double-quoted scalars,
 * single-line flow collections, empty values. Everything else (tabs, CR,
 * control characters, BOM, directives, `...`, anchors, aliases, tags, block
 * scalars, multi-line scalars, explicit keys, merge keys, comments after empty
 * values, anything unexpected) bails out for the whole file.
 *
 * Offsets follow the `yaml` package's node ranges, including how its CST
 * parser attaches comment lines that trail a collection (they can extend the
 * end of the collection's last value, or of the collection itself), which
 * determines the `ve` of enclosing collections. src/parse/fast.test.ts checks
 * this against the yaml-based path on fixtures, real manifests and generated
 * YAML.
 */
import {
  addEntry,
  keyToString,
  plainScalar,
  type Ambiguity,
  type DuplicateKey,
  type ParseOptions,
  type ParsedDocument,
  type ParseOutput,
} from './document.js';
import { SourceText, type PathSeg } from './source.js';
import { TapeWriter } from './tape.js';

class Bail {}
const BAIL = new Bail();
const bail = (): Bail => {
  if (DEBUG) console.error(new Error('bail').stack?.split('\n')[2], JSON.stringify(debugLine()));
  return BAIL;
};
const DEBUG = process.env.K8S_GOLD_FAST_DEBUG === '1';
let debugLine = (): string => '';

/** Characters that make the fast reader give up on a file. */
const UNSUPPORTED = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/u;

const SP = 32;
const NL = 10;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const DQ = 34;
const SQ = 39;

/** c-indicators that cannot start a plain scalar here (the flow starts `[`/`{` are handled before). */
function badPlainStart(c: number): boolean {
  switch (c) {
    case 44: // ,
    case 91: // [
    case 93: // ]
    case 123: // {
    case 125: // }
    case HASH:
    case 38: // &
    case 42: // *
    case 33: // !
    case 124: // |
    case 62: // >
    case SQ:
    case DQ:
    case 37: // %
    case 64: // @
    case 96: // `
    case 63: // ?
    case COLON:
    case DASH:
      return true;
  }
  return false;
}

function isFlowChar(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

class FastReader {
  private readonly n: number;
  // current line: start, indentation, content start, end (offset of its \n or n)
  private ls = 0;
  private ind = 0;
  private cs = 0;
  private le = 0;
  /** 0: content line, 1: `---` line, 2: end of input */
  private kind = 0;
  // filler (blank and comment-only) lines passed by the last advance(): end offsets (after \n) and comment indentation (-1: blank)
  private fEnd: number[] = [];
  private fCI: number[] = [];
  private fN = 0;
  // pending trailing filler item (it carries comments) and the deepest comment indentation in it
  private pfEnd = -1;
  private pfMaxCI = -1;
  // range of the node just read: start, value end, node end
  private n0 = 0;
  private n1 = 0;
  private n2 = 0;
  private path: PathSeg[] = [];
  private ambiguities: Ambiguity[] = [];
  private duplicateKeys: DuplicateKey[] = [];
  private nodes = 0;
  private readonly maxDepth: number;
  private readonly maxNodes: number;
  private readonly core12: boolean;

  constructor(
    private readonly t: string,
    private readonly tape: TapeWriter,
    opts: ParseOptions,
  ) {
    this.n = t.length;
    this.maxDepth = Math.min(200, (opts.maxDepth ?? 500) - 2);
    this.maxNodes = Math.floor((opts.maxExpandedNodes ?? 1_000_000) / 2);
    this.core12 = opts.core12 === true;
    if (DEBUG) debugLine = () => t.slice(this.ls, this.le);
  }

  /** Moves to the next content line, `---` line or end of input from offset `from` (a line start), recording filler lines. */
  private advance(from: number): void {
    const t = this.t;
    const n = this.n;
    this.fN = 0;
    let p = from;
    for (;;) {
      if (p >= n) {
        this.kind = 2;
        this.ls = this.cs = this.le = n;
        this.ind = 0;
        return;
      }
      let q = p;
      while (q < n && t.charCodeAt(q) === SP) q++;
      let le = t.indexOf('\n', q);
      if (le < 0) le = n;
      const c = q < n ? t.charCodeAt(q) : NL;
      if (c === NL || c === HASH) {
        this.fEnd[this.fN] = le < n ? le + 1 : n;
        this.fCI[this.fN] = c === HASH ? q - p : -1;
        this.fN++;
        p = le + 1;
        continue;
      }
      this.ls = p;
      this.ind = q - p;
      this.cs = q;
      this.le = le;
      if (q === p && (c === DASH || c === 46 /* . */ || c === 37) /* % */) {
        if (t.startsWith('---', p)) {
          const a = p + 3;
          if (a < le && t.charCodeAt(a) !== SP) throw bail();
          this.kind = 1;
          return;
        }
        if (c !== DASH) throw bail();
      }
      this.kind = 0;
      return;
    }
  }

  private anyFillerComment(): boolean {
    for (let i = 0; i < this.fN; i++) if (this.fCI[i]! >= 0) return true;
    return false;
  }

  /**
   * After a value that ends its line (scalar or flow collection) inside a block collection with
   * indentation `ci`: moves to the next line and returns the value's node end. Comment lines
   * indented deeper than the collection, and the blank lines before them, join the value's end
   * (as the yaml CST parser attaches them); the filler lines after them stay pending.
   */
  private leafEnd(ci: number): number {
    if (this.blockEnd >= 0) {
      // a block scalar: no comment line joins it; every filler line after it stays pending
      const end = this.blockEnd;
      this.advance(end);
      this.pfMaxCI = -1;
      for (let i = 0; i < this.fN; i++) if (this.fCI[i]! > this.pfMaxCI) this.pfMaxCI = this.fCI[i]!;
      this.pfEnd = this.pfMaxCI >= 0 ? this.cs : -1;
      return end;
    }
    const le = this.le;
    let end = le < this.n ? le + 1 : this.n;
    this.advance(end);
    let merged = -1;
    for (let i = 0; i < this.fN; i++) {
      const c = this.fCI[i]!;
      if (c < 0) continue;
      if (c > ci) merged = i;
      else break;
    }
    if (merged >= 0) end = this.fEnd[merged]!;
    this.pfEnd = -1;
    this.pfMaxCI = -1;
    for (let i = merged + 1; i < this.fN; i++) {
      const c = this.fCI[i]!;
      if (c > this.pfMaxCI) this.pfMaxCI = c;
    }
    // the pending item also holds the indentation of the next content line
    if (this.pfMaxCI >= 0) this.pfEnd = this.cs;
    return end;
  }

  /** Node end of a block collection with indentation `ci` that ends here, whose value end is `r1`. */
  private closeCollection(ci: number, r1: number): number {
    if (this.pfEnd >= 0 && ci !== 0 && this.pfMaxCI >= ci) {
      const e = this.pfEnd;
      this.pfEnd = -1;
      this.pfMaxCI = -1;
      return e;
    }
    return r1;
  }

  private count(): void {
    if (++this.nodes > this.maxNodes) throw bail();
  }

  private isSeqInd(p: number): boolean {
    return this.t.charCodeAt(p) === DASH && (p + 1 === this.le || this.t.charCodeAt(p + 1) === SP);
  }

  /** Offset of the `:` when the line from p on is a mapping entry `key: ...`; -1 otherwise. */
  private keyColon(p: number): number {
    const t = this.t;
    const le = this.le;
    const c = t.charCodeAt(p);
    let i: number;
    if (c === DQ || c === SQ) {
      i = this.quotedEnd(p);
      if (i < 0) return -1;
      while (i < le && t.charCodeAt(i) === SP) i++;
      return i < le && t.charCodeAt(i) === COLON && (i + 1 === le || t.charCodeAt(i + 1) === SP) ? i : -1;
    }
    if (c === 91 || c === 123) return -1;
    for (i = p; i < le; i++) {
      const d = t.charCodeAt(i);
      if (d === COLON) {
        if (i + 1 === le || t.charCodeAt(i + 1) === SP) return i;
      } else if (d === HASH && i > p && t.charCodeAt(i - 1) === SP) {
        return -1;
      }
    }
    return -1;
  }

  /** End (after the closing quote) of a quoted scalar starting at p on the current line, or -1. */
  private quotedEnd(p: number): number {
    const t = this.t;
    const le = this.le;
    const q = t.charCodeAt(p);
    for (let i = p + 1; i < le; i++) {
      const d = t.charCodeAt(i);
      if (q === DQ && d === 92 /* \ */) {
        i++;
        continue;
      }
      if (d === q) {
        if (q === SQ && i + 1 < le && t.charCodeAt(i + 1) === SQ) {
          i++;
          continue;
        }
        return i + 1;
      }
    }
    return -1;
  }

  /** Value of the quoted scalar at p; sets n0/n1. */
  private quoted(p: number): string {
    const t = this.t;
    const end = this.quotedEnd(p);
    if (end < 0) throw bail();
    this.n0 = p;
    this.n1 = end;
    const body = t.slice(p + 1, end - 1);
    if (t.charCodeAt(p) === SQ) return body.indexOf("'") >= 0 ? body.replace(/''/g, "'") : body;
    if (body.indexOf('\\') < 0) return body;
    let out = '';
    for (let i = 0; i < body.length; i++) {
      const ch = body[i]!;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const e = body[++i];
      if (e === undefined) throw bail();
      const simple = ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        continue;
      }
      const len = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (len === 0) throw bail();
      const hex = body.substr(i + 1, len);
      if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) throw bail();
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) throw bail();
      out += String.fromCodePoint(code);
      i += len;
    }
    return out;
  }

  /** After a value ending at i on the current line: only spaces and a comment may follow. */
  private lineRest(i: number): void {
    const t = this.t;
    const le = this.le;
    let j = i;
    while (j < le && t.charCodeAt(j) === SP) j++;
    if (j < le && !(t.charCodeAt(j) === HASH && j > i)) throw bail();
  }

  /** A value that ends on its line (block context) at q: sets n0/n1 and returns the value. */
  private leaf(q: number, depth: number, ci: number): unknown {
    this.blockEnd = -1;
    const t = this.t;
    const le = this.le;
    const c = t.charCodeAt(q);
    let v: unknown;
    if ((c === SQ || c === DQ) && this.quotedEnd(q) < 0 && this.ind === ci) {
      v = this.quotedLines(q, ci);
      this.count();
    } else if (c === DQ || c === SQ) {
      v = this.quoted(q);
      this.count();
    } else if (c === 91 || c === 123) {
      const end = this.flow(q, depth);
      this.n0 = q;
      this.n1 = end;
      v = this.flowValue;
    } else if (c === 124 || c === 62) {
      return this.blockScalar(q, ci);
    } else {
      if (badPlainStart(c) && !(c === DASH && q + 1 < le && t.charCodeAt(q + 1) !== SP)) throw bail();
      let i = q;
      let end = le;
      for (; i < le; i++) {
        const d = t.charCodeAt(i);
        if (d === COLON) {
          if (i + 1 === le || t.charCodeAt(i + 1) === SP) throw bail();
        } else if (d === HASH) {
          if (t.charCodeAt(i - 1) === SP) {
            end = i;
            break;
          }
        }
      }
      while (end > q && t.charCodeAt(end - 1) === SP) end--;
      let raw = t.slice(q, end);
      if (i === le && this.ind === ci) {
        // continuation lines (indented deeper than the collection) fold into the scalar
        const folded = this.plainContinuation(ci, raw);
        if (folded !== undefined) {
          raw = folded;
          end = this.n1;
        }
      }
      this.n0 = q;
      this.n1 = end;
      v = plainScalar(raw, false, this.path, q, end, this.ambiguities, this.core12);
      this.count();
      return v;
    }
    this.lineRest(this.n1);
    return v;
  }

  private flowValue: unknown = null;

  /**
   * A quoted scalar at q that spans lines (each indented deeper than the collection at column ci):
   * sets n0/n1, moves le to the end of its last line, and returns the value folded as the yaml
   * package does (resolve-flow-scalar.js).
   */
  private quotedLines(q: number, ci: number): string {
    const t = this.t;
    const n = this.n;
    const quote = t.charCodeAt(q);
    let i = q + 1;
    for (;;) {
      if (i >= n) throw bail();
      const d = t.charCodeAt(i);
      if (quote === DQ && d === 92 /* \ */ && t.charCodeAt(i + 1) !== NL) {
        i += 2;
        continue;
      }
      if (quote === DQ && d === 92) {
        i++;
        continue;
      }
      if (d === DQ && quote === DQ) break;
      if (d === SQ && quote === SQ) {
        if (t.charCodeAt(i + 1) === SQ) {
          i += 2;
          continue;
        }
        break;
      }
      if (d === NL) {
        let k = i + 1;
        while (k < n && t.charCodeAt(k) === SP) k++;
        if (k < n && t.charCodeAt(k) !== NL && k - (i + 1) <= ci) throw bail();
        i = k;
        continue;
      }
      i++;
    }
    this.n0 = q;
    this.n1 = i + 1;
    let e = t.indexOf('\n', i);
    if (e < 0) e = n;
    this.le = e;
    if (quote === SQ) return unfoldLines(t.slice(q + 1, i)).replace(/''/g, "'");
    return doubleQuotedValue(t.slice(q, i + 1));
  }

  /**
   * Lines after a plain scalar's first line that continue it (indented deeper than the collection at
   * column ci, empty lines between them folding to newlines), as the yaml package folds them. Returns
   * the folded value, with n1 set to the end of the last line's content and le to that line's end, or
   * undefined when the next line does not continue the scalar.
   */
  private plainContinuation(ci: number, first: string): string | undefined {
    const t = this.t;
    const n = this.n;
    let value = first;
    let found = false;
    let blanks = 0;
    let j = this.le + 1;
    while (j < n) {
      let q = j;
      while (q < n && t.charCodeAt(q) === SP) q++;
      let e = t.indexOf('\n', q);
      if (e < 0) e = n;
      if (q === e) {
        blanks++;
        j = e + 1;
        continue;
      }
      if (q - j <= ci || t.charCodeAt(q) === HASH) break;
      let end = e;
      for (let i = q; i < e; i++) {
        const d = t.charCodeAt(i);
        if (d === COLON) {
          if (i + 1 === e || t.charCodeAt(i + 1) === SP) throw bail();
        } else if (d === HASH && t.charCodeAt(i - 1) === SP) {
          throw bail();
        }
      }
      while (t.charCodeAt(end - 1) === SP) end--;
      value += (blanks ? '\n'.repeat(blanks) : ' ') + t.slice(q, end);
      blanks = 0;
      found = true;
      this.n1 = end;
      this.le = e;
      j = e + 1;
    }
    return found ? value : undefined;
  }
  /** node end of the block scalar just read, or -1 */
  private blockEnd = -1;

  /**
   * A block scalar (`|`, `|-`, `>`, `>-`) whose header is at q, in a block collection at column ci:
   * sets n0/n1 and blockEnd, and returns its value, computed as the yaml package does
   * (resolve-block-scalar.js), for the cases where that needs no indentation indicator.
   */
  private blockScalar(q: number, ci: number): string {
    const t = this.t;
    const n = this.n;
    const le = this.le;
    const folded = t.charCodeAt(q) === 62;
    let h = q + 1;
    const strip = t.charCodeAt(h) === DASH;
    if (strip) h++;
    if (h < le && t.charCodeAt(h) !== SP) throw bail();
    this.lineRest(h);
    if (le >= n) throw bail();
    const bodyStart = le + 1;
    // content indentation: the first line, which must hold content
    let p = bodyStart;
    while (p < n && t.charCodeAt(p) === SP) p++;
    const m = p - bodyStart;
    if (p >= n || t.charCodeAt(p) === NL || m <= ci) throw bail();
    // lines that belong to the scalar: empty ones, and ones indented at least m
    let end = bodyStart; // after the last line that holds content
    let ls = bodyStart;
    while (ls < n) {
      let i = ls;
      while (i < n && t.charCodeAt(i) === SP) i++;
      let e = t.indexOf('\n', i);
      if (e < 0) e = n;
      if (i === e) {
        // whitespace-only line: more-indented ones at the end would be kept in the value
        if (i - ls > m) throw bail();
        if (e >= n) break;
        ls = e + 1;
        continue;
      }
      if (i - ls < m) break;
      end = e < n ? e + 1 : n;
      ls = e + 1;
    }
    const src = t.slice(bodyStart, end);
    // port of resolveBlockScalar for header.indent 0 and chomping clip or strip, without leading empty lines
    const split = src.split(/\n( *)/);
    const first = split[0]!;
    const lines: [string, string][] = [[first.slice(0, m), first.slice(m)]];
    for (let i = 1; i < split.length; i += 2) lines.push([split[i]!, split[i + 1]!]);
    let chompStart = lines.length;
    for (let i = lines.length - 1; i >= 0; --i) {
      if (lines[i]![1] === '') chompStart = i;
      else break;
    }
    const trimIndent = m;
    let value = '';
    let sep = '';
    let prevMoreIndented = false;
    for (let i = 0; i < chompStart; ++i) {
      const [indent, content] = lines[i]!;
      if (!folded) {
        value += sep + indent.slice(trimIndent) + content;
        sep = '\n';
      } else if (indent.length > trimIndent) {
        if (sep === ' ') sep = '\n';
        else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
        value += sep + indent.slice(trimIndent) + content;
        sep = '\n';
        prevMoreIndented = true;
      } else if (content === '') {
        if (sep === '\n') value += '\n';
        else sep = '\n';
      } else {
        value += sep + content;
        sep = ' ';
        prevMoreIndented = false;
      }
    }
    if (!strip) value += '\n';
    this.n0 = q;
    this.n1 = end;
    this.blockEnd = end;
    this.count();
    return value;
  }

  /** A flow collection on one line at p; returns the offset after its closing bracket and sets flowValue. */
  private flow(p: number, depth: number): number {
    if (depth > this.maxDepth) throw bail();
    this.count();
    const t = this.t;
    const le = this.le;
    const isMap = t.charCodeAt(p) === 123;
    const close = isMap ? 125 : 93;
    let i = p + 1;
    const skip = (): void => {
      while (i < le && t.charCodeAt(i) === SP) i++;
    };
    skip();
    if (isMap) {
      const obj: Record<string, unknown> = {};
      const tape = this.tape;
      const parent = tape.top;
      if (t.charCodeAt(i) === close) {
        this.flowValue = obj;
        return i + 1;
      }
      for (;;) {
        // key
        let key: string;
        let ks: number;
        let ke: number;
        const c = t.charCodeAt(i);
        if (c === DQ || c === SQ) {
          key = this.quoted(i);
          ks = this.n0;
          ke = this.n1;
          i = ke;
          skip();
        } else {
          ks = i;
          i = this.flowPlainEnd(i);
          ke = i;
          while (ke > ks && t.charCodeAt(ke - 1) === SP) ke--;
          const raw = t.slice(ks, ke);
          if (raw === '<<') throw bail();
          key = keyToString(plainScalar(raw, true, this.path, ks, ke, this.ambiguities, this.core12));
        }
        this.count();
        if (t.charCodeAt(i) !== COLON || t.charCodeAt(i + 1) !== SP) throw bail();
        i += 1;
        skip();
        const vc = t.charCodeAt(i);
        if (i >= le || vc === 44 || vc === close) throw bail();
        this.path.push(key);
        const r = tape.open(ks, ke, key);
        const v = this.flowNode(i, depth + 1);
        tape.close(r, this.n0, this.n1);
        this.path.pop();
        i = this.n1;
        skip();
        addEntry(obj, tape, parent, r, key, v, this.path, this.duplicateKeys);
        const d = t.charCodeAt(i);
        if (d === close) {
          this.flowValue = obj;
          return i + 1;
        }
        if (d !== 44) throw bail();
        i++;
        skip();
        const e = t.charCodeAt(i);
        if (i >= le || e === close || e === 44) throw bail();
      }
    } else {
      const arr: unknown[] = [];
      const tape = this.tape;
      if (t.charCodeAt(i) === close) {
        this.flowValue = arr;
        return i + 1;
      }
      for (;;) {
        this.path.push(arr.length);
        const r = tape.open(-1, -1);
        const v = this.flowNode(i, depth + 1);
        tape.close(r, this.n0, this.n1);
        this.path.pop();
        arr.push(v);
        i = this.n1;
        skip();
        const d = t.charCodeAt(i);
        if (d === close) {
          this.flowValue = arr.slice();
          return i + 1;
        }
        if (d !== 44) throw bail();
        i++;
        skip();
        const e = t.charCodeAt(i);
        if (i >= le || e === close || e === 44) throw bail();
      }
    }
  }

  /** End of a plain scalar in flow context starting at i (before trailing spaces are trimmed); bails on anything unusual. */
  private flowPlainEnd(i: number): number {
    const t = this.t;
    const le = this.le;
    const c = t.charCodeAt(i);
    if (i >= le || (badPlainStart(c) && c !== DASH)) throw bail();
    if (c === DASH && (i + 1 >= le || t.charCodeAt(i + 1) === SP || isFlowChar(t.charCodeAt(i + 1)))) throw bail();
    let j = i;
    for (; j < le; j++) {
      const d = t.charCodeAt(j);
      if (isFlowChar(d) || d === COLON) break;
      if (d === HASH && t.charCodeAt(j - 1) === SP) throw bail();
    }
    if (j >= le) throw bail();
    return j;
  }

  /** A node inside a flow collection at i: sets n0/n1 (value end) and returns the value. */
  private flowNode(i: number, depth: number): unknown {
    const t = this.t;
    const c = t.charCodeAt(i);
    if (c === DQ || c === SQ) {
      const v = this.quoted(i);
      this.count();
      let j = this.n1;
      while (j < this.le && t.charCodeAt(j) === SP) j++;
      if (t.charCodeAt(j) === COLON) throw bail();
      return v;
    }
    if (c === 91 || c === 123) {
      const end = this.flow(i, depth);
      let j = end;
      while (j < this.le && t.charCodeAt(j) === SP) j++;
      if (t.charCodeAt(j) === COLON) throw bail();
      this.n0 = i;
      this.n1 = end;
      return this.flowValue;
    }
    const j = this.flowPlainEnd(i);
    if (t.charCodeAt(j) === COLON) throw bail();
    let end = j;
    while (end > i && t.charCodeAt(end - 1) === SP) end--;
    this.n0 = i;
    this.n1 = end;
    this.count();
    return plainScalar(t.slice(i, end), false, this.path, i, end, this.ambiguities, this.core12);
  }

  /** A block collection whose first line is the current content line, at indentation `ind`. */
  private blockNode(depth: number): unknown {
    if (this.isSeqInd(this.cs)) return this.blockSeq(this.ind, depth);
    const colon = this.keyColon(this.cs);
    if (colon < 0) throw bail();
    return this.blockMap(this.ind, depth, this.cs, colon);
  }

  /** A block mapping at column c whose first key starts at p (colon: its `:`). */
  private blockMap(c: number, depth: number, p: number, colon: number): unknown {
    if (depth > this.maxDepth) throw bail();
    this.count();
    const t = this.t;
    const obj: Record<string, unknown> = {};
    const tape = this.tape;
    const parent = tape.top;
    const r0 = p;
    let itemEnd = 0;
    for (;;) {
      if (colon - p > 1000) throw bail();
      // key
      let key: string;
      let ks = p;
      let ke: number;
      const kc = t.charCodeAt(p);
      if (kc === DQ || kc === SQ) {
        key = this.quoted(p);
        ks = this.n0;
        ke = this.n1;
      } else {
        if (badPlainStart(kc)) throw bail();
        for (let i = p; i < colon; i++) {
          const d = t.charCodeAt(i);
          if (isFlowChar(d) || (d === HASH && t.charCodeAt(i - 1) === SP)) throw bail();
        }
        ke = colon;
        while (t.charCodeAt(ke - 1) === SP) ke--;
        const raw = t.slice(p, ke);
        if (raw === '<<') throw bail();
        key = keyToString(plainScalar(raw, true, this.path, ks, ke, this.ambiguities, this.core12));
      }
      this.count();
      // value
      let q = colon + 1;
      const le = this.le;
      while (q < le && t.charCodeAt(q) === SP) q++;
      this.path.push(key);
      const r = tape.open(ks, ke, key);
      let v: unknown;
      if (q === le || t.charCodeAt(q) === HASH) {
        const comment = q < le;
        this.advance(le < this.n ? le + 1 : this.n);
        if (this.kind === 0 && (this.ind > c || (this.ind === c && this.isSeqInd(this.cs)))) {
          v = this.blockNode(depth + 1);
          tape.close(r, this.n0, this.n1);
          itemEnd = this.n2;
        } else {
          if (comment || this.anyFillerComment()) throw bail();
          v = plainScalar('', false, this.path, q, q, this.ambiguities, this.core12);
          this.count();
          tape.close(r, ke, ke);
          itemEnd = q;
          this.pfEnd = -1;
        }
      } else {
        if (this.isSeqInd(q)) throw bail();
        v = this.leaf(q, depth + 1, c);
        tape.close(r, this.n0, this.n1);
        itemEnd = this.leafEnd(c);
      }
      this.path.pop();
      addEntry(obj, tape, parent, r, key, v, this.path, this.duplicateKeys);
      if (this.kind !== 0 || this.ind < c) break;
      if (this.ind > c) throw bail();
      p = this.cs;
      colon = this.keyColon(p);
      if (colon < 0) throw bail();
      this.pfEnd = -1;
    }
    this.n0 = r0;
    this.n1 = itemEnd;
    this.n2 = this.closeCollection(c, itemEnd);
    return obj;
  }

  /** A block sequence at column c whose first `-` is the current line's content start. */
  private blockSeq(c: number, depth: number): unknown {
    if (depth > this.maxDepth) throw bail();
    this.count();
    const t = this.t;
    const arr: unknown[] = [];
    const tape = this.tape;
    const r0 = this.cs;
    let itemEnd = 0;
    for (;;) {
      const le = this.le;
      // comment lines before the dash join the item's properties (and an empty item's range)
      const commentBefore = this.anyFillerComment();
      let q = this.cs + 1;
      while (q < le && t.charCodeAt(q) === SP) q++;
      this.path.push(arr.length);
      const r = tape.open(-1, -1);
      let v: unknown;
      let vs: number;
      let ve: number;
      if (q === le || t.charCodeAt(q) === HASH) {
        const comment = q < le;
        this.advance(le < this.n ? le + 1 : this.n);
        if (this.kind === 0 && this.ind > c) {
          v = this.blockNode(depth + 1);
          vs = this.n0;
          ve = this.n1;
          itemEnd = this.n2;
        } else {
          if (comment || commentBefore || this.anyFillerComment()) throw bail();
          v = plainScalar('', false, this.path, q, q, this.ambiguities, this.core12);
          this.count();
          vs = ve = itemEnd = q;
          this.pfEnd = -1;
        }
      } else if (this.isSeqInd(q)) {
        throw bail();
      } else {
        const colon = this.keyColon(q);
        if (colon >= 0) {
          v = this.blockMap(q - this.ls, depth + 1, q, colon);
          vs = this.n0;
          ve = this.n1;
          itemEnd = this.n2;
        } else {
          v = this.leaf(q, depth + 1, c);
          vs = this.n0;
          ve = this.n1;
          itemEnd = this.leafEnd(c);
        }
      }
      this.path.pop();
      tape.close(r, vs, ve);
      arr.push(v);
      if (this.kind !== 0 || this.ind < c) break;
      if (this.ind > c) throw bail();
      if (!this.isSeqInd(this.cs)) break;
      this.pfEnd = -1;
    }
    this.n0 = r0;
    this.n1 = itemEnd;
    this.n2 = this.closeCollection(c, itemEnd);
    // a copy holds exactly its items (push() reserved 17 slots or more): every value is kept until the last file is linted
    return arr.slice();
  }

  read(): ParsedDocument[] | undefined {
    const docs: ParsedDocument[] = [];
    const t = this.t;
    try {
      this.advance(0);
      if (this.kind === 2) {
        docs.push(emptyDoc(0, 0, this.tape));
        return docs;
      }
      for (;;) {
        let p = -1;
        if (this.kind === 1) {
          p = this.ls + 3;
          while (p < this.le && t.charCodeAt(p) === SP) p++;
          if (p < this.le && !(t.charCodeAt(p) === HASH && p > this.ls + 3)) throw bail();
          this.advance(this.le < this.n ? this.le + 1 : this.n);
        }
        if (this.kind === 0) {
          if (this.ind !== 0) throw bail();
          this.ambiguities = [];
          this.duplicateKeys = [];
          this.nodes = 0;
          this.pfEnd = -1;
          const node = this.tape.open(-1, -1);
          const value = this.blockNode(0);
          this.tape.close(node, this.n0, this.n1);
          docs.push({
            index: docs.length,
            value,
            ok: true,
            rootSpan: { ks: -1, ke: -1, vs: this.n0, ve: this.n1 },
            ambiguities: this.ambiguities,
            duplicateKeys: this.duplicateKeys,
            empty: false,
            node,
          });
          if (this.kind === 0) throw bail();
        } else {
          docs.push(emptyDoc(docs.length, p, this.tape));
        }
        if (this.kind === 2) return docs;
      }
    } catch (e) {
      if (e instanceof Bail) return undefined;
      throw e;
    }
  }
}

/** The yaml package's unfoldLines (compose/resolve-flow-scalar.js): folds the lines of a flow scalar. */
function unfoldLines(source: string): string {
  const line = /(.*?)\r?\n/sy;
  let match = line.exec(source);
  if (!match) return source;
  const trimEnd = /(?<![ \t])[ \t]+$/;
  const trimBoth = /^[ \t]+|(?<![ \t])[ \t]+$/g;
  let res = match[1]!.replace(trimEnd, '');
  let sep = ' ';
  let pos = line.lastIndex;
  while ((match = line.exec(source))) {
    const lm = match[1]!.replace(trimBoth, '');
    if (lm === '') {
      if (sep === '\n') res += sep;
      else sep = '\n';
    } else {
      res += sep + lm;
      sep = ' ';
    }
    pos = line.lastIndex;
  }
  const last = /[ \t]*(.*)/sy;
  last.lastIndex = pos;
  match = last.exec(source);
  return res + sep + (match?.[1] ?? '');
}

/** The yaml package's doubleQuotedValue (compose/resolve-flow-scalar.js) for source with both quotes; bails where it reports an error. */
function doubleQuotedValue(source: string): string {
  let res = '';
  for (let i = 1; i < source.length - 1; ++i) {
    const ch = source[i]!;
    if (ch === '\n') {
      let fold = '';
      let c = source[i + 1];
      while (c === ' ' || c === '\n') {
        if (c === '\n') fold += '\n';
        i += 1;
        c = source[i + 1];
      }
      res += fold || ' ';
    } else if (ch === '\\') {
      let next = source[++i]!;
      const cc = ESCAPES[next];
      if (cc !== undefined) res += cc;
      else if (next === '\n') {
        next = source[i + 1]!;
        while (next === ' ') next = source[++i + 1]!;
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = source.substr(i + 1, length);
        if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) throw bail();
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) throw bail();
        res += String.fromCodePoint(code);
        i += length;
      } else {
        throw bail();
      }
    } else if (ch === ' ') {
      const wsStart = i;
      let next = source[i + 1];
      while (next === ' ') next = source[++i + 1];
      if (next !== '\n') res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
    } else {
      res += ch;
    }
  }
  return res;
}

function emptyDoc(index: number, at: number, tape: TapeWriter): ParsedDocument {
  const node = tape.open(-1, -1);
  tape.close(node, at, at);
  return {
    index,
    value: null,
    ok: true,
    rootSpan: { ks: -1, ke: -1, vs: at, ve: at },
    ambiguities: [],
    duplicateKeys: [],
    empty: true,
    node,
  };
}

/** The fast reading of `text`, or undefined when the text leaves the supported subset. */
export function fastParse(text: string, opts: ParseOptions = {}): ParseOutput | undefined {
  if (opts.json || UNSUPPORTED.test(text)) return undefined;
  const tape = new TapeWriter(text);
  const documents = new FastReader(text, tape, opts).read();
  if (!documents) {
    tape.discard();
    return undefined;
  }
  return { source: new SourceText(text), documents, errors: [], spans: tape.finish(documents.map((d) => d.value)), fast: true };
}
