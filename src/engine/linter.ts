/**
 * The engine, a composition of stages: discover and load (load.ts; the renders) → context
 * (context-stage.ts: files read into the index, never reported) → per file (file-stage.ts): check
 * (check.ts: rules over objects with the index) → locate (locate.ts: paths to ranges) → severities →
 * suppress (suppress.ts, a pure pass over Findings) → the render remap (render/remap.ts) → each file's
 * FileFindings and the run summary (run-summary.ts). `lintFindings` is the engine's run; `lint`, the public
 * API, gives ESLint's LintResult for each file (made at that edge, `toLintResult`).
 */
import * as path from 'node:path';
import { ConfigError, RuleConfigResolver } from '../config/config.js';
import { validateRuleOptions } from '../config/options.js';
import { discover, displayPath, ignoreMatcher } from '../load/discover.js';
import { DEFAULT_MAX_FILE_SIZE, decode, type ReadResult } from '../load/read.js';
import { ObjectIndex } from '../model/index.js';
import { withGroupSuppressions } from './registry.js';
import { engineReport, loadSource, readInput, unreadable, type LoadedFile } from './load.js';
import nonManifestFile from '../../rules/non-manifest-file/index.js';
import { servedKindVersions } from '../schema/versions.js';
import { targetKubernetesVersion } from '../util/kube-version.js';
import { applyKustomizeAnalysis } from './kustomize-stage.js';
import { streamable, streamed } from './stream.js';
import { messageSeverity, ruleMessage } from './rule.js';
import helmRender from '../../rules/helm-render/index.js';
import kustomizeRender from '../../rules/kustomize-render/index.js';
import { compareFindings, toLintResult, type FileFindings, type Finding } from './finding.js';
import type { Counters } from './check.js';
import { UsageError, type FindingsRun, type LintOptions, type LintRun } from './lint-options.js';
import { indexPolicies, isHelmTestHook, readContext } from './context-stage.js';
import { effectiveSeverity, emptyFindings, lintFile, releasePositions } from './file-stage.js';
import { summarize } from './run-summary.js';
import { setAsideAssertions } from './test-assertions.js';
import { lintUnlisted } from './unlisted.js';
import { fillOnRead } from './lazy-index.js';

export { isJsonName, loadParsed, loadSource, readInput, unreadable, type LoadedFile, type Pending } from './load.js';
export { UsageError, type FindingsRun, type LintOptions, type LintRun } from './lint-options.js';

/** A lint run with ESLint's LintResult for each file (the public API's shape, README "Programmatic use"). */
export function lint(opts: LintOptions): LintRun {
  const run = lintFindings(opts);
  return { ...run, results: run.results.map(toLintResult) };
}

/** A lint run: each file's Findings (the engine's result). */
export function lintFindings(opts: LintOptions): FindingsRun {
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
  if (
    fileInputs.length &&
    !opts.allowUnmatched &&
    !disc.files.length &&
    !disc.helmCharts.length &&
    !disc.strayTemplates.length &&
    !plan.charts.length &&
    !plan.kustomizations.length &&
    !plan.kustomizeFiles.length
  ) {
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
    loaded.push(
      o !== undefined
        ? loadSource(display, abs, o, defaultNamespace)
        : dec.ok
          ? loadSource(display, abs, dec.text, defaultNamespace)
          : unreadable({ abs, display }, dec),
    );
  }
  const inc = opts.incremental;
  if (
    inc?.active &&
    (loaded.length ||
      opts.overrides?.size ||
      plan.charts.length ||
      plan.kustomizations.length ||
      plan.kustomizeFiles.length ||
      plan.unlisted.length ||
      plan.components.length)
  )
    inc.disable('renders, stdin and overrides are linted afresh');
  if (inc?.active) loaded.push(...inc.load(disc.files, (f) => readInput(f, maxSize, defaultNamespace), defaultNamespace));
  else
    for (const f of disc.files) {
      const o = opts.overrides?.get(f.abs);
      loaded.push(o !== undefined ? loadSource(f.display, f.abs, o, defaultNamespace) : readInput(f, maxSize, defaultNamespace));
    }

  // files in kustomize directories that no kustomization lists: the complete objects among them are linted
  if (plan.unlisted.length) plan.unlisted = lintUnlisted(plan, loaded, (f) => readInput(f, maxSize, defaultNamespace));

  const renders = render.renderAll(plan, {
    cwd: opts.cwd,
    config: opts.config,
    values: opts.helmValues,
    set: opts.helmSet,
    dependencyUpdate: opts.helmDependencyUpdate,
    // what `.Capabilities.APIVersions` holds on a cluster of the target version (offline, helm knows no kinds)
    // (only when a chart renders: the table reads the schema data, which a run without charts may never load)
    apiVersions: plan.charts.length
      ? servedKindVersions(targetKubernetesVersion({ kubernetesVersion: opts.kubernetesVersion ?? cfg.kubernetesVersion }).minor)
      : undefined,
  });
  notes.push(...renders.notes);
  for (const r of renders.inputs) {
    // a virtual file in the chart or kustomization directory, one per render
    const l = loadSource(r.display, path.join(r.abs, r.display.slice(r.display.lastIndexOf('['))), r.text, defaultNamespace);
    l.render = r.mapping(l.file.parse);
    // a render with no object at all (a chart whose templates are all switched off, a kustomization of placeholders)
    for (const e of l.early) if (e.messageId === 'empty') Object.assign(e, engineReport(nonManifestFile, 'renderedNothing'));
    for (const o of l.objects) o.render = r.display;
    if (!opts.showRendered) {
      for (const o of l.objects) {
        const p = l.render.objectPlace(o);
        o.origin = { path: displayPath(p.abs, opts.cwd), line: p.line };
      }
    }
    loaded.push(l);
  }

  // chainsaw and KUTTL assertions: partial state a test compares with the cluster, never applied
  if (setAsideAssertions(loaded) && inc?.active) inc.disable('test assertions are linted afresh');
  // cross-object context: read, index, never report
  const inputAbs = new Set(loaded.map((l) => l.file.absPath));
  const contextObjects = readContext(opts, inputAbs, ignorePatterns, maxSize, defaultNamespace);
  // kustomize trees read raw: patches and transformer configuration are not objects; generators add ConfigMaps and Secrets
  const kustomize = applyKustomizeAnalysis(loaded, contextObjects, defaultNamespace);
  if (
    inc?.active &&
    (kustomize.virtual.length || kustomize.partial.size || kustomize.labelled || renders.inputs.length || renders.errors.length)
  )
    inc.disable('kustomize trees are linted afresh');
  const addAll = (ix: ObjectIndex): void => {
    for (const l of loaded) for (const o of l.objects) if (!isHelmTestHook(o)) ix.add(o);
    for (const o of contextObjects) if (!kustomize.partial.has(o.file.absPath)) ix.add(o, { context: true });
    for (const o of kustomize.virtual) ix.add(o, { context: true });
  };
  // an incremental run from a previous state adds the objects when a check first reads the index (lazy-index.ts)
  const index = inc?.active && inc.usingPrevious ? fillOnRead(new ObjectIndex(), addAll) : new ObjectIndex();
  if (!(inc?.active && inc.usingPrevious)) addAll(index);

  // Kubernetes objects in `policies:` files (ValidatingAdmissionPolicies, bindings, params) are context
  indexPolicies(opts, index, inputAbs, maxSize, defaultNamespace);

  // options are validated (against each rule's schema) and merged once, here, for every rule
  const validate =
    opts.validateOptions ??
    ((id: string, o: Record<string, unknown>, where: string) =>
      validateRuleOptions(opts.registry, id, o, where, opts.config.file ?? 'config', ConfigError));
  const resolver = new RuleConfigResolver(opts.registry, opts.config, opts.cliRules ?? {}, validate);
  const checkRules = opts.registry.all().filter((r) => r.check);
  const internalErrors: string[] = [];

  const results: FileFindings[] = [];
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
  const mapped = new Map<string, FileFindings>();
  // a kustomize source file linted on its own, for the fixes of the rendered findings it is the source of (render/source-edits.ts)
  const relinted = new Map<string, Finding[]>();
  const relint = (abs: string): Finding[] => {
    let hit = relinted.get(abs);
    if (!hit) {
      const l = readInput({ abs, display: displayPath(abs, opts.cwd) }, maxSize, defaultNamespace);
      const ix = new ObjectIndex();
      for (const o of l.objects) ix.add(o);
      relinted.set(
        abs,
        (hit = lintFile(l, resolver, checkRules, ix, defaultNamespace, settings, opts, [], {
          notValidated: 0,
          inlineMessages: new Set(),
        }).findings),
      );
    }
    return hit;
  };
  // each file's result to the report as soon as it is linted, where it is final then (stream.ts)
  const stream =
    opts.stream && !inc && !kustomize.virtual.length && !kustomize.partial.size && !renders.errors.length && streamable(loaded)
      ? opts.stream
      : undefined;
  for (const l of loaded) {
    const trace = inc?.active ? inc : undefined;
    const res =
      trace?.replayFile(l, counters) ??
      lintFile(
        l,
        resolver,
        checkRules,
        l.render ? renderIndex(l) : index,
        defaultNamespace,
        settings,
        opts,
        internalErrors,
        counters,
        trace,
      );
    if (l.render && !opts.showRendered)
      for (const r of render.remapResult(res, withGroupSuppressions(l.render, opts.registry), l.objects, opts.cwd, emptyFindings, relint))
        render.mergeResults(mapped, r);
    else results.push(stream ? streamed(res, stream) : res);
    // positions are only for this file's findings (an incremental run and raw kustomize trees keep theirs)
    if (!l.render && !inc && !kustomize.virtual.length) releasePositions(l);
  }
  for (const r of results) if (kustomize.partial.has(r.filePath)) r.skipped = 'kustomize-patch';
  for (const e of renders.errors) {
    const configured = resolver.resolve(e.abs).get(e.ruleId)?.severity ?? 'error';
    if (configured === 'off') continue;
    const d = displayPath(e.abs, opts.cwd);
    const rule = e.ruleId === 'helm-render' ? helmRender : kustomizeRender;
    // a message with its own severity (a dependency left out of a render is an info) scales with the configured level
    const spec = rule.meta.messages?.[e.messageId];
    const own = spec === undefined ? undefined : messageSeverity(spec);
    const level = own ? effectiveSeverity(own, configured, rule.meta.severity) : configured;
    const range = {
      line: e.place.line,
      column: e.place.column,
      endLine: e.place.line,
      endColumn: Math.max(e.place.endColumn, e.place.column),
    };
    const f: Finding = {
      kind: e.linted ? 'rule' : 'not-linted',
      ruleId: e.ruleId,
      messageId: e.messageId,
      message: ruleMessage(rule, e.messageId, e.data),
      severity: level,
      range,
    };
    render.mergeResults(mapped, { ...emptyFindings(d), findings: [f] });
  }
  // findings a render maps into files that ignore patterns exclude are dropped, as those files would be
  const ignoredRoots = disc.ignoredPaths.map((p) => displayPath(p, opts.cwd));
  for (const [file, r] of mapped) {
    if (!ignoredRoots.some((p) => file === p || file.startsWith(p + '/'))) continue;
    mapped.delete(file);
    void r;
  }
  const valuesRenders = render.valuesRenders(mapped.values());
  for (const r of mapped.values()) {
    render.nameAmbiguousBuilds(r, valuesRenders);
    r.findings.sort(compareFindings);
    r.suppressed.sort(compareFindings);
    results.push(r);
  }
  results.sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));

  const { summary, sources } = summarize({ opts, disc, plan, loaded, results, mapped, counters, sourceText: render.sourceText }, notes);
  return { results, summary, internalErrors, notes, sources, ...(stream ? { streamed: true } : {}) };
}
