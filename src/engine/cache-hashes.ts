// The content hashes of every file a run reads (inputs, context, CRDs, policies, plugins, what renders read), stamps reused from `<cache>.idx`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discover, ignoreMatcher, type Discovery } from '../load/discover.js';
import type { DiscoverTrace } from '../load/discover-trace.js';
import { sha, type CacheInputs } from './cache-key.js';
import { stampTrusted, statStamp, type FsTime } from '../util/stamp.js';

export type StampIndex = Record<string, [string, string]>;

/** `<cache>.idx` holds no racy stamp (util/stamp.ts stampTrusted) since this format, named under this key. */
export const IDX_FORMAT = '2';
export const IDX_FORMAT_KEY = '#format';

/** What fileHashes found, for the run and for the warm record (warm-key.ts): each discovery with its trace, and how many files came from elsewhere (charts, renders, values files). */
export interface Found {
  discovery?: Discovery;
  sets?: { discovery: Discovery; trace: DiscoverTrace }[];
  /** files hashed besides the discovered ones */
  others?: number;
}

/**
 * Content hashes of every file the run reads, by absolute path; undefined when the inputs cannot be cached. A file
 * whose stamp (warm-key.ts) is the one in `known` keeps its hash from there (`<cache>.idx`) instead of being read again.
 * `index` gets the stamp and hash of each file read whose stamp is older than `since` (the file system's time before
 * this run took any stamp): a newer one could stay the same through a change in the same tick (stampTrusted).
 */
export function fileHashes(
  c: CacheInputs,
  known: StampIndex = {},
  index: StampIndex = {},
  inputs: Set<string> = new Set(),
  found: Found = {},
  since?: FsTime,
): Record<string, string> | undefined {
  index[IDX_FORMAT_KEY] = [IDX_FORMAT, ''];
  const ignorePatterns = [...(c.config.data.ignorePatterns ?? []), ...(c.ignorePatterns ?? [])];
  const dopts = { cwd: c.cwd, baseDir: c.config.dir, ignorePatterns };
  // what discovery asks the file system, for the warm record (warm-key.ts)
  const newTrace = (): DiscoverTrace => ({ dirs: [], probes: [], opaque: false });
  const trace0 = newTrace();
  const sets = [discover(c.inputs, dopts, trace0)];
  found.sets = [{ discovery: sets[0]!, trace: trace0 }];
  for (const f of sets[0]!.files) inputs.add(f.abs);
  found.discovery = sets[0];
  found.others = 0;
  const extra = [
    ...(c.config.data.context ?? []),
    ...(c.config.data.crds ?? []),
    ...(c.config.data.policies ?? []),
    ...(c.config.data.plugins ?? []),
  ].map((p) => path.resolve(c.config.dir, p));
  const cliContext = [...(c.context ?? []), ...(c.crds ?? [])].map((p) => path.resolve(c.cwd, p));
  if (extra.length || cliContext.length) {
    const trace = newTrace();
    sets.push(discover([...extra, ...cliContext], dopts, trace));
    found.sets.push({ discovery: sets[1]!, trace });
  }
  const out: Record<string, string> = {};
  for (const d of sets) {
    if (d.missing.length) return undefined;
    const valuesFiles = [
      ...((c.render?.values as string[] | undefined) ?? []).map((v) => path.resolve(c.cwd, v)),
      ...(c.config.data.helm?.charts ?? [])
        .flatMap((ch) => (ch.profiles ?? []).flatMap((p) => p.values ?? []))
        .map((v) => path.resolve(c.config.dir, v)),
    ].map((abs) => ({ abs }));
    const others = [...d.helmCharts.flatMap((h) => h.files), ...renderSources(d, c, ignorePatterns), ...(d === sets[0] ? valuesFiles : [])];
    found.others += others.length;
    const all = [...d.files, ...others];
    for (const f of all) {
      const stamp = statStamp(f.abs);
      const prev = stamp ? known[f.abs] : undefined;
      if (prev && prev[0] === stamp) {
        out[f.abs] = prev[1];
        index[f.abs] = prev;
        continue;
      }
      try {
        out[f.abs] = sha(fs.readFileSync(f.abs));
        if (stamp && stamp === statStamp(f.abs) && stampTrusted(stamp, since)) index[f.abs] = [stamp, out[f.abs]!];
      } catch (e) {
        out[f.abs] = `unreadable:${(e as NodeJS.ErrnoException).code ?? 'error'}`;
      }
    }
    out[`#ignored`] = String(Number(out['#ignored'] ?? 0) + d.ignored);
    out[`#loops`] = (out['#loops'] ?? '') + d.loops.join('\n');
  }
  return out;
}

/** Every file a chart or kustomization render reads besides the discovered ones: all files of the charts, and the kustomizations' files. */
function renderSources(d: import('../load/discover.js').Discovery, c: CacheInputs, ignorePatterns: string[]): { abs: string }[] {
  const out = new Map<string, { abs: string }>();
  const { configuredPackages, kustomizeTargetsOf, valuesOwners } = require('../render/index.js') as typeof import('../render/index.js');
  const explicit = d.files.filter((f) => f.explicit);
  // a configured values file named explicitly selects its chart; configured packaged charts under a walked directory are rendered
  const owners = valuesOwners(c.config.data, c.config.dir);
  const packaged = configuredPackages(
    c.config.data,
    c.config.dir,
    c.inputs,
    c.cwd,
    ignoreMatcher({ cwd: c.cwd, baseDir: c.config.dir, ignorePatterns }),
  );
  const chartDirs = [
    ...new Set([
      ...d.helmCharts.map((h) => h.dir),
      ...explicit.map((f) => owners.get(f.abs)).filter((x): x is string => x !== undefined),
      ...packaged,
    ]),
  ];
  // a chart's dependencies kept in the repository (file://) are rendered with it
  const { localDependencyDirs } = require('../render/helm-deps.js') as typeof import('../render/helm-deps.js');
  for (let i = 0; i < chartDirs.length; i++)
    for (const dep of localDependencyDirs(chartDirs[i]!)) if (!chartDirs.includes(dep)) chartDirs.push(dep);
  for (const dir of chartDirs) {
    const st = fs.statSync(dir, { throwIfNoEntry: false });
    // a packaged chart is one file
    if (st?.isFile()) out.set(dir, { abs: dir });
    if (!st?.isDirectory()) continue;
    for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (e.isFile()) {
        const abs = path.join(e.parentPath, e.name);
        out.set(abs, { abs });
      }
    }
  }
  const { kustomizationFile, kustomizationRefs, resetKustomizeCaches } =
    require('../render/kustomize.js') as typeof import('../render/kustomize.js');
  resetKustomizeCaches();
  const seen = new Set<string>();
  const visit = (dir: string): void => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const kf = kustomizationFile(dir);
    if (!kf) return;
    out.set(kf, { abs: kf });
    const refs = kustomizationRefs(dir);
    for (const f of [...refs.files, ...refs.generatorSources]) out.set(f, { abs: f });
    refs.dirs.forEach(visit);
  };
  for (const f of d.files) visit(path.dirname(f.abs));
  // the kustomizations that deploy a file named explicitly are built too
  if (explicit.length)
    for (const targets of kustomizeTargetsOf(
      explicit,
      c.cwd,
      ignoreMatcher({ cwd: c.cwd, baseDir: c.config.dir, ignorePatterns }),
    ).values())
      targets.forEach(visit);
  return [...out.values()].sort((a, b) => (a.abs < b.abs ? -1 : 1));
}
