/**
 * Chart dependencies that are not vendored but are switched off: helm refuses to render a chart whose
 * `dependencies:` are missing from `charts/` before it looks at their `condition` or `tags`, although with the
 * chart's values the dependency would render nothing (external-secrets' `bitwarden-sdk-server`, off by default).
 * k8s-gold decides `condition` and `tags` as helm does (tags first, then the first condition path that holds a
 * boolean), and renders a copy of the chart without those entries; the finding says so.
 *
 * A missing dependency kept in the repository (`repository: file://../partials`, as linkerd's charts and rook's
 * library are) is what `helm dependency build` would package into `charts/`, offline: the copy gets it under
 * `charts/<name>`, and findings in its templates point at its own directory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Y } from '../parse/yaml-package.js';

type Values = Record<string, unknown>;

const isMap = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);

/** helm's coalescing of values files: maps merge key by key, anything else replaces. */
function merge(into: Values, from: Values): Values {
  const out: Values = { ...into };
  for (const [k, v] of Object.entries(from)) out[k] = isMap(v) && isMap(out[k]) ? merge(out[k], v) : v;
  return out;
}

function readYaml(file: string): unknown {
  try {
    // helm reads values as go-yaml v2 does: YAML 1.1 booleans (`enabled: no`)
    return Y().parse(fs.readFileSync(file, 'utf8'), { version: '1.1', uniqueKeys: false }) as unknown;
  } catch {
    return undefined;
  }
}

function lookup(values: Values, dotted: string): unknown {
  let cur: unknown = values;
  for (const seg of dotted.split('.')) {
    if (!isMap(cur) || !Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

/** Where the chart lists its dependencies: Chart.yaml, or requirements.yaml for apiVersion v1 charts. */
export function dependencyFile(chartDir: string, chartFile: string): { file: string; deps: unknown[] } | undefined {
  for (const file of [chartFile, path.join(chartDir, 'requirements.yaml')]) {
    const doc = fs.existsSync(file) ? readYaml(file) : undefined;
    if (isMap(doc) && Array.isArray(doc.dependencies)) return { file, deps: doc.dependencies };
  }
  return undefined;
}

export interface DisabledDependency {
  name: string;
  /** why it is off: `condition bitwarden-sdk-server.enabled is false`, `tags: ingress is false` */
  reason: string;
}

/** A missing dependency in the repository itself (`repository: file://…`): its chart directory. */
export interface LocalDependency {
  name: string;
  dir: string;
}

/** How a copy of the chart renders although dependencies are missing from charts/: which to leave out, which to copy in. */
export interface MissingPlan {
  off: DisabledDependency[];
  local: LocalDependency[];
}

/**
 * For each missing dependency, either a local chart directory (`file://`, holding a chart of that name) or why it is
 * switched off; undefined unless every entry of every one is one or the other, decided with the profile's values (the
 * chart's values.yaml, then its values files) when no `--set` touches a path that decides.
 */
export function planMissing(
  chartDir: string,
  chartFile: string,
  missing: readonly string[],
  profile: { values?: string[]; set?: string[] },
): MissingPlan | undefined {
  const listed = dependencyFile(chartDir, chartFile);
  if (!listed || missing.length === 0) return undefined;
  let values: Values | undefined;
  const valuesOf = (): Values | undefined => {
    if (values) return values;
    let v: Values = {};
    for (const f of [path.join(chartDir, 'values.yaml'), ...(profile.values ?? [])]) {
      const x = fs.existsSync(f) ? readYaml(f) : undefined;
      if (x === undefined || x === null) continue;
      if (!isMap(x)) return undefined;
      v = merge(v, x);
    }
    return (values = v);
  };
  const setRoots = new Set((profile.set ?? []).flatMap((s) => s.split(',').map((kv) => kv.split('=')[0]!.split(/[.[]/)[0]!.trim())));
  const plan: MissingPlan = { off: [], local: [] };
  for (const name of missing) {
    const entries = listed.deps.filter((d): d is Values => isMap(d) && d.name === name);
    if (entries.length === 0) return undefined;
    for (const d of entries) {
      const dir = localChart(chartDir, d);
      if (dir !== undefined) {
        if (!plan.local.some((l) => l.name === name)) plan.local.push({ name, dir });
        continue;
      }
      const v = valuesOf();
      const reason = v && whyOff(d, v, setRoots);
      if (reason === undefined || reason === '') return undefined;
      plan.off.push({ name, reason });
    }
  }
  return plan;
}

/** The chart directories of a chart's `file://` dependencies (what a render may copy in: `--cache` keys on their files too). */
export function localDependencyDirs(chartDir: string): string[] {
  const chartFile = [path.join(chartDir, 'Chart.yaml'), path.join(chartDir, 'Chart.yml')].find((f) => fs.existsSync(f));
  const listed = chartFile ? dependencyFile(chartDir, chartFile) : undefined;
  return (listed?.deps ?? []).flatMap((d) => {
    const dir = isMap(d) ? localChart(chartDir, d) : undefined;
    return dir ? [dir] : [];
  });
}

/** The directory of a `file://` dependency when it holds a chart of the dependency's name. */
function localChart(chartDir: string, d: Values): string | undefined {
  if (typeof d.repository !== 'string' || !d.repository.startsWith('file://')) return undefined;
  const dir = path.resolve(chartDir, d.repository.slice('file://'.length));
  const chart = [path.join(dir, 'Chart.yaml'), path.join(dir, 'Chart.yml')].find((f) => fs.existsSync(f));
  const meta = chart ? readYaml(chart) : undefined;
  return isMap(meta) && meta.name === d.name ? dir : undefined;
}

/** Why helm would leave the dependency out, or undefined when it would render it (or that is not certain). */
function whyOff(d: Values, values: Values, setRoots: Set<string>): string | undefined {
  let enabled = true;
  let reason = '';
  const tags = Array.isArray(d.tags) ? d.tags.filter((t): t is string => typeof t === 'string') : [];
  if (tags.length) {
    if (setRoots.has('tags')) return undefined;
    const vals = tags.map((t) => lookup(values, `tags.${t}`));
    if (vals.includes(true)) enabled = true;
    else if (vals.includes(false)) {
      enabled = false;
      reason = `tags ${tags.filter((_, i) => vals[i] === false).join(', ')} are false`;
    }
  }
  const conditions = typeof d.condition === 'string' ? d.condition.split(',').map((c) => c.trim()) : [];
  for (const c of conditions) {
    if (c === '') continue;
    if (setRoots.has(c.split('.')[0]!)) return undefined;
    const v = lookup(values, c);
    if (typeof v === 'boolean') {
      enabled = v;
      reason = `condition ${c} is false`;
      break;
    }
  }
  return enabled ? undefined : reason;
}

/**
 * A copy of the chart (under `tmp`, with the chart directory's own name) whose dependency list leaves out the
 * switched-off ones and whose charts/ holds the local ones; lock files go (they list what helm would check against).
 */
export function copyForPlan(chartDir: string, chartFile: string, plan: MissingPlan, tmp: string): string {
  const copy = path.join(tmp, path.basename(chartDir));
  const noGit = (src: string): boolean => path.basename(src) !== '.git';
  fs.cpSync(chartDir, copy, { recursive: true, dereference: true, filter: noGit });
  if (plan.off.length) {
    const names = new Set(plan.off.map((d) => d.name));
    const listed = dependencyFile(chartDir, chartFile)!;
    const file = path.join(copy, path.relative(chartDir, listed.file));
    const doc = Y().parseDocument(fs.readFileSync(file, 'utf8'), { version: '1.1', uniqueKeys: false });
    doc.set(
      'dependencies',
      listed.deps.filter((d) => !(isMap(d) && typeof d.name === 'string' && names.has(d.name))),
    );
    fs.writeFileSync(file, doc.toString());
  }
  for (const l of plan.local) fs.cpSync(l.dir, path.join(copy, 'charts', l.name), { recursive: true, dereference: true, filter: noGit });
  for (const lock of ['Chart.lock', 'requirements.lock']) fs.rmSync(path.join(copy, lock), { force: true });
  return copy;
}

/**
 * The file of the user's tree that a chart-relative path names: under the chart, or for a local dependency copied
 * into charts/ (`redirect`: `charts/partials` → its own directory), under that dependency's directory.
 */
export function chartPath(chartDir: string, rel: string, redirect?: Map<string, string>): string {
  for (const [prefix, real] of redirect ?? [])
    if (rel === prefix || rel.startsWith(prefix + path.sep)) return path.join(real, rel.slice(prefix.length));
  return path.join(chartDir, rel);
}
