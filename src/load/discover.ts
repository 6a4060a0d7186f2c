/**
 * Input discovery: files, directories (recursive) and globs; ignore
 * patterns; Helm charts; symlink loops.
 */
import type * as fs from 'node:fs';
import * as path from 'node:path';
import { Minimatch } from 'minimatch';
import { plainFs, tracedFs, type DiscoverFs, type DiscoverTrace } from './discover-trace.js';
import { expandGlob, GLOB_CHARS } from './glob.js';
import { relativePath } from './relative.js';

export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
export const DEFAULT_IGNORES = ['**/node_modules/**', '**/.git/**', 'node_modules', '.git'];
/** What the default ignores match of a relative path (`/`-separated): any segment node_modules or .git. */
const DEFAULT_IGNORED = /(?:^|\/)(?:node_modules|\.git)(?:\/|$)/;

/**
 * Files that are never manifests: k8s-gold's own config and other tools' YAML.
 * A directory walk passes over them without counting them; named explicitly,
 * they are read (and get the non-manifest note).
 */
const WALK_SKIP_NAMES = new Set(['.k8s-gold.yaml', '.k8s-gold.yml', '.k8s-gold.json', '.pre-commit-config.yaml', '.pre-commit-hooks.yaml']);
const WALK_SKIP_DIRS = ['.github/workflows'];
/**
 * A Go module's `vendor/` (`go mod vendor` writes `vendor/modules.txt`): copies of dependencies, with their test
 * manifests and CI files, that nobody in the repository edits. A walk passes over it, as Go's `./...` does; a path
 * under it named on the command line is read.
 */
const isGoVendor = (dir: string, fsx: DiscoverFs): boolean => fsx.existsSync(path.join(dir, 'modules.txt'));
/**
 * jsonnet-bundler's vendor directory (`jb install` beside `jsonnetfile.json`: `vendor/`, or the name given with
 * `--jsonnetpkg-home`, as sealed-secrets' `vendor_jsonnet/`): copies of jsonnet libraries, with their tests' golden
 * output and examples, passed over as a Go module's vendor/ is.
 */
const isJsonnetVendor = (name: string, siblings: readonly fs.Dirent[]): boolean =>
  /vendor/i.test(name) && siblings.some((e) => e.name === 'jsonnetfile.json' && !e.isDirectory());

export interface DiscoveredFile {
  abs: string;
  /** path shown to users: relative to cwd with forward slashes, or absolute when outside cwd */
  display: string;
  /** named on the command line (or matched by a glob), not found by a directory walk */
  explicit?: boolean;
}

export interface HelmChart {
  /** the chart directory, or the .tgz of a packaged chart */
  dir: string;
  display: string;
  files: DiscoveredFile[];
  /** a packaged chart (`helm package`'s .tgz), named explicitly: a .tgz under a chart's charts/ is a dependency rendered through its parent */
  packaged?: boolean;
}

export interface Discovery {
  files: DiscoveredFile[];
  helmCharts: HelmChart[];
  /** files that ignore patterns excluded */
  ignored: number;
  /** inputs that do not exist (a usage error) */
  missing: string[];
  /** directories skipped because they close a symlink loop */
  loops: string[];
  /** absolute paths of the files and directories ignore patterns excluded (findings mapped from renders into them are dropped) */
  ignoredPaths: string[];
  /** `.tpl` files named explicitly outside any chart (pre-commit passes them): Go templates, not manifests, not linted */
  strayTemplates: DiscoveredFile[];
}

export interface DiscoverOptions {
  cwd: string;
  /** directory ignore patterns are relative to */
  baseDir: string;
  ignorePatterns: string[];
}

/** A path with forward slashes (as it is on POSIX systems). */
const slashed = (p: string): string => (path.sep === '/' ? p : p.split(path.sep).join('/'));

/**
 * The entries' paths of directory `dir`: path.join, or on POSIX, when `dir` is normalized already (as a walk makes
 * them), the name appended (what path.join gives then; a directory entry's name holds no separator and is never `.`
 * or `..`), without normalizing the whole path again for each of them.
 */
function childPaths(dir: string): (name: string) => string {
  if (path.sep === '/' && !dir.endsWith('/') && path.normalize(dir) === dir) return (name) => `${dir}/${name}`;
  return (name) => path.join(dir, name);
}

export function displayPath(abs: string, cwd: string): string {
  const rel = relativePath(cwd, abs);
  if (rel === '') return '.';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return slashed(abs);
  return slashed(rel);
}

export function isManifestName(name: string): boolean {
  const lower = name.toLowerCase();
  return MANIFEST_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** `trace`: what the discovery asks the file system is recorded there (discover-trace.ts). */
export function discover(inputs: string[], opts: DiscoverOptions, trace?: DiscoverTrace): Discovery {
  const fsx = trace ? tracedFs(trace) : plainFs;
  const out: Discovery = { files: [], helmCharts: [], ignored: 0, missing: [], loops: [], ignoredPaths: [], strayTemplates: [] };
  const seen = new Set<string>();
  const chartCache = new Map<string, string | null>();
  const charts = new Map<string, HelmChart>();

  const isIgnored = ignoreMatcher(opts);

  const chartOf = (dir: string): string | null => {
    const cached = chartCache.get(dir);
    if (cached !== undefined) return cached;
    let res: string | null = null;
    if (fsx.existsSync(path.join(dir, 'Chart.yaml')) || fsx.existsSync(path.join(dir, 'Chart.yml'))) {
      // a sub-chart (parent/charts/sub) is rendered through its parent
      const up = path.dirname(dir);
      res = path.basename(up) === 'charts' && path.dirname(up) !== up ? (chartOf(path.dirname(up)) ?? dir) : dir;
    } else {
      const parent = path.dirname(dir);
      res = parent === dir ? null : chartOf(parent);
    }
    chartCache.set(dir, res);
    return res;
  };

  // `known`: the file's real path when the caller knows it (a plain file in a walked directory: the directory's real
  // path and its name), so that only explicit inputs and symlinks cost a realpath (one system call per path component)
  const addFile = (abs: string, explicit: boolean, known?: string): void => {
    let real: string;
    if (known !== undefined) real = known;
    else {
      try {
        real = fsx.realpathSync(abs);
      } catch {
        real = abs;
      }
    }
    if (seen.has(real)) return;
    seen.add(real);
    if (isIgnored(abs, false)) {
      out.ignored++;
      out.ignoredPaths.push(abs);
      return;
    }
    const f: DiscoveredFile = explicit
      ? { abs, display: displayPath(abs, opts.cwd), explicit }
      : { abs, display: displayPath(abs, opts.cwd) };
    const chart = chartOf(path.dirname(abs));
    if (chart) {
      let c = charts.get(chart);
      if (!c) charts.set(chart, (c = { dir: chart, display: displayPath(chart, opts.cwd), files: [] }));
      c.files.push(f);
      return;
    }
    if (explicit && /\.tgz$/i.test(abs)) {
      charts.set(abs, { dir: abs, display: f.display, files: [f], packaged: true });
      return;
    }
    if (abs.toLowerCase().endsWith('.tpl')) {
      out.strayTemplates.push(f);
      return;
    }
    out.files.push(f);
  };

  // `known`: the directory's real path when the caller knows it (a plain directory entry of a walked directory)
  const walk = (dir: string, realSeen: Set<string>, known?: string): void => {
    let real: string;
    if (known !== undefined) real = known;
    else {
      try {
        real = fsx.realpathSync(dir);
      } catch {
        return;
      }
    }
    if (realSeen.has(real)) {
      out.loops.push(displayPath(dir, opts.cwd));
      return;
    }
    realSeen.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fsx.readdirSync(dir, { withFileTypes: true });
    } catch {
      realSeen.delete(real);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // the files of a directory never walked into (.github/workflows): decided once for the directory, not per file
    const skipFiles = WALK_SKIP_DIRS.some((d) => slashed(path.normalize(dir)).endsWith(`/${d}`));
    const inDir = childPaths(dir);
    const inReal = childPaths(real);
    for (const e of entries) {
      const p = inDir(e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      const link = e.isSymbolicLink();
      if (link) {
        try {
          const st = fsx.statSync(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          // dangling link: report it as a file if it looks like a manifest
          isFile = isManifestName(e.name);
        }
      }
      if (isDir) {
        if (isIgnored(p, true)) {
          out.ignoredPaths.push(p);
          continue;
        }
        if ((e.name === 'vendor' && isGoVendor(p, fsx)) || isJsonnetVendor(e.name, entries)) continue;
        walk(p, realSeen, link ? undefined : inReal(e.name));
      } else if (isFile && isManifestName(e.name) && !WALK_SKIP_NAMES.has(e.name) && !skipFiles) {
        addFile(p, false, link ? undefined : inReal(e.name));
      }
    }
    realSeen.delete(real);
  };

  for (const input of inputs) {
    const abs = path.resolve(opts.cwd, input);
    if (GLOB_CHARS.test(input) && !fsx.existsSync(abs)) {
      if (trace) trace.opaque = true;
      const matches = expandGlob(input, opts.cwd);
      if (matches.length === 0) out.missing.push(input);
      for (const m of matches) {
        const st = safeStat(m, fsx);
        if (st?.isDirectory()) walk(m, new Set());
        else if (st) addFile(m, true);
      }
      continue;
    }
    const st = safeStat(abs, fsx);
    if (!st) {
      out.missing.push(input);
      continue;
    }
    if (st.isDirectory()) walk(abs, new Set());
    else addFile(abs, true);
  }
  out.files.sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
  out.helmCharts = [...charts.values()].sort((a, b) => (a.display < b.display ? -1 : 1));
  return out;
}

/** Whether ignore patterns (relative to `baseDir`, plus the default ignores) exclude a path. */
export function ignoreMatcher(opts: DiscoverOptions): (abs: string, isDir: boolean) => boolean {
  // the default ignores match exactly the paths with a segment node_modules or .git (tested without minimatch);
  // the others are compiled once: a pattern matches the path, its base name (patterns without a slash), or anything under it
  const matchers = opts.ignorePatterns.map((p) => {
    const pat = p.replace(/^\.\//, '');
    return {
      exact: new Minimatch(pat, { dot: true }),
      byName: pat.includes('/') ? undefined : new Minimatch(pat, { dot: true }),
      under: new Minimatch(pat.replace(/\/$/, '') + '/**', { dot: true }),
    };
  });
  return (abs: string, isDir: boolean): boolean => {
    const rel = slashed(relativePath(opts.baseDir, abs));
    if (rel === '' || rel.startsWith('../')) {
      // outside the base directory: only the default ignores by name
      const base = path.basename(abs);
      return base === 'node_modules' || base === '.git';
    }
    if (DEFAULT_IGNORED.test(rel)) return true;
    const base = path.basename(rel);
    for (const m of matchers) {
      if (m.exact.match(rel) || (isDir && m.exact.match(rel + '/'))) return true;
      if (m.byName && m.byName.match(base)) return true;
      if (m.under.match(rel)) return true;
    }
    return false;
  };
}

function safeStat(p: string, fsx: DiscoverFs): fs.Stats | undefined {
  try {
    return fsx.statSync(p);
  } catch {
    return undefined;
  }
}
