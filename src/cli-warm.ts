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
import { DEFAULT_CACHE_LOCATION, readAt, readTrailer, REPLAY_FORMAT, type ReplayTrailer } from './engine/cache-replay.js';
import { configFileOf, warmKey, warmValid } from './engine/warm-key.js';
import { PACKAGE_ROOT } from './util/layout.js';

export interface WarmIO {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  write: (to: 'stdout' | 'stderr', bytes: Buffer) => void;
}

/** The recorded output and exit code when it may be replayed, else undefined. Reads only. */
export function warmHit(io: Omit<WarmIO, 'write'>): { trailer: ReplayTrailer; body: Buffer } | undefined {
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
    const { t, bodyEnd } = readTrailer(fd);
    if (t.format !== REPLAY_FORMAT || !t.warm) return undefined;
    const key = warmKey({ ...io, config: configFileOf(flags, io.cwd), packageRoot: PACKAGE_ROOT });
    if (key === undefined || !warmValid(t.warm, key)) return undefined;
    return { trailer: t, body: bodyEnd ? readAt(fd, 0, bodyEnd) : Buffer.alloc(0) };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes a recorded output as LintCache.replay does: output files, stdout and stderr in the recorded order. */
export function play(t: ReplayTrailer, body: Buffer, write: WarmIO['write']): void {
  const open = new Map<number, number>();
  try {
    let pos = 0;
    for (const [where, n] of t.pieces) {
      const buf = body.subarray(pos, pos + n);
      pos += n;
      if (where < 0) write(where === -1 ? 'stdout' : 'stderr', buf);
      else {
        let out = open.get(where);
        if (out === undefined) {
          const p = t.paths[where]!;
          fs.mkdirSync(path.dirname(p), { recursive: true });
          out = fs.openSync(p, 'w');
          open.set(where, out);
        }
        fs.writeSync(out, buf);
      }
    }
  } finally {
    for (const out of open.values()) fs.closeSync(out);
  }
}

/** The warm run: the exit code when the output was replayed, undefined when the full CLI must run (nothing written then). */
export function run(argv: string[]): number | undefined {
  const hit = warmHit({ argv, cwd: process.cwd(), env: process.env, isTTY: Boolean(process.stdout.isTTY) });
  if (!hit) return undefined;
  let closed = false;
  // `k8s-gold lint --cache . | head`: as the CLI (src/cli.ts), the rest of the output is dropped once the reader has gone
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  });
  try {
    play(hit.trailer, hit.body, (to, b) => (to === 'stdout' ? closed || process.stdout.write(b) : process.stderr.write(b)));
  } catch (e) {
    // as the CLI reports an error while replaying
    const err = e as Error;
    process.stderr.write(
      `k8s-gold: internal error: ${err?.message ?? String(e)}\n${process.env.K8S_GOLD_DEBUG ? (err?.stack ?? '') + '\n' : 'Set K8S_GOLD_DEBUG=1 for details, and please report this.\n'}`,
    );
    return 2;
  }
  return hit.trailer.code;
}
