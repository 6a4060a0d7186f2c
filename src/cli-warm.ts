/**
 * The warm path of `lint --cache` (docs/performance.md, "Warm runs"): bin/k8s-gold.js loads this small bundle
 * (dist/k8s-gold-warm.cjs: no YAML parser, no schemas, no rules) before the CLI when the command line holds --cache.
 * When the previous output in `<cache>.out` carries a warm record (src/engine/warm-key.ts) and the command line,
 * the environment, the build, the config and every input file are as they were then, it writes that output again
 * and returns its exit code; otherwise it returns undefined, having written nothing, and the full CLI runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanWarmFlags } from './cli-args.js';
import { DEFAULT_CACHE_LOCATION, playPieces, readTrailer, REPLAY_FORMAT, type ReplayTrailer } from './engine/cache-replay.js';
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
  const flags = scanWarmFlags(io.argv);
  if (!flags?.cache) return undefined;
  let fd: number | undefined;
  try {
    fd = fs.openSync(`${path.resolve(io.cwd, flags['cache-location'] ?? DEFAULT_CACHE_LOCATION)}.out`, 'r');
    const { t } = readTrailer(fd, false);
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

/**
 * The warm path's one read buffer: output is copied through it in chunks of this size. Small enough to come from
 * memory the allocator already holds: a 1 MiB buffer is fresh pages, whose first touch cost more than the copy (4.7 MB
 * of stylish output: 5.8 ms of CPU through 1 MiB, 3.4 ms through 64 KiB).
 */
const CHUNK = 1 << 16;

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
  const sink = (where: -1 | -2, bytes: Buffer): void => {
    const fd = where === -1 ? 1 : 2;
    if (closed.has(fd)) return;
    try {
      writeAll(fd, bytes, bytes.length);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EPIPE') throw e;
      closed.add(fd);
    }
  };
  try {
    playPieces(hit.trailer, hit.fd, sink, Buffer.allocUnsafe(CHUNK));
  } catch (e) {
    // as the CLI reports an error while replaying
    const err = e as Error;
    const msg = `k8s-gold: internal error: ${err?.message ?? String(e)}\n${process.env.K8S_GOLD_DEBUG ? (err?.stack ?? '') + '\n' : 'Set K8S_GOLD_DEBUG=1 for details, and please report this.\n'}`;
    const b = Buffer.from(msg);
    sink(-2, b);
    return 2;
  } finally {
    fs.closeSync(hit.fd);
  }
  return hit.trailer.code;
}
