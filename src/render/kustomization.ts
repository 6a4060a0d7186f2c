/** Reading kustomization files: the file in a directory, and what it references (resources, components, patches, generators, helmCharts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseText } from '../parse/parse.js';

export { KUSTOMIZATION_NAMES, kustomizationFile } from './kustomization-file.js';
import { kustomizationFile } from './kustomization-file.js';

export interface KustomizationRefs {
  /** kustomization directories it builds on (resources, bases, components) */
  dirs: string[];
  /** files it reads (resources, patches, crds, configurations, replacements) */
  files: string[];
  /** patch files */
  patches: string[];
  /** a kustomize Component (kind: Component): built only as part of a kustomization */
  component: boolean;
  /** remote resources (URLs, git repositories): kustomize would fetch them from the network */
  remote: string[];
  /** local resources, bases and components that do not exist (as written): kustomize build fails on them */
  missing: string[];
  /** other files it lists that do not exist (patches, crds, configurations, replacements, generators, transformers), with the field */
  missingFiles: { entry: string; field: string }[];
  /** files configMapGenerator and secretGenerator read (`files`, `envs`, `env`) */
  generatorSources: string[];
  /** `helmCharts:` entries: the chart directory kustomize reads (chartHome/name, or chartHome/name-version/name) and the entry's line */
  helmCharts: { name: string; chartDir: string; repo?: string; line: number }[];
}

export const parsedRefs = new Map<string, KustomizationRefs>();

/** Paths a kustomization refers to, resolved; remote resources (URLs) are left out. */
export function kustomizationRefs(dir: string): KustomizationRefs {
  const hit = parsedRefs.get(dir);
  if (hit) return hit;
  const out: KustomizationRefs = {
    dirs: [],
    files: [],
    patches: [],
    component: false,
    remote: [],
    missing: [],
    missingFiles: [],
    generatorSources: [],
    helmCharts: [],
  };
  parsedRefs.set(dir, out);
  const file = kustomizationFile(dir);
  if (!file) return out;
  let data: Record<string, unknown>;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
    const p = parseText(text);
    const v = p.documents.find((d) => d.ok && !d.empty)?.value;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return out;
    data = v as Record<string, unknown>;
  } catch {
    return out;
  }
  out.component = data.kind === 'Component';
  const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const paths = (v: unknown): string[] =>
    Array.isArray(v)
      ? v
          .map((x) => (x && typeof x === 'object' ? (x as { path?: unknown }).path : undefined))
          .filter((x): x is string => typeof x === 'string')
      : [];
  const local = (p: string): boolean =>
    !/^[a-z]+:\/\//i.test(p) && !/^(github\.com|gitlab\.com|bitbucket\.org)\//.test(p) && !p.startsWith('git@');
  out.remote = [...strs(data.resources), ...strs(data.bases), ...strs(data.components)].filter((r) => !local(r));
  // an OpenAPI schema for kustomize's merges read from a URL (argo-rollouts' test/kustomize): fetched at build time
  const openapi = data.openapi && typeof data.openapi === 'object' ? (data.openapi as { path?: unknown }).path : undefined;
  if (typeof openapi === 'string' && !local(openapi)) out.remote.push(openapi);
  for (const r of [...strs(data.resources), ...strs(data.bases), ...strs(data.components)].filter(local)) {
    const abs = path.resolve(dir, r);
    let isDir = false;
    try {
      isDir = fs.statSync(abs).isDirectory();
    } catch {
      // missing: kustomize build fails on it ("must resolve to a file")
      out.missing.push(r);
    }
    (isDir ? out.dirs : out.files).push(abs);
  }
  const patchFiles = [
    ...strs(data.patchesStrategicMerge).filter((p) => !p.includes('\n')),
    ...paths(data.patches),
    ...paths(data.patchesJson6902),
  ]
    .filter(local)
    .map((p) => path.resolve(dir, p));
  out.patches.push(...patchFiles);
  out.files.push(
    ...patchFiles,
    ...[...strs(data.crds), ...strs(data.configurations), ...paths(data.replacements), ...strs(data.generators), ...strs(data.transformers)]
      .filter(local)
      .map((p) => path.resolve(dir, p)),
  );
  // a listed file that does not exist: kustomize build fails on it with an lstat or "evalsymlink failure" error
  const listed: [string, string[]][] = [
    ['patches', [...strs(data.patchesStrategicMerge).filter((p) => !p.includes('\n')), ...paths(data.patches)]],
    ['patchesJson6902', paths(data.patchesJson6902)],
    ['crds', strs(data.crds)],
    ['configurations', strs(data.configurations)],
    ['replacements', paths(data.replacements)],
    ['generators', strs(data.generators)],
    ['transformers', strs(data.transformers)],
  ];
  for (const [field, entries] of listed)
    for (const entry of entries.filter(local)) if (!fs.existsSync(path.resolve(dir, entry))) out.missingFiles.push({ entry, field });
  for (const g of [
    ...(Array.isArray(data.configMapGenerator) ? data.configMapGenerator : []),
    ...(Array.isArray(data.secretGenerator) ? data.secretGenerator : []),
  ]) {
    if (!g || typeof g !== 'object') continue;
    const e = g as { files?: unknown; envs?: unknown; env?: unknown };
    // a `files` entry is `path` or `key=path`
    const srcs = [...strs(e.files).map((f) => f.slice(f.indexOf('=') + 1)), ...strs(e.envs), ...(typeof e.env === 'string' ? [e.env] : [])];
    out.generatorSources.push(...srcs.filter(local).map((p) => path.resolve(dir, p)));
  }
  if (Array.isArray(data.helmCharts)) {
    const globals = data.helmGlobals as { chartHome?: unknown } | undefined;
    const home = path.resolve(dir, typeof globals?.chartHome === 'string' ? globals.chartHome : 'charts');
    const lines = text.split('\n');
    let from = Math.max(
      0,
      lines.findIndex((l) => /^helmCharts\s*:/.test(l)),
    );
    for (const h of data.helmCharts) {
      const e = h as { name?: unknown; version?: unknown; repo?: unknown } | null;
      if (!e || typeof e.name !== 'string') continue;
      const name = e.name;
      const version = typeof e.version === 'string' || typeof e.version === 'number' ? String(e.version) : undefined;
      const at = lines.findIndex(
        (l, i) =>
          i >= from && new RegExp(`^\\s*-?\\s*name:\\s*["']?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*(#.*)?$`).test(l),
      );
      if (at >= 0) from = at + 1;
      out.helmCharts.push({
        name,
        chartDir: version ? path.join(home, `${name}-${version}`, name) : path.join(home, name),
        repo: typeof e.repo === 'string' ? e.repo : undefined,
        line: at >= 0 ? at + 1 : 1,
      });
    }
  }
  return out;
}

/** The `helmCharts:` entries of a kustomization and of the kustomizations it builds on, each with its kustomization file. */
export function helmChartsOf(dir: string): (KustomizationRefs['helmCharts'][number] & { file: string })[] {
  const out: (KustomizationRefs['helmCharts'][number] & { file: string })[] = [];
  const seen = new Set<string>();
  const visit = (d: string): void => {
    if (seen.has(d)) return;
    seen.add(d);
    const refs = kustomizationRefs(d);
    const file = kustomizationFile(d);
    if (file) for (const h of refs.helmCharts) out.push({ ...h, file });
    refs.dirs.forEach(visit);
  };
  visit(dir);
  return out;
}

/** The template beside a missing file that a script makes from it (`config.yaml.in`, `config.yaml.tmpl`), by its name. */
export function templateOf(abs: string): string | undefined {
  const found = ['.in', '.tmpl', '.tpl', '.template'].map((x) => abs + x).find((t) => fs.existsSync(t));
  return found === undefined ? undefined : path.basename(found);
}
