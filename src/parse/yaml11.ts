/**
 * The YAML 1.1 reading Kubernetes uses, where it is more lenient than the `yaml` package.
 *
 * kubectl and the API server read YAML with go-yaml v2, a Go port of libyaml. Its scanner does
 * not enforce indentation inside flow collections (`[...]`, `{...}`) or quoted scalars, and it
 * takes `#` as a comment wherever a token may start, even without a space before it. The `yaml`
 * package follows YAML 1.2 and rejects such text, e.g.
 *
 *     args: ["
 *       echo hi
 *     "]
 *     annotations:
 *       description: 'first line
 *       continued at the key indentation'
 *
 * This module is a port of go-yaml v2's scanner (scannerc.go: simple keys, indentation, flow
 * level, the three scalar scanners) that walks such a text once and produces a rewrite of the
 * same length that the `yaml` package reads with the same structure: every line break inside a
 * multi-line flow collection or a multi-line quoted scalar becomes a space, and the comments the
 * scanner found there (or without a space before them) become spaces. Offsets do not move, so
 * every span still points at the original text. The values of the scalars whose text was
 * rewritten are computed here, the way go-yaml computes them (line folding, escapes), and
 * replace the `yaml` package's reading of the rewritten text.
 *
 * It also finds go-yaml's scanner errors (with their position and a plain message) so that a
 * document the cluster cannot read gets one exact finding. Documents with a scanner error are
 * not rewritten.
 *
 * Not ported (the `yaml` package's reading stands): the parser (event grammar), line breaks
 * other than LF/CR (go-yaml also breaks lines at U+0085, U+2028, U+2029), the reader's
 * encoding checks, and the tag-directive table.
 */

export interface Yaml11Error {
  offset: number;
  message: string;
}

export interface Yaml11Scan {
  /** the same-length rewrite, or undefined when nothing needs rewriting */
  text: string | undefined;
  /** go-yaml's value of each rewritten scalar, by the offset where the scalar starts */
  values: Map<number, string>;
  /** go-yaml scanner errors, at most one per document */
  errors: Yaml11Error[];
}

interface SimpleKey {
  possible: boolean;
  /** went stale (line break or 1024 characters) before a ':' was found */
  stale: boolean;
  required: boolean;
  index: number;
  line: number;
  column: number;
}

interface ScalarTok {
  start: number;
  end: number;
  line0: number;
  line1: number;
  value: string;
}

class ScanError {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

const isBreakC = (c: number): boolean => c === 10 || c === 13;
const isBlankC = (c: number): boolean => c === 32 || c === 9;
/** blank, break, or end of input (NaN) */
const isBlankzC = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || Number.isNaN(c);
const isBreakzC = (c: number): boolean => c === 10 || c === 13 || Number.isNaN(c);
const isAlphaC = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
const isHexC = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  "'": "'",
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

const TAB_INDENT = 'tabs are not allowed as indentation in YAML; indent with spaces';
const TAG_URI_EXTRA = new Set(";/?:@&=+$,.!~*'()[]%".split('').map((c) => c.charCodeAt(0)));

function lineOfTok(t: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = t.charCodeAt(i);
    if (c === 10 || (c === 13 && t.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

class Scanner {
  private p = 0;
  private line = 0;
  private col = 0;
  private flowLevel = 0;
  private indent = -1;
  private indents: number[] = [];
  private simpleKeyAllowed = true;
  private simpleKeys: SimpleKey[] = [];
  /** where each open flow collection starts (offset, line) */
  private flowStarts: [number, number, boolean][] = [];
  /** an error inside a flow collection, reported when the collection closes */
  private pending: ScanError | undefined;
  private pendingLevel = 0;

  // per-document pending edits
  private collapse: [number, number][] = [];
  private blank: [number, number][] = [];
  private scalars: ScalarTok[] = [];
  private flowScalars: ScalarTok[] = [];
  private comments: [number, number, boolean][] = [];

  readonly out: string[] | undefined = undefined;
  private edits: { collapse: [number, number][]; blank: [number, number][]; values: [number, string][] }[] = [];
  readonly errors: Yaml11Error[] = [];

  constructor(private readonly t: string) {}

  private c(k = 0): number {
    return this.t.charCodeAt(this.p + k);
  }

  private skip(): void {
    this.p++;
    this.col++;
  }

  private skipLine(): void {
    const c = this.c();
    if (c === 13 && this.c(1) === 10) {
      this.p += 2;
    } else {
      this.p++;
    }
    this.line++;
    this.col = 0;
  }

  /** read_line: one line break, normalised to \n */
  private readLine(): string {
    this.skipLine();
    return '\n';
  }

  private err(offset: number, message: string): never {
    throw new ScanError(offset, message);
  }

  run(): void {
    this.resetStream();
    for (;;) {
      try {
        if (this.fetchNext()) break;
      } catch (e) {
        if (!(e instanceof ScanError)) throw e;
        const first = this.pending && this.pending.offset < e.offset && !e.message.startsWith('unclosed flow') ? this.pending : e;
        this.errors.push({ offset: first.offset, message: first.message });
        this.discardDoc();
        if (!this.resync()) break;
      }
    }
  }

  private resetStream(): void {
    this.flowLevel = 0;
    this.indent = -1;
    this.indents = [];
    this.simpleKeyAllowed = true;
    this.simpleKeys = [{ possible: false, stale: false, required: false, index: 0, line: 0, column: 0 }];
    this.flowStarts = [];
    this.pending = undefined;
  }

  /** After an error: continue at the next `---` or `...` line, as a new document. */
  private resync(): boolean {
    const t = this.t;
    let i = this.p;
    const atMarker = (): boolean => (t.startsWith('---', i) || t.startsWith('...', i)) && isBlankzC(t.charCodeAt(i + 3));
    if (!(this.col === 0 && atMarker()))
      for (;;) {
        // to the start of the next line
        while (i < t.length && !isBreakC(t.charCodeAt(i))) i++;
        if (i >= t.length) return false;
        if (t.charCodeAt(i) === 13 && t.charCodeAt(i + 1) === 10) i += 2;
        else i++;
        if (atMarker()) break;
      }
    this.line += lineOfTok(t, this.p, i);
    this.p = i;
    this.col = 0;
    this.resetStream();
    return true;
  }

  private discardDoc(): void {
    this.collapse = [];
    this.blank = [];
    this.scalars = [];
    this.flowScalars = [];
    this.comments = [];
  }

  /** The document so far had no error: keep its edits. */
  private commitDoc(): void {
    const collapse = this.collapse;
    const blank: [number, number][] = [];
    const values: [number, string][] = [];
    // top-level flow collections do not overlap and were recorded in order
    const inCollapse = (s: number): boolean => {
      let lo = 0;
      let hi = collapse.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const [a, b] = collapse[mid]!;
        if (s < a) hi = mid - 1;
        else if (s >= b) lo = mid + 1;
        else return true;
      }
      return false;
    };
    for (const [s, e, noSpace] of this.comments) if (noSpace || inCollapse(s)) blank.push([s, e]);
    for (const sc of this.flowScalars) if (sc.line0 !== sc.line1 && inCollapse(sc.start)) values.push([sc.start, sc.value]);
    for (const sc of this.scalars) {
      // a multi-line quoted scalar outside any flow collection: collapse it by itself
      if (sc.line0 !== sc.line1) {
        collapse.push([sc.start, sc.end]);
        values.push([sc.start, sc.value]);
      }
    }
    if (collapse.length || blank.length) this.edits.push({ collapse, blank, values });
    this.discardDoc();
  }

  result(): Yaml11Scan {
    const values = new Map<number, string>();
    if (this.edits.length === 0) return { text: undefined, values, errors: this.errors };
    const chars = this.t.split('');
    for (const ed of this.edits) {
      for (const [s, e] of ed.collapse) {
        for (let i = s; i < e; i++) if (chars[i] === '\n' || chars[i] === '\r') chars[i] = ' ';
      }
      for (const [s, e] of ed.blank) for (let i = s; i < e; i++) chars[i] = ' ';
      for (const [o, v] of ed.values) values.set(o, v);
    }
    return { text: chars.join(''), values, errors: this.errors };
  }

  // ---- fetch_next_token ----

  /** Fetches one token; true at the end of the stream. */
  private fetchNext(): boolean {
    this.scanToNextToken();
    this.staleSimpleKeys();
    this.unrollIndent(this.col);
    const c = this.c();
    if (Number.isNaN(c)) {
      this.fetchStreamEnd();
      return true;
    }
    if (this.col === 0 && c === 37 /* % */) {
      this.unrollIndent(-1);
      this.removeSimpleKey();
      this.simpleKeyAllowed = false;
      while (!isBreakzC(this.c())) this.skip();
      return false;
    }
    const t = this.t;
    if (this.col === 0 && (t.startsWith('---', this.p) || t.startsWith('...', this.p)) && isBlankzC(this.c(3))) {
      this.fetchDocumentIndicator();
      return false;
    }
    switch (c) {
      case 91: // [
      case 123: // {
        this.saveSimpleKey();
        this.simpleKeys.push({ possible: false, stale: false, required: false, index: this.p, line: this.line, column: this.col });
        this.flowLevel++;
        this.flowStarts.push([this.p, this.line, c === 91]);
        this.simpleKeyAllowed = true;
        this.skip();
        return false;
      case 93: // ]
      case 125: // }
        this.removeSimpleKey();
        if (this.flowLevel === 0) {
          // go-yaml's scanner takes it as the end of a flow collection, which its parser then rejects
          this.err(this.p, `"${c === 93 ? ']' : '}'}" without a matching "${c === 93 ? '[' : '{'}"`);
        } else {
          const [s, l, seq] = this.flowStarts[this.flowStarts.length - 1]!;
          if (seq !== (c === 93))
            this.err(
              this.p,
              `"${c === 93 ? ']' : '}'}" cannot close the flow ${seq ? 'sequence "["' : 'mapping "{"'} opened at line ${l + 1}`,
            );
          this.flowLevel--;
          this.simpleKeys.pop();
          this.flowStarts.pop();
          if (this.pending && this.flowLevel < this.pendingLevel) throw this.pending;
          if (this.flowLevel === 0 && l !== this.line) this.collapse.push([s, this.p + 1]);
        }
        this.simpleKeyAllowed = false;
        this.skip();
        return false;
      case 44: // ,
        if (this.flowLevel === 0)
          this.err(this.p, 'a "," outside a flow collection ("[...]" or "{...}") cannot start a value: quote the value');
        this.removeSimpleKey();
        this.simpleKeyAllowed = true;
        this.skip();
        return false;
    }
    if (c === 45 /* - */ && isBlankzC(this.c(1))) {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) this.err(this.p, 'a block sequence item ("- ") is not allowed here: check the indentation');
        this.rollIndent(this.col);
      }
      this.removeSimpleKey();
      this.simpleKeyAllowed = true;
      this.skip();
      return false;
    }
    if (c === 63 /* ? */ && (this.flowLevel > 0 || isBlankzC(this.c(1)))) {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) this.err(this.p, 'a mapping key ("? ") is not allowed here');
        this.rollIndent(this.col);
      }
      this.removeSimpleKey();
      this.simpleKeyAllowed = this.flowLevel === 0;
      this.skip();
      return false;
    }
    if (c === 58 /* : */ && (this.flowLevel > 0 || isBlankzC(this.c(1)))) {
      this.fetchValue();
      return false;
    }
    if (c === 42 /* * */ || c === 38 /* & */) {
      this.saveSimpleKey();
      this.simpleKeyAllowed = false;
      this.scanAnchor(c === 42);
      return false;
    }
    if (c === 33 /* ! */) {
      this.saveSimpleKey();
      this.simpleKeyAllowed = false;
      this.scanTag();
      return false;
    }
    if ((c === 124 || c === 62) && this.flowLevel === 0) {
      this.removeSimpleKey();
      this.simpleKeyAllowed = true;
      this.scanBlockScalar(c === 124);
      return false;
    }
    if (c === 39 || c === 34) {
      this.saveSimpleKey();
      this.simpleKeyAllowed = false;
      const sc = this.scanFlowScalar(c === 39);
      if (this.flowLevel > 0) this.flowScalars.push(sc);
      else this.scalars.push(sc);
      return false;
    }
    const n1 = this.c(1);
    if (
      !(isBlankzC(c) || '-?:,[]{}#&*!|>\'"%@`'.includes(String.fromCharCode(c))) ||
      (c === 45 && !isBlankC(n1)) ||
      (this.flowLevel === 0 && (c === 63 || c === 58) && !isBlankzC(n1))
    ) {
      this.saveSimpleKey();
      this.simpleKeyAllowed = false;
      const sc = this.scanPlainScalar();
      if (this.flowLevel > 0) this.flowScalars.push(sc);
      return false;
    }
    this.err(
      this.p,
      c === 9
        ? /^[ \t]*$/.test(this.t.slice(this.p - this.col, this.p))
          ? TAB_INDENT
          : 'a tab cannot separate tokens here: use spaces'
        : `the character ${JSON.stringify(String.fromCharCode(c))} cannot start a YAML token here`,
    );
  }

  private fetchStreamEnd(): void {
    if (this.flowLevel > 0) this.unclosedFlow();
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.commitDoc();
  }

  private unclosedFlow(): never {
    const [s, l, seq] = this.flowStarts[0]!;
    this.err(
      s,
      `unclosed flow ${seq ? 'sequence' : 'mapping'}: the "${seq ? '[' : '{'}" at line ${l + 1} has no matching "${seq ? ']' : '}'}"`,
    );
  }

  private fetchDocumentIndicator(): void {
    if (this.flowLevel > 0) this.unclosedFlow();
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.commitDoc();
    this.simpleKeyAllowed = false;
    this.skip();
    this.skip();
    this.skip();
  }

  private fetchValue(): void {
    const sk = this.simpleKeys[this.simpleKeys.length - 1]!;
    // a key candidate in a flow collection that went stale: go-yaml reads the ':' without a key, which its parser rejects
    // Reported once the collection closes: when it never does, its missing "]" or "}" is the finding.
    if (sk.stale && this.flowLevel > 0 && !this.pending) {
      this.pending = new ScanError(this.p, 'a key in a flow collection must be on one line with its ":"');
      this.pendingLevel = this.flowLevel;
    }
    if (sk.possible) {
      this.rollIndent(sk.column);
      sk.possible = false;
      this.simpleKeyAllowed = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed)
          this.err(this.p, 'a mapping value is not allowed here: check the indentation, or quote a value that contains ": "');
        this.rollIndent(this.col);
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    this.skip();
  }

  private staleSimpleKeys(): void {
    for (const sk of this.simpleKeys) {
      if (sk.possible && (sk.line < this.line || sk.index + 1024 < this.p)) {
        if (sk.required)
          this.err(
            sk.index,
            'this line is not a "key: value" entry, a list item or a continuation of the value above: check its indentation, or the ":" after the key',
          );
        sk.possible = false;
        sk.stale = true;
      }
    }
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.col;
    if (this.simpleKeyAllowed) {
      this.removeSimpleKey();
      const sk = this.simpleKeys[this.simpleKeys.length - 1]!;
      sk.possible = true;
      sk.stale = false;
      sk.required = required;
      sk.index = this.p;
      sk.line = this.line;
      sk.column = this.col;
    }
  }

  private removeSimpleKey(): void {
    const sk = this.simpleKeys[this.simpleKeys.length - 1]!;
    if (sk.possible && sk.required) {
      this.err(
        sk.index,
        'this line is not a "key: value" entry, a list item or a continuation of the value above: check its indentation, or the ":" after the key',
      );
    }
    sk.possible = false;
    sk.stale = false;
  }

  private rollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > 10000) this.err(this.p, 'nesting deeper than 10000 levels');
    }
  }

  private unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) this.indent = this.indents.pop()!;
  }

  private scanToNextToken(): void {
    for (;;) {
      if (this.col === 0 && this.c() === 0xfeff) this.skip();
      for (;;) {
        const c = this.c();
        if (c === 32 || ((this.flowLevel > 0 || !this.simpleKeyAllowed) && c === 9)) this.skip();
        else break;
      }
      if (this.c() === 35 /* # */) {
        const s = this.p;
        const prev = s > 0 ? this.t.charCodeAt(s - 1) : 10;
        while (!isBreakzC(this.c())) this.skip();
        this.comments.push([s, this.p, !(isBlankC(prev) || isBreakC(prev) || prev === 0xfeff)]);
      }
      if (isBreakC(this.c())) {
        this.skipLine();
        if (this.flowLevel === 0) this.simpleKeyAllowed = true;
      } else {
        break;
      }
    }
  }

  private scanAnchor(alias: boolean): void {
    const s = this.p;
    this.skip();
    const b = this.p;
    while (isAlphaC(this.c())) this.skip();
    const c = this.c();
    if (this.p === b || !(isBlankzC(c) || '?:,]}%@`'.includes(String.fromCharCode(c)))) {
      this.err(s, `an ${alias ? 'alias' : 'anchor'} name must be letters, digits, "_" or "-", followed by a space`);
    }
  }

  private scanTag(): void {
    const s = this.p;
    if (this.c(1) === 60 /* < */) {
      this.skip();
      this.skip();
      while (isAlphaC(this.c()) || TAG_URI_EXTRA.has(this.c())) this.skip();
      if (this.c() !== 62) this.err(s, 'a verbatim tag must end with ">"');
      this.skip();
    } else {
      this.skip();
      while (isAlphaC(this.c())) this.skip();
      if (this.c() === 33) this.skip();
      while (isAlphaC(this.c()) || TAG_URI_EXTRA.has(this.c())) this.skip();
    }
    if (!isBlankzC(this.c())) this.err(s, 'a tag must be followed by a space or a line break');
  }

  private scanBlockScalar(literal: boolean): void {
    void literal;
    const s = this.p;
    this.skip();
    let increment = 0;
    const c = this.c();
    if (c === 43 || c === 45) {
      this.skip();
      if (this.c() >= 48 && this.c() <= 57) {
        if (this.c() === 48) this.err(s, 'a block scalar indentation indicator cannot be 0');
        increment = this.c() - 48;
        this.skip();
      }
    } else if (c >= 48 && c <= 57) {
      if (c === 48) this.err(s, 'a block scalar indentation indicator cannot be 0');
      increment = c - 48;
      this.skip();
      if (this.c() === 43 || this.c() === 45) this.skip();
    }
    while (isBlankC(this.c())) this.skip();
    if (this.c() === 35) {
      const cs = this.p;
      while (!isBreakzC(this.c())) this.skip();
      this.comments.push([cs, this.p, false]);
    }
    if (!isBreakzC(this.c())) this.err(s, 'a block scalar header ("|" or ">") must end its line (only a comment may follow)');
    if (isBreakC(this.c())) this.skipLine();
    let indent = increment > 0 ? (this.indent >= 0 ? this.indent + increment : increment) : 0;
    indent = this.blockScalarBreaks(indent, s);
    while (this.col === indent && !Number.isNaN(this.c())) {
      while (!isBreakzC(this.c())) this.skip();
      if (Number.isNaN(this.c())) break;
      this.readLine();
      indent = this.blockScalarBreaks(indent, s);
    }
  }

  private blockScalarBreaks(indent: number, s: number): number {
    let maxIndent = 0;
    for (;;) {
      while ((indent === 0 || this.col < indent) && this.c() === 32) this.skip();
      if (this.col > maxIndent) maxIndent = this.col;
      if ((indent === 0 || this.col < indent) && this.c() === 9) {
        this.err(this.p, TAB_INDENT);
      }
      if (!isBreakC(this.c())) break;
      this.readLine();
    }
    void s;
    if (indent === 0) {
      indent = maxIndent;
      if (indent < this.indent + 1) indent = this.indent + 1;
      if (indent < 1) indent = 1;
    }
    return indent;
  }

  private docIndicatorHere(): boolean {
    return this.col === 0 && (this.t.startsWith('---', this.p) || this.t.startsWith('...', this.p)) && isBlankzC(this.c(3));
  }

  private scanFlowScalar(single: boolean): ScalarTok {
    const start = this.p;
    const line0 = this.line;
    this.skip();
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    const what = single ? "single-quoted (')" : 'double-quoted (")';
    for (;;) {
      if (this.docIndicatorHere()) this.err(start, `this ${what} string is not closed before the document marker on line ${this.line + 1}`);
      if (Number.isNaN(this.c())) this.err(start, `this ${what} string is never closed`);
      let leadingBlanks = false;
      while (!isBlankzC(this.c())) {
        const c = this.c();
        if (single && c === 39 && this.c(1) === 39) {
          s += "'";
          this.skip();
          this.skip();
        } else if (single && c === 39) {
          break;
        } else if (!single && c === 34) {
          break;
        } else if (!single && c === 92 && isBreakC(this.c(1))) {
          this.skip();
          this.skipLine();
          leadingBlanks = true;
          break;
        } else if (!single && c === 92) {
          const e = this.t[this.p + 1] ?? '';
          const simple = SIMPLE_ESCAPES[e];
          let len = 0;
          if (simple !== undefined) s += simple;
          else if (e === 'x') len = 2;
          else if (e === 'u') len = 4;
          else if (e === 'U') len = 8;
          else this.err(this.p, `unknown escape "\\${e}" in a double-quoted string: write "\\\\" for a backslash, or use single quotes`);
          this.skip();
          this.skip();
          if (len > 0) {
            let v = 0;
            for (let k = 0; k < len; k++) {
              const h = this.c(k);
              if (!isHexC(h)) this.err(this.p, `the escape in this double-quoted string needs ${len} hexadecimal digits`);
              v = v * 16 + parseInt(String.fromCharCode(h), 16);
            }
            if ((v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff) this.err(this.p, 'this escape is not a valid Unicode character');
            s += String.fromCodePoint(v);
            for (let k = 0; k < len; k++) this.skip();
          }
        } else {
          s += this.t[this.p];
          this.skip();
        }
      }
      const c = this.c();
      if (single ? c === 39 : c === 34) break;
      while (isBlankC(this.c()) || isBreakC(this.c())) {
        if (isBlankC(this.c())) {
          if (!leadingBlanks) whitespaces += this.t[this.p];
          this.skip();
        } else if (!leadingBlanks) {
          whitespaces = '';
          leadingBreak = this.readLine();
          leadingBlanks = true;
        } else {
          trailingBreaks += this.readLine();
        }
      }
      if (leadingBlanks) {
        if (leadingBreak === '\n') {
          s += trailingBreaks === '' ? ' ' : trailingBreaks;
        } else {
          s += leadingBreak + trailingBreaks;
        }
        trailingBreaks = '';
        leadingBreak = '';
      } else {
        s += whitespaces;
        whitespaces = '';
      }
    }
    this.skip();
    return { start, end: this.p, line0, line1: this.line, value: s };
  }

  private scanPlainScalar(): ScalarTok {
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    let leadingBlanks = false;
    const indent = this.indent + 1;
    const start = this.p;
    const line0 = this.line;
    let end = this.p;
    let line1 = this.line;
    for (;;) {
      if (this.docIndicatorHere()) break;
      if (this.c() === 35) break;
      while (!isBlankzC(this.c())) {
        const c = this.c();
        if (
          (c === 58 && isBlankzC(this.c(1))) ||
          (this.flowLevel > 0 && (c === 44 || c === 63 || c === 91 || c === 93 || c === 123 || c === 125))
        )
          break;
        if (leadingBlanks || whitespaces.length > 0) {
          if (leadingBlanks) {
            if (leadingBreak === '\n') s += trailingBreaks === '' ? ' ' : trailingBreaks;
            else s += leadingBreak + trailingBreaks;
            trailingBreaks = '';
            leadingBreak = '';
            leadingBlanks = false;
          } else {
            s += whitespaces;
            whitespaces = '';
          }
        }
        s += this.t[this.p];
        this.skip();
        end = this.p;
        line1 = this.line;
      }
      if (!(isBlankC(this.c()) || isBreakC(this.c()))) break;
      while (isBlankC(this.c()) || isBreakC(this.c())) {
        if (isBlankC(this.c())) {
          if (leadingBlanks && this.col < indent && this.c() === 9) {
            this.err(this.p, TAB_INDENT);
          }
          if (!leadingBlanks) whitespaces += this.t[this.p];
          this.skip();
        } else if (!leadingBlanks) {
          whitespaces = '';
          leadingBreak = this.readLine();
          leadingBlanks = true;
        } else {
          trailingBreaks += this.readLine();
        }
      }
      if (this.flowLevel === 0 && this.col < indent) break;
    }
    if (leadingBlanks) this.simpleKeyAllowed = true;
    return { start, end, line0, line1, value: s };
  }
}

/** Scans `text` as go-yaml v2 does; see the module comment. */
export function scanYaml11(text: string): Yaml11Scan {
  const s = new Scanner(text);
  s.run();
  return s.result();
}
