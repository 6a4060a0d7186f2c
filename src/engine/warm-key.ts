/**
 * The warm record: what lets `lint --cache` on an unchanged tree replay the previous output without loading the
 * linter (src/cli-warm.ts, the small bundle dist/k8s-gold-warm.cjs that bin/k8s-gold.js tries first).
 *
 * The full CLI writes it into the trailer of `<cache>.out` (cache-replay.ts) when its output is recorded and the
 * inputs are simple enough to be checked without the linter's modules: no file named explicitly, no Helm chart,
 * no kustomization, no values file, no configured chart or plug-in. It holds
 * - `key`: a digest of everything else that decides the output: the command line words, cwd, the environment
 *   variables the output depends on, whether stdout is a terminal, the Node version, the build (the bundles'
 *   file identities and package.json), and the config file that applies with its bytes;
 * - what the run's discoveries of input files asked the file system (src/load/discover-trace.ts): the stamps of
 *   the directories they listed (an added, deleted or renamed file changes its directory's), the answers to
 *   their other questions (a Chart.yaml above, where a link leads);
 * - every file the run hashed and a digest of their stamps (size, times, inode: src/util/stamp.ts).
 * The warm path replays only when all of these match; on any doubt it returns and the full CLI runs.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findConfig } from '../config/find.js';
import type { Discovery } from '../load/discover.js';
import { traceHolds, type DiscoverTrace } from '../load/discover-trace.js';
import { kustomizationFile } from '../render/kustomization-file.js';
import { statStamp } from '../util/stamp.js';

export const WARM_FORMAT = 1;

export interface WarmRecord {
  format: number;
  key: string;
  /** what the run's discoveries asked the file system (discover-trace.ts) */
  dirs: DiscoverTrace['dirs'];
  probes: DiscoverTrace['probes'];
  /** every file the run hashed, sorted, and the digest of their stamps */
  files: string[];
  stamps: string;
}

/** The environment variables that change what a run prints: colour, GitHub Actions annotations and paths, the step summary, timing. */
export const WARM_ENV = [
  'NO_COLOR',
  'FORCE_COLOR',
  'TERM',
  'GITHUB_ACTIONS',
  'GITHUB_STEP_SUMMARY',
  'GITHUB_WORKSPACE',
  'GITHUB_SERVER_URL',
  'GITHUB_REPOSITORY',
  'GITHUB_SHA',
  'K8S_GOLD_TIMING',
  'K8S_GOLD_FAST_PARSE',
];

const sha = (data: string | Buffer): string => crypto.createHash('sha256').update(data).digest('hex');

/** The config file a run uses (loadConfig's choice), found without reading it. */
export function configFileOf(flags: { config?: string; 'no-config'?: boolean }, cwd: string): string | undefined {
  if (flags.config) return path.resolve(cwd, flags.config);
  if (flags['no-config']) return undefined;
  return findConfig(cwd);
}

export interface WarmKeyInputs {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  /** the config file (configFileOf) */
  config: string | undefined;
  /** the package root: dist/ holds the bundles */
  packageRoot: string;
}

/** The digest of everything besides the input files that decides a run's output; undefined when a part of it cannot be read. */
export function warmKey(k: WarmKeyInputs): string | undefined {
  const build: (string | undefined)[] = ['k8s-gold.cjs', 'k8s-gold-warm.cjs'].map((f) => statStamp(path.join(k.packageRoot, 'dist', f)));
  if (build.includes(undefined)) return undefined;
  let pkg: string;
  let config: string | null = null;
  try {
    pkg = sha(fs.readFileSync(path.join(k.packageRoot, 'package.json')));
    if (k.config !== undefined) config = sha(fs.readFileSync(k.config));
  } catch {
    return undefined;
  }
  return sha(
    JSON.stringify({
      format: WARM_FORMAT,
      argv: k.argv,
      cwd: k.cwd,
      env: WARM_ENV.map((v) => k.env[v] ?? null),
      isTTY: k.isTTY,
      node: process.version,
      arch: process.arch,
      build,
      pkg,
      configFile: k.config ?? null,
      config,
    }),
  );
}

const stampsDigest = (stamps: (string | undefined)[]): string => sha(JSON.stringify(stamps));

/**
 * The warm record of a run whose output is being recorded (`sets`: its discoveries with their traces, `hashed`:
 * every file it hashed; `stampOf`: the stamp a file had when it was read), or undefined when its inputs are not for
 * the warm path.
 */
export function warmRecord(
  key: string | undefined,
  sets: { discovery: Discovery; trace: DiscoverTrace }[],
  hashed: string[],
  stampOf: (abs: string) => string | undefined,
): WarmRecord | undefined {
  if (key === undefined) return undefined;
  const files = new Set<string>();
  for (const { discovery: d, trace } of sets) {
    if (trace.opaque || d.missing.length || d.helmCharts.length || d.files.some((f) => f.explicit)) return undefined;
    for (const f of d.files) files.add(f.abs);
  }
  // every hashed file is a discovered one (no chart, render source or values file)
  if (hashed.length !== files.size || hashed.some((f) => !files.has(f))) return undefined;
  const sorted = [...files].sort();
  const stamps = sorted.map(stampOf);
  if (stamps.includes(undefined)) return undefined;
  return {
    format: WARM_FORMAT,
    key,
    dirs: sets.flatMap((s) => s.trace.dirs),
    probes: sets.flatMap((s) => s.trace.probes),
    files: sorted,
    stamps: stampsDigest(stamps),
  };
}

/** Whether the tree is as it was when `rec` was recorded, for a run with the warm key `key`. */
export function warmValid(rec: WarmRecord, key: string): boolean {
  if (rec.format !== WARM_FORMAT || rec.key !== key) return false;
  // the same answers to discovery's questions: the same files found
  if (!traceHolds(rec)) return false;
  // a kustomization appearing next to an input file would be built (renderSources in cache-hashes.ts)
  const dirs = new Set<string>();
  for (const f of rec.files) dirs.add(path.dirname(f));
  for (const dir of dirs) if (kustomizationFile(dir) !== undefined) return false;
  return stampsDigest(rec.files.map(statStamp)) === rec.stamps;
}
