/**
 * The stylish report's text of each file, reused from the previous run's output (`<cache>.out`) by a
 * `--cache` run whose inputs changed: a file whose stored result has the digest it had when that text was
 * printed (stored-result.ts), with the same output options and the same tool and configuration, prints
 * the same text, which is copied rather than made again (and the file's findings are not decoded).
 */
import * as fs from 'node:fs';
import { readAt, readTrailer } from './cache-replay.js';

export interface PreviousBlocks {
  /**
   * The bytes the previous run printed for the file whose result has this digest, if it printed it: a view
   * of its whole output, so that the texts of files printed one after the other are adjacent (and copied
   * out in one write, see cli-stylish.ts).
   */
  get(filePath: string, digest: string): Buffer | undefined;
}

/** The blocks of the replay file `file` when its format, key and output options are these. */
export function readBlocks(file: string, format: number, key: string, output: string): PreviousBlocks | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const { t, bodyEnd } = readTrailer(fd);
    if (t.format !== format || t.key !== key || t.output !== output || !t.blocks?.length) return undefined;
    // stdout's bytes, in order (usually one piece): only they are read, and never decoded
    const parts: Buffer[] = [];
    let pos = 0;
    for (const [where, n] of t.pieces) {
      if (where === -1) parts.push(readAt(fd, pos, n));
      pos += n;
    }
    if (pos !== bodyEnd) return undefined;
    const stdout = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    const byPath = new Map<string, [string, number, number]>();
    for (const [p, d, off, len] of t.blocks) {
      if (!(Number.isInteger(off) && Number.isInteger(len) && off >= 0 && len > 0 && off + len <= stdout.length)) return undefined;
      byPath.set(p, [d, off, len]);
    }
    return {
      get(filePath, digest) {
        const b = byPath.get(filePath);
        if (!b || b[0] !== digest) return undefined;
        return stdout.subarray(b[1], b[1] + b[2]);
      },
    };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
