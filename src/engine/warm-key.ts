/**
 * The warm record: what lets `lint --cache` on an unchanged tree replay the previous output without loading the
 * linter (src/cli-warm.ts, the small bundle dist/k8s-gold-warm.cjs that bin/k8s-gold.js tries first).
 *
 * The full CLI writes it into the trailer of `<cache>.out` (cache-replay.ts) when its output is recorded and the
 * inputs are simple enough to be checked without the linter's modules: no file named explicitly, no Helm chart,
 * no kustomization, no values file, no configured chart or plug-in. It holds
 * - `key`: everything else that decides the output: the command line words, cwd, the environment variables the
 *   output depends on, whether stdout is a terminal, the Node version, the build (the stamps of the bundles and
 *   package.json), the config file that applies with its stamp, and the repository root above cwd;
 * - what the run's discoveries of input files asked the file system (src/load/discover-trace.ts): the stamps of
 *   the directories they listed (an added, deleted or renamed file changes its directory's), the answers to
 *   their other questions (a Chart.yaml above, where a link leads);
 * - every file the run hashed with its stamp when it was read (size, times, inode: src/util/stamp.ts).
 * The warm path replays only when all of these match; on any doubt it returns and the full CLI runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findConfig } from '../config/find.js';
import type { Discovery } from '../load/discover.js';
import { traceHolds, type DiscoverTrace } from '../load/discover-trace.js';
import { kustomizationFile } from '../render/kustomization-file.js';
import { stampTrusted, statStamp, type FsTime } from '../util/stamp.js';

export const WARM_FORMAT = 3;

export interface WarmRecord {
  format: number;
  key: string;
  /** what the run's discoveries asked the file system (discover-trace.ts) */
  dirs: DiscoverTrace['dirs'];
  probes: DiscoverTrace['probes'];
  /** the directories of `files`, each once: a kustomization appearing in one would be rendered */
  fileDirs: string[];
  /**
   * Every file the run hashed, the most recently modified first, flat: its path, then the stamp it had when it was
   * read as the numbers a plain `fs.statSync` gives for it (size, mtimeMs, ctimeMs, ino, dev: stampNumbers), so that
   * the warm path compares them as they come, with no BigInt and no string per file.
   */
  files: (string | number)[];
}

/** The fields of `files` per file. */
export const WARM_FILE_FIELDS = 6;

/**
 * A stamp (src/util/stamp.ts: size, mtime and ctime in ns, inode, device) as the numbers of a plain `fs.statSync`:
 * size, mtimeMs and ctimeMs (computed as Node computes them from the seconds and nanoseconds: `sec * 1e3 + nsec / 1e6`),
 * ino and dev. Two times map to the same number only within about 0.25 us of each other (the double's precision),
 * closer than any two changes of a file with a read between them; a Node computing them otherwise makes every
 * warm check miss (the full CLI runs), never pass. Undefined for a stamp not of that form.
 */
export function stampNumbers(stamp: string): [number, number, number, number, number] | undefined {
  const p = stamp.split(':');
  if (p.length !== 5 || !p.every((x) => /^-?\d+$/.test(x))) return undefined;
  const ms = (ns: bigint): number => {
    let sec = ns / 1_000_000_000n;
    let nsec = ns % 1_000_000_000n;
    if (nsec < 0n) {
      sec -= 1n;
      nsec += 1_000_000_000n;
    }
    return Number(sec) * 1e3 + Number(nsec) / 1e6;
  };
  return [Number(p[0]), ms(BigInt(p[1]!)), ms(BigInt(p[2]!)), Number(p[3]), Number(p[4])];
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

/**
 * Everything besides the input files that decides a run's output, as a string to compare (not a digest: the warm
 * path loads no crypto); undefined when a part of it cannot be read. Files are represented by their stamps: the
 * full CLI takes it before it reads the config, with `taken.since` (the file system's time before), and makes none when
 * a stamp is not older (util/stamp.ts stampTrusted: a change in the same tick would keep it).
 */
export function warmKey(k: WarmKeyInputs, taken?: { since: FsTime | undefined }): string | undefined {
  const build = ['dist/k8s-gold.cjs', 'dist/k8s-gold-warm.cjs', 'package.json'].map((f) => statStamp(path.join(k.packageRoot, f)));
  const config = k.config === undefined ? null : statStamp(k.config);
  if (build.includes(undefined) || config === undefined) return undefined;
  if (taken && ![...build, config].every((s) => s === null || stampTrusted(s!, taken.since))) return undefined;
  return JSON.stringify({
    format: WARM_FORMAT,
    argv: k.argv,
    cwd: k.cwd,
    env: WARM_ENV.map((v) => k.env[v] ?? null),
    isTTY: k.isTTY,
    node: process.version,
    arch: process.arch,
    build,
    configFile: k.config ?? null,
    config,
    gitRoot: gitRoot(k.cwd),
  });
}

/** The nearest directory holding .git from `cwd` up: the root SARIF and GitHub annotation paths are relative to (report/sarif-locations.ts). */
export function gitRoot(cwd: string): string | null {
  for (let dir = path.resolve(cwd); ; ) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

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
  since: FsTime | undefined,
): WarmRecord | undefined {
  if (key === undefined) return undefined;
  // a directory changed in the tick its stamp was taken could have changed again after it was listed
  for (const { trace } of sets) if (!trace.dirs.every(([, stamp]) => stampTrusted(stamp, since))) return undefined;
  const files = new Set<string>();
  for (const { discovery: d, trace } of sets) {
    if (trace.opaque || d.missing.length || d.helmCharts.length || d.files.some((f) => f.explicit)) return undefined;
    for (const f of d.files) files.add(f.abs);
  }
  // every hashed file is a discovered one (no chart, render source or values file)
  if (hashed.length !== files.size || hashed.some((f) => !files.has(f))) return undefined;
  // each with its mtime, parsed once (not in the comparator: 9,000 parses for 500 files)
  const byTime: [string, string, bigint][] = [];
  for (const f of files) {
    // a file whose stamp was not trusted has none (cache-hashes.ts)
    const stamp = stampOf(f);
    if (stamp === undefined || !stampTrusted(stamp, since)) return undefined;
    byTime.push([f, stamp, BigInt(stamp.split(':')[1]!)]);
  }
  // the most recently modified first: the file edited again is usually one edited last, and the warm path stops at it
  byTime.sort((a, b) => (a[2] !== b[2] ? (b[2] > a[2] ? 1 : -1) : a[0] < b[0] ? -1 : 1));
  const flat: (string | number)[] = [];
  for (const [f, stamp] of byTime) {
    const n = stampNumbers(stamp);
    if (n === undefined) return undefined;
    flat.push(f, ...n);
  }
  return {
    format: WARM_FORMAT,
    key,
    dirs: sets.flatMap((s) => s.trace.dirs),
    probes: sets.flatMap((s) => s.trace.probes),
    fileDirs: [...new Set(byTime.map(([f]) => path.dirname(f)))],
    files: flat,
  };
}

/** Whether the tree is as it was when `rec` was recorded, for a run with the warm key `key`. */
export function warmValid(rec: WarmRecord, key: string): boolean {
  if (rec.format !== WARM_FORMAT || rec.key !== key) return false;
  // the same answers to discovery's questions: the same files found
  if (!traceHolds(rec)) return false;
  // a kustomization appearing next to an input file would be built (renderSources in cache-hashes.ts)
  for (const dir of rec.fileDirs) if (kustomizationFile(dir) !== undefined) return false;
  // each file as it was read: a plain stat compared field by field (cli-warm.ts: this is most of a warm run)
  const f = rec.files;
  if (f.length % WARM_FILE_FIELDS !== 0) return false;
  for (let i = 0; i < f.length; i += WARM_FILE_FIELDS) {
    const st = fs.statSync(f[i] as string, { throwIfNoEntry: false });
    if (
      st === undefined ||
      st.size !== f[i + 1] ||
      st.mtimeMs !== f[i + 2] ||
      st.ctimeMs !== f[i + 3] ||
      st.ino !== f[i + 4] ||
      st.dev !== f[i + 5]
    )
      return false;
  }
  return true;
}
