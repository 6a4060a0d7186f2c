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
import { isBreakC, isBlankzC, lineOfTok, ScanError, type Yaml11Scan } from './yaml11-chars.js';
import { TokenFetcher } from './yaml11-fetch.js';

export type { Yaml11Error, Yaml11Scan } from './yaml11-chars.js';

class Scanner extends TokenFetcher {
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
}

/** Scans `text` as go-yaml v2 does; see the module comment. */
export function scanYaml11(text: string): Yaml11Scan {
  const s = new Scanner(text);
  s.run();
  return s.result();
}
