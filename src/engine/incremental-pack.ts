/**
 * The files of the incremental state (incremental-store.ts): records (byte strings) kept in two files, so
 * that a run writes only what changed rather than the whole state.
 *
 * - `<state>.pack`: the bulk, rewritten only when compacted. Its records are never changed in place; its
 *   header names it (a random id) and says where the records read lazily begin (`lazyStart`): only the
 *   bytes before are read up front.
 * - `<state>`: the current header (which names the pack it goes with) and the records written since the
 *   pack was, rewritten by every run. When they grow past a quarter of the pack, the next write compacts.
 *
 * Both files are written to a temporary name and renamed. A reader that finds the state file naming
 * another pack than the one present (a concurrent compaction) uses no state at all.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import { readAt } from './cache-replay.js';

/** When a write compacts: the records added since the pack past `ratio` of its size, and past `minBytes` (tests set these). */
export const compaction = { minBytes: 1 << 18, ratio: 0.25 };

/** Where a record is: in the pack (0) or the state file (1), at a byte offset, with a length. */
export type Ref = [src: 0 | 1, off: number, len: number];

/** Closes the pack of a reader that was closed while results could still be read from it, once they cannot. */
const lateClose = new FinalizationRegistry<number>((fd) => {
  try {
    fs.closeSync(fd);
  } catch {
    // closed already
  }
});

/** The state as read: its header, and the records by reference. */
export class PackReader {
  private fd: number | undefined;
  /** after close: the pack, for the records read late (the results a report decodes after the run) */
  private lateFd: number | undefined;
  private constructor(
    readonly header: unknown,
    private readonly delta: Buffer,
    private readonly packHead: Buffer,
    private readonly packId: string,
    private readonly lazyStart: number,
    fd: number | undefined,
    readonly packSize: number,
  ) {
    this.fd = fd;
  }

  /** The state at `file`, or undefined when there is none or it does not hold together. */
  static open(file: string): PackReader | undefined {
    let fd: number | undefined;
    try {
      const delta = fs.readFileSync(file);
      const hlen = delta.readUInt32LE(0);
      const h = v8.deserialize(delta.subarray(4, 4 + hlen)) as { pack: string; body: unknown };
      if (typeof h.pack !== 'string' || h.pack === '') return undefined;
      fd = fs.openSync(`${file}.pack`, 'r');
      const packSize = fs.fstatSync(fd).size;
      const plen = readAt(fd, 0, 4).readUInt32LE(0);
      const ph = v8.deserialize(readAt(fd, 4, plen)) as { id: string; lazyStart: number };
      if (ph.id !== h.pack || !(ph.lazyStart <= packSize)) throw new Error('another pack');
      const packHead = readAt(fd, 0, ph.lazyStart);
      if (4 + hlen > delta.length) throw new Error('truncated');
      return new PackReader(h.body, delta.subarray(4 + hlen), packHead, ph.id, ph.lazyStart, fd, packSize);
    } catch {
      if (fd !== undefined) fs.closeSync(fd);
      return undefined;
    }
  }

  /**
   * A record's bytes (a record of the pack past `lazyStart` is read now). `late`: the record may be read
   * after the reader is closed (a stored result, decoded when a report reads its findings).
   */
  bytes(r: Ref, late = false): Buffer {
    const [src, off, len] = r;
    if (src === 1) {
      if (off + len > this.delta.length) throw new Error('the state is truncated');
      return this.delta.subarray(off, off + len);
    }
    if (off + len <= this.lazyStart) return this.packHead.subarray(off, off + len);
    const fd = this.fd ?? (late ? this.lateFd : undefined);
    if (fd === undefined) throw new Error('the state is closed');
    return readAt(fd, off, len);
  }

  /** Whether a record can be named again as it is by the next state (it is in the pack, which stays). */
  inPack(r: Ref): boolean {
    return r[0] === 0;
  }

  get id(): string {
    return this.packId;
  }

  /**
   * No record is read any more; with `keepLate`, but the late ones: the pack stays open for them (the file it was, even once
   * a compaction replaced it) until the reader, which the stored results hold, is collected.
   */
  close(keepLate = false): void {
    if (this.fd === undefined) return;
    if (keepLate) {
      this.lateFd = this.fd;
      lateClose.register(this, this.fd);
    } else fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Builds the next state: records named as they are in the current pack, or added. `finish` decides
 * whether to compact (no pack to keep, or the added records past a quarter of it).
 */
export class PackWriter {
  private readonly added: Buffer[] = [];
  private addedBytes = 0;
  /** every record of the next state, for a compaction: its bytes or where to read them */
  private readonly all: { ref?: Ref; buf?: Buffer; out: Ref; early: boolean }[] = [];

  constructor(private readonly prev: PackReader | undefined) {}

  /**
   * The reference the next state gives a record: `ref` (in the current state) when it is kept as it is,
   * else its bytes `buf` (or `ref`'s, copied) are added. `early`: read up front (else lazily).
   */
  put(early: boolean, buf: Buffer | undefined, ref?: Ref): Ref {
    if (!buf && ref && this.prev?.inPack(ref)) {
      const kept: Ref = [0, ref[1], ref[2]];
      this.all.push({ ref, out: kept, early });
      return kept;
    }
    const b = buf ?? this.prev!.bytes(ref!);
    const out: Ref = [1, this.addedBytes, b.length];
    this.added.push(b);
    this.addedBytes += b.length;
    this.all.push({ buf: b, out, early });
    return out;
  }

  /** The files to write, each in pieces: the pack when compacting, and the state file (`header` gets the references). */
  finish(header: (pack: string) => unknown): { pack?: Buffer[]; state: Buffer[] } {
    const prev = this.prev;
    if (prev && this.addedBytes <= Math.max(compaction.minBytes, prev.packSize * compaction.ratio)) {
      return { state: frame({ pack: prev.id, body: header(prev.id) }, this.added) };
    }
    // compaction: every record into a new pack, those read up front first; the references are rewritten in place
    const id = crypto.randomBytes(8).toString('hex');
    const bufs = this.all.map((r) => r.buf ?? prev!.bytes(r.ref!));
    const order = [...this.all.keys()].sort((a, b) => Number(this.all[b]!.early) - Number(this.all[a]!.early));
    const headLen = (lazyStart: number): Buffer => v8.serialize({ id, lazyStart });
    // the header's length depends on lazyStart's: computed with a bound, then padded
    let early = 0;
    for (const i of order) if (this.all[i]!.early) early += bufs[i]!.length;
    const probe = headLen(2 ** 40);
    let at = 4 + probe.length;
    const lazyStart = at + early;
    for (const i of order) {
      const r = this.all[i]!.out;
      r[0] = 0;
      r[1] = at;
      r[2] = bufs[i]!.length;
      at += bufs[i]!.length;
    }
    const h = headLen(lazyStart);
    const pad = Buffer.alloc(probe.length - h.length);
    const len = Buffer.alloc(4);
    // the header is read by its own length: the padding after it is never read
    len.writeUInt32LE(h.length, 0);
    const pack = [len, h, pad, ...order.map((i) => bufs[i]!)];
    return { pack, state: frame({ pack: id, body: header(id) }, []) };
  }
}

/** [header length][header][records], in pieces (written as they are, not joined into one more buffer). */
function frame(header: unknown, records: Buffer[]): Buffer[] {
  const h = v8.serialize(header);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(h.length, 0);
  return [len, h, ...records];
}
