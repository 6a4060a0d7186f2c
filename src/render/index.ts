/**
 * Helm charts and kustomize targets: which inputs are rendered, rendering
 * them, and mapping findings in the rendered output back to the file and line
 * the user edits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigData, LoadedConfig } from '../config/config.js';
import { displayPath, type DiscoveredFile, type Discovery, type HelmChart } from '../load/discover.js';
import { namedAsPatch } from '../load/kustomize.js';
import { messageIdOf, withFields, type FixEdit, type LintMessage, type LintResult, type LintSuggestion } from '../engine/result.js';
import type { ManifestObject, Obj } from '../model/object.js';
import type { ParseOutput } from '../parse/parse.js';
import type { Path } from '../parse/source.js';
import { normalizeCommand, runAll, which, type Command } from './exec.js';
import { prepareChart, preloadLines, resetHelmCaches, type HelmProfile, type HelmRendered, type PreparedRender, type RenderFailure, type SourcePlace } from './helm.js';
import { unpackChart } from './package.js';
import { helmSourceEdit, movedSuggestions, resetSourceTexts, sameAtPath } from './source-edits.js';
export { sourceText } from './source-edits.js';
import { helmChartsOf, kustomizationFile, kustomizationRefs, KUSTOMIZATION_NAMES, prepareKustomize, resetKustomizeCaches, sourceSuppression, type KustomizeRendered } from './kustomize.js';

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
export function kustomizeTargetsOf(files: DiscoveredFile[], root: string, isIgnored: (abs: string, isDir: boolean) => boolean): Map<string, string[]> {
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
  const isK = (dir: string): boolean => {
    if (kdirs.has(dir)) return true;
    const f = kustomizationFile(dir);
    if (f) kdirs.set(dir, f);
    return f !== undefined;
  };
  const explicit = disc.files.filter((f) => f.explicit);
  const via = opts.root && explicit.length ? kustomizeTargetsOf(explicit, opts.root, opts.isIgnored ?? (() => false)) : new Map<string, string[]>();
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
    else if (kdirs.has(dir) || unusedPatch(f.abs)) plan.unlisted.push(f);
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

export interface RenderOptions {
  cwd: string;
  config: LoadedConfig;
  /** --values files (relative to cwd), added to every profile */
  values?: string[];
  /** --set values, added to every profile */
  set?: string[];
  dependencyUpdate?: boolean;
}

/** What the engine needs to map the findings of one rendered input. */
export interface RenderMapping {
  kind: 'helm' | 'kustomize';
  /** the profile's name when the chart has several */
  profile?: string;
  /** the source file an object came from (for `files:` overrides) */
  objectFile(obj: ManifestObject<Obj>): string;
  /** the source place of an object (its kind: line) */
  objectPlace(obj: ManifestObject<Obj>): SourcePlace;
  /** the source place of a finding (rendered positions in, source positions out) */
  place(msg: LintMessage): SourcePlace;
  /** whether a file-level suppression comment on a rendered line covers another rendered line (same template) */
  sameSource(a: number, b: number): boolean;
  /** a suppression comment in the source file that covers a finding at a source place (for renders that drop comments) */
  sourceSuppression?(place: SourcePlace, ruleId: string): { reason: string; kind: 'line' | 'file' } | undefined;
  /**
   * The finding's fix and suggestions as suggestions on its source file, where the mapping is exact
   * (source-edits.ts); `relint` lints a plain-YAML source file on its own, with fixes.
   */
  sourceSuggestions?(msg: LintMessage, relint: (abs: string) => LintMessage[]): { abs: string; suggestions: LintSuggestion[] } | undefined;
}

export interface RenderedInput {
  /** name of the rendered output, e.g. charts/web[helm template] */
  display: string;
  abs: string;
  text: string;
  /** called with the parse of `text` */
  mapping(parse: ParseOutput): RenderMapping;
}

export interface RenderError {
  ruleId: 'helm-render' | 'kustomize-render';
  abs: string;
  place: SourcePlace;
  /** a message of the rule (rules/helm-render, rules/kustomize-render), with its data */
  messageId: string;
  data: Record<string, string>;
}

/**
 * Packaged charts listed in the config (`helm.charts[].path: x.tgz`) that lie
 * under a directory given to the run and are not ignored: a directory walk
 * renders these archives, and no others (a .tgz under a chart's charts/ is a
 * dependency, rendered through its parent).
 */
export function configuredPackages(cfg: ConfigData, configDir: string, inputs: string[], cwd: string, isIgnored: (abs: string, isDir: boolean) => boolean): string[] {
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
    for (const p of c.profiles ?? []) for (const v of p.values ?? []) {
      const abs = path.resolve(dir, v);
      if (!abs.startsWith(chart + path.sep)) out.set(abs, chart);
    }
  }
  return out;
}

function profilesFor(chart: HelmChart, cfg: ConfigData, opts: RenderOptions): HelmProfile[] {
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
    apiVersions: p.apiVersions,
    skipTests: p.skipTests,
    includeCrds: p.includeCrds,
  }));
}

function helmCommand(cfg: ConfigData, dir: string): Command {
  return normalizeCommand(cfg.helm?.command, dir) ?? ['helm'];
}

function kustomizeCommand(cfg: ConfigData, dir: string): Command {
  const c = normalizeCommand(cfg.kustomize?.command, dir);
  if (c) return c;
  if (which('kustomize')) return ['kustomize'];
  if (which('kubectl')) return ['kubectl', 'kustomize'];
  return ['kustomize'];
}

function decodePointer(p: string | undefined): Path | undefined {
  if (p === undefined) return undefined;
  if (p === '') return [];
  return p
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/**
 * A place inside an unpacked .tgz, reported at the archive (line 1: it is not
 * a text file anyone edits), with the path and line inside it kept in `inPackage`.
 */
function packagedPlace(archive: string, tmp: string, p: SourcePlace): SourcePlace {
  const rel = path.relative(tmp, p.abs).split(path.sep).join('/');
  return { abs: archive, line: 1, column: 1, endColumn: 1, values: p.values, inPackage: `${rel}:${p.line}:${p.column}` };
}

function inPackageNote(p: SourcePlace): string {
  return p.inPackage ? ` (at ${p.inPackage} in the package)` : '';
}

/** A library chart (`type: library`) has no manifests of its own: helm refuses to render it. */
function isLibraryChart(dir: string): boolean {
  for (const n of ['Chart.yaml', 'Chart.yml']) {
    try {
      return /^type:\s*["']?library["']?\s*(#.*)?$/m.test(fs.readFileSync(path.join(dir, n), 'utf8'));
    } catch {
      // try the other name
    }
  }
  return false;
}

export function renderAll(plan: RenderPlan, opts: RenderOptions): { inputs: RenderedInput[]; errors: RenderError[]; notes: string[] } {
  const cfg = opts.config.data;
  const inputs: RenderedInput[] = [];
  const errors: RenderError[] = [];
  const notes: string[] = [];
  // every render is prepared, then all their commands run at once (bounded), then their results are read in plan order
  const steps: { prepared?: PreparedRender<unknown>; done: (r: unknown) => void }[] = [];
  const cleanups: (() => void)[] = [];
  const libraries = plan.charts.filter((c) => isLibraryChart(c.dir));
  if (libraries.length) notes.push(`library chart(s) ${libraries.map((c) => c.display).join(', ')} have no manifests of their own and were not rendered: their templates are linted through the charts that use them`);
  try {
    for (const chart of plan.charts) {
      if (libraries.includes(chart)) continue;
      // a packaged chart is unpacked for the render and its places are reported at the .tgz
      let chartDir = chart.dir;
      let tmp: string | undefined;
      const at = (p: SourcePlace): SourcePlace => (tmp && p.abs.startsWith(tmp + path.sep) ? packagedPlace(chart.dir, tmp, p) : p);
      if (chart.packaged) {
        const u = unpackChart(chart.dir);
        if (!u.ok) {
          steps.push({ done: () => errors.push({ ruleId: 'helm-render', abs: chart.dir, place: { abs: chart.dir, line: 1, column: 1, endColumn: 1 }, messageId: 'failed', data: { chart: chart.display, error: u.message } }) });
          continue;
        }
        chartDir = u.chartDir;
        tmp = u.tmp;
        const t = tmp;
        cleanups.push(() => {
          // the mapping reads the templates after the render: keep their text, then remove the unpacked copy
          preloadLines(t);
          fs.rmSync(t, { recursive: true, force: true });
        });
      }
      const profiles = profilesFor(chart, cfg, opts);
      for (const profile of profiles) {
        const label = profiles.length > 1 ? profile.name : undefined;
        const done = (r: HelmRendered | RenderFailure): void => {
          if (!r.ok) {
            const place = at(r.place);
            // helm's message, with its place in a packaged chart
            const error = `${r.message}${inPackageNote(place)}`;
            errors.push({ ruleId: 'helm-render', abs: place.abs, place, ...(label ? { messageId: 'profileFailed', data: { chart: chart.display, profile: label, error } } : { messageId: 'failed', data: { chart: chart.display, error } }) });
            return;
          }
          inputs.push({
            display: `${chart.display}[helm template${label ? `:${label}` : ''}]`,
            abs: chart.dir,
            text: r.text,
            mapping: (parse) => {
              const m = r.mapper(parse);
              const docLine = (obj: ManifestObject<Obj>): number => parse.source.position(obj.doc.rootSpan.vs >= 0 ? obj.doc.rootSpan.vs : 0).line;
              return {
                kind: 'helm',
                profile: label,
                objectFile: (obj) => {
                  const f = m.sourceOf(docLine(obj));
                  return f === undefined || (tmp && f.startsWith(tmp + path.sep)) ? chart.dir : f;
                },
                place: (msg) => at(m.place(msg.line)),
                objectPlace: (obj) => at(m.place(obj.rangeOf(['kind']).range.line)),
                sameSource: (a, b) => m.sourceOf(a) === m.sourceOf(b),
                sourceSuggestions: (msg) => {
                  // a packaged chart's templates are inside the .tgz: nothing to edit
                  if (tmp) return undefined;
                  let abs: string | undefined;
                  const move = (e: FixEdit): FixEdit | undefined => {
                    const x = helmSourceEdit(parse.source, m.ownLine, e);
                    if (!x || (abs !== undefined && x.abs !== abs)) return undefined;
                    abs = x.abs;
                    return x.fix;
                  };
                  const suggestions = movedSuggestions(msg, move);
                  return abs && suggestions.length ? { abs, suggestions } : undefined;
                },
              };
            },
          });
        };
        const prepared = prepareChart(chartDir, profile, { command: helmCommand(cfg, opts.config.dir), dependencyUpdate: opts.dependencyUpdate ?? cfg.helm?.dependencyUpdate });
        if ('ok' in prepared) steps.push({ done: () => done(prepared) });
        else steps.push({ prepared, done: done as (r: unknown) => void });
      }
    }
    for (const k of plan.kustomizations) {
      const display = displayPath(k.dir, opts.cwd);
      const done = (r: KustomizeRendered | RenderFailure): void => {
        if (!r.ok) {
          errors.push({ ruleId: 'kustomize-render', abs: r.place.abs, place: r.place, messageId: 'failed', data: { dir: display, error: r.message } });
          return;
        }
        inputs.push({
          display: `${display}[kustomize build]`,
          abs: k.dir,
          text: r.text,
          mapping: (parse) => {
            const m = r.mapper(parse);
            return {
              kind: 'kustomize',
              objectFile: (obj) => m.sourceOf(obj.doc.index) ?? k.file,
              place: (msg) => (msg.object ? m.place(msg.object.document, decodePointer(msg.path)) : undefined) ?? { abs: k.file, line: 1, column: 1, endColumn: 1 },
              objectPlace: (obj) => m.place(obj.doc.index, ['kind']) ?? { abs: k.file, line: 1, column: 1, endColumn: 1 },
              sameSource: () => true,
              sourceSuppression: (p, ruleId) => sourceSuppression(p.abs, ruleId, p.line),
              sourceSuggestions: (msg, relint) => {
                if (!msg.object || msg.path === undefined || (!msg.fix && !msg.suggestions?.length)) return undefined;
                const src = m.sourceDoc(msg.object.document);
                const p = decodePointer(msg.path);
                if (!src || !p || !sameAtPath(src.value, src.rendered, p)) return undefined;
                // the same finding on the source document, computed on its own text
                const id = messageIdOf(msg);
                const same = relint(src.abs).filter((x) => x.ruleId === msg.ruleId && x.path === msg.path && x.object?.document === src.doc && messageIdOf(x) === id);
                if (same.length !== 1) return undefined;
                const suggestions = movedSuggestions(same[0]!, (e) => e);
                return suggestions.length ? { abs: src.abs, suggestions } : undefined;
              },
            };
          },
        });
      };
      const prepared = prepareKustomize(k.dir, kustomizeCommand(cfg, opts.config.dir), cfg.kustomize?.allowRemote, helmCommand(cfg, opts.config.dir));
      if ('ok' in prepared) steps.push({ done: () => done(prepared) });
      else steps.push({ prepared, done: done as (r: unknown) => void });
    }
    const jobs = steps.flatMap((s) => s.prepared?.jobs ?? []);
    const results = runAll(jobs);
    let i = 0;
    for (const s of steps) {
      if (!s.prepared) {
        s.done(undefined);
        continue;
      }
      const n = s.prepared.jobs.length;
      s.done(s.prepared.finish(results.slice(i, i + n)));
      i += n;
    }
  } finally {
    for (const c of cleanups) c();
  }
  return { inputs, errors, notes };
}

/**
 * The findings of a rendered input at their source places: one result per
 * source file; the rendered position goes into `rendered`.
 */
export function remapResult(
  res: LintResult,
  mapping: RenderMapping,
  objects: ManifestObject<Obj>[],
  cwd: string,
  emptyResult: (p: string) => LintResult,
  relint: (abs: string) => LintMessage[] = () => [],
): LintResult[] {
  const byFile = new Map<string, LintResult>();
  const get = (abs: string): LintResult => {
    const d = displayPath(abs, cwd);
    let r = byFile.get(d);
    if (!r) byFile.set(d, (r = emptyResult(d)));
    return r;
  };
  for (const o of objects) get(mapping.objectFile(o)).objectCount++;
  const move = (m: LintMessage): { r: LintResult; m: LintMessage } => {
    const p = mapping.place(m);
    // a fix or suggestion edits the rendered text; rendered output is never written back: where the
    // mapping is exact, they become suggestions on the source file the finding is placed in
    const moved = m.fix || m.suggestions?.length ? mapping.sourceSuggestions?.(m, relint) : undefined;
    const out: LintMessage = withFields(m, {
      line: p.line,
      column: p.column,
      endLine: p.line,
      endColumn: Math.max(p.endColumn, p.column),
      rendered: { file: res.filePath, line: m.line, column: m.column, endLine: m.endLine, endColumn: m.endColumn },
    });
    delete out.fix;
    delete out.suggestions;
    if (moved && moved.abs === p.abs) out.suggestions = moved.suggestions;
    out.message += inPackageNote(p);
    if (p.values) out.message += ` (the template writes this from ${p.values}: change it in the values)`;
    if (mapping.profile) out.message += ` (profile ${mapping.profile})`;
    return { r: get(p.abs), m: out };
  };
  for (const m of res.messages) {
    const x = move(m);
    const sup = mapping.sourceSuppression?.(mapping.place(m), m.ruleId);
    if (sup) {
      x.m.suppressions = [{ kind: 'inSource', justification: sup.reason, source: sup.kind === 'file' ? 'file-comment' : 'comment' }];
      x.r.suppressedMessages.push(x.m);
    } else {
      x.r.messages.push(x.m);
    }
  }
  for (const m of res.suppressedMessages) {
    const x = move(m);
    x.r.suppressedMessages.push(x.m);
  }
  return [...byFile.values()];
}

/** Merges results of the same file (a base built by two overlays, a chart rendered with two profiles), dropping repeated findings. */
export function mergeResults(into: Map<string, LintResult>, add: LintResult): void {
  const cur = into.get(add.filePath);
  if (!cur) {
    into.set(add.filePath, add);
    return;
  }
  cur.objectCount += add.objectCount;
  const key = (m: LintMessage): string => `${m.ruleId}\0${m.line}\0${m.column}\0${m.message}`;
  const have = new Set([...cur.messages, ...cur.suppressedMessages].map(key));
  for (const m of add.messages) if (!have.has(key(m))) (have.add(key(m)), cur.messages.push(m));
  for (const m of add.suppressedMessages) if (!have.has(key(m))) (have.add(key(m)), cur.suppressedMessages.push(m));
}

