/** What a render runs with: a chart's profiles, the helm and kustomize commands, and library and packaged charts. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigData, LoadedConfig } from '../config/config.js';
import type { HelmChart } from '../load/discover.js';
import { normalizeCommand, which, type Command } from './exec.js';
import type { HelmProfile, SourcePlace } from './helm.js';

export interface RenderOptions {
  cwd: string;
  config: LoadedConfig;
  /** --values files (relative to cwd), added to every profile */
  values?: string[];
  /** --set values, added to every profile */
  set?: string[];
  dependencyUpdate?: boolean;
  /** `group/version/Kind` of the target cluster's built-in resources, given to every profile (servedKindVersions) */
  apiVersions?: string[];
}

export function profilesFor(chart: HelmChart, cfg: ConfigData, opts: RenderOptions): HelmProfile[] {
  const dir = opts.config.dir;
  const entry = (cfg.helm?.charts ?? []).find((c) => path.resolve(dir, c.path) === chart.dir);
  const cliValues = (opts.values ?? []).map((v) => path.resolve(opts.cwd, v));
  const cliSet = opts.set ?? [];
  const list = entry?.profiles?.length ? entry.profiles : [{ name: 'default' }];
  return list.map((p, i) => ({
    name: p.name ?? `profile ${i + 1}`,
    values: [...(p.values ?? []).map((v) => path.resolve(dir, v)), ...cliValues],
    set: [...(p.set ?? []), ...cliSet],
    releaseName: p.releaseName,
    namespace: p.namespace,
    kubeVersion: p.kubeVersion,
    apiVersions: [...(p.apiVersions ?? []), ...(opts.apiVersions?.length ? [opts.apiVersions.join(',')] : [])],
    skipTests: p.skipTests,
    includeCrds: p.includeCrds,
  }));
}

/**
 * A chart's chart-testing values files (`ci/*-values.yaml`, the files `ct install` renders the chart with), when the
 * run gives the chart no profile and no values of its own; sorted by name.
 */
export function ciValuesFor(chart: HelmChart, chartDir: string, cfg: ConfigData, opts: RenderOptions): string[] {
  const entry = (cfg.helm?.charts ?? []).find((c) => path.resolve(opts.config.dir, c.path) === chart.dir);
  if (entry?.profiles?.length || opts.values?.length || opts.set?.length) return [];
  const dir = path.join(chartDir, 'ci');
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /-values\.ya?ml$/.test(n))
    .sort()
    .map((n) => path.join(dir, n))
    .filter((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
}

export function helmCommand(cfg: ConfigData, dir: string): Command {
  return normalizeCommand(cfg.helm?.command, dir) ?? ['helm'];
}

export function kustomizeCommand(cfg: ConfigData, dir: string): Command {
  const c = normalizeCommand(cfg.kustomize?.command, dir);
  if (c) return c;
  if (which('kustomize')) return ['kustomize'];
  if (which('kubectl')) return ['kubectl', 'kustomize'];
  return ['kustomize'];
}

/**
 * A place inside an unpacked .tgz, reported at the archive (line 1: it is not
 * a text file anyone edits), with the path and line inside it kept in `inPackage`.
 */
export function packagedPlace(archive: string, tmp: string, p: SourcePlace): SourcePlace {
  const rel = path.relative(tmp, p.abs).split(path.sep).join('/');
  return { abs: archive, line: 1, column: 1, endColumn: 1, values: p.values, inPackage: `${rel}:${p.line}:${p.column}` };
}

/** A library chart (`type: library`) has no manifests of its own: helm refuses to render it. */
export function isLibraryChart(dir: string): boolean {
  for (const n of ['Chart.yaml', 'Chart.yml']) {
    try {
      return /^type:\s*["']?library["']?\s*(#.*)?$/m.test(fs.readFileSync(path.join(dir, n), 'utf8'));
    } catch {
      // try the other name
    }
  }
  return false;
}
