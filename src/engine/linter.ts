/**
 * The engine: load → parse → model → rules → report.
 */
import * as path from 'node:path';
import type { LoadedConfig, RuleSetting } from '../config/config.js';
import { ConfigError, RuleConfigResolver } from '../config/config.js';
import { validateRuleOptions } from '../config/options.js';
import { discover, type DiscoveredFile } from '../load/discover.js';
import { DEFAULT_MAX_FILE_SIZE, readManifestFile, decode, type ReadResult } from '../load/read.js';
import { ObjectIndex } from '../model/index.js';
import { ManifestObject, isObj, spanRange, type Obj, type SourceFile } from '../model/object.js';
import { containerAtPath } from '../model/workload.js';
import { locate, parseText, type ParseOutput, type ParsedDocument } from '../parse/parse.js';
import { toPointer, type Path, type Range } from '../parse/source.js';
import type { RuleRegistry } from './registry.js';
import { formatMessage, messageSeverity, messageText, type AnyRule, type ReportDescriptor, type RuleContext, type Severity, type SeverityOrOff } from './rule.js';
import { appliesTo } from './applies.js';
import { compareMessages, countResult, type LintMessage, type LintResult, type RunSummary } from './result.js';
import { ANNOTATION_PREFIX, commentMatches, parseAnnotationSuppressions, parseCommentSuppressions, type AnnotationSuppression } from './suppress.js';

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
}

export interface LintRun {
  results: LintResult[];
  summary: RunSummary;
  /** rule crashes (internal errors): the run exits 2 */
  internalErrors: string[];
  notes: string[];
}

export interface LoadedFile {
  file: SourceFile;
  objects: ManifestObject<Obj>[];
  /** findings that do not belong to an object (syntax, invalid documents, unreadable) */
  early: Pending[];
  text?: string;
  /** parsed fine but holds no Kubernetes object: reported with a note, not linted */
  notManifest?: boolean;
}

export interface Pending {
  ruleId: string;
  message: string;
  range: Range;
  severity?: Severity;
  path?: string;
  exact?: boolean;
  obj?: ManifestObject<Obj>;
  /** path from the object root, for container-narrowed suppressions */
  objPath?: Path;
  fatal?: boolean;
}

const EMPTY_OPTS = {};

interface Counters {
  notValidated: number;
  /** namespaced rules (plugins, policies) that reported inline prose instead of a messageId */
  inlineMessages: Set<string>;
}

export function loadSource(display: string, absPath: string, text: string, defaultNamespace: string): LoadedFile {
  return loadParsed(display, absPath, parseText(text, { json: isJsonName(absPath) }), text, defaultNamespace);
}

export function isJsonName(absPath: string): boolean {
  return absPath.toLowerCase().endsWith('.json');
}

/** Objects and early findings of a parsed file (the parse may come from a worker thread). */
export function loadParsed(display: string, absPath: string, parse: ParseOutput, text: string, defaultNamespace: string): LoadedFile {
  const file: SourceFile = { path: display, absPath, parse };
  const early: Pending[] = [];
  const objects: ManifestObject<Obj>[] = [];
  for (const e of parse.errors) {
    early.push({ ruleId: 'yaml-syntax', message: firstLine(e.message), range: parse.source.range(e.start, Math.max(e.end, e.start + 1)), fatal: true });
  }
  const docs = parse.documents.filter((d) => d.ok && !d.empty);
  if (parse.errors.length === 0 && docs.length > 0 && !docs.some((d) => looksLikeManifest(d.value))) {
    early.push({
      ruleId: 'non-manifest-file',
      message: 'no document in this file has apiVersion or kind, so it is not a Kubernetes manifest and was not linted; add an ignore pattern to silence this note',
      range: { line: 1, column: 1, endLine: 1, endColumn: 1 },
    });
    return { file, objects, early, text, notManifest: true };
  }
  for (const doc of docs) collectObjects(file, doc, defaultNamespace, objects, early);
  return { file, objects, early, text };
}

function hasTypeKey(v: unknown): boolean {
  return isObj(v) && (Object.prototype.hasOwnProperty.call(v, 'apiVersion') || Object.prototype.hasOwnProperty.call(v, 'kind'));
}

/** A document that is, or lists, Kubernetes objects: some mapping with apiVersion or kind. */
function looksLikeManifest(v: unknown): boolean {
  if (hasTypeKey(v)) return true;
  return isObj(v) && Array.isArray(v.items) && v.items.some(hasTypeKey);
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i >= 0 ? s.slice(0, i) : s).replace(/ at line \d+, column \d+:?$/, '');
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `a ${typeof v}`;
}

function collectObjects(file: SourceFile, doc: ParsedDocument, ns: string, objects: ManifestObject<Obj>[], early: Pending[]): void {
  const v = doc.value;
  const src = file.parse.source;
  const invalid = (message: string, basePath: Path, value: unknown): void => {
    const loc = locateIn(file, doc, basePath);
    early.push({ ruleId: 'invalid-object', message, range: spanRange(file, undefined, basePath, loc.span, value), path: toPointer(basePath) });
  };
  if (!isObj(v)) {
    invalid(`document ${doc.index + 1} is ${describeType(v)}, not a Kubernetes object (a mapping with apiVersion and kind)`, [], v);
    return;
  }
  const items = v.items;
  const isList = Array.isArray(items) && (v.kind === undefined || (typeof v.kind === 'string' && (v.kind === 'List' || v.kind.endsWith('List'))) || v.apiVersion === undefined);
  if (isList) {
    (items as unknown[]).forEach((item, i) => {
      if (!isObj(item)) {
        invalid(`items[${i}] is ${describeType(item)}, not a Kubernetes object`, ['items', i], item);
        return;
      }
      addObject(file, doc, ['items', i], item, ns, objects, early);
    });
    return;
  }
  void src;
  addObject(file, doc, [], v, ns, objects, early);
}

function locateIn(file: SourceFile, doc: ParsedDocument, p: Path) {
  return locate(file.parse.spans, doc.value, doc.rootSpan, p);
}

function addObject(file: SourceFile, doc: ParsedDocument, basePath: Path, data: Obj, ns: string, objects: ManifestObject<Obj>[], early: Pending[]): void {
  const obj = new ManifestObject<Obj>(file, doc, [...basePath], data, ns);
  const missing: string[] = [];
  if (typeof data.apiVersion !== 'string' || data.apiVersion === '') missing.push('apiVersion');
  if (typeof data.kind !== 'string' || data.kind === '') missing.push('kind');
  if (missing.length) {
    const where = basePath.length ? `items[${String(basePath[1])}]` : `document ${doc.index + 1}`;
    const got = missing.map((m) => (data[m] === undefined ? `no ${m}` : `${m} is ${describeType(data[m])}`)).join(' and ');
    const r = obj.rangeOf(missing.length === 1 && data[missing[0]!] !== undefined ? [missing[0]!] : []);
    early.push({ ruleId: 'invalid-object', message: `${where} is not a Kubernetes object: ${got} (both must be non-empty strings)`, range: r.range, path: toPointer(basePath) });
    // still lint what can be linted: duplicate keys and ambiguous values are about the text
  }
  objects.push(obj);
}

export function unreadable(f: DiscoveredFile, r: Extract<ReadResult, { ok: false }>): LoadedFile {
  const file: SourceFile = { path: f.display, absPath: f.abs, parse: parseText('') };
  const line = r.line ?? 1;
  const column = r.column ?? 1;
  return { file, objects: [], early: [{ ruleId: 'unreadable-file', message: r.message, range: { line, column, endLine: line, endColumn: column }, fatal: true }] };
}

export function readInput(f: DiscoveredFile, maxSize: number, defaultNamespace: string): LoadedFile {
  const r = readManifestFile(f.abs, maxSize);
  if (!r.ok) return unreadable(f, r);
  return loadSource(f.display, f.abs, r.text, defaultNamespace);
}

export function lint(opts: LintOptions): LintRun {
  const cfg = opts.config.data;
  const defaultNamespace = cfg.defaultNamespace ?? 'default';
  const maxSize = opts.maxFileSize ?? cfg.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const ignorePatterns = [...(cfg.ignorePatterns ?? []), ...(opts.ignorePatterns ?? [])];
  const notes: string[] = [];

  const fileInputs = opts.inputs.filter((i) => i !== '-');
  const disc = discover(fileInputs, { cwd: opts.cwd, baseDir: opts.config.dir, ignorePatterns });
  if (disc.missing.length) {
    throw new UsageError(disc.missing.map((m) => `No such file or directory: ${m}`).join('\n'));
  }
  for (const l of disc.loops) notes.push(`${l}: symbolic link loop, not followed`);

  const loaded: LoadedFile[] = [];
  if (opts.inputs.includes('-')) {
    const text = opts.stdin?.text ?? '';
    const name = opts.stdin?.filename ?? '<stdin>';
    const abs = opts.stdin?.filename ? path.resolve(opts.cwd, name) : '<stdin>';
    const display = opts.stdin?.filename ? name.split(path.sep).join('/') : '<stdin>';
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    const dec: ReadResult =
      bytes.length > maxSize ? { ok: false, message: `input is ${bytes.length} bytes, larger than --max-file-size (${maxSize} bytes); not linted` } : decode(bytes);
    loaded.push(dec.ok ? loadSource(display, abs, dec.text, defaultNamespace) : unreadable({ abs, display }, dec));
  }
  const { planWorkers, readInputsParallel } = require('./parallel.js') as typeof import('./parallel.js');
  const workers = planWorkers(disc.files, opts.workers);
  if (workers > 0) loaded.push(...readInputsParallel(disc.files, maxSize, defaultNamespace, workers));
  else for (const f of disc.files) loaded.push(readInput(f, maxSize, defaultNamespace));

  // cross-object context: read, index, never report
  const index = new ObjectIndex();
  const inputAbs = new Set(loaded.map((l) => l.file.absPath));
  for (const l of loaded) for (const o of l.objects) index.add(o);
  const contextPaths = [...(cfg.context ?? []).map((c) => path.resolve(opts.config.dir, c)), ...(opts.context ?? []).map((c) => path.resolve(opts.cwd, c))];
  // CRDs (config `crds:`, --crd) are context too: the schema rule finds them in the index
  contextPaths.push(...(cfg.crds ?? []).map((c) => path.resolve(opts.config.dir, c)), ...(opts.crds ?? []).map((c) => path.resolve(opts.cwd, c)));
  if (contextPaths.length) {
    const ctxDisc = discover(contextPaths, { cwd: opts.cwd, baseDir: opts.config.dir, ignorePatterns });
    if (ctxDisc.missing.length) throw new UsageError(ctxDisc.missing.map((m) => `No such context file or directory: ${m}`).join('\n'));
    for (const f of ctxDisc.files) {
      if (inputAbs.has(f.abs)) continue;
      const l = readInput(f, maxSize, defaultNamespace);
      for (const o of l.objects) index.add(o, { context: true });
    }
  }

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
  for (const l of loaded) {
    results.push(lintFile(l, resolver, checkRules, index, defaultNamespace, settings, opts, internalErrors, counters));
  }
  for (const chart of disc.helmCharts) {
    const chartFile = chart.files.find((f) => /Chart\.ya?ml$/.test(f.abs)) ?? chart.files[0]!;
    const msg: LintMessage = {
      ruleId: 'helm-template',
      severity: 1,
      level: 'info',
      message: `Helm chart ${chart.display}: ${chart.files.length} file(s) are Go templates and were not linted; render them: helm template ${chart.display} | k8s-gold lint -`,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      nodeType: null,
    };
    const base = resolver.resolve(chartFile.abs).get('helm-template');
    const res = emptyResult(chartFile.display);
    res.skipped = 'helm';
    if (base && base.severity !== 'off') {
      msg.level = base.severity;
      msg.severity = base.severity === 'error' ? 2 : 1;
      res.messages.push(msg);
    }
    countResult(res);
    results.push(res);
  }
  results.sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));

  const summary: RunSummary = {
    files: loaded.length + disc.helmCharts.reduce((n, c) => n + c.files.length, 0),
    objects: 0,
    errors: 0,
    warnings: 0,
    infos: 0,
    suppressed: 0,
    skipped: disc.helmCharts.reduce((n, c) => n + c.files.length, 0) + disc.ignored + loaded.filter((l) => l.notManifest).length,
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
  if (disc.ignored) notes.push(`${disc.ignored} file(s) matched ignore patterns and were not linted`);
  return { results, summary, internalErrors, notes };
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
): LintResult {
  const res = emptyResult(l.file.path);
  res.objectCount = l.objects.length;
  if (l.notManifest) res.skipped = 'not-a-manifest';
  const pending: Pending[] = [...l.early];
  const fileSettings = resolver.resolve(l.file.absPath);

  // per-rule contexts, reused across the objects of the file (the engine sets the current object and
  // options before each check); the rules that apply to a kind under one settings map are computed once
  const contexts = new Map<AnyRule, RuleCtx>();
  const ctxFor = (rule: AnyRule): RuleCtx => {
    let c = contexts.get(rule);
    if (!c) contexts.set(rule, (c = new RuleCtx(rule, index, defaultNamespace, settings, pending, counters)));
    return c;
  };
  for (const obj of l.objects) {
    const settingsFor = resolver.resolve(l.file.absPath, obj);
    for (const { rule, s } of applicableRules(checkRules, settingsFor, obj)) {
      const ctx = ctxFor(rule);
      ctx.obj = obj;
      ctx.options = s.options ?? EMPTY_OPTS;
      try {
        rule.check!(obj, ctx);
      } catch (e) {
        const msg = `rule ${rule.meta.id} failed on ${obj.displayName}: ${(e as Error)?.message ?? String(e)}`;
        internalErrors.push(`${l.file.path}: ${msg}`);
        pending.push({ ruleId: rule.meta.id, message: `internal error: ${msg}`, range: obj.rangeOf([]).range, severity: 'error', obj, fatal: true });
      }
    }
  }

  // suppressions
  const comments = parseCommentSuppressions(l.file.parse.source);
  const annotationSupp = new Map<ManifestObject<Obj>, AnnotationSuppression[]>();
  for (const obj of l.objects) {
    const a = parseAnnotationSuppressions(obj.annotations);
    if (a.length) annotationSupp.set(obj, a);
  }

  for (const p of pending) {
    const settingsFor = p.obj ? resolver.resolve(l.file.absPath, p.obj) : fileSettings;
    const s = settingsFor.get(p.ruleId);
    const configured = s?.severity ?? 'error';
    if (configured === 'off') continue;
    const level: Severity = p.severity ? effectiveSeverity(p.severity, configured, opts.registry.get(p.ruleId)?.meta.severity) : configured;
    const msg: LintMessage = {
      ruleId: p.ruleId,
      severity: level === 'error' ? 2 : 1,
      level,
      message: p.message,
      line: p.range.line,
      column: p.range.column,
      endLine: p.range.endLine,
      endColumn: p.range.endColumn,
      nodeType: null,
    };
    if (p.path !== undefined) msg.path = p.path;
    if (p.exact !== undefined) msg.exact = p.exact;
    if (p.fatal) msg.fatal = true;
    if (p.obj) {
      msg.object = { apiVersion: p.obj.apiVersion, kind: p.obj.kind, name: p.obj.name, document: p.obj.doc.index };
      if (p.obj.declaredNamespace) msg.object.namespace = p.obj.declaredNamespace;
    }
    // comment suppressions
    const sups: NonNullable<LintMessage['suppressions']> = [];
    for (const c of comments) {
      if (commentMatches(c, p.ruleId, msg.line)) {
        c.used.add(p.ruleId);
        sups.push({ kind: 'inSource', justification: c.reason, source: c.kind === 'file' ? 'file-comment' : 'comment' });
      }
    }
    if (p.obj) {
      const anns = annotationSupp.get(p.obj);
      if (anns) {
        const container = p.objPath ? containerAtPath(p.obj, p.objPath) : undefined;
        for (const a of anns) {
          if (a.ruleId !== p.ruleId) continue;
          if (a.containers && (!container || !a.containers.includes(container))) continue;
          a.used = true;
          sups.push({ kind: 'inSource', justification: a.reason, source: 'annotation' });
        }
      }
    }
    if (sups.length) {
      msg.suppressions = sups;
      res.suppressedMessages.push(msg);
    } else {
      res.messages.push(msg);
    }
  }

  // suppressions without a reason, and unused suppressions
  const meta = (id: string, sev: Severity | undefined, fn: () => LintMessage): void => {
    const setting = fileSettings.get(id);
    const level = setting?.severity;
    if (!level || level === 'off') return;
    const m = fn();
    m.level = level;
    m.severity = level === 'error' ? 2 : 1;
    void sev;
    res.messages.push(m);
  };
  for (const c of comments) {
    const base = { line: c.line, column: c.column, endLine: c.line, endColumn: c.endColumn, nodeType: null as null, severity: 1 as const, level: 'warning' as Severity };
    if (!c.reason) {
      meta('suppression-reason', undefined, () => ({ ...base, ruleId: 'suppression-reason', message: 'this suppression gives no reason; add one after "--": # k8s-gold-ignore <rule-id> -- <reason>' }));
    }
    const unknown = c.rules.filter((r) => !opts.registry.has(r));
    for (const u of unknown) {
      meta('unused-suppression', undefined, () => ({ ...base, ruleId: 'unused-suppression', message: `suppression names unknown rule "${u}"` }));
    }
    const known = c.rules.filter((r) => opts.registry.has(r));
    if (c.rules.length === 0 ? c.used.size === 0 : false) {
      meta('unused-suppression', undefined, () => ({ ...base, ruleId: 'unused-suppression', message: 'unused suppression: no finding here to suppress' }));
    }
    for (const r of known) {
      if (c.used.has(r)) continue;
      const enabled = fileSettings.get(r)?.severity !== 'off';
      if (!enabled) continue;
      meta('unused-suppression', undefined, () => ({ ...base, ruleId: 'unused-suppression', message: `unused suppression: no ${r} finding ${c.kind === 'file' ? 'in this file' : 'on this line'}` }));
    }
  }
  for (const [obj, anns] of annotationSupp) {
    for (const a of anns) {
      const keyPath = ['metadata', 'annotations', a.key];
      const r = obj.rangeOf(keyPath).range;
      const base = { line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn, nodeType: null as null, severity: 1 as const, level: 'warning' as Severity, path: toPointer([...obj.basePath, ...keyPath]) };
      if (!a.reason) {
        meta('suppression-reason', undefined, () => ({ ...base, ruleId: 'suppression-reason', message: `annotation ${a.key} gives no reason; set its value to the reason${a.containers ? '' : ' (optionally "containers=<names> -- <reason>")'}` }));
      }
      if (!opts.registry.has(a.ruleId)) {
        meta('unused-suppression', undefined, () => ({ ...base, ruleId: 'unused-suppression', message: `annotation ${ANNOTATION_PREFIX}${a.ruleId} names unknown rule "${a.ruleId}"` }));
      } else if (!a.used && resolver.resolve(l.file.absPath, obj).get(a.ruleId)?.severity !== 'off') {
        meta('unused-suppression', undefined, () => ({ ...base, ruleId: 'unused-suppression', message: `unused suppression: ${obj.displayName} has no ${a.ruleId} finding${a.containers ? ` in container(s) ${a.containers.join(', ')}` : ''}` }));
      }
    }
  }

  res.messages.sort(compareMessages);
  res.suppressedMessages.sort(compareMessages);
  countResult(res);
  return res;
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

/** The enabled rules for objects of a kind under a settings map, in registry order; memoised per map and kind. */
const applicableCache = new WeakMap<AnyRule[], WeakMap<Map<string, RuleSetting>, Map<string, { rule: AnyRule; s: RuleSetting }[]>>>();
function applicableRules(checkRules: AnyRule[], settingsFor: Map<string, RuleSetting>, obj: ManifestObject<Obj>): { rule: AnyRule; s: RuleSetting }[] {
  let bySettings = applicableCache.get(checkRules);
  if (!bySettings) applicableCache.set(checkRules, (bySettings = new WeakMap()));
  let byKind = bySettings.get(settingsFor);
  if (!byKind) bySettings.set(settingsFor, (byKind = new Map()));
  // every kind group is decided by the API group and kind alone
  const key = `${obj.group}/${obj.kind}`;
  let list = byKind.get(key);
  if (!list) {
    list = [];
    for (const rule of checkRules) {
      const s = settingsFor.get(rule.meta.id)!;
      if (s.severity === 'off') continue;
      if (rule.meta.appliesTo ? !appliesTo(rule.meta.appliesTo, obj) : rule.meta.kinds && !rule.meta.kinds.includes(obj.kind)) continue;
      list.push({ rule, s });
    }
    byKind.set(key, list);
  }
  return list;
}

/** The context of one rule in one file; `obj` and `options` are set by the engine before each check. */
class RuleCtx implements RuleContext<Record<string, unknown>> {
  obj!: ManifestObject<Obj>;
  options: Record<string, unknown> = EMPTY_OPTS;
  readonly report: (d: ReportDescriptor) => void;
  readonly notValidated: () => void;
  constructor(
    rule: AnyRule,
    readonly index: ObjectIndex,
    readonly defaultNamespace: string,
    readonly settings: Record<string, unknown>,
    pending: Pending[],
    counters: Counters,
  ) {
    this.report = (d: ReportDescriptor): void => {
      const obj = this.obj;
      let template: string;
      let severity = d.severity;
      if (d.messageId !== undefined) {
        const spec = rule.meta.messages && Object.prototype.hasOwnProperty.call(rule.meta.messages, d.messageId) ? rule.meta.messages[d.messageId] : undefined;
        if (spec === undefined) throw new Error(`reported unknown messageId "${d.messageId}"`);
        template = messageText(spec);
        severity ??= messageSeverity(spec);
      } else {
        template = d.message ?? rule.meta.description;
        // plugins and policies written against the old API: still run, with a deprecation note
        if (d.message !== undefined && rule.meta.id.includes('/')) counters.inlineMessages.add(rule.meta.id);
      }
      const message = formatMessage(template, d.data);
      const { range, exact } = obj.rangeOf(d.path, d.valueOnly);
      pending.push({
        ruleId: rule.meta.id,
        message,
        range,
        severity,
        path: toPointer([...obj.basePath, ...d.path]),
        exact,
        obj,
        objPath: d.path,
      });
    };
    this.notValidated = (): void => {
      counters.notValidated++;
    };
  }
}
