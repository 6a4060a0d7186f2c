/**
 * Kustomize: which directories are targets, rendering them with `kustomize
 * build` or `kubectl kustomize`, and mapping findings back to the source files.
 *
 * Origins: kustomize has no CLI flag for origin annotations, so a temporary
 * kustomization that lists the target (by relative path) and sets
 * `buildMetadata: [originAnnotations]` is built besides the plain build; the
 * objects of both builds come in the same order.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { locate, parseText, type ParseOutput } from '../parse/parse.js';
import type { Path } from '../parse/source.js';
import { commentMatches, parseCommentSuppressions, type CommentSuppression } from '../engine/suppress.js';
import { run, which, type Command, type Job } from './exec.js';
import type { PreparedRender, RenderFailure, SourcePlace } from './helm.js';

export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function kustomizationFile(dir: string): string | undefined {
  for (const n of KUSTOMIZATION_NAMES) {
    const p = path.join(dir, n);
    try {
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // not there
    }
  }
  return undefined;
}

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
  /** files configMapGenerator and secretGenerator read (`files`, `envs`, `env`) */
  generatorSources: string[];
  /** `helmCharts:` entries: the chart directory kustomize reads (chartHome/name, or chartHome/name-version/name) and the entry's line */
  helmCharts: { name: string; chartDir: string; repo?: string; line: number }[];
}

const parsedRefs = new Map<string, KustomizationRefs>();

/** Forgets what was read from kustomizations and source files (called at the start of each run). */
export function resetKustomizeCaches(): void {
  parsedRefs.clear();
  sources.clear();
}

/** Paths a kustomization refers to, resolved; remote resources (URLs) are left out. */
export function kustomizationRefs(dir: string): KustomizationRefs {
  const hit = parsedRefs.get(dir);
  if (hit) return hit;
  const out: KustomizationRefs = { dirs: [], files: [], patches: [], component: false, remote: [], generatorSources: [], helmCharts: [] };
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
  const paths = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (x && typeof x === 'object' ? (x as { path?: unknown }).path : undefined)).filter((x): x is string => typeof x === 'string') : []);
  const local = (p: string): boolean => !/^[a-z]+:\/\//i.test(p) && !/^(github\.com|gitlab\.com|bitbucket\.org)\//.test(p) && !p.startsWith('git@');
  out.remote = [...strs(data.resources), ...strs(data.bases), ...strs(data.components)].filter((r) => !local(r));
  for (const r of [...strs(data.resources), ...strs(data.bases), ...strs(data.components)].filter(local)) {
    const abs = path.resolve(dir, r);
    let isDir = false;
    try {
      isDir = fs.statSync(abs).isDirectory();
    } catch {
      // missing: kustomize reports it
    }
    (isDir ? out.dirs : out.files).push(abs);
  }
  const patchFiles = [...strs(data.patchesStrategicMerge).filter((p) => !p.includes('\n')), ...paths(data.patches), ...paths(data.patchesJson6902)].filter(local).map((p) => path.resolve(dir, p));
  out.patches.push(...patchFiles);
  out.files.push(...patchFiles, ...[...strs(data.crds), ...strs(data.configurations), ...paths(data.replacements), ...strs(data.generators), ...strs(data.transformers)].filter(local).map((p) => path.resolve(dir, p)));
  for (const g of [...(Array.isArray(data.configMapGenerator) ? data.configMapGenerator : []), ...(Array.isArray(data.secretGenerator) ? data.secretGenerator : [])]) {
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
    let from = Math.max(0, lines.findIndex((l) => /^helmCharts\s*:/.test(l)));
    for (const h of data.helmCharts) {
      const e = h as { name?: unknown; version?: unknown; repo?: unknown } | null;
      if (!e || typeof e.name !== 'string') continue;
      const name = e.name;
      const version = typeof e.version === 'string' || typeof e.version === 'number' ? String(e.version) : undefined;
      const at = lines.findIndex((l, i) => i >= from && new RegExp(`^\\s*-?\\s*name:\\s*["']?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*(#.*)?$`).test(l));
      if (at >= 0) from = at + 1;
      out.helmCharts.push({ name, chartDir: version ? path.join(home, `${name}-${version}`, name) : path.join(home, name), repo: typeof e.repo === 'string' ? e.repo : undefined, line: at >= 0 ? at + 1 : 1 });
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

export interface KustomizeRendered {
  ok: true;
  text: string;
  mapper(parse: ParseOutput): KustomizeMap;
}

/**
 * The comment suppression in a kustomize source file that covers a finding
 * placed on `line` (kustomize drops comments, so they are read from the source).
 */
export function sourceSuppression(abs: string, ruleId: string, line: number): CommentSuppression | undefined {
  const sd = sourceDocs(abs);
  if (!sd) return undefined;
  sd.comments ??= parseCommentSuppressions(sd.parse.source);
  return sd.comments.find((c) => commentMatches(c, ruleId, line));
}

export interface KustomizeMap {
  /** the source place of a finding on object document `doc` at JSON path `objPath` (from the object root) */
  place(doc: number, objPath: Path | undefined): SourcePlace | undefined;
  /** the source file of a rendered document */
  sourceOf(doc: number): string | undefined;
  /** the source file and document a rendered object came from (its origin annotation, same kind and name), with both values */
  sourceDoc(doc: number): { abs: string; doc: number; value: Record<string, unknown>; rendered: Record<string, unknown> } | undefined;
}

/** The first remote resource of a kustomization or the ones it builds on, with the place that lists it. */
function remoteResource(dir: string): { place: SourcePlace; url: string } | undefined {
  const seen = new Set<string>();
  const visit = (d: string): { place: SourcePlace; url: string } | undefined => {
    if (seen.has(d)) return undefined;
    seen.add(d);
    const refs = kustomizationRefs(d);
    const kf = kustomizationFile(d);
    if (refs.remote.length && kf) {
      const url = refs.remote[0]!;
      const lines = fs.readFileSync(kf, 'utf8').split('\n');
      const i = Math.max(0, lines.findIndex((l) => l.includes(url)));
      return { url, place: { abs: kf, line: i + 1, column: (lines[i] ?? '').search(/\S/) + 1, endColumn: (lines[i] ?? '').trimEnd().length + 1 } };
    }
    for (const sub of refs.dirs) {
      const r = visit(sub);
      if (r) return r;
    }
    return undefined;
  };
  return visit(dir);
}

export function renderKustomize(dir: string, command: Command, allowRemote = false, helm: Command = ['helm']): KustomizeRendered | RenderFailure {
  const p = prepareKustomize(dir, command, allowRemote, helm);
  if ('ok' in p) return p;
  return p.finish(p.jobs.map((j) => run(j.cmd, j.args, j.cwd)));
}

/**
 * The two builds of a kustomization (plain, and through a temporary
 * kustomization with origin annotations), to run with other renders.
 */
export function prepareKustomize(dir: string, command: Command, allowRemote = false, helm: Command = ['helm']): PreparedRender<KustomizeRendered> | RenderFailure {
  const kfile = kustomizationFile(dir)!;
  const remote = allowRemote ? undefined : remoteResource(dir);
  if (remote) {
    return {
      ok: false,
      place: remote.place,
      message: `remote resource ${remote.url}: kustomize would fetch it from the network, which k8s-gold does not do by default; vendor it, or set kustomize.allowRemote: true in the config`,
    };
  }
  // helmCharts: kustomize runs helm (--enable-helm, with the configured helm); a chart not vendored would be pulled
  const charts = helmChartsOf(dir);
  const flags: string[] = [];
  if (charts.length) {
    const missing = allowRemote ? undefined : charts.find((c) => !fs.existsSync(path.join(c.chartDir, 'Chart.yaml')));
    if (missing) {
      const lt = fs.readFileSync(missing.file, 'utf8').split('\n')[missing.line - 1] ?? '';
      const rel = path.relative(path.dirname(missing.file), missing.chartDir).split(path.sep).join('/');
      return {
        ok: false,
        place: { abs: missing.file, line: missing.line, column: lt.search(/\S/) + 1, endColumn: lt.trimEnd().length + 1 },
        message: `helm chart ${missing.name} is not vendored at ${rel}: kustomize would pull it${missing.repo ? ` from ${missing.repo}` : ''} over the network, which k8s-gold does not do by default; vendor it (helm pull --untar), or set kustomize.allowRemote: true in the config`,
      };
    }
    if (!which(helm[0]!)) {
      return {
        ok: false,
        place: { abs: charts[0]!.file, line: charts[0]!.line, column: 1, endColumn: 1 },
        message: `this kustomization inflates helmCharts, which kustomize does with helm, and ${helm[0]} was not found, so it was not built or linted; install helm 3 (k8s-gold does not download it) or set helm.command in the config`,
      };
    }
    flags.push('--enable-helm', '--helm-command', helm[0]!);
  }
  const jobs: Job[] = [{ cmd: command, args: [...buildVerb(command), ...flags, dir], cwd: dir }];
  // the build with origin annotations, from a temporary kustomization that lists the target
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-gold-kust-'));
  const rel = path.relative(tmp, dir).split(path.sep).join('/');
  fs.writeFileSync(path.join(tmp, 'kustomization.yaml'), `resources:\n- ${JSON.stringify(rel)}\nbuildMetadata: [originAnnotations]\n`);
  jobs.push({ cmd: command, args: [...buildVerb(command), ...flags, tmp], cwd: tmp });
  return {
    jobs,
    finish: ([r, a]) => {
      fs.rmSync(tmp, { recursive: true, force: true });
      if (r!.startError) {
        return {
          ok: false,
          place: { abs: kfile, line: 1, column: 1, endColumn: 1 },
          message: `cannot run ${command.join(' ')} (${r!.startError}), so this kustomization was not built or linted; install kustomize or kubectl, or set kustomize.command in the config`,
        };
      }
      if (!r!.ok) return kustomizeFailure(r!.stderr, kfile);
      const annotated = a?.ok ? a.stdout : undefined;
      return { ok: true, text: r!.stdout, mapper: (parse) => buildKustomizeMap(parse, annotated, tmp, dir, kfile) };
    },
  };
}

/** `kustomize build <dir>`; `kubectl kustomize <dir>` (the command already ends in "kustomize"). */
function buildVerb(command: Command): string[] {
  const last = path.basename(command[command.length - 1]!);
  return command.length === 1 && /^kustomize/.test(last) ? ['build'] : [];
}

function kustomizeFailure(stderr: string, kfile: string): RenderFailure {
  let message = stderr
    .split('\n')
    .map((l) => l.trim())
    // kustomize's deprecation warnings ("# Warning: 'vars' is deprecated…") come before the error: not the failure
    .filter((l) => l && !/^# Warning: /.test(l))
    .join(' ')
    // kubectl's klog prefix and wrapper: E1202 02:09:45.553776 20456 run.go:72] "command failed" err="…"
    .replace(/^[EWIF]\d{4} [\d:.]+\s+\d+ [\w.-]+:\d+\] "command failed" err="(.*)"$/, '$1')
    .replace(/^Error: /i, '')
    .replace(/^error: /, '');
  const place: SourcePlace = { abs: kfile, line: 1, column: 1, endColumn: 1 };
  if (/requires helm V3|helm version -c/i.test(message)) message += ' (kustomize inflates helmCharts with helm 3 only: set helm.command to a helm 3 binary)';
  // point at the entry the error names, when the kustomization lists it
  const lines = fs.readFileSync(kfile, 'utf8').split('\n');
  for (const q of message.match(/'[^']+'/g) ?? []) {
    const name = q.slice(1, -1);
    let i = lines.findIndex((l) => /^\s*-\s/.test(l) && l.includes(path.basename(name)) && name.endsWith(l.replace(/^\s*-\s*/, '').replace(/["']/g, '').trim().replace(/^\.\//, '')));
    // a flow list (resources: [a.yaml, b.yaml]): the line that names the entry
    if (i < 0) i = lines.findIndex((l) => /\[/.test(l) && l.split(/[[\],]/).some((e) => { const t = e.replace(/["']/g, '').trim().replace(/^\.\//, ''); return t !== '' && name.endsWith(t) && t.includes(path.basename(name)); }));
    if (i >= 0) {
      place.line = i + 1;
      place.column = lines[i]!.search(/\S/) + 1;
      place.endColumn = lines[i]!.trimEnd().length + 1;
      break;
    }
  }
  return { ok: false, place, message: message || 'kustomize build failed with no message' };
}

interface SourceDoc {
  parse: ParseOutput;
  comments?: CommentSuppression[];
  docs: { value: Record<string, unknown>; index: number }[];
}

const sources = new Map<string, SourceDoc | null>();
function sourceDocs(abs: string): SourceDoc | null {
  let s = sources.get(abs);
  if (s === undefined) {
    try {
      const parse = parseText(fs.readFileSync(abs, 'utf8'));
      const docs = parse.documents.filter((d) => d.ok && !d.empty && d.value && typeof d.value === 'object' && !Array.isArray(d.value)).map((d) => ({ value: d.value as Record<string, unknown>, index: d.index }));
      s = { parse, docs };
    } catch {
      s = null;
    }
    sources.set(abs, s);
  }
  return s;
}

function nameOf(v: Record<string, unknown>): string {
  const md = v.metadata;
  return md && typeof md === 'object' && typeof (md as { name?: unknown }).name === 'string' ? (md as { name: string }).name : '';
}

/** The document of a source file that became the rendered object: same kind, and its name inside the rendered name (name prefixes and suffixes). */
function findDoc(sd: SourceDoc, rendered: Record<string, unknown>): { value: Record<string, unknown>; index: number } | undefined {
  const rn = nameOf(rendered);
  const cands = sd.docs.filter((d) => d.value.kind === rendered.kind && (nameOf(d.value) === '' || rn.includes(nameOf(d.value))));
  cands.sort((a, b) => nameOf(b.value).length - nameOf(a.value).length);
  if (cands[0]) return cands[0];
  // renamed on the way (a patch or replacement sets metadata.name): the file's only object of the kind
  const sameKind = sd.docs.filter((d) => d.value.kind === rendered.kind);
  return sameKind.length === 1 ? sameKind[0] : undefined;
}

function placeIn(sd: SourceDoc, abs: string, d: { value: Record<string, unknown>; index: number }, p: Path): { place: SourcePlace; exact: boolean; value: unknown } {
  const doc = sd.parse.documents[d.index]!;
  const loc = locate(sd.parse.spans, doc.value, doc.node, p);
  const off = loc.span.ks >= 0 ? loc.span.ks : loc.span.vs;
  const pos = sd.parse.source.position(off);
  const lt = sd.parse.source.lineText(pos.line);
  return { place: { abs, line: pos.line, column: pos.column, endColumn: Math.max(lt.trimEnd().length + 1, pos.column + 1) }, exact: loc.exact, value: loc.value };
}

function buildKustomizeMap(parse: ParseOutput, annotated: string | undefined, wrapDir: string, dir: string, kfile: string): KustomizeMap {
  const docs = parse.documents.filter((d) => d.ok && !d.empty);
  const ap = annotated !== undefined ? parseText(annotated) : undefined;
  const adocs = ap?.documents.filter((d) => d.ok && !d.empty) ?? [];
  const aligned = adocs.length === docs.length;
  // every patch file of the target and the kustomizations it builds on
  const patches: string[] = [];
  const seenDirs = new Set<string>();
  const visit = (d: string): void => {
    if (seenDirs.has(d)) return;
    seenDirs.add(d);
    const refs = kustomizationRefs(d);
    patches.push(...refs.patches);
    refs.dirs.forEach(visit);
  };
  visit(dir);
  const originOf = (docIndex: number): string | undefined => {
    if (!aligned) return undefined;
    const pos = docs.findIndex((d) => d.index === docIndex);
    const a = adocs[pos]?.value as { metadata?: { annotations?: Record<string, unknown> } } | undefined;
    const origin = a?.metadata?.annotations?.['config.kubernetes.io/origin'];
    if (typeof origin !== 'string') return undefined;
    const pm = /^path:\s*(.+?)\s*$/m.exec(origin) ?? /^configuredIn:\s*(.+?)\s*$/m.exec(origin);
    if (!pm) return undefined;
    const abs = path.resolve(wrapDir, pm[1]!.replace(/^["']|["']$/g, ''));
    return fs.existsSync(abs) ? abs : undefined;
  };
  const kplace: SourcePlace = { abs: kfile, line: 1, column: 1, endColumn: 1 };
  return {
    sourceOf: (doc) => originOf(doc),
    sourceDoc: (docIndex) => {
      const abs = originOf(docIndex);
      const rendered = parse.documents[docIndex]?.value as Record<string, unknown> | undefined;
      const sd = abs ? sourceDocs(abs) : undefined;
      if (!abs || !sd || !rendered || typeof rendered !== 'object') return undefined;
      // a kustomization file is no object's source as such (generators write their objects)
      if (KUSTOMIZATION_NAMES.includes(path.basename(abs))) return undefined;
      const d = findDoc(sd, rendered);
      return d ? { abs, doc: d.index, value: d.value, rendered } : undefined;
    },
    place: (docIndex, objPath) => {
      const abs = originOf(docIndex);
      if (!abs) return kplace;
      const rendered = parse.documents[docIndex]?.value as Record<string, unknown> | undefined;
      const sd = sourceDocs(abs);
      if (!sd || !rendered) return { abs, line: 1, column: 1, endColumn: 1 };
      const d = findDoc(sd, rendered);
      if (!d) {
        // a generated object (configMapGenerator, secretGenerator): the generator entry with its name
        if (KUSTOMIZATION_NAMES.includes(path.basename(abs))) {
          const rn = nameOf(rendered);
          const lines = sd.parse.source.text.split('\n');
          let best: number | undefined;
          let bestLen = 0;
          lines.forEach((l, i) => {
            const m = /^\s*-?\s*name:\s*["']?([^"'\s#]+)/.exec(l);
            if (m && rn.includes(m[1]!) && m[1]!.length > bestLen) {
              best = i;
              bestLen = m[1]!.length;
            }
          });
          if (best !== undefined) return { abs, line: best + 1, column: lines[best]!.search(/\S/) + 1, endColumn: lines[best]!.trimEnd().length + 1 };
        }
        return { abs, line: 1, column: 1, endColumn: 1 };
      }
      const p = objPath ?? [];
      const inSource = placeIn(sd, abs, d, p);
      if (!inSource.exact || p.length === 0) return inSource.place;
      const renderedValue = locate(parse.spans, rendered, parse.documents[docIndex]!.node, p).value;
      if (isDeepStrictEqual(inSource.value, renderedValue)) return inSource.place;
      // changed on the way: the patch that set it, when one has the field with the rendered value
      for (const pf of patches) {
        const pd = sourceDocs(pf);
        if (!pd) continue;
        const hit = findDoc(pd, rendered);
        if (!hit) continue;
        const inPatch = placeIn(pd, pf, hit, p);
        if (inPatch.exact && isDeepStrictEqual(inPatch.value, renderedValue)) return inPatch.place;
      }
      return inSource.place;
    },
  };
}
