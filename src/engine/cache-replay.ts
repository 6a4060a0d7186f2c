// What a run printed and wrote, kept in `<cache>.out`: recorded as it is written (ReplayRecorder), replayed as is (ReplayHit).
import * as fs from 'node:fs';
import * as path from 'node:path';

export function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.allocUnsafe(len);
  let got = 0;
  while (got < len) {
    const n = fs.readSync(fd, buf, got, len - got, pos + got);
    if (n === 0) throw new Error('the replay is truncated');
    got += n;
  }
  return buf;
}

/**
 * The trailer of the replay file open at `fd`, and where its body ends; throws when it is corrupt. With `blocks`
 * false, the stylish text's blocks (kept in their own JSON before the trailer) are not read: the warm path does
 * not need them, and they were half of what it parsed.
 */
export function readTrailer(fd: number, blocks = true): { t: ReplayTrailer; bodyEnd: number } {
  const size = fs.fstatSync(fd).size;
  if (size < TRAILER_DIGITS) throw new Error('corrupt');
  const len = Number(readAt(fd, size - TRAILER_DIGITS, TRAILER_DIGITS).toString('latin1'));
  const trailerAt = size - TRAILER_DIGITS - len;
  if (!Number.isInteger(len) || trailerAt < 0) throw new Error('corrupt');
  const t = JSON.parse(readAt(fd, trailerAt, len).toString('utf8')) as ReplayTrailer;
  const blocksLength = t.blocksLength ?? 0;
  delete t.blocksLength;
  const bodyEnd = trailerAt - blocksLength;
  if (!Number.isInteger(blocksLength) || blocksLength < 0 || bodyEnd < 0) throw new Error('corrupt');
  if (!Array.isArray(t.pieces) || t.pieces.reduce((a, p) => a + p[1], 0) !== bodyEnd) throw new Error('corrupt');
  if (blocks && blocksLength > 0) t.blocks = JSON.parse(readAt(fd, bodyEnd, blocksLength).toString('utf8')) as StoredBlock[];
  return { t, bodyEnd };
}

/**
 * What a run printed and wrote, replayed as is when neither its inputs nor its output options changed.
 * `<cache>.out` holds the raw bytes of every piece in the order they were written (stdout, stderr, or
 * an output file), then the JSON of the stylish text's blocks (if any), then a JSON trailer describing them,
 * then the trailer's length (10 digits): a warm run reads the trailer and copies the pieces out, without
 * decoding or parsing the previous output.
 */
export interface ReplayTrailer {
  format: number;
  key: string;
  files: string;
  output: string;
  code: number;
  /** output files, by the index a piece names */
  paths: string[];
  /** [where (-1 stdout, -2 stderr, else an index into paths), byte length] */
  pieces: [number, number][];
  /** the stylish report's text of each file, for a later run with other inputs (report-blocks.ts): where it is in stdout */
  blocks?: StoredBlock[];
  /** in the file only: the byte length of the blocks' JSON, written between the body and the trailer */
  blocksLength?: number;
  /** what the warm path (src/cli-warm.ts) checks before replaying this without the linter */
  warm?: import('./warm-key.js').WarmRecord;
}

/** A file's part of the stylish report: its path, the digest of its stored result, its byte offset in stdout and byte length. */
export type StoredBlock = [filePath: string, digest: string, off: number, len: number];

export const REPLAY_FORMAT = 3;
export const DEFAULT_CACHE_LOCATION = '.k8s-gold-cache';
export const TRAILER_DIGITS = 10;

/**
 * The end of `<cache>.out` after the body: the blocks' JSON (if any), the trailer's JSON (with the blocks' byte
 * length instead of them), then the trailer JSON's byte length in TRAILER_DIGITS digits.
 */
function trailerText(t: ReplayTrailer): string {
  const { blocks, blocksLength: _, ...rest } = t;
  const b = blocks ? JSON.stringify(blocks) : '';
  const json = JSON.stringify(b ? { ...rest, blocksLength: Buffer.byteLength(b) } : rest);
  return `${b}${json}${String(Buffer.byteLength(json)).padStart(TRAILER_DIGITS, '0')}`;
}

/**
 * Replaces the trailer of `file` (its body ends at `bodyEnd`), in place: a new file renamed over it would change its
 * directory's stamp, which a warm record may hold. A reader that meets it half written finds no valid trailer.
 */
export function rewriteTrailer(file: string, bodyEnd: number, t: ReplayTrailer): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.ftruncateSync(fd, bodyEnd);
    fs.writeSync(fd, trailerText(t), bodyEnd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Plays a recorded output from `src` (`<cache>.out`) in the recorded order: output files are written here, stdout (-1)
 * and stderr (-2) pieces go to `out`. With `buf`, a piece is read through that one reused buffer in chunks of its
 * size (the warm path: megabytes of output allocate nothing; `out` must not keep the bytes); without, whole.
 */
export function playPieces(t: ReplayTrailer, src: number, out: (where: -1 | -2, bytes: Buffer) => void, buf?: Buffer): void {
  const open = new Map<number, number>();
  try {
    let pos = 0;
    for (const [where, n] of t.pieces) {
      let fd: number | undefined;
      if (where >= 0) {
        fd = open.get(where);
        if (fd === undefined) {
          const p = t.paths[where]!;
          fs.mkdirSync(path.dirname(p), { recursive: true });
          open.set(where, (fd = fs.openSync(p, 'w')));
        }
      }
      for (let done = 0; done < n; ) {
        const len = buf ? Math.min(buf.length, n - done) : n;
        let bytes: Buffer;
        if (buf) {
          if (fs.readSync(src, buf, 0, len, pos + done) !== len) throw new Error('the replay is truncated');
          bytes = buf.subarray(0, len);
        } else bytes = readAt(src, pos, len);
        if (fd !== undefined) fs.writeSync(fd, bytes);
        else out(where as -1 | -2, bytes);
        done += len;
      }
      pos += n;
    }
  } finally {
    for (const fd of open.values()) fs.closeSync(fd);
  }
}

/** Records what a run prints and writes into `<cache>.out`, as it is written; committed only at the end of a successful run. */
export class ReplayRecorder {
  private fd: number | undefined;
  private readonly tmp: string;
  private readonly paths: string[] = [];
  private readonly pieces: [number, number][] = [];
  constructor(
    private readonly target: string,
    private readonly header: Omit<ReplayTrailer, 'code' | 'paths' | 'pieces'>,
    private readonly warn: (msg: string) => void,
  ) {
    this.tmp = `${target}.${process.pid}.tmp`;
    try {
      this.fd = fs.openSync(this.tmp, 'w');
    } catch (e) {
      this.warn(`cannot write the cache ${path.basename(target)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  /** consecutive pieces for one destination, written together (a stylish report comes in thousands of small pieces) */
  private pending: string[] = [];
  private pendingWhere = 0;
  private pendingChars = 0;
  /** bytes of stdout written so far */
  private stdoutWritten = 0;
  /** set by the report: the stylish text of each file (see StoredBlock) */
  blocks: StoredBlock[] | undefined;

  private piece(where: number, s: string): void {
    if (this.fd === undefined || s === '') return;
    if (where !== this.pendingWhere) this.flush();
    this.pendingWhere = where;
    this.pending.push(s);
    this.pendingChars += s.length;
    if (this.pendingChars >= 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0 || this.fd === undefined) return;
    const data = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    try {
      const n = fs.writeSync(this.fd, data);
      if (this.pendingWhere === -1) this.stdoutWritten += n;
      const last = this.pieces[this.pieces.length - 1];
      if (last && last[0] === this.pendingWhere) last[1] += n;
      else this.pieces.push([this.pendingWhere, n]);
    } catch {
      this.discard();
    }
  }
  stdout(s: string): void {
    this.piece(-1, s);
  }
  /** Bytes for stdout (a stylish text copied from the previous output): written as they are. */
  stdoutBytes(b: Uint8Array): void {
    if (this.fd === undefined || b.length === 0) return;
    this.flush();
    try {
      for (let done = 0; done < b.length; ) done += fs.writeSync(this.fd, b, done, b.length - done);
      this.stdoutWritten += b.length;
      const last = this.pieces[this.pieces.length - 1];
      if (last && last[0] === -1) last[1] += b.length;
      else this.pieces.push([-1, b.length]);
    } catch {
      this.discard();
    }
  }
  /** The byte offset in stdout of what is written next (undefined when nothing is recorded). */
  stdoutOffset(): number | undefined {
    this.flush();
    return this.fd === undefined ? undefined : this.stdoutWritten;
  }
  stderr(s: string): void {
    this.piece(-2, s);
  }
  /** A piece of an output file (the first piece of a path truncates it on replay). */
  file(abs: string, s: string): void {
    let i = this.paths.indexOf(abs);
    if (i < 0) i = this.paths.push(abs) - 1;
    // an empty file is still written
    if (s === '' && this.fd !== undefined) {
      this.flush();
      this.pieces.push([i, 0]);
    } else this.piece(i, s);
  }
  commit(code: number): void {
    this.flush();
    if (this.fd === undefined) return;
    try {
      const t: ReplayTrailer = { ...this.header, code, paths: this.paths, pieces: this.pieces };
      if (this.blocks) t.blocks = this.blocks;
      fs.writeSync(this.fd, trailerText(t));
      fs.closeSync(this.fd);
      this.fd = undefined;
      fs.renameSync(this.tmp, this.target);
    } catch (e) {
      this.warn(`cannot write the cache ${path.basename(this.target)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      this.discard();
    }
  }
  discard(): void {
    this.pending = [];
    this.pendingChars = 0;
    if (this.fd !== undefined) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
    try {
      fs.unlinkSync(this.tmp);
    } catch {
      // nothing to clean
    }
  }
}

/** A replay found in `<cache>.out`: `play` writes the files and prints stdout and stderr in the recorded order. */
export interface ReplayHit {
  code: number;
  play: (io: {
    stdout: (s: string) => void;
    stderr: (s: string) => void;
    writeBytes?: (to: 'stdout' | 'stderr', bytes: Uint8Array) => void;
  }) => void;
}
