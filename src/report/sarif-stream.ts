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
 */
export class GzipCounter {
  private pending: string[] = [];
  private pendingLength = 0;
  private compressed = 0;
  bytes = 0;
  write(chunk: string): void {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    if (this.pendingLength >= 4 << 20) this.flush();
  }
  private flush(): void {
    if (this.pending.length === 0) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    this.bytes += buf.length;
    this.compressed += zlib.gzipSync(buf).length;
  }
  /** The gzip size of everything written. */
  end(): number {
    this.flush();
    return this.compressed;
  }
}
