/**
 * The stylish report's text of each file, reused from the previous run's output (`<cache>.out`) by a
 * `--cache` run whose inputs changed: a file whose stored result has the digest it had when that text was
 * printed (stored-result.ts), with the same output options and the same tool and configuration, prints
 * the same text, which is copied rather than made again (and the file's findings are not decoded).
 */
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import { readAt, readTrailer } from './cache-replay.js';

export interface PreviousBlocks {
  /** The text the previous run printed for the file whose result has this digest, if it printed it. */
  get(filePath: string, digest: string): string | undefined;
}

/** The blocks of the replay file `file` when its format, key and output options are these. */
export function readBlocks(file: string, format: number, key: string, output: string): PreviousBlocks | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const { t, bodyEnd } = readTrailer(fd);
    if (t.format !== format || t.key !== key || t.output !== output || !t.blocks?.length) return undefined;
    const body = readAt(fd, 0, bodyEnd);
    // stdout's bytes, in order (usually one piece)
    const parts: Buffer[] = [];
    let pos = 0;
    for (const [where, n] of t.pieces) {
      if (where === -1) parts.push(body.subarray(pos, pos + n));
      pos += n;
    }
    const stdout = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    // usually ASCII: decoded once, each file's text a slice of it (byte offsets are character offsets)
    const ascii = typeof isAscii === 'function' && isAscii(stdout) ? stdout.toString('latin1') : undefined;
    const byPath = new Map<string, [string, number, number]>();
    for (const [p, d, off, len] of t.blocks) {
      if (!(Number.isInteger(off) && Number.isInteger(len) && off >= 0 && len > 0 && off + len <= stdout.length)) return undefined;
      byPath.set(p, [d, off, len]);
    }
    return {
      get(filePath, digest) {
        const b = byPath.get(filePath);
        if (!b || b[0] !== digest) return undefined;
        return ascii !== undefined ? ascii.slice(b[1], b[1] + b[2]) : stdout.toString('utf8', b[1], b[1] + b[2]);
      },
    };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
