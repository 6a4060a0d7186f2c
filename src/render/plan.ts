/**
 * Which inputs are rendered: the Helm charts and kustomize targets among the discovered
 * files and the config's packaged charts, and the values files that select a chart.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigData } from '../config/config.js';
import { displayPath, type DiscoveredFile, type Discovery, type HelmChart } from '../load/discover.js';
import { namedAsPatch } from '../load/kustomize.js';
import { resetHelmCaches } from './helm.js';
import { resetSourceTexts } from './source-edits.js';
import { helmChartsOf, kustomizationFile, kustomizationRefs, KUSTOMIZATION_NAMES, resetKustomizeCaches } from './kustomize.js';

export interface KustomizeTarget {
  dir: string;
  display: string;
  file: string;
}

export interface RenderPlan {
  charts: HelmChart[];
  kustomizations: KustomizeTarget[];
  /** files that belong to kustomizations (resources, patches, the kustomization files): linted through them */
  kustomizeFiles: DiscoveredFile[];
  /** files in kustomize directories that no kustomization lists: not deployed, not linted */
  unlisted: DiscoveredFile[];
  /** of the unlisted files, those named as patches (`*patch*`, under `patches/`): never linted on their own */
  patchNamed?: Set<string>;
  /** kustomize Components no kustomization in the run uses: built only as part of one, so not linted */
  components: KustomizeTarget[];
}

export interface PlanOptions {
  kustomize?: boolean;
  /**
   * Where to look for the kustomizations that build on a file named explicitly
   * (pre-commit passes changed files): every kustomization directory under it
   * that ignore patterns do not exclude.
   */
  root?: string;
  isIgnored?: (abs: string, isDir: boolean) => boolean;
  /** packaged charts (.tgz) listed in the config under a directory the run walks (configuredPackages) */
  packaged?: string[];
  /** values files of configured render profiles that live outside their chart: values file → chart directory */
  valuesOwners?: Map<string, string>;
}

/**
 * Every kustomization directory under `root`: ignored directories, node_modules, .git and symbolic link loops skipped.
 * Pre-commit runs it on the whole repository at each commit, so each directory costs one readdir: the
 * kustomization file is found among its entries, and only a directory reached through a symbolic link is
 * resolved (a plain directory's real path is its parent's plus its name).
 */
function kustomizationDirs(root: string, isIgnored: (abs: string, isDir: boolean) => boolean): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (dir: string, real: string): void => {
    if (seen.has(real)) return;
    seen.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const names = new Map(entries.map((e) => [e.name, e]));
    const kf = KUSTOMIZATION_NAMES.find((n) => {
      const e = names.get(n);
      return e && (e.isFile() || (e.isSymbolicLink() && (fs.statSync(path.join(dir, n), { throwIfNoEntry: false })?.isFile() ?? false)));
    });
    if (kf) out.push(dir);
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name === 'node_modules' || e.name === '.git') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!isIgnored(p, true)) walk(p, path.join(real, e.name));
      } else if (e.isSymbolicLink() && (fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false) && !isIgnored(p, true)) {
        let r: string;
        try {
          r = fs.realpathSync(p);
        } catch {
          continue;
        }
        walk(p, r);
      }
    }
  };
  let rootReal: string;
  try {
    rootReal = fs.realpathSync(root);
  } catch {
    return out;
  }
  walk(root, rootReal);
  return out;
}

/**
 * The kustomizations a file named explicitly is deployed through: those under
 * `root` that read it (as their kustomization file, a resource, a patch or a
 * generator source), followed up to the ones no other kustomization builds
 * on. A changed base selects the overlays that use it; a changed component,
 * the kustomizations that include it. Files no kustomization reads are absent.
 */
export function kustomizeTargetsOf(
  files: DiscoveredFile[],
  root: string,
  isIgnored: (abs: string, isDir: boolean) => boolean,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  // only files under the root: a file named from elsewhere is linted as before, without walking a tree it is not in
  files = files.filter((f) => f.abs.startsWith(root + path.sep));
  if (files.length === 0) return out;
  const dirs = kustomizationDirs(root, isIgnored);
  const readers = new Map<string, Set<string>>();
  const usedBy = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, k: string, v: string): void => {
    let s = m.get(k);
    if (!s) m.set(k, (s = new Set()));
    s.add(v);
  };
  for (const d of dirs) {
    const refs = kustomizationRefs(d);
    add(readers, kustomizationFile(d)!, d);
    for (const f of [...refs.files, ...refs.generatorSources]) add(readers, f, d);
    for (const u of refs.dirs) add(usedBy, u, d);
  }
  for (const f of files) {
    const direct = readers.get(f.abs);
    if (!direct) continue;
    const roots = new Set<string>();
    const seen = new Set<string>();
    const climb = (d: string): void => {
      if (seen.has(d)) return;
      seen.add(d);
      const users = usedBy.get(d);
      if (!users?.size) roots.add(d);
      else users.forEach(climb);
    };
    direct.forEach(climb);
    out.set(f.abs, [...roots].sort());
  }
  return out;
}

/**
 * Takes the files that belong to kustomizations out of the discovered files.
 * Targets are the kustomization directories no other discovered kustomization
 * builds on: a base used only by overlays is linted through them. A file named
 * explicitly selects the kustomizations that deploy it (kustomizeTargetsOf),
 * and a file inside a chart, or a configured values file, its chart.
 */
export function planRenders(disc: Discovery, cwd: string, opts: PlanOptions = {}): RenderPlan {
  resetKustomizeCaches();
  resetHelmCaches();
  resetSourceTexts();
  for (const abs of opts.packaged ?? []) {
    if (disc.helmCharts.some((c) => c.dir === abs)) continue;
    disc.helmCharts.push({ dir: abs, display: displayPath(abs, cwd), files: [{ abs, display: displayPath(abs, cwd) }], packaged: true });
    disc.helmCharts.sort((a, b) => (a.display < b.display ? -1 : 1));
  }
  if (opts.valuesOwners?.size) {
    const rest: DiscoveredFile[] = [];
    for (const f of disc.files) {
      const owner = f.explicit ? opts.valuesOwners.get(f.abs) : undefined;
      if (!owner) {
        rest.push(f);
        continue;
      }
      let c = disc.helmCharts.find((h) => h.dir === owner);
      if (!c) disc.helmCharts.push((c = { dir: owner, display: displayPath(owner, cwd), files: [] }));
      c.files.push(f);
    }
    disc.files = rest;
    disc.helmCharts.sort((a, b) => (a.display < b.display ? -1 : 1));
  }
  if (opts.kustomize === false) return { charts: disc.helmCharts, kustomizations: [], kustomizeFiles: [], unlisted: [], components: [] };
  const kdirs = new Map<string, string>();
  // directories found to hold no kustomization: every file of a directory asks (a failed stat throws: costly)
  const plain = new Set<string>();
  const isK = (dir: string): boolean => {
    if (kdirs.has(dir)) return true;
    if (plain.has(dir)) return false;
    const f = kustomizationFile(dir);
    if (f) kdirs.set(dir, f);
    else plain.add(dir);
    return f !== undefined;
  };
  const explicit = disc.files.filter((f) => f.explicit);
  const via =
    opts.root && explicit.length ? kustomizeTargetsOf(explicit, opts.root, opts.isIgnored ?? (() => false)) : new Map<string, string[]>();
  for (const f of disc.files) {
    const targets = via.get(f.abs);
    if (targets?.length) targets.forEach(isK);
    else isK(path.dirname(f.abs));
  }
  const plan: RenderPlan = { charts: disc.helmCharts, kustomizations: [], kustomizeFiles: [], unlisted: [], components: [] };
  if (kdirs.size === 0) return plan;
  const usedDirs = new Set<string>();
  const consumed = new Set<string>();
  const seen = new Set<string>();
  const visit = (dir: string): void => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const refs = kustomizationRefs(dir);
    for (const f of [...refs.files, ...refs.generatorSources]) consumed.add(f);
    for (const d of refs.dirs) {
      usedDirs.add(d);
      const kf = kustomizationFile(d);
      if (kf) consumed.add(kf);
      visit(d);
    }
  };
  for (const d of kdirs.keys()) visit(d);
  // a file named as a patch (`*patch*`, or under a `patches` directory) below a kustomization that uses it
  // nowhere: scaffolding such as kubebuilder's commented-out webhook patches, never applied as it stands
  const unusedPatch = (abs: string): boolean => {
    let d = path.dirname(abs);
    for (;;) {
      if (kdirs.has(d)) break;
      const up = path.dirname(d);
      if (up === d) return false;
      d = up;
    }
    return namedAsPatch(path.relative(d, abs));
  };
  const rest: DiscoveredFile[] = [];
  for (const f of disc.files) {
    const dir = path.dirname(f.abs);
    if (consumed.has(f.abs) || (kdirs.has(dir) && KUSTOMIZATION_NAMES.includes(path.basename(f.abs)))) plan.kustomizeFiles.push(f);
    else if (unusedPatch(f.abs)) {
      plan.unlisted.push(f);
      (plan.patchNamed ??= new Set()).add(f.abs);
    } else if (kdirs.has(dir)) plan.unlisted.push(f);
    else rest.push(f);
  }
  disc.files = rest;
  // a chart vendored for a kustomization's helmCharts is deployed through it (with its values), not on its own
  const vendored = [...kdirs.keys()].flatMap((d) => helmChartsOf(d).map((h) => h.chartDir));
  if (vendored.length) plan.charts = plan.charts.filter((c) => !vendored.some((v) => c.dir === v || c.dir.startsWith(v + path.sep)));
  for (const [dir, file] of [...kdirs].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (usedDirs.has(dir)) continue;
    if (kustomizationRefs(dir).component) plan.components.push({ dir, display: displayPath(dir, cwd), file });
    else plan.kustomizations.push({ dir, display: displayPath(dir, cwd), file });
  }
  return plan;
}

/**
 * Packaged charts listed in the config (`helm.charts[].path: x.tgz`) that lie
 * under a directory given to the run and are not ignored: a directory walk
 * renders these archives, and no others (a .tgz under a chart's charts/ is a
 * dependency, rendered through its parent).
 */
export function configuredPackages(
  cfg: ConfigData,
  configDir: string,
  inputs: string[],
  cwd: string,
  isIgnored: (abs: string, isDir: boolean) => boolean,
): string[] {
  const dirs = inputs.map((i) => path.resolve(cwd, i)).filter((d) => fs.statSync(d, { throwIfNoEntry: false })?.isDirectory());
  const out: string[] = [];
  for (const c of cfg.helm?.charts ?? []) {
    const abs = path.resolve(configDir, c.path);
    if (!/\.tgz$/i.test(abs) || !fs.statSync(abs, { throwIfNoEntry: false })?.isFile()) continue;
    const under = dirs.filter((d) => abs.startsWith(d + path.sep)).sort((a, b) => a.length - b.length);
    if (!under.length || isIgnored(abs, false)) continue;
    // an ignored directory between the walked directory and the archive excludes it, as the walk would
    let ignored = false;
    for (let p = path.dirname(abs); p.startsWith(under[0]! + path.sep); p = path.dirname(p)) if (isIgnored(p, true)) ignored = true;
    if (!ignored) out.push(abs);
  }
  return [...new Set(out)].sort();
}

/** Values files of configured render profiles that live outside their chart, each with its chart: naming one selects the chart. */
export function valuesOwners(cfg: ConfigData, dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of cfg.helm?.charts ?? []) {
    const chart = path.resolve(dir, c.path);
    for (const p of c.profiles ?? [])
      for (const v of p.values ?? []) {
        const abs = path.resolve(dir, v);
        if (!abs.startsWith(chart + path.sep)) out.set(abs, chart);
      }
  }
  return out;
}
