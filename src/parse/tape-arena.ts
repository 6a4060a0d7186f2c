/**
 * Where finished span tapes live: shared chunks of 512 KB, one tape after another, and the writers' scratch.
 *
 * A file's tape is released once the file is linted (engine/file-stage.ts `releasePositions`), and its memory should
 * be given back then, not at the next full GC (27 MB at 20,000 resources). A resizable ArrayBuffer shrunk to nothing
 * does that, but each resize is a system call costing about 0.4 ms here, and each fresh buffer new pages: one buffer
 * per tape cost 180 ms of CPU in a cold lint of 5,000 resources. So tapes share chunks, and a chunk shrinks to nothing
 * when its last tape is released (a few calls per run); a tape of more than a quarter of a chunk gets a buffer of
 * its own. The chunk being filled is kept and reused from its start once every tape in it is released.
 */

const CHUNK_BYTES = 512 * 1024;
const CHUNK_INTS = CHUNK_BYTES / Int32Array.BYTES_PER_ELEMENT;
/** tapes of more int32s than this get a buffer of their own */
const OWN_FROM = CHUNK_INTS / 4;
/** a writer's scratch larger than this (int32s, 4 MB) is not kept for the next writer */
const SPARE_MAX = 1 << 20;

/** A buffer that tapes share, and how many of them are not released yet. */
export class TapeChunk {
  used = 0;
  live = 0;
  constructor(readonly buffer: ArrayBuffer) {}
}

const ResizableBuffer = ArrayBuffer as unknown as new (length: number, opts: { maxByteLength: number }) => ArrayBuffer;

let current: TapeChunk | undefined;
let spare: Int32Array | undefined;

/** A copy of `src` in a chunk, and that chunk (to give it back with `releaseTape`). */
export function storeTape(src: Int32Array): { data: Int32Array; chunk: TapeChunk } {
  const n = src.length;
  let chunk: TapeChunk;
  if (n > OWN_FROM) {
    chunk = new TapeChunk(new ResizableBuffer(n * Int32Array.BYTES_PER_ELEMENT, { maxByteLength: n * Int32Array.BYTES_PER_ELEMENT }));
  } else {
    if (!current || current.used + n > CHUNK_INTS)
      current = new TapeChunk(new ResizableBuffer(CHUNK_BYTES, { maxByteLength: CHUNK_BYTES }));
    chunk = current;
  }
  const data = new Int32Array(chunk.buffer, chunk.used * Int32Array.BYTES_PER_ELEMENT, n);
  data.set(src);
  chunk.used += n;
  chunk.live++;
  return { data, chunk };
}

/** One tape of `chunk` is released: the last one gives the chunk's memory back (or its room, when it is being filled). */
export function releaseTape(chunk: TapeChunk): void {
  if (--chunk.live > 0) return;
  if (chunk === current) {
    chunk.used = 0;
    return;
  }
  const b = chunk.buffer as ArrayBuffer & { resize?: (n: number) => void };
  b.resize?.(0);
}

/** The scratch a writer fills (grown by the previous writers), or a new one. */
export function takeScratch(): Int32Array {
  const s = spare ?? new Int32Array(64 * 6);
  spare = undefined;
  return s;
}

/** A writer is done with its scratch: the next one may use it. */
export function giveScratch(s: Int32Array): void {
  if (s.length <= SPARE_MAX) spare = s;
}
