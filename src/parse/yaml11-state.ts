/** The scanner's state: the cursor over the text, the document's pending edits, simple keys and indentation. */
import {
  isBlankC,
  isBlankzC,
  isBreakC,
  isBreakzC,
  ScanError,
  type ScalarTok,
  type SimpleKey,
  type Yaml11Error,
  type Yaml11Scan,
} from './yaml11-chars.js';

export class ScannerState {
  protected p = 0;
  protected line = 0;
  protected col = 0;
  protected flowLevel = 0;
  protected indent = -1;
  protected indents: number[] = [];
  protected simpleKeyAllowed = true;
  protected simpleKeys: SimpleKey[] = [];
  /** where each open flow collection starts (offset, line) */
  protected flowStarts: [number, number, boolean][] = [];
  /** an error inside a flow collection, reported when the collection closes */
  protected pending: ScanError | undefined;
  protected pendingLevel = 0;

  // per-document pending edits
  protected collapse: [number, number][] = [];
  private blank: [number, number][] = [];
  protected scalars: ScalarTok[] = [];
  protected flowScalars: ScalarTok[] = [];
  protected comments: [number, number, boolean][] = [];

  readonly out: string[] | undefined = undefined;
  private edits: { collapse: [number, number][]; blank: [number, number][]; values: [number, string][] }[] = [];
  readonly errors: Yaml11Error[] = [];

  constructor(protected readonly t: string) {}

  protected c(k = 0): number {
    return this.t.charCodeAt(this.p + k);
  }

  protected skip(): void {
    this.p++;
    this.col++;
  }

  protected skipLine(): void {
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
  protected readLine(): string {
    this.skipLine();
    return '\n';
  }

  protected err(offset: number, message: string): never {
    throw new ScanError(offset, message);
  }

  protected discardDoc(): void {
    this.collapse = [];
    this.blank = [];
    this.scalars = [];
    this.flowScalars = [];
    this.comments = [];
  }

  /** The document so far had no error: keep its edits. */
  protected commitDoc(): void {
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

  protected staleSimpleKeys(): void {
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

  protected saveSimpleKey(): void {
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

  protected removeSimpleKey(): void {
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

  protected rollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > 10000) this.err(this.p, 'nesting deeper than 10000 levels');
    }
  }

  protected unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) this.indent = this.indents.pop()!;
  }

  protected scanToNextToken(): void {
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

  protected docIndicatorHere(): boolean {
    return this.col === 0 && (this.t.startsWith('---', this.p) || this.t.startsWith('...', this.p)) && isBlankzC(this.c(3));
  }
}
