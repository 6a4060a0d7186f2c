/**
 * The stylish report of a `--cache` run, file by file: a file whose stored result is unchanged since the
 * previous run printed it copies that text (engine/report-blocks.ts) without decoding its findings; every
 * file's text is recorded with its result's digest for the next run. The bytes are those `writeStylish`
 * writes for all files at once: its per-file text is independent of the other files.
 */
import type { FileFindings } from './engine/finding.js';
import type { ReplayRecorder } from './engine/cache-replay.js';
import type { StoredBlock } from './engine/cache-replay.js';
import type { PreviousBlocks } from './engine/report-blocks.js';
import { countsOf, digestOf } from './engine/stored-result.js';
import type { FormatContext } from './report/types.js';

/** How many files' texts the last report copied from the previous run, and made (for tests). */
export const lastBlockStats = { copied: 0, made: 0 };

/** Where the report goes: text, and bytes copied from the previous output (each piece valid only during the call). */
export interface BlockSink {
  write: (s: string) => void;
  bytes: (b: Buffer) => void;
}

/** Writes the stylish report of `files` to `out`, and returns its summary line (the caller's to write last). */
export function writeStylishBlocks(
  files: readonly FileFindings[],
  ctx: FormatContext,
  out: BlockSink,
  recorder: ReplayRecorder | undefined,
  previous: PreviousBlocks | undefined,
): string {
  const { writeStylish } = require('./report/stylish.js') as typeof import('./report/stylish.js');
  const start = recorder?.stdoutOffset();
  const blocks: StoredBlock[] = [];
  const alone = { ...ctx, notes: [] };
  let off = 0;
  lastBlockStats.copied = 0;
  lastBlockStats.made = 0;
  // copied texts that follow each other in the previous output are copied in one go: [offset, length]
  let run: [number, number] | undefined;
  const flushRun = (): void => {
    if (run) previous!.copy(run[0], run[1], out.bytes);
    run = undefined;
  };
  for (const r of files) {
    const [errors, warnings, infos] = countsOf(r);
    // a file without findings prints nothing
    if (errors + warnings + infos === 0) continue;
    const digest = digestOf(r);
    const copy = digest === undefined ? undefined : previous?.get(r.filePath, digest);
    let len: number;
    if (copy !== undefined) {
      lastBlockStats.copied++;
      len = copy[1];
      if (run && run[0] + run[1] === copy[0]) run[1] += len;
      else {
        flushRun();
        run = [copy[0], len];
      }
    } else {
      lastBlockStats.made++;
      const parts: string[] = [];
      writeStylish([r], alone, (s) => parts.push(s));
      const text = parts.length === 1 ? parts[0]! : parts.join('');
      if (text === '') continue;
      flushRun();
      out.write(text);
      len = Buffer.byteLength(text);
    }
    if (digest !== undefined && start !== undefined) blocks.push([r.filePath, digest, start + off, len]);
    off += len;
  }
  flushRun();
  if (recorder && start !== undefined && blocks.length) recorder.blocks = blocks;
  // the notes, and the summary line
  return writeStylish([], ctx, out.write);
}
