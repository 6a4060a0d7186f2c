/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer).
 *
 * - Artifact URIs are relative to the repository root (the nearest directory
 *   with .git above the working directory, or $GITHUB_WORKSPACE) with
 *   uriBaseId %SRCROOT%, declared in originalUriBaseIds.
 * - partialFingerprints hash the rule, file, Kubernetes object and field path
 *   (never a line number), so they survive lines inserted above a finding.
 * - Files that could not be read or parsed, internal errors and the result
 *   limit are reported as invocations[0].toolExecutionNotifications;
 *   executionSuccessful is false only when k8s-gold itself failed.
 * - GitHub accepts at most 25,000 results per run and 10 MB of gzipped
 *   SARIF: past either limit the least severe results are left out, with a
 *   notification saying how many.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type * as Sarif from 'sarif';
import { findingKind, internalErrorOf, type LintMessage, type LintResult } from '../engine/result.js';
import { SourceText } from '../parse/source.js';
import { helpUri, type AnyRule } from '../engine/rule.js';
import type { FormatContext } from './types.js';

export const INFORMATION_URI = 'https://github.com/k8s-gold/k8s-gold';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifLimits {
  /** GitHub code scanning: at most 25,000 results per run */
  maxResults: number;
  /** GitHub code scanning: at most 10 MB of gzip-compressed SARIF per upload */
  maxGzipBytes: number;
}

export const GITHUB_LIMITS: SarifLimits = { maxResults: 25_000, maxGzipBytes: 10 * 1024 * 1024 };
/** kept for callers of the first version */
export const MAX_RESULTS = GITHUB_LIMITS.maxResults;

/** Notification descriptors (tool.driver.notifications), referenced by index. */
const NOTIFICATIONS = [
  { id: 'file-not-linted', name: 'FileNotLinted', text: 'A file could not be read or parsed, so some or all of its objects were not linted.' },
  { id: 'internal-error', name: 'InternalError', text: 'k8s-gold failed internally; the results are incomplete. Please report this.' },
  { id: 'result-limit', name: 'ResultLimit', text: "The results exceeded GitHub code scanning's limits; the least severe were left out." },
  { id: 'not-linted', name: 'NotLinted', text: 'Files were skipped (for example Helm templates, which must be rendered first).' },
] as const;
type NotificationId = (typeof NOTIFICATIONS)[number]['id'];

/** The repository root that artifact URIs are relative to. */
export function repoRoot(cwd: string, env: NodeJS.ProcessEnv = {}): string {
  if (env.GITHUB_WORKSPACE) return path.resolve(env.GITHUB_WORKSPACE);
  let dir = path.resolve(cwd);
  for (;;) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(cwd);
    dir = parent;
  }
}

/** Percent-encodes each path segment (RFC 3986), keeping `/` separators. */
function encodePath(p: string): string {
  return p
    .split(/[\\/]/)
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()))
    .join('/');
}

function fileUri(abs: string): string {
  const p = encodePath(path.resolve(abs));
  return 'file://' + (p.startsWith('/') ? p : '/' + p);
}

function level(l: LintMessage['level']): Sarif.ReportingConfiguration.level {
  return l === 'error' ? 'error' : l === 'warning' ? 'warning' : 'note';
}

function plain(md: string): string {
  return md
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1');
}

/** SARIF's human-readable rule name; SARIF1001 wants it to differ from the id (even in case only). */
function pascal(id: string): string {
  const name = id.replace(/(^|[-/])([a-z0-9])/g, (_s, _d, ch: string) => ch.toUpperCase());
  return name.toLowerCase() === id.toLowerCase() ? `${name}Check` : name;
}

export function ruleDescriptor(r: AnyRule): Sarif.ReportingDescriptor {
  const m = r.meta;
  const props: Record<string, unknown> = {
    tags: [...m.tags],
    precision: m.precision ?? 'high',
    'problem.severity': m.severity === 'info' ? 'recommendation' : m.severity,
    category: m.category,
  };
  if (m.tags.includes('security')) {
    const s = Math.min(10, Math.max(0.1, m.securitySeverity ?? (m.severity === 'error' ? 7.0 : m.severity === 'warning' ? 5.0 : 3.0)));
    props['security-severity'] = s.toFixed(1);
  }
  const uri = helpUri(m);
  return {
    id: m.id,
    name: pascal(m.id),
    shortDescription: { text: m.description },
    fullDescription: { text: plain(m.rationale), markdown: m.rationale },
    help: {
      text: `${plain(m.rationale)}\n\nHow to fix: ${plain(m.remediation)}\n\nDocumentation: ${uri}`,
      markdown: `${m.rationale}\n\n**How to fix:** ${m.remediation}\n\n[Documentation](${uri})`,
    },
    helpUri: uri,
    defaultConfiguration: { level: level(m.severity) },
    properties: props,
  };
}

/**
 * The descriptor of one policy's own rule id (`vap/<policy>`, `crd-rule/<crd>`; see `meta.instanceIds`): the
 * metadata of the rule that reports it, under its id and name, related to that rule.
 */
function instanceDescriptor(r: AnyRule, id: string, ruleIdx: number | undefined): Sarif.ReportingDescriptor {
  const d = ruleDescriptor(r);
  const of = r.meta.instanceIds?.of;
  const name = id.slice(id.indexOf('/') + 1);
  return {
    ...d,
    id,
    name: pascal(id.replace(/\./g, '-')),
    shortDescription: { text: `${of ? `${of} ${name}` : name}: ${r.meta.description}` },
    ...(ruleIdx !== undefined ? { relationships: [{ target: { id: r.meta.id, index: ruleIdx }, kinds: ['superset'] }] } : {}),
  };
}

interface Entry {
  /** path relative to the repository root, `/`-separated; undefined outside it */
  rel?: string;
  abs: string;
  display: string;
  m: LintMessage;
  suppressed: boolean;
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

/** Which results to keep first: unsuppressed before suppressed, then by severity, then by place. */
function priority(a: Entry, b: Entry): number {
  return (
    Number(a.suppressed) - Number(b.suppressed) ||
    RANK[a.m.level] - RANK[b.m.level] ||
    byPlace(a, b)
  );
}

function byPlace(a: Entry, b: Entry): number {
  return (a.display < b.display ? -1 : a.display > b.display ? 1 : 0) || a.m.line - b.m.line || a.m.column - b.m.column || (a.m.ruleId < b.m.ruleId ? -1 : a.m.ruleId > b.m.ruleId ? 1 : 0) || (a.m.message < b.m.message ? -1 : a.m.message > b.m.message ? 1 : 0);
}

/**
 * A fingerprint that depends on what was found and where in the object model,
 * never on line numbers: rule, file, object identity (kind, namespace, name),
 * JSON path of the field. Messages of findings outside any object (syntax
 * errors) take part with their digits removed (they may quote positions).
 */
export function fingerprintBase(file: string, m: LintMessage): string {
  const o = m.object;
  const h = crypto.createHash('sha256');
  h.update(
    [
      m.ruleId,
      file,
      o ? `${o.apiVersion}|${o.kind}|${o.namespace ?? ''}|${o.name}` : '',
      m.path ?? '',
      o ? '' : m.message.replace(/\d+/g, '#'),
    ].join('\u0000'),
  );
  return h.digest('hex').slice(0, 32);
}

function locationOf(e: Entry): Sarif.Location {
  const m = e.m;
  const endColumn = m.endLine === m.line ? Math.max(m.endColumn, m.column + 1) : Math.max(m.endColumn, 1);
  const loc: Sarif.Location = {
    physicalLocation: {
      artifactLocation: e.rel !== undefined ? { uri: encodePath(e.rel), uriBaseId: '%SRCROOT%' } : { uri: fileUri(e.abs) },
      region: { startLine: m.line, startColumn: m.column, endLine: Math.max(m.endLine, m.line), endColumn },
    },
  };
  const o = m.object;
  if (o) {
    const id = `${o.kind}/${o.namespace ? o.namespace + '/' : ''}${o.name}`;
    const logical: Sarif.LogicalLocation[] = [
      { name: o.name, fullyQualifiedName: id, kind: 'resource', properties: { apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace ?? '', name: o.name, document: o.document } },
    ];
    if (m.path) {
      const last = m.path.split('/').pop() ?? m.path;
      logical.push({ name: last.replace(/~1/g, '/').replace(/~0/g, '~'), fullyQualifiedName: `${id}#${m.path}`, kind: 'property', properties: { path: m.path } });
    }
    loc.logicalLocations = logical;
  }
  return loc;
}

/** Where a finding of a Helm chart or kustomization is in the rendered output (the result's location is in the source). */
function renderedLocation(r: NonNullable<LintMessage['rendered']>): Sarif.Location {
  return {
    id: 1,
    physicalLocation: {
      artifactLocation: { uri: encodePath(r.file), uriBaseId: '%SRCROOT%' },
      region: { startLine: r.line, startColumn: r.column, endLine: Math.max(r.endLine, r.line), endColumn: r.endLine === r.line ? Math.max(r.endColumn, r.column + 1) : Math.max(r.endColumn, 1) },
    },
    message: { text: `rendered output (${r.file}), line ${r.line}` },
  };
}

/** The finding's fix and suggestions as SARIF fixes (one replacement each; regions by line/column when the text is known, and by character offset). */
function sarifFixes(e: Entry, ctx: FormatContext, texts?: Map<string, SourceText | undefined>): Sarif.Fix[] {
  const m = e.m;
  const list: { desc: string; fix: { range: [number, number]; text: string } }[] = [];
  if (m.fix) list.push({ desc: `Fix: ${m.message}`, fix: m.fix });
  for (const s of m.suggestions ?? []) list.push({ desc: s.desc, fix: s.fix });
  if (list.length === 0) return [];
  let st = texts?.get(e.abs);
  if (st === undefined && !texts?.has(e.abs)) {
    const text = ctx.sources?.get(e.display) ?? ctx.sources?.get(path.relative(ctx.cwd, e.abs).split(path.sep).join('/'));
    st = text !== undefined ? new SourceText(text) : undefined;
    // one line table per file, not per finding
    texts?.set(e.abs, st);
  }
  const artifactLocation = locationOf(e).physicalLocation!.artifactLocation!;
  return list.map(({ desc, fix }) => {
    const region: Sarif.Region = { charOffset: fix.range[0], charLength: fix.range[1] - fix.range[0] };
    if (st) {
      const a = st.position(fix.range[0]);
      const b = st.position(fix.range[1]);
      Object.assign(region, { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column });
    }
    return { description: { text: desc }, artifactChanges: [{ artifactLocation, replacements: [{ deletedRegion: region, insertedContent: { text: fix.text } }] }] };
  });
}

export interface SarifOutput {
  log: Sarif.Log;
  text: string;
  /** results left out for GitHub's limits */
  dropped: number;
}

function notificationDescriptorRef(id: NotificationId): Sarif.ReportingDescriptorReference {
  return { id, index: NOTIFICATIONS.findIndex((n) => n.id === id) };
}

/** What a SARIF log is made of before it is serialised: the entries, their fingerprints and notifications, and how to build each part. */
interface SarifPlan {
  entries: Entry[];
  /** entries, most important first (for GitHub's limits) */
  byPriority: () => Entry[];
  /** the log without its results (`results: []`), for the kept entries */
  skeleton: (kept: Entry[]) => Sarif.Log;
  /** the kept entries in output order */
  ordered: (kept: Entry[]) => Entry[];
  result: (e: Entry) => Sarif.Result;
}

function planSarif(results: LintResult[], ctx: FormatContext, limits: SarifLimits): SarifPlan {
  const root = repoRoot(ctx.cwd, ctx.env);
  const rules = ctx.registry.all();
  const ruleIndex = new Map(rules.map((r, i) => [r.meta.id, i]));
  const notifications: Sarif.Notification[] = [];
  const entries: Entry[] = [];
  const skipped: string[] = [];
  for (const r of results) {
    const abs = path.resolve(ctx.cwd, r.filePath);
    const relRaw = path.relative(root, abs);
    const inside = relRaw !== '' && !relRaw.startsWith('..') && !path.isAbsolute(relRaw);
    const rel = inside ? relRaw.split(path.sep).join('/') : undefined;
    if (r.skipped) skipped.push(r.filePath);
    for (const m of r.messages) entries.push({ rel, abs, display: rel ?? abs, m, suppressed: false });
    for (const m of r.suppressedMessages) entries.push({ rel, abs, display: rel ?? abs, m, suppressed: true });
  }
  entries.sort(byPlace);
  // the built-in rules, then one descriptor for each policy id (vap/<policy>) the results name
  const descriptors = rules.map(ruleDescriptor);
  for (const id of [...new Set(entries.map((e) => e.m.ruleId))].filter((x) => !ruleIndex.has(x)).sort()) {
    const r = ctx.registry.get(id);
    if (!r?.meta.instanceIds) continue;
    ruleIndex.set(id, descriptors.length);
    descriptors.push(instanceDescriptor(r, id, ruleIndex.get(r.meta.id)));
  }

  // fingerprints, numbered per duplicate in document order (stable when lines shift)
  const fingerprints = new Map<Entry, string>();
  const seen = new Map<string, number>();
  for (const e of entries) {
    const base = fingerprintBase(e.display, e.m);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    fingerprints.set(e, `${base}:${n}`);
  }

  // notifications for files that were not (fully) linted and for internal errors
  for (const e of entries) {
    if (!e.m.fatal) continue;
    const internal = findingKind(e.m) === 'internal-error';
    const loc = locationOf(e);
    delete loc.logicalLocations;
    const idx = ruleIndex.get(e.m.ruleId);
    notifications.push({
      level: 'error',
      message: { text: `${e.display}:${e.m.line}:${e.m.column}: ${e.m.message}` },
      locations: [loc],
      descriptor: notificationDescriptorRef(internal ? 'internal-error' : 'file-not-linted'),
      ...(idx !== undefined ? { associatedRule: { id: e.m.ruleId, index: idx } } : {}),
    });
  }
  if (skipped.length) {
    notifications.push({
      level: 'note',
      message: { text: `${skipped.length} file(s) were not linted: ${skipped.join(', ')}` },
      descriptor: notificationDescriptorRef('not-linted'),
    });
  }
  const internalErrors = ctx.internalErrors ?? [];
  // internal errors that have a finding are notified with its location above
  const reported = new Set(entries.map((e) => internalErrorOf(e.m)));
  for (const ie of internalErrors) {
    if (reported.has(ie)) continue;
    notifications.push({ level: 'error', message: { text: ie }, descriptor: notificationDescriptorRef('internal-error') });
  }

  let byPriority: Entry[] | undefined;
  const texts = new Map<string, SourceText | undefined>();
  const result = (e: Entry): Sarif.Result => {
    const m = e.m;
    const idx = ruleIndex.get(m.ruleId);
    const res: Sarif.Result = {
      ruleId: m.ruleId,
      ...(idx !== undefined ? { ruleIndex: idx } : {}),
      level: level(m.level),
      message: { text: m.message },
      locations: [locationOf(e)],
      ...(m.rendered ? { relatedLocations: [renderedLocation(m.rendered)] } : {}),
      partialFingerprints: { 'k8sGoldFinding/v1': fingerprints.get(e)! },
    };
    const fixes = sarifFixes(e, ctx, texts);
    if (fixes.length) res.fixes = fixes;
    if (e.suppressed) {
      const sups = m.suppressions?.length ? m.suppressions : [{ kind: 'inSource' as const, justification: '' }];
      res.suppressions = sups.map((s) => (s.justification ? { kind: s.kind, justification: s.justification } : { kind: s.kind }));
    }
    return res;
  };
  const skeleton = (kept: Entry[]): Sarif.Log => {
    const notes = [...notifications];
    const dropped = entries.length - kept.length;
    if (dropped > 0) {
      const byLevel = { error: 0, warning: 0, info: 0 };
      const keptSet = new Set(kept);
      for (const e of entries) if (!keptSet.has(e)) byLevel[e.m.level]++;
      notes.push({
        level: 'warning',
        message: {
          text: `${entries.length} results exceed GitHub code scanning's limits (${limits.maxResults} results, ${Math.round(limits.maxGzipBytes / 1024 / 1024)} MB gzipped); the ${dropped} least severe were left out (${byLevel.error} errors, ${byLevel.warning} warnings, ${byLevel.info} notes; suppressed results first). Run k8s-gold locally for the full list.`,
        },
        descriptor: notificationDescriptorRef('result-limit'),
      });
    }
    const rootUri = fileUri(root);
    return {
      $schema: SARIF_SCHEMA,
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'k8s-gold',
              version: ctx.version,
              semanticVersion: ctx.version,
              informationUri: INFORMATION_URI,
              rules: descriptors,
              notifications: NOTIFICATIONS.map((n) => ({
                id: n.id,
                name: n.name,
                shortDescription: { text: n.text },
                fullDescription: { text: n.text },
                help: { text: `${n.text} See ${INFORMATION_URI}#readme.`, markdown: `${n.text} See the [README](${INFORMATION_URI}#readme).` },
              })),
            },
          },
          originalUriBaseIds: { '%SRCROOT%': { uri: rootUri.endsWith('/') ? rootUri : rootUri + '/' } },
          columnKind: 'utf16CodeUnits',
          invocations: [{ executionSuccessful: internalErrors.length === 0 && !notes.some((n) => n.descriptor?.id === 'internal-error'), toolExecutionNotifications: notes }],
          results: [],
        },
      ],
    };
  };
  return {
    entries,
    byPriority: () => (byPriority ??= [...entries].sort(priority)),
    skeleton,
    ordered: (kept) => (kept === entries ? entries : [...kept].sort(byPlace)),
    result,
  };
}

/** The kept entries for GitHub's result limit: all of them, or the most severe. */
function initialKeep(plan: SarifPlan, limits: SarifLimits): Entry[] {
  return plan.entries.length > limits.maxResults ? plan.byPriority().slice(0, limits.maxResults) : plan.entries;
}

/** The next, smaller set of kept entries when the log of `keep` gzips to `size` bytes, over the limit. */
function shrink(plan: SarifPlan, keep: Entry[], size: number, limits: SarifLimits): Entry[] {
  if (keep === plan.entries) keep = plan.byPriority();
  const target = Math.min(keep.length - 1, Math.floor((keep.length * limits.maxGzipBytes * 0.95) / size));
  return keep.slice(0, Math.max(0, target));
}

/**
 * The whole log as one object and one string, serialised at once (`JSON.stringify(log, null, 2)`).
 * Holds several copies of a large log in memory: the CLI streams it with writeSarif, which writes the
 * same bytes; this is kept for callers that want the object, and as the reference the tests compare
 * the streamed output with.
 */
export function buildSarif(results: LintResult[], ctx: FormatContext, limits: SarifLimits = GITHUB_LIMITS): SarifOutput {
  const plan = planSarif(results, ctx, limits);
  const make = (kept: Entry[]): Sarif.Log => {
    const log = plan.skeleton(kept);
    log.runs[0]!.results = plan.ordered(kept).map(plan.result);
    return log;
  };
  let keep = initialKeep(plan, limits);
  let log = make(keep);
  let text = JSON.stringify(log, null, 2) + '\n';
  // the gzip limit: shrink proportionally until the compressed log fits
  for (let size = zlib.gzipSync(text).length; size > limits.maxGzipBytes && keep.length > 0; size = zlib.gzipSync(text).length) {
    keep = shrink(plan, keep, size, limits);
    log = make(keep);
    text = JSON.stringify(log, null, 2) + '\n';
  }
  return { log, text, dropped: plan.entries.length - keep.length };
}

const RESULTS_MARK = '\u0000k8s-gold:results\u0000';

/**
 * Writes the log of the kept entries as `JSON.stringify(log, null, 2) + "\n"` would, one result at a
 * time: the log around the results is serialised with a placeholder, and each result is serialised on
 * its own and indented to its depth (JSON strings hold no raw line breaks, so indenting after every
 * line break is exact).
 */
function emitSarif(plan: SarifPlan, kept: Entry[], write: (chunk: string) => void): void {
  const log = plan.skeleton(kept);
  const ordered = plan.ordered(kept);
  if (ordered.length === 0) {
    write(JSON.stringify(log, null, 2) + '\n');
    return;
  }
  (log.runs[0] as { results: unknown }).results = RESULTS_MARK;
  const outer = JSON.stringify(log, null, 2);
  const mark = JSON.stringify(RESULTS_MARK);
  const at = outer.indexOf(mark);
  const lineStart = outer.lastIndexOf('\n', at) + 1;
  // the indentation of the "results" key; its items are one level deeper
  const keyIndent = outer.slice(lineStart, outer.indexOf('"', lineStart));
  const itemIndent = `${keyIndent}  `;
  const nl = `\n${itemIndent}`;
  write(`${outer.slice(0, at)}[`);
  for (let i = 0; i < ordered.length; i++) {
    const json = JSON.stringify(plan.result(ordered[i]!), null, 2);
    write((i === 0 ? nl : `,${nl}`) + json.replaceAll('\n', nl));
  }
  write(`\n${keyIndent}]${outer.slice(at + mark.length)}\n`);
}

/**
 * Counts the bytes of a stream of strings and their gzip-compressed size, holding neither: every 4 MB is
 * compressed as its own gzip member. A sequence of members is a valid gzip file of the whole, so the count
 * is the size of a real gzip encoding of the log (a little larger than one member would be: each member
 * starts without the previous 32 KB to refer to, under 1% on logs as repetitive as SARIF).
 */
export class GzipCounter {
  private pending: string[] = [];
  private pendingLength = 0;
  private compressed = 0;
  bytes = 0;
  write(chunk: string): void {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    if (this.pendingLength >= 4 << 20) this.flush();
  }
  private flush(): void {
    if (this.pending.length === 0) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    this.bytes += buf.length;
    this.compressed += zlib.gzipSync(buf).length;
  }
  /** The gzip size of everything written. */
  end(): number {
    this.flush();
    return this.compressed;
  }
}

/**
 * Writes the SARIF log to `write` in pieces, without holding it: the same bytes as buildSarif().text.
 * GitHub's gzip limit is checked first by compressing the stream as it is serialised (and left there).
 */
export function writeSarif(results: LintResult[], ctx: FormatContext, write: (chunk: string) => void, limits: SarifLimits = GITHUB_LIMITS): { dropped: number } {
  const plan = planSarif(results, ctx, limits);
  let keep = initialKeep(plan, limits);
  for (;;) {
    const counter = new GzipCounter();
    emitSarif(plan, keep, (s) => counter.write(s));
    const size = counter.end();
    if (size <= limits.maxGzipBytes || keep.length === 0) break;
    keep = shrink(plan, keep, size, limits);
  }
  emitSarif(plan, keep, write);
  return { dropped: plan.entries.length - keep.length };
}

export function sarif(results: LintResult[], ctx: FormatContext): string {
  const parts: string[] = [];
  writeSarif(results, ctx, (s) => parts.push(s));
  return parts.join('');
}
