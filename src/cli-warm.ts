/**
 * The warm path of `lint --cache` (docs/performance.md, "Warm runs"): bin/k8s-gold.js loads this small bundle
 * (dist/k8s-gold-warm.cjs: no YAML parser, no schemas, no rules) before the CLI when the command line holds --cache.
 * When the previous output in `<cache>.out` carries a warm record (src/engine/warm-key.ts) and the command line,
 * the environment, the build, the config and every input file are as they were then, it writes that output again
 * and returns its exit code; otherwise it returns undefined, having written nothing, and the full CLI runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, type LintFlags } from './cli-args.js';
import { DEFAULT_CACHE_LOCATION, readTrailer, REPLAY_FORMAT, type ReplayTrailer } from './engine/cache-replay.js';
import { configFileOf, warmKey, warmValid } from './engine/warm-key.js';
import { PACKAGE_ROOT } from './util/layout.js';

export interface WarmIO {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

/** The recorded output when it may be replayed (`fd`: `<cache>.out`, open, for the caller to close), else undefined. Reads only. */
export function warmHit(io: WarmIO): { trailer: ReplayTrailer; fd: number } | undefined {
  // the timing table is printed by the linter's modules
  if (io.env.K8S_GOLD_TIMING || io.argv[0] === 'lsp') return undefined;
  let flags: LintFlags;
  try {
    flags = parse(io.argv).values as LintFlags;
  } catch {
    return undefined;
  }
  if (!flags.cache) return undefined;
  let fd: number | undefined;
  try {
    fd = fs.openSync(`${path.resolve(io.cwd, flags['cache-location'] ?? DEFAULT_CACHE_LOCATION)}.out`, 'r');
    const { t } = readTrailer(fd);
    if (t.format !== REPLAY_FORMAT || !t.warm) throw new Error('not for the warm path');
    const key = warmKey({ ...io, config: configFileOf(flags, io.cwd), packageRoot: PACKAGE_ROOT });
    if (key === undefined || !warmValid(t.warm, key)) throw new Error('changed');
    const hit = { trailer: t, fd };
    fd = undefined;
    return hit;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Where a piece goes: stdout (-1), stderr (-2), or an output file's descriptor. */
export type Sink = (where: number, bytes: Buffer, len: number) => void;

const CHUNK = 1 << 20;

/**
 * Copies a recorded output from `src` as LintCache.replay writes it: output files, stdout and stderr in the
 * recorded order, through one reused buffer (megabytes of output allocate nothing).
 */
export function play(t: ReplayTrailer, src: number, sink: Sink): void {
  const open = new Map<number, number>();
  const buf = Buffer.allocUnsafe(CHUNK);
  try {
    let pos = 0;
    for (const [where, n] of t.pieces) {
      let out = where;
      if (where >= 0) {
        const fd = open.get(where);
        if (fd === undefined) {
          const p = t.paths[where]!;
          fs.mkdirSync(path.dirname(p), { recursive: true });
          open.set(where, (out = fs.openSync(p, 'w')));
        } else out = fd;
      }
      for (let done = 0; done < n; ) {
        const len = Math.min(CHUNK, n - done);
        const got = fs.readSync(src, buf, 0, len, pos + done);
        if (got !== len) throw new Error('the replay is truncated');
        sink(out, buf, len);
        done += len;
      }
      pos += n;
    }
  } finally {
    for (const fd of open.values()) fs.closeSync(fd);
  }
}

/** Writes all of `len` bytes to `fd`, waiting while a non-blocking pipe is full. */
export function writeAll(fd: number, bytes: Buffer, len: number): void {
  for (let off = 0; off < len; ) {
    try {
      off += fs.writeSync(fd, bytes, off, len - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/** Whether stdout is a terminal, as process.stdout.isTTY; without loading node:tty (and node:net) when it is a file or a pipe. */
function stdoutIsTTY(): boolean {
  try {
    if (!fs.fstatSync(1).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return (require('node:tty') as typeof import('node:tty')).isatty(1);
}

/**
 * The warm run: the exit code when the output was replayed, undefined when the full CLI must run (nothing written
 * then). stdout and stderr are written to their descriptors directly (process.stdout is never made): as the CLI,
 * once the reader of one has gone (EPIPE) the rest of its output is dropped.
 */
export function run(argv: string[]): number | undefined {
  const hit = warmHit({ argv, cwd: process.cwd(), env: process.env, isTTY: stdoutIsTTY() });
  if (!hit) return undefined;
  const closed = new Set<number>();
  const sink: Sink = (where, bytes, len) => {
    const fd = where === -1 ? 1 : where === -2 ? 2 : where;
    if (closed.has(fd)) return;
    try {
      writeAll(fd, bytes, len);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EPIPE' || fd > 2) throw e;
      closed.add(fd);
    }
  };
  try {
    play(hit.trailer, hit.fd, sink);
  } catch (e) {
    // as the CLI reports an error while replaying
    const err = e as Error;
    const msg = `k8s-gold: internal error: ${err?.message ?? String(e)}\n${process.env.K8S_GOLD_DEBUG ? (err?.stack ?? '') + '\n' : 'Set K8S_GOLD_DEBUG=1 for details, and please report this.\n'}`;
    const b = Buffer.from(msg);
    sink(-2, b, b.length);
    return 2;
  } finally {
    fs.closeSync(hit.fd);
  }
  return hit.trailer.code;
}
