/** The scanner's token scanners: anchors, tags, and the three scalar scanners (block, quoted, plain). */
import {
  isAlphaC,
  isBlankC,
  isBlankzC,
  isBreakC,
  isBreakzC,
  isHexC,
  type ScalarTok,
  SIMPLE_ESCAPES,
  TAB_INDENT,
  TAG_URI_EXTRA,
} from './yaml11-chars.js';
import { ScannerState } from './yaml11-state.js';

export class ScalarScanner extends ScannerState {
  protected scanAnchor(alias: boolean): void {
    const s = this.p;
    this.skip();
    const b = this.p;
    while (isAlphaC(this.c())) this.skip();
    const c = this.c();
    if (this.p === b || !(isBlankzC(c) || '?:,]}%@`'.includes(String.fromCharCode(c)))) {
      this.err(s, `an ${alias ? 'alias' : 'anchor'} name must be letters, digits, "_" or "-", followed by a space`);
    }
  }

  protected scanTag(): void {
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

  protected scanBlockScalar(literal: boolean): void {
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

  protected scanFlowScalar(single: boolean): ScalarTok {
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

  protected scanPlainScalar(): ScalarTok {
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
