/** Writing a SARIF log in pieces, with the bytes `JSON.stringify(log, null, 2) + "\n"` has, and counting its gzip size. */
import * as zlib from 'node:zlib';
import type * as Sarif from 'sarif';

const RESULTS_MARK = '\u0000k8s-gold:results\u0000';

/**
 * Writes the log of the kept entries as `JSON.stringify(log, null, 2) + "\n"` would, one result at a
 * time: the log around the results is serialised with a placeholder, and each result is serialised on
 * its own and indented to its depth (JSON strings hold no raw line breaks, so indenting after every
 * line break is exact).
 */
export function emitSarif<E>(
  plan: { skeleton: (kept: E[]) => Sarif.Log; ordered: (kept: E[]) => E[]; result: (e: E) => Sarif.Result },
  kept: E[],
  write: (chunk: string) => void,
): void {
  const log = plan.skeleton(kept);
  const ordered = plan.ordered(kept);
  if (ordered.length === 0) {
    write(JSON.stringify(log, null, 2) + '\n');
    return;
  }
  (log.runs[0] as { results: unknown }).results = RESULTS_MARK;
  const outer = JSON.stringify(log, null, 2);
  const mark = JSON.stringify(RESULTS_MARK);
  const at = outer.indexOf(mark);
  const lineStart = outer.lastIndexOf('\n', at) + 1;
  // the indentation of the "results" key; its items are one level deeper
  const keyIndent = outer.slice(lineStart, outer.indexOf('"', lineStart));
  const itemIndent = `${keyIndent}  `;
  const nl = `\n${itemIndent}`;
  write(`${outer.slice(0, at)}[`);
  for (let i = 0; i < ordered.length; i++) {
    const json = JSON.stringify(plan.result(ordered[i]!), null, 2);
    write((i === 0 ? nl : `,${nl}`) + json.replaceAll('\n', nl));
  }
  write(`\n${keyIndent}]${outer.slice(at + mark.length)}\n`);
}

/**
 * Counts the bytes of a stream of strings and their gzip-compressed size, holding neither: every 4 MB is
 * compressed as its own gzip member. A sequence of members is a valid gzip file of the whole, so the count
 * is the size of a real gzip encoding of the log (a little larger than one member would be: each member
 * starts without the previous 32 KB to refer to, under 1% on logs as repetitive as SARIF).
 *
 * The pieces are encoded into one reused byte buffer as they come, not kept as strings until the member is
 * full: kept, they lived through young-generation collections and were promoted, so that each pass over a
 * large log left its whole text as garbage in the old generation. The members and their bytes are those of
 * `Buffer.from(pieces.join(''))` (a high surrogate that ends a piece waits for the next piece).
 */
export class GzipCounter {
  private buf = Buffer.allocUnsafe(8 << 20);
  private used = 0;
  /** the pieces and UTF-16 code units of the member being filled */
  private pieces = 0;
  private pendingLength = 0;
  private carry = '';
  private compressed = 0;
  bytes = 0;
  write(chunk: string): void {
    this.pieces++;
    this.pendingLength += chunk.length;
    let s = this.carry ? this.carry + chunk : chunk;
    this.carry = '';
    const last = s.charCodeAt(s.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.carry = s.slice(-1);
      s = s.slice(0, -1);
    }
    this.put(s);
    if (this.pendingLength >= 4 << 20) this.flush();
  }
  private put(s: string): void {
    const need = this.used + s.length * 3;
    if (need > this.buf.length) {
      const b = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(b, 0, 0, this.used);
      this.buf = b;
    }
    this.used += this.buf.write(s, this.used, 'utf8');
  }
  private flush(): void {
    if (this.pieces === 0) return;
    if (this.carry) this.put(this.carry);
    this.carry = '';
    const bytes = this.buf.subarray(0, this.used);
    this.bytes += bytes.length;
    this.compressed += zlib.gzipSync(bytes).length;
    this.pieces = 0;
    this.pendingLength = 0;
    this.used = 0;
  }
  /** The gzip size of everything written. */
  end(): number {
    this.flush();
    return this.compressed;
  }
}
