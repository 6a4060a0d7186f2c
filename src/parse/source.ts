/** Offsets to 1-based line/column, computed once per file. */

export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type PathSeg = string | number;
export type Path = readonly PathSeg[];

/** A node's offsets: key start/end (-1 for sequence items and roots) and value start/end. */
export interface Span {
  ks: number;
  ke: number;
  vs: number;
  ve: number;
}

/** the line table being made (starts[0] is always 0), reused from file to file */
let lineScratch = new Int32Array(4096);

export class SourceText {
  private lineStarts: Int32Array | undefined;
  constructor(readonly text: string) {}

  /**
   * The offset each line starts at, made on first use: exactly as long as the file has lines, four bytes a line
   * (an array grown by push() held eight bytes a line and up to half as much again, and a file's table is often
   * made early, when a message names one of its objects, so that it lived long enough to be promoted).
   */
  private starts(): Int32Array {
    if (!this.lineStarts) {
      const t = this.text;
      let buf = lineScratch;
      let n = 1;
      for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) {
        if (n === buf.length) {
          const grown = new Int32Array(buf.length * 2);
          grown.set(buf);
          lineScratch = buf = grown;
        }
        buf[n++] = i + 1;
      }
      this.lineStarts = buf.slice(0, n);
    }
    return this.lineStarts;
  }

  /** 1-based line and column (column counted in UTF-16 code units, like editors and GitHub). */
  position(offset: number): { line: number; column: number } {
    const starts = this.starts();
    if (offset < 0) offset = 0;
    if (offset > this.text.length) offset = this.text.length;
    const lo = this.lineIndex(offset);
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  /** The 0-based line of an offset (clamped to the text). */
  private lineIndex(offset: number, from = 0): number {
    const starts = this.starts();
    let lo = from;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The range from `start` to `end` (`position` of each, the end not before the start), with no object per end. */
  range(start: number, end: number): Range {
    const starts = this.starts();
    const len = this.text.length;
    if (end < start) end = start;
    if (start < 0) start = 0;
    if (start > len) start = len;
    if (end < 0) end = 0;
    if (end > len) end = len;
    const a = this.lineIndex(start);
    // most ranges end on the line they start on
    const b = a + 1 < starts.length && starts[a + 1]! <= end ? this.lineIndex(end, a + 1) : a;
    return { line: a + 1, column: start - starts[a]! + 1, endLine: b + 1, endColumn: end - starts[b]! + 1 };
  }

  lineCount(): number {
    return this.starts().length;
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.starts();
    const s = starts[line - 1];
    if (s === undefined) return '';
    const e = line < starts.length ? starts[line]! - 1 : this.text.length;
    let out = this.text.slice(s, e);
    if (out.endsWith('\r')) out = out.slice(0, -1);
    return out;
  }
}

/**
 * JSON Pointer (RFC 6901) for a path (`more` appended to `path`). Every finding carries the pointer of its path,
 * and the findings of a run share most of their pointers and prefixes (spec/template/spec/containers/0): each
 * pointer is made once, flat, in a trie of the paths seen (by segment), and shared by the findings that name
 * it. The trie starts afresh once it holds POINTER_TRIE_MAX pointers (a long-running language server).
 */
export function toPointer(path: Path, more?: Path): string {
  let n = pointerRoot;
  for (let i = 0; i < path.length; i++) n = pointerChild(n, path[i]!);
  if (more) for (let i = 0; i < more.length; i++) n = pointerChild(n, more[i]!);
  return n.pointer;
}

interface PointerNode {
  pointer: string;
  next: Map<PathSeg, PointerNode> | undefined;
}

const POINTER_TRIE_MAX = 1 << 16;
let pointerRoot: PointerNode = { pointer: '', next: undefined };
let pointerNodes = 0;

function pointerChild(n: PointerNode, seg: PathSeg): PointerNode {
  let next = n.next;
  if (next === undefined) n.next = next = new Map();
  let c = next.get(seg);
  if (c === undefined) {
    if (pointerNodes >= POINTER_TRIE_MAX) {
      // a fresh trie (the nodes made from here on are the new trie's)
      pointerRoot = { pointer: '', next: undefined };
      pointerNodes = 0;
    }
    c = { pointer: flat(`${n.pointer}/${pointerSegment(seg)}`), next: undefined };
    next.set(seg, c);
    pointerNodes++;
  }
  return c;
}

function pointerSegment(seg: PathSeg): string {
  const s = String(seg);
  return s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s;
}

/**
 * The string, stored flat: a string made with `+` is a tree of its pieces until it is read, and a string kept
 * for the rest of the run (a finding's message, its pointer) is cheaper flat (one object for the garbage
 * collector, copied once when printed). Reading a character of it makes V8 flatten it in place.
 */
export function flat(s: string): string {
  if (s.length > 12) s.charCodeAt(0);
  return s;
}

/** the texts `sharedText` has seen: at most 4,096 of at most 256 characters (a language server keeps about 1 MB) */
const TEXTS = new Map<string, string>();

/**
 * One string for a text that many findings repeat, a fix's inserted text or a suggestion's description (the
 * 24,000 fixes of 20,000 resources have two distinct texts, 13,600 suggestions nine descriptions); a text
 * seen first after the table is full is returned as it is.
 */
export function sharedText(s: string): string {
  if (s.length > 256) return s;
  const hit = TEXTS.get(s);
  if (hit !== undefined) return hit;
  if (TEXTS.size < 4096) TEXTS.set(s, s);
  return s;
}

/** Dotted path for messages: spec.template.spec.containers[0].image */
export function toDotted(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
