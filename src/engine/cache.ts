/**
 * `--cache`: reuse the previous run's results when nothing it depended on
 * changed.
 *
 * Cross-object rules make a file's findings depend on every other file (a
 * Service's selector, a Deployment's PDB, a Secret in another file), so the
 * results are kept for the whole input set: they are reused only when the
 * key (tool version and code, rule set with their metadata, config, CLI
 * options) and the content hash of every input, context, CRD, policy and
 * plugin file are unchanged, and the set of discovered files is the same.
 * When only input files changed, the per-file incremental cache (incremental.ts, kept in `<location>.inc`)
 * re-reads those files and re-runs only the checks that read something they changed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Discovery } from '../load/discover.js';
import { FORMAT, cacheKey, sha, type CacheInputs } from './cache-key.js';
import { fileHashes, IDX_FORMAT, IDX_FORMAT_KEY, type Found, type StampIndex } from './cache-hashes.js';
import { fsNow, type FsTime } from '../util/stamp.js';
import { warmRecord, type WarmRecord } from './warm-key.js';
import {
  REPLAY_FORMAT,
  ReplayRecorder,
  playPieces,
  readAt,
  readTrailer,
  rewriteTrailer,
  type ReplayHit,
  type ReplayTrailer,
} from './cache-replay.js';
import { readBlocks, type PreviousBlocks } from './report-blocks.js';
import type { FindingsRun } from './linter.js';

export type { CacheInputs } from './cache-key.js';
export { ReplayRecorder, type ReplayHit } from './cache-replay.js';

export { DEFAULT_CACHE_LOCATION } from './cache-replay.js';

/**
 * The results file: one line of {@link CacheHeader}, then the run as JSON. A run whose inputs changed reads
 * only the header line (not the megabytes of results it could not use).
 */
interface CacheHeader {
  format: number;
  key: string;
  /** digest of the input hashes */
  files: string;
}

/** The header line of the results file, if it has one. */
function readHeader(fd: number): { header: CacheHeader; bodyStart: number } | undefined {
  let head = Buffer.alloc(0);
  for (let pos = 0; head.length < 1 << 16; ) {
    const chunk = readUpTo(fd, pos, 4096);
    if (chunk.length === 0) return undefined;
    head = Buffer.concat([head, chunk]);
    pos += chunk.length;
    const nl = head.indexOf(10);
    if (nl >= 0) return { header: JSON.parse(head.subarray(0, nl).toString('utf8')) as CacheHeader, bodyStart: nl + 1 };
  }
  return undefined;
}

function readUpTo(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.allocUnsafe(len);
  return buf.subarray(0, fs.readSync(fd, buf, 0, len, pos));
}

/**
 * The cache of one invocation. The key and the input hashes are computed once.
 * Two files: `<location>` holds the run's results (any output format can be
 * rendered from them), `<location>.out` what the last run printed for its
 * output options, so that a warm run with the same options does not even
 * parse the results. A run made from the incremental state (`<location>.inc`, some inputs changed) leaves
 * its results there only: writing them as JSON too would cost about what a run with other options saves.
 */
export class LintCache {
  private readonly file: string;
  private readonly key: string;
  private readonly files: Record<string, string> | undefined;
  /** the discovered input files (the incremental cache keeps one entry per input file) */
  private readonly inputs = new Set<string>();
  /** the discovery of the inputs made to hash them, for the lint run to reuse (one walk per run) */
  readonly discovery: Discovery | undefined;
  /** the discoveries made to hash the files */
  private readonly found: Found = {};
  /** the stamps of the hashed files */
  private readonly index: StampIndex = {};
  /** the trailer of the output replayed, and where its body ends */
  private replayed: { t: ReplayTrailer; bodyEnd: number } | undefined;
  /** the file system's time before the stamps were taken (util/stamp.ts): stamps not older are not trusted */
  private readonly since: FsTime | undefined;
  constructor(
    c: CacheInputs,
    private readonly location: string,
    private readonly warn: (msg: string) => void = () => undefined,
    /** the file system's time when the caller took it (before the warm key's stamps), else taken here */
    taken?: { since: FsTime | undefined },
  ) {
    this.file = path.resolve(c.cwd, location);
    this.since = taken ? taken.since : fsNow(`${this.file}.idx`);
    this.key = cacheKey(c);
    let known: StampIndex = {};
    try {
      known = JSON.parse(fs.readFileSync(`${this.file}.idx`, 'utf8')) as StampIndex;
      // an index of before racy stamps were left out may hold one
      if (known[IDX_FORMAT_KEY]?.[0] !== IDX_FORMAT) known = {};
    } catch {
      // no index: hash every file
    }
    const index = this.index;
    this.files = fileHashes(c, known, index, this.inputs, this.found, this.since);
    this.discovery = this.found.discovery;
    if (this.files && JSON.stringify(index) !== JSON.stringify(known)) this.write(`${this.file}.idx`, index);
  }

  private filesDigest(): string {
    return sha(JSON.stringify(this.files ?? null));
  }

  /** Writes `data` (bytes, a string, pieces of bytes written one after the other, or a value as JSON) to `file`, through a temporary file. */
  private write(file: string, data: unknown): void {
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      if (Array.isArray(data) && data.every((d) => Buffer.isBuffer(d))) writePieces(tmp, data);
      else fs.writeFileSync(tmp, Buffer.isBuffer(data) || typeof data === 'string' ? data : JSON.stringify(data));
      fs.renameSync(tmp, file);
    } catch (e) {
      this.warn(`cannot write the cache ${this.location}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      try {
        fs.unlinkSync(tmp);
      } catch {
        // nothing to clean
      }
    }
  }

  /** The output of an identical earlier run with the same output options (`output` is their digest), if any. */
  replay(output: string): ReplayHit | undefined {
    if (!this.files) return undefined;
    let fd: number | undefined;
    try {
      fd = fs.openSync(`${this.file}.out`, 'r');
      const { t, bodyEnd } = readTrailer(fd);
      if (t.format !== REPLAY_FORMAT || t.key !== this.key || t.files !== this.filesDigest() || t.output !== output)
        throw new Error('stale');
      this.replayed = { t, bodyEnd };
      const src = fd;
      fd = undefined;
      return {
        code: t.code,
        play: (io) => {
          try {
            playPieces(t, src, (where, buf) => {
              const to = where === -1 ? 'stdout' : 'stderr';
              if (io.writeBytes) io.writeBytes(to, buf);
              else io[to](buf.toString('utf8'));
            });
          } finally {
            fs.closeSync(src);
          }
        },
      };
    } catch {
      // no usable replay
      if (fd !== undefined) fs.closeSync(fd);
    }
    return undefined;
  }

  /** This run's warm record (warm-key.ts) for the warm key `warmKey`, if its inputs are for the warm path. */
  private warmRecord(warmKey: string | undefined): WarmRecord | undefined {
    if (warmKey === undefined || !this.files || !this.found.sets || this.found.others !== 0) return undefined;
    const hashed = Object.keys(this.files).filter((f) => !f.startsWith('#'));
    return warmRecord(warmKey, this.found.sets, hashed, (f) => this.index[f]?.[0], this.since);
  }

  /**
   * After a replay, puts this run's warm record into `<cache>.out` when it differs from the one there: the run
   * that recorded it may have written the cache into a directory it walks (the default `.k8s-gold-cache` of
   * `lint .`), changing that directory's stamp after taking it, and the next warm run could not use it.
   */
  rewarm(warmKey: string | undefined): void {
    const r = this.replayed;
    const warm = this.warmRecord(warmKey);
    if (!r || !warm || JSON.stringify(warm) === JSON.stringify(r.t.warm)) return;
    try {
      rewriteTrailer(`${this.file}.out`, r.bodyEnd, { ...r.t, warm });
    } catch {
      // a read-only cache: replayed all the same (and silently, as before), only not by the warm path
    }
  }

  /** The stylish text of each file in the previous run's output, when it was printed with the same options (`output`). */
  previousBlocks(output: string): PreviousBlocks | undefined {
    return this.files ? readBlocks(`${this.file}.out`, REPLAY_FORMAT, this.key, output) : undefined;
  }

  /**
   * Records this run's output for `replay` (undefined when the inputs cannot be cached); `warmKey` (warm-key.ts), when
   * given, adds the warm record that lets the warm path (src/cli-warm.ts) replay it without the linter.
   */
  recorder(output: string, warmKey?: string): ReplayRecorder | undefined {
    if (!this.files) return undefined;
    const warm = this.warmRecord(warmKey);
    const header = { format: REPLAY_FORMAT, key: this.key, files: this.filesDigest(), output, ...(warm ? { warm } : {}) };
    return new ReplayRecorder(`${this.file}.out`, header, this.warn);
  }

  /**
   * Runs `lint` unless the cache holds the results of an identical run. A missing, unreadable or corrupt cache file is simply a miss.
   * Otherwise `lint` gets the per-file incremental cache (incremental.ts), kept in `<location>.inc`; `stamp`
   * names what else shapes the results (the computation of fixes).
   */
  run(
    lint: (incremental?: import('./incremental.js').Incremental, discovery?: Discovery) => FindingsRun,
    stamp: unknown = null,
  ): FindingsRun {
    // results computed without fixes (a stylish run) are not those of a json run
    const runKey = stamp === null ? this.key : sha(JSON.stringify([this.key, stamp]));
    if (this.files) {
      let fd: number | undefined;
      try {
        fd = fs.openSync(this.file, 'r');
        const h = readHeader(fd);
        if (h && h.header.format === FORMAT && h.header.key === runKey && h.header.files === this.filesDigest()) {
          const size = fs.fstatSync(fd).size;
          return JSON.parse(readAt(fd, h.bodyStart, size - h.bodyStart).toString('utf8')) as FindingsRun;
        }
      } catch {
        // no usable cache
      } finally {
        if (fd !== undefined) fs.closeSync(fd);
      }
    }
    let run: FindingsRun;
    const withDiscovery = (incremental?: import('./incremental.js').Incremental): FindingsRun => lint(incremental, this.discovery);
    let incremental = false;
    if (this.files) {
      const store = require('./incremental-store.js') as typeof import('./incremental-store.js');
      run = store.runIncremental(`${this.file}.inc`, runKey, this.files, this.inputs, withDiscovery, (f, data) => this.write(f, data));
      incremental = store.lastStats?.usedState === true;
    } else run = withDiscovery();
    if (incremental) {
      // a run made from the incremental state: the results stay there (a run with other output options replays
      // every file from it, about as fast as it would parse these results), not written again as JSON
      try {
        fs.unlinkSync(this.file);
      } catch {
        // none
      }
    } else if (this.files && run.internalErrors.length === 0) {
      const { sources: _sources, ...stored } = run;
      const header: CacheHeader = { format: FORMAT, key: runKey, files: this.filesDigest() };
      this.write(this.file, `${JSON.stringify(header)}\n${JSON.stringify(stored)}`);
    }
    return run;
  }
}

function writePieces(file: string, pieces: Buffer[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const p of pieces) for (let done = 0; done < p.length; ) done += fs.writeSync(fd, p, done, p.length - done);
  } finally {
    fs.closeSync(fd);
  }
}

/** Runs `lint` unless the cache holds the results of an identical run. */
export function cachedLint(
  c: CacheInputs,
  location: string,
  lint: () => FindingsRun,
  warn: (msg: string) => void = () => undefined,
): FindingsRun {
  return new LintCache(c, location, warn).run(lint);
}

/** A digest of the options that shape what a run prints and writes. */
export function outputDigest(parts: unknown): string {
  return sha(JSON.stringify(parts));
}
