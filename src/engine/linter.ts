/**
 * The engine, a composition of stages: discover and load (load.ts, parallel.ts) → check (check.ts: rules over
 * objects with the index) → locate (locate.ts: paths to ranges) → severities → suppress (suppress.ts, a pure
 * pass) → results and the run summary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoadedConfig } from '../config/config.js';
import { ConfigError, RuleConfigResolver } from '../config/config.js';
import { validateRuleOptions } from '../config/options.js';
import { discover, displayPath, ignoreMatcher, type DiscoveredFile } from '../load/discover.js';
import { DEFAULT_MAX_FILE_SIZE, decode, type ReadResult } from '../load/read.js';
import { ObjectIndex } from '../model/index.js';
import type { RuleRegistry } from './registry.js';
import type { RenderMapping } from '../render/index.js';
import { loadSource, readInput, unreadable, type LoadedFile, type Pending } from './load.js';
import type { ManifestObject, Obj } from '../model/object.js';
import { applyKustomizeAnalysis, kindlessKustomization } from './kustomize-stage.js';

export { isJsonName, loadParsed, loadSource, readInput, unreadable, type LoadedFile, type Pending } from './load.js';
import { ruleMessage, type AnyRule, type Severity, type SeverityOrOff } from './rule.js';
import helmRender from '../../rules/helm-render/index.js';
import kustomizeRender from '../../rules/kustomize-render/index.js';
import { compareMessages, countResult, type LintMessage, type LintResult, type RunSummary } from './result.js';
import { toLintMessage, type Finding } from './finding.js';
import { applySuppressions, type LocatedFinding } from './suppress.js';
import { runChecks, type Counters } from './check.js';
import { locateFindings } from './locate.js';

export class UsageError extends Error {}

export interface LintOptions {
  cwd: string;
  inputs: string[];
  /** text of `-` (stdin), when it is among the inputs; bytes are decoded strictly (invalid UTF-8 is reported, never replaced) */
  stdin?: { text: string | Buffer; filename?: string };
  /** extra paths read into the cross-object index but not reported on */
  context?: string[];
  config: LoadedConfig;
  cliRules?: Record<string, SeverityOrOff>;
  ignorePatterns?: string[];
  maxFileSize?: number;
  registry: RuleRegistry;
  /**
   * Worker threads that read and parse the inputs besides the main thread
   * (0 or undefined: none). The output is the same whatever the number.
   */
  workers?: number;
  /** validates rule options; throws ConfigError */
  validateOptions?: (ruleId: string, options: Record<string, unknown>, where: string) => void;
  // --- schema validation (schema branch)
  /** files or directories with CustomResourceDefinitions (--crd), read like --context */
  crds?: string[];
  /** target cluster version (--kubernetes-version), over the config's kubernetesVersion */
  kubernetesVersion?: string;
  // --- rendering (render branch)
  /** --values files for every chart (relative to cwd) */
  helmValues?: string[];
  /** --set values for every chart */
  helmSet?: string[];
  /** --helm-dependency-update: let helm fetch chart dependencies */
  helmDependencyUpdate?: boolean;
  /** a directory or glob among the inputs that holds no file to lint is not an error (ESLint's --no-error-on-unmatched-pattern) */
  allowUnmatched?: boolean;
  /** --show-rendered: report findings of charts and kustomizations at their rendered positions */
  showRendered?: boolean;
  // --- fixes and the language server (fix branch)
  /** texts to lint instead of the files' contents, by absolute path (`--fix` passes, the language server's open documents) */
  overrides?: ReadonlyMap<string, string>;
  /** context files already read, reused while their size and mtime are unchanged (the language server keeps it warm) */
  contextCache?: Map<string, { mtimeMs: number; size: number; loaded: LoadedFile }>;
  /**
   * compute the text edits of fixes and suggestions (default true); a run whose output shows none of them
   * (stylish, github, junit) skips the YAML editing parse they need
   */
  fixes?: boolean;
  /** the per-file incremental cache of `--cache` (incremental.ts): unchanged files are replayed, not re-read */
  incremental?: import('./incremental.js').Incremental;
  /** the discovery of `inputs` (same cwd, config and ignore patterns) when the caller made it already: `--cache` discovers to hash the inputs */
  discovery?: import('../load/discover.js').Discovery;
}

export interface LintRun {
  results: LintResult[];
  summary: RunSummary;
  /** rule crashes (internal errors): the run exits 2 */
  internalErrors: string[];
  notes: string[];
  /** the text each reported input was linted with (no BOM), by its reported path; fixes' offsets are into it */
  sources?: Map<string, { abs: string; text: string }>;
}

function readCached(f: DiscoveredFile, maxSize: number, defaultNamespace: string, cache: NonNullable<LintOptions['contextCache']>): LoadedFile {
  let st: { mtimeMs: number; size: number } | undefined;
  try {
    st = fs.statSync(f.abs);
  } catch {
    st = undefined;
  }
  const hit = cache.get(f.abs);
  if (st && hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.loaded;
  const loaded = readInput(f, maxSize, defaultNamespace);
  if (st) cache.set(f.abs, { mtimeMs: st.mtimeMs, size: st.size, loaded });
  return loaded;
}

export function lint(opts: LintOptions): LintRun {
  const cfg = opts.config.data;
  const defaultNamespace = cfg.defaultNamespace ?? 'default';
  const maxSize = opts.maxFileSize ?? cfg.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const ignorePatterns = [...(cfg.ignorePatterns ?? []), ...(opts.ignorePatterns ?? [])];
  const notes: string[] = [];

  const fileInputs = opts.inputs.filter((i) => i !== '-');
  const disc = opts.discovery ?? discover(fileInputs, { cwd: opts.cwd, baseDir: opts.config.dir, ignorePatterns });
  if (disc.missing.length) {
    throw new UsageError(disc.missing.map((m) => `No such file or directory: ${m}`).join('\n'));
  }
  for (const l of disc.loops) notes.push(`${l}: symbolic link loop, not followed`);
  // charts and kustomizations are rendered, never linted raw
  const render = require('../render/index.js') as typeof import('../render/index.js');
  // kustomize.render: false lints kustomize trees raw (patches and configuration set aside, see kustomize-stage.ts)
  const isIgnored = ignoreMatcher({ cwd: opts.cwd, baseDir: opts.config.dir, ignorePatterns });
  const plan = render.planRenders(disc, opts.cwd, {
    kustomize: cfg.kustomize?.render !== false,
    // a file named explicitly (pre-commit's changed files) is linted through the kustomizations under the working directory that deploy it
    root: opts.cwd,
    isIgnored,
    valuesOwners: render.valuesOwners(cfg, opts.config.dir),
    packaged: render.configuredPackages(cfg, opts.config.dir, fileInputs, opts.cwd, isIgnored),
  });

  // never a green run that checked nothing: inputs that hold no file to lint are a usage error, as in ESLint
  if (fileInputs.length && !opts.allowUnmatched && !disc.files.length && !disc.helmCharts.length && !disc.strayTemplates.length && !plan.charts.length && !plan.kustomizations.length && !plan.kustomizeFiles.length) {
    const what = fileInputs.join(', ');
    throw new UsageError(
      disc.ignored
        ? `All files in ${what} are ignored by ignore patterns; pass --no-error-on-unmatched-pattern to allow it`
        : `No YAML or JSON files found in ${what}; pass --no-error-on-unmatched-pattern to allow it`,
    );
  }
  const loaded: LoadedFile[] = [];
  if (opts.inputs.includes('-')) {
    const text = opts.stdin?.text ?? '';
    const name = opts.stdin?.filename ?? '<stdin>';
    const abs = opts.stdin?.filename ? path.resolve(opts.cwd, name) : '<stdin>';
    const display = opts.stdin?.filename ? name.split(path.sep).join('/') : '<stdin>';
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    const dec: ReadResult =
      bytes.length > maxSize ? { ok: false, messageId: 'stdinTooLarge', data: { size: bytes.length, max: maxSize } } : decode(bytes);
    const o = opts.overrides?.get(abs);
    loaded.push(o !== undefined ? loadSource(display, abs, o, defaultNamespace) : dec.ok ? loadSource(display, abs, dec.text, defaultNamespace) : unreadable({ abs, display }, dec));
  }
  const inc = opts.incremental;
  if (inc?.active && (loaded.length || opts.overrides?.size || plan.charts.length || plan.kustomizations.length || plan.kustomizeFiles.length || plan.unlisted.length || plan.components.length)) inc.disable('renders, stdin and overrides are linted afresh');
  const { planWorkers, readInputsParallel } = require('./parallel.js') as typeof import('./parallel.js');
  const workers = opts.overrides?.size || inc?.active ? 0 : planWorkers(disc.files, opts.workers);
  if (inc?.active) loaded.push(...inc.load(disc.files, (f) => readInput(f, maxSize, defaultNamespace), defaultNamespace));
  else if (workers > 0) loaded.push(...readInputsParallel(disc.files, maxSize, defaultNamespace, workers));
  else
    for (const f of disc.files) {
      const o = opts.overrides?.get(f.abs);
      loaded.push(o !== undefined ? loadSource(f.display, f.abs, o, defaultNamespace) : readInput(f, maxSize, defaultNamespace));
    }

  const renders = render.renderAll(plan, { cwd: opts.cwd, config: opts.config, values: opts.helmValues, set: opts.helmSet, dependencyUpdate: opts.helmDependencyUpdate });
  notes.push(...renders.notes);
  for (const r of renders.inputs) {
    // a virtual file in the chart or kustomization directory, one per render
    const l = loadSource(r.display, path.join(r.abs, r.display.slice(r.display.lastIndexOf('['))), r.text, defaultNamespace);
    l.render = r.mapping(l.file.parse);
    for (const o of l.objects) o.render = r.display;
    if (!opts.showRendered) {
      for (const o of l.objects) {
        const p = l.render.objectPlace(o);
        o.origin = { path: displayPath(p.abs, opts.cwd), line: p.line };
      }
    }
    loaded.push(l);
  }

  // cross-object context: read, index, never report
  const index = new ObjectIndex();
  const inputAbs = new Set(loaded.map((l) => l.file.absPath));
  const contextObjects: ManifestObject<Obj>[] = [];
  const contextPaths = [...(cfg.context ?? []).map((c) => path.resolve(opts.config.dir, c)), ...(opts.context ?? []).map((c) => path.resolve(opts.cwd, c))];
  // CRDs (config `crds:`, --crd) are context too: the schema rule finds them in the index
  contextPaths.push(...(cfg.crds ?? []).map((c) => path.resolve(opts.config.dir, c)), ...(opts.crds ?? []).map((c) => path.resolve(opts.cwd, c)));
  if (contextPaths.length) {
    const ctxDisc = discover(contextPaths, { cwd: opts.cwd, baseDir: opts.config.dir, ignorePatterns });
    if (ctxDisc.missing.length) throw new UsageError(ctxDisc.missing.map((m) => `No such context file or directory: ${m}`).join('\n'));
    for (const f of ctxDisc.files) {
      if (inputAbs.has(f.abs)) continue;
      const o = opts.overrides?.get(f.abs);
      const l = o !== undefined ? loadSource(f.display, f.abs, o, defaultNamespace) : opts.contextCache ? readCached(f, maxSize, defaultNamespace, opts.contextCache) : readInput(f, maxSize, defaultNamespace);
      contextObjects.push(...l.objects);
      // a kustomization without apiVersion and kind (kustomize accepts them) still says what its files are
      const k = kindlessKustomization(l, defaultNamespace);
      if (k) contextObjects.push(k);
    }
  }
  // kustomize trees read raw: patches and transformer configuration are not objects; generators add ConfigMaps and Secrets
  const kustomize = applyKustomizeAnalysis(loaded, contextObjects, defaultNamespace);
  if (inc?.active && (kustomize.virtual.length || kustomize.partial.size || renders.inputs.length || renders.errors.length)) inc.disable('kustomize trees are linted afresh');
  for (const l of loaded) for (const o of l.objects) if (!isHelmTestHook(o)) index.add(o);
  for (const o of contextObjects) if (!kustomize.partial.has(o.file.absPath)) index.add(o, { context: true });
  for (const o of kustomize.virtual) index.add(o, { context: true });

  // Kubernetes objects in `policies:` files (ValidatingAdmissionPolicies, bindings, params) are context
  if (cfg.policies?.length) {
    const { expandPolicyPaths } = require('../policy/policy.js') as typeof import('../policy/policy.js');
    for (const abs of expandPolicyPaths(cfg.policies, opts.config.dir)) {
      if (inputAbs.has(abs)) continue;
      const l = readInput({ abs, display: path.relative(opts.cwd, abs).split(path.sep).join('/') || abs }, maxSize, defaultNamespace);
      for (const o of l.objects) if (o.kind && o.apiVersion && o.apiVersion !== 'k8s-gold.dev/v1') index.add(o, { context: true });
    }
  }

  // options are validated (against each rule's schema) and merged once, here, for every rule
  const validate = opts.validateOptions ?? ((id: string, o: Record<string, unknown>, where: string) => validateRuleOptions(opts.registry, id, o, where, opts.config.file ?? 'config', ConfigError));
  const resolver = new RuleConfigResolver(opts.registry, opts.config, opts.cliRules ?? {}, validate);
  const checkRules = opts.registry.all().filter((r) => r.check);
  const internalErrors: string[] = [];

  const results: LintResult[] = [];
  const counters: Counters = { notValidated: 0, inlineMessages: new Set() };
  const kubernetesVersion = opts.kubernetesVersion ?? cfg.kubernetesVersion;
  const settings = kubernetesVersion ? { ...(cfg.settings ?? {}), kubernetesVersion } : (cfg.settings ?? {});
  // a render sees the plain manifests and its own objects: other profiles and overlays are alternatives, never applied with it
  const renderIndex = (own: LoadedFile): ObjectIndex => {
    const ix = new ObjectIndex();
    for (const l of loaded) if (!l.render || l === own) for (const o of l.objects) if (!isHelmTestHook(o)) ix.add(o);
    for (const o of contextObjects) ix.add(o, { context: true });
    return ix;
  };
  const mapped = new Map<string, LintResult>();
  // a kustomize source file linted on its own, for the fixes of the rendered findings it is the source of (render/source-edits.ts)
  const relinted = new Map<string, LintMessage[]>();
  const relint = (abs: string): LintMessage[] => {
    let hit = relinted.get(abs);
    if (!hit) {
      const l = readInput({ abs, display: displayPath(abs, opts.cwd) }, maxSize, defaultNamespace);
      const ix = new ObjectIndex();
      for (const o of l.objects) ix.add(o);
      relinted.set(abs, (hit = lintFile(l, resolver, checkRules, ix, defaultNamespace, settings, opts, [], { notValidated: 0, inlineMessages: new Set() }).messages));
    }
    return hit;
  };
  for (const l of loaded) {
    const trace = inc?.active ? inc : undefined;
    const res = trace?.replayFile(l, counters) ?? lintFile(l, resolver, checkRules, l.render ? renderIndex(l) : index, defaultNamespace, settings, opts, internalErrors, counters, trace);
    if (l.render && !opts.showRendered) for (const r of render.remapResult(res, withGroupSuppressions(l.render, opts.registry), l.objects, opts.cwd, emptyResult, relint)) render.mergeResults(mapped, r);
    else results.push(res);
  }
  for (const r of results) if (kustomize.partial.has(r.filePath)) r.skipped = 'kustomize-patch';
  for (const e of renders.errors) {
    const level = resolver.resolve(e.abs).get(e.ruleId)?.severity ?? 'error';
    if (level === 'off') continue;
    const d = displayPath(e.abs, opts.cwd);
    const rule = e.ruleId === 'helm-render' ? helmRender : kustomizeRender;
    const range = { line: e.place.line, column: e.place.column, endLine: e.place.line, endColumn: Math.max(e.place.endColumn, e.place.column) };
    const f: Finding = { kind: 'not-linted', ruleId: e.ruleId, messageId: e.messageId, message: ruleMessage(rule, e.messageId, e.data), severity: level, range };
    render.mergeResults(mapped, { ...emptyResult(d), messages: [toLintMessage(f)] });
  }
  // findings a render maps into files that ignore patterns exclude are dropped, as those files would be
  const ignoredRoots = disc.ignoredPaths.map((p) => displayPath(p, opts.cwd));
  for (const [file, r] of mapped) {
    if (!ignoredRoots.some((p) => file === p || file.startsWith(p + '/'))) continue;
    mapped.delete(file);
    void r;
  }
  for (const r of mapped.values()) {
    r.messages.sort(compareMessages);
    r.suppressedMessages.sort(compareMessages);
    countResult(r);
    results.push(r);
  }
  results.sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));

  const summary: RunSummary = {
    files: loaded.filter((l) => !l.render).length + plan.charts.reduce((n, c) => n + c.files.length, 0) + plan.kustomizeFiles.length + plan.unlisted.length,
    objects: 0,
    errors: 0,
    warnings: 0,
    infos: 0,
    suppressed: 0,
    skipped: plan.unlisted.length + disc.ignored + disc.strayTemplates.length + loaded.filter((l) => l.notManifest || l.kustomizePartial).length,
    notValidated: counters.notValidated,
  };
  for (const r of results) {
    summary.objects += r.objectCount;
    summary.errors += r.errorCount;
    summary.warnings += r.warningCount;
    summary.infos += r.infoCount;
    summary.suppressed += r.suppressedMessages.length;
  }
  for (const id of [...counters.inlineMessages].sort()) {
    notes.push(`rule ${id} reports inline messages, which is deprecated: declare meta.messages and report a messageId with data (see CONTRIBUTING.md)`);
  }
  if (plan.components.length) notes.push(`kustomize component(s) ${plan.components.map((c) => c.display).join(', ')} are used by no kustomization in the input and were not linted: lint the kustomizations that use them`);
  if (plan.unlisted.length) notes.push(`${plan.unlisted.length} file(s) in kustomize directories are listed in no kustomization (not deployed) and were not linted: ${plan.unlisted.map((f) => f.display).join(', ')}`);
  if (disc.strayTemplates.length) notes.push(`${disc.strayTemplates.map((f) => f.display).join(', ')}: template file(s) outside any Helm chart (no Chart.yaml above them) are not manifests and were not linted`);
  if (disc.ignored) notes.push(`${disc.ignored} file(s) matched ignore patterns and were not linted`);
  const sources = new Map<string, { abs: string; text: string }>();
  for (const l of loaded) if (!l.render && l.text !== undefined && !l.early.some((e) => e.ruleId === 'unreadable-file')) sources.set(l.file.path, { abs: l.file.absPath, text: l.text });
  // the source files that rendered findings' suggestions edit (their offsets are into these texts)
  for (const r of mapped.values()) {
    if (sources.has(r.filePath) || !r.messages.some((m) => m.suggestions?.length)) continue;
    const abs = path.resolve(opts.cwd, r.filePath);
    const text = render.sourceText(abs);
    if (text !== undefined) sources.set(r.filePath, { abs, text });
  }
  return { results, summary, internalErrors, notes, sources };
}

/** A render mapping whose source-comment suppressions also match by the rule that covers an instance id (vap/<policy>). */
function withGroupSuppressions(m: RenderMapping, registry: RuleRegistry): RenderMapping {
  const find = m.sourceSuppression;
  if (!find) return m;
  return {
    ...m,
    sourceSuppression: (place, ruleId) => {
      const group = registry.groupId(ruleId);
      return find(place, ruleId) ?? (group !== ruleId ? find(place, group) : undefined);
    },
  };
}

/**
 * A chart's test pod (`helm.sh/hook: test`) runs only during `helm test`: it is linted, but other objects
 * never see it (a Service that also selects it is not missing its ports).
 */
function isHelmTestHook(o: ManifestObject<Obj>): boolean {
  if (!o.render) return false;
  const h = o.annotations['helm.sh/hook'];
  return typeof h === 'string' && h.split(',').some((x) => /^test(-success|-failure)?$/.test(x.trim()));
}

function emptyResult(filePath: string): LintResult {
  return {
    filePath,
    messages: [],
    suppressedMessages: [],
    errorCount: 0,
    warningCount: 0,
    infoCount: 0,
    fatalErrorCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    usedDeprecatedRules: [],
    objectCount: 0,
  };
}

function lintFile(
  l: LoadedFile,
  resolver: RuleConfigResolver,
  checkRules: AnyRule[],
  index: ObjectIndex,
  defaultNamespace: string,
  settings: Record<string, unknown>,
  opts: LintOptions,
  internalErrors: string[],
  counters: Counters,
  inc?: import('./incremental.js').Incremental,
): LintResult {
  const res = emptyResult(l.file.path);
  res.objectCount = l.objects.length;
  if (l.notManifest) res.skipped = 'not-a-manifest';
  const pending: Pending[] = [...l.early];
  const fileSettings = resolver.resolve(l.file.absPath);
  // an unchanged file with checks to run again: first those alone; the file keeps its result if they report as before
  if (inc?.startProbe(l)) {
    runChecks(l, resolver, checkRules, index, defaultNamespace, settings, internalErrors, counters, opts.fixes !== false && !(l.render && opts.showRendered), inc.trace);
    const same = inc.endProbe(l, counters);
    if (same) return same;
  }

  // a rendered chart or kustomization is never edited: its fixes are computed only to become suggestions on the source (with --show-rendered, none)
  pending.push(...runChecks(l, resolver, checkRules, index, defaultNamespace, settings, internalErrors, counters, opts.fixes !== false && !(l.render && opts.showRendered), inc?.trace));
  // an unchanged file whose findings came out as before keeps its result (its suppressions are not re-run)
  const same = inc?.sameFindings(l);
  if (same) return same;

  // paths become ranges, severities are resolved, then the suppression stage
  const findings: LocatedFinding[] = [];
  for (const p of locateFindings(pending)) {
    const settingsFor = p.obj ? resolver.resolve(l.render?.objectFile(p.obj) ?? l.file.absPath, p.obj) : fileSettings;
    // an instance id (vap/<policy>) takes its own setting when it has one, else its rule's
    const group = opts.registry.groupId(p.ruleId);
    const own = group === p.ruleId ? undefined : settingsFor.get(p.ruleId);
    const configured = own?.severity ?? settingsFor.get(group)?.severity ?? 'error';
    if (configured === 'off') continue;
    const level: Severity = p.severity && !own ? effectiveSeverity(p.severity, configured, opts.registry.get(group)?.meta.severity) : configured;
    const f: Finding = { kind: p.internalError !== undefined ? 'internal-error' : p.fatal ? 'not-linted' : 'rule', ruleId: p.ruleId, message: p.message, severity: level, range: p.range };
    if (p.messageId !== undefined) f.messageId = p.messageId;
    if (p.internalError !== undefined) f.internalError = p.internalError;
    if (p.path !== undefined) f.path = p.path;
    if (p.exact !== undefined) f.exact = p.exact;
    if (p.fix) f.fix = p.fix;
    if (p.suggestions?.length) f.suggestions = p.suggestions;
    if (p.obj) {
      f.object = { apiVersion: p.obj.apiVersion, kind: p.obj.kind, name: p.obj.name, document: p.obj.doc.index };
      if (p.obj.declaredNamespace) f.object.namespace = p.obj.declaredNamespace;
    }
    findings.push({ finding: f, obj: p.obj, objPath: p.objPath });
  }
  const { findings: reported, suppressed } = applySuppressions({
    source: l.file.parse.source,
    objects: l.objects,
    findings,
    isRule: (id) => opts.registry.has(id),
    groupOf: (id) => opts.registry.groupId(id),
    fileSeverity: (id) => severityIn(fileSettings, id, opts.registry),
    objectSeverity: (obj, id) => severityIn(resolver.resolve(l.render?.objectFile(obj) ?? l.file.absPath, obj), id, opts.registry),
    // in a rendered chart, a file-level comment covers the template it is written in
    fileCommentCovers: l.render ? (a, b) => l.render!.sameSource(a, b) : undefined,
  });
  // ESLint's shape from here on (the results, the render remap and the cache are still LintResults)
  res.messages.push(...reported.map(toLintMessage));
  res.suppressedMessages.push(...suppressed.map(toLintMessage));

  res.messages.sort(compareMessages);
  res.suppressedMessages.sort(compareMessages);
  countResult(res);
  inc?.finish(l, res);
  return res;
}

/** A rule's configured severity; for an instance id (vap/<policy>) its own, else its rule's. */
function severityIn(settings: Map<string, { severity: SeverityOrOff }>, id: string, registry: RuleRegistry): SeverityOrOff | undefined {
  const s = settings.get(id)?.severity;
  if (s !== undefined) return s;
  const group = registry.groupId(id);
  return group === id ? undefined : settings.get(group)?.severity;
}

/**
 * A rule may report a finding with its own severity (e.g. an error variant
 * and a warning variant). That holds while the rule runs at its default
 * severity; once a user configures another severity for the rule, every
 * finding of the rule takes the configured one.
 */
function effectiveSeverity(reported: Severity, configured: Severity, ruleDefault: Severity | undefined): Severity {
  return configured === ruleDefault ? reported : configured;
}
