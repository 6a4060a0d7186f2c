/** The scanner's fetch_next_token: one token at a time, flow collections, indicators and document markers. */
import { isBlankC, isBlankzC, isBreakzC, ScanError, TAB_INDENT } from './yaml11-chars.js';
import { ScalarScanner } from './yaml11-scalars.js';

export class TokenFetcher extends ScalarScanner {
  // ---- fetch_next_token ----

  /** Fetches one token; true at the end of the stream. */
  protected fetchNext(): boolean {
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
}
