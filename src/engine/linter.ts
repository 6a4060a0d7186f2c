/**
 * The engine, a composition of stages: discover and load (load.ts, parallel.ts) → check (check.ts: rules over
 * objects with the index) → severities → suppress (suppress.ts, a pure pass) → results and the run summary.
 */
import * as path from 'node:path';
import type { LoadedConfig } from '../config/config.js';
import { ConfigError, RuleConfigResolver } from '../config/config.js';
import { validateRuleOptions } from '../config/options.js';
import { discover } from '../load/discover.js';
import { DEFAULT_MAX_FILE_SIZE, decode, type ReadResult } from '../load/read.js';
import { ObjectIndex } from '../model/index.js';
import type { RuleRegistry } from './registry.js';
import { loadSource, readInput, unreadable, type LoadedFile, type Pending } from './load.js';

export { isJsonName, loadParsed, loadSource, readInput, unreadable, type LoadedFile, type Pending } from './load.js';
import type { AnyRule, Severity, SeverityOrOff } from './rule.js';
import { compareMessages, countResult, setInternalError, setMessageId, type LintMessage, type LintResult, type RunSummary } from './result.js';
import { applySuppressions, type LocatedMessage } from './suppress.js';
import { runChecks, type Counters } from './check.js';

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

  pending.push(...runChecks(l, resolver, checkRules, index, defaultNamespace, settings, internalErrors, counters));

  // severities resolved, then the suppression stage
  const findings: LocatedMessage[] = [];
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
    setMessageId(msg, p.messageId);
    setInternalError(msg, p.internalError);
    if (p.path !== undefined) msg.path = p.path;
    if (p.exact !== undefined) msg.exact = p.exact;
    if (p.fatal) msg.fatal = true;
    if (p.obj) {
      msg.object = { apiVersion: p.obj.apiVersion, kind: p.obj.kind, name: p.obj.name, document: p.obj.doc.index };
      if (p.obj.declaredNamespace) msg.object.namespace = p.obj.declaredNamespace;
    }
    findings.push({ msg, obj: p.obj, objPath: p.objPath });
  }
  const { messages, suppressed } = applySuppressions({
    source: l.file.parse.source,
    objects: l.objects,
    findings,
    isRule: (id) => opts.registry.has(id),
    fileSeverity: (id) => fileSettings.get(id)?.severity,
    objectSeverity: (obj, id) => resolver.resolve(l.file.absPath, obj).get(id)?.severity,
  });
  res.messages.push(...messages);
  res.suppressedMessages.push(...suppressed);

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
