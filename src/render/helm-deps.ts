/**
 * Chart dependencies that are not vendored but are switched off: helm refuses to render a chart whose
 * `dependencies:` are missing from `charts/` before it looks at their `condition` or `tags`, although with the
 * chart's values the dependency would render nothing (external-secrets' `bitwarden-sdk-server`, off by default).
 * k8s-gold decides `condition` and `tags` as helm does (tags first, then the first condition path that holds a
 * boolean), and renders a copy of the chart without those entries; the finding says so.
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
function dependencyFile(chartDir: string, chartFile: string): { file: string; deps: unknown[] } | undefined {
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

/**
 * The missing dependencies, each with why it is switched off; undefined unless every entry of every one is off
 * with the profile's values (the chart's values.yaml, then its values files) and no `--set` touches a path that decides.
 */
export function disabledDependencies(
  chartDir: string,
  chartFile: string,
  missing: readonly string[],
  profile: { values?: string[]; set?: string[] },
): DisabledDependency[] | undefined {
  const listed = dependencyFile(chartDir, chartFile);
  if (!listed || missing.length === 0) return undefined;
  let values: Values = {};
  for (const f of [path.join(chartDir, 'values.yaml'), ...(profile.values ?? [])]) {
    const v = fs.existsSync(f) ? readYaml(f) : undefined;
    if (v === undefined || v === null) continue;
    if (!isMap(v)) return undefined;
    values = merge(values, v);
  }
  const setRoots = new Set((profile.set ?? []).flatMap((s) => s.split(',').map((kv) => kv.split('=')[0]!.split(/[.[]/)[0]!.trim())));
  const out: DisabledDependency[] = [];
  for (const name of missing) {
    const entries = listed.deps.filter((d): d is Values => isMap(d) && d.name === name);
    if (entries.length === 0) return undefined;
    for (const d of entries) {
      const reason = whyOff(d, values, setRoots);
      if (reason === undefined) return undefined;
      out.push({ name, reason });
    }
  }
  return out;
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
 * A copy of the chart (under `tmp`, with the chart directory's own name) whose dependency list leaves out `names`;
 * lock files go too (they list the dependencies helm would check against).
 */
export function copyWithout(chartDir: string, chartFile: string, names: ReadonlySet<string>, tmp: string): string {
  const copy = path.join(tmp, path.basename(chartDir));
  fs.cpSync(chartDir, copy, { recursive: true, dereference: true, filter: (src) => path.basename(src) !== '.git' });
  const listed = dependencyFile(chartDir, chartFile)!;
  const file = path.join(copy, path.relative(chartDir, listed.file));
  const doc = Y().parseDocument(fs.readFileSync(file, 'utf8'), { version: '1.1', uniqueKeys: false });
  const kept = listed.deps.filter((d) => !(isMap(d) && typeof d.name === 'string' && names.has(d.name)));
  doc.set('dependencies', kept);
  fs.writeFileSync(file, doc.toString());
  for (const lock of ['Chart.lock', 'requirements.lock']) fs.rmSync(path.join(copy, lock), { force: true });
  return copy;
}
