/**
 * The stylish report's text of each file, reused from the previous run's output (`<cache>.out`) by a
 * `--cache` run whose inputs changed: a file whose stored result has the digest it had when that text was
 * printed (stored-result.ts), with the same output options and the same tool and configuration, prints
 * the same text, which is copied rather than made again (and the file's findings are not decoded).
 *
 * The text is copied from the file through one reused buffer, not read up front: 4.7 MB read into fresh
 * memory at 5,000 resources cost the first touch of 1,150 pages (about 15 µs each on this VM), about 10 ms
 * of CPU and 20 of wall time more than the pieces.
 */
import * as fs from 'node:fs';
import { readTrailer } from './cache-replay.js';

/** The size of the buffer the copied text goes through (tests make it small). */
export const blockCopy = { piece: 1 << 18 };

export interface PreviousBlocks {
  /**
   * Where the previous run printed the text of the file whose result has this digest, if it printed it:
   * [offset in its stdout, length] (texts of files printed one after the other are adjacent, and copied in one go).
   */
  get(filePath: string, digest: string): [off: number, len: number] | undefined;
  /**
   * Hands `len` bytes of the previous stdout from `off` to `sink`, in pieces of one reused buffer: a piece is valid
   * only during the call (a sink that keeps it must copy it).
   */
  copy(off: number, len: number, sink: (piece: Buffer) => void): void;
  /** The previous output is not read any more. */
  close(): void;
}

/** The blocks of the replay file `file` when its format, key and output options are these. */
export function readBlocks(file: string, format: number, key: string, output: string): PreviousBlocks | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const { t, bodyEnd } = readTrailer(fd);
    if (t.format !== format || t.key !== key || t.output !== output || !t.blocks?.length) return undefined;
    // stdout's pieces (usually one): where each starts in stdout and in the file
    const spans: [at: number, pos: number, n: number][] = [];
    let pos = 0;
    let stdoutLength = 0;
    for (const [where, n] of t.pieces) {
      if (where === -1 && n > 0) {
        spans.push([stdoutLength, pos, n]);
        stdoutLength += n;
      }
      pos += n;
    }
    if (pos !== bodyEnd) return undefined;
    const byPath = new Map<string, [string, number, number]>();
    for (const [p, d, off, len] of t.blocks) {
      if (!(Number.isInteger(off) && Number.isInteger(len) && off >= 0 && len > 0 && off + len <= stdoutLength)) return undefined;
      byPath.set(p, [d, off, len]);
    }
    const src = fd;
    fd = undefined;
    let open = true;
    let buf: Buffer | undefined;
    return {
      get(filePath, digest) {
        const b = byPath.get(filePath);
        return b && b[0] === digest ? [b[1], b[2]] : undefined;
      },
      copy(off, len, sink) {
        if (!open) throw new Error('the previous output is closed');
        buf ??= Buffer.allocUnsafe(Math.min(blockCopy.piece, stdoutLength));
        for (const [at, start, n] of spans) {
          // the part of [off, off + len) in this span
          const from = Math.max(off, at);
          const to = Math.min(off + len, at + n);
          for (let p = from; p < to; ) {
            const want = Math.min(buf.length, to - p);
            const got = fs.readSync(src, buf, 0, want, start + (p - at));
            if (got === 0) throw new Error('the previous output is truncated');
            sink(buf.subarray(0, got));
            p += got;
          }
        }
      },
      close() {
        if (open) fs.closeSync(src);
        open = false;
      },
    };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
