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
 * - each discovery of input files the run made (its inputs and options, a digest of what it found), which the
 *   warm path makes again: an added, deleted or newly ignored file changes it;
 * - a digest of the identity on disk (size, times, inode) of every file the run hashed.
 * The warm path replays only when all of these match; on any doubt it returns and the full CLI runs.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findConfig } from '../config/find.js';
import { discover, type DiscoverOptions, type Discovery } from '../load/discover.js';
import { kustomizationFile } from '../render/kustomization-file.js';

export const WARM_FORMAT = 1;

export interface WarmRecord {
  format: number;
  key: string;
  sets: { inputs: string[]; opts: DiscoverOptions; digest: string }[];
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

/**
 * A file's identity on disk: size, mtime, ctime and inode. Any write to a file changes its ctime (which,
 * unlike mtime, cannot be set back), so an unchanged stamp means unchanged content.
 */
export function statStamp(abs: string): string | undefined {
  try {
    const st = fs.statSync(abs, { bigint: true });
    return `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}:${st.dev}`;
  } catch {
    return undefined;
  }
}

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

const discoveryDigest = (d: Discovery): string => sha(JSON.stringify(d));

const stampsDigest = (stamps: [string, string][]): string => sha(JSON.stringify(stamps.sort((a, b) => (a[0] < b[0] ? -1 : 1))));

/**
 * The warm record of a run whose output is being recorded (`sets`: its discoveries, `hashed`: every file it hashed with
 * the stamp it had when read), or undefined when its inputs are not for the warm path.
 */
export function warmRecord(
  key: string | undefined,
  sets: { inputs: string[]; opts: DiscoverOptions; discovery: Discovery }[],
  hashed: string[],
  stampOf: (abs: string) => string | undefined,
): WarmRecord | undefined {
  if (key === undefined) return undefined;
  const files = new Set<string>();
  for (const { discovery: d } of sets) {
    if (d.missing.length || d.helmCharts.length || d.files.some((f) => f.explicit)) return undefined;
    for (const f of d.files) files.add(f.abs);
  }
  // every hashed file is a discovered one (no chart, render source or values file)
  if (hashed.length !== files.size || hashed.some((f) => !files.has(f))) return undefined;
  const stamps: [string, string][] = [];
  for (const f of hashed) {
    const s = stampOf(f);
    if (s === undefined) return undefined;
    stamps.push([f, s]);
  }
  return {
    format: WARM_FORMAT,
    key,
    sets: sets.map((s) => ({ inputs: s.inputs, opts: s.opts, digest: discoveryDigest(s.discovery) })),
    stamps: stampsDigest(stamps),
  };
}

/** Whether the tree is as it was when `rec` was recorded, for a run with the warm key `key`. */
export function warmValid(rec: WarmRecord, key: string): boolean {
  if (rec.format !== WARM_FORMAT || rec.key !== key) return false;
  const files = new Set<string>();
  const dirs = new Set<string>();
  for (const s of rec.sets) {
    const d = discover(s.inputs, s.opts);
    if (discoveryDigest(d) !== s.digest) return false;
    for (const f of d.files) {
      files.add(f.abs);
      dirs.add(path.dirname(f.abs));
    }
  }
  // a kustomization appearing next to an input file would be built (renderSources in cache-hashes.ts)
  for (const dir of dirs) if (kustomizationFile(dir) !== undefined) return false;
  const stamps: [string, string][] = [];
  for (const f of files) {
    const s = statStamp(f);
    if (s === undefined) return false;
    stamps.push([f, s]);
  }
  return stampsDigest(stamps) === rec.stamps;
}
