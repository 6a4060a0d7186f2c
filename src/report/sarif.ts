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
 * - It reads each file's Findings (FileFindings): a file that was not linted and an internal error are kinds of
 *   Finding (`not-linted`, `internal-error`). Descriptors are in sarif-descriptors.ts, locations,
 *   fingerprints and fixes in sarif-locations.ts, the streamed writing in sarif-stream.ts.
 */
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type * as Sarif from 'sarif';
import type { FileFindings } from '../engine/finding.js';
import { flat, type SourceText } from '../parse/source.js';
import {
  INFORMATION_URI,
  NOTIFICATIONS,
  instanceDescriptor,
  level,
  notificationDescriptorRef,
  ruleDescriptor,
} from './sarif-descriptors.js';
import {
  byPlace,
  fileUri,
  fingerprintBase,
  locationOf,
  priority,
  renderedLocation,
  repoRoot,
  sarifFixes,
  type Entry,
} from './sarif-locations.js';
import { emitSarif, GzipCounter } from './sarif-stream.js';
import type { FormatContext } from './types.js';

export { INFORMATION_URI, ruleDescriptor } from './sarif-descriptors.js';
export { fingerprintBase, repoRoot } from './sarif-locations.js';
export { GzipCounter } from './sarif-stream.js';
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

export interface SarifOutput {
  log: Sarif.Log;
  text: string;
  /** results left out for GitHub's limits */
  dropped: number;
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

function planSarif(files: FileFindings[], ctx: FormatContext, limits: SarifLimits): SarifPlan {
  const root = repoRoot(ctx.cwd, ctx.env);
  const rules = ctx.registry.all();
  const ruleIndex = new Map(rules.map((r, i) => [r.meta.id, i]));
  const notifications: Sarif.Notification[] = [];
  const entries: Entry[] = [];
  const skipped: string[] = [];
  for (const r of files) {
    const abs = path.resolve(ctx.cwd, r.filePath);
    const relRaw = path.relative(root, abs);
    const inside = relRaw !== '' && !relRaw.startsWith('..') && !path.isAbsolute(relRaw);
    const rel = inside ? relRaw.split(path.sep).join('/') : undefined;
    if (r.skipped) skipped.push(r.filePath);
    for (const f of r.findings) entries.push({ rel, abs, display: rel ?? abs, f, suppressed: false, fingerprint: '' });
    for (const f of r.suppressed) entries.push({ rel, abs, display: rel ?? abs, f, suppressed: true, fingerprint: '' });
  }
  entries.sort(byPlace);
  // the built-in rules, then one descriptor for each policy id (vap/<policy>) the results name
  const descriptors = rules.map(ruleDescriptor);
  for (const id of [...new Set(entries.map((e) => e.f.ruleId))].filter((x) => !ruleIndex.has(x)).sort()) {
    const r = ctx.registry.get(id);
    if (!r?.meta.instanceIds) continue;
    ruleIndex.set(id, descriptors.length);
    descriptors.push(instanceDescriptor(r, id, ruleIndex.get(r.meta.id)));
  }

  // fingerprints, numbered per duplicate in document order (stable when lines shift); kept on the entries
  // (a Map of 60,000 entries to their strings was about 10 MB of a large run's output stage)
  const seen = new Map<string, number>();
  for (const e of entries) {
    const base = fingerprintBase(e.display, e.f);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    e.fingerprint = flat(`${base}:${n}`);
  }

  // notifications for files that were not (fully) linted and for internal errors
  for (const e of entries) {
    if (e.f.kind === 'rule') continue;
    const internal = e.f.kind === 'internal-error';
    const loc = locationOf(e);
    delete loc.logicalLocations;
    const idx = ruleIndex.get(e.f.ruleId);
    notifications.push({
      level: 'error',
      message: { text: `${e.display}:${e.f.range.line}:${e.f.range.column}: ${e.f.message}` },
      locations: [loc],
      descriptor: notificationDescriptorRef(internal ? 'internal-error' : 'file-not-linted'),
      ...(idx !== undefined ? { associatedRule: { id: e.f.ruleId, index: idx } } : {}),
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
  const reported = new Set(entries.map((e) => e.f.internalError));
  for (const ie of internalErrors) {
    if (reported.has(ie)) continue;
    notifications.push({ level: 'error', message: { text: ie }, descriptor: notificationDescriptorRef('internal-error') });
  }

  let byPriority: Entry[] | undefined;
  const texts = new Map<string, SourceText | undefined>();
  const result = (e: Entry): Sarif.Result => {
    const m = e.f;
    const idx = ruleIndex.get(m.ruleId);
    const rendered = m.related?.find((x) => x.role === 'rendered');
    const res: Sarif.Result = {
      ruleId: m.ruleId,
      ...(idx !== undefined ? { ruleIndex: idx } : {}),
      level: level(m.severity),
      message: { text: m.message },
      locations: [locationOf(e)],
      ...(rendered ? { relatedLocations: [renderedLocation(rendered)] } : {}),
      partialFingerprints: { 'k8sGoldFinding/v1': e.fingerprint },
    };
    // the entries come file by file: one file's line table at a time
    if (!texts.has(e.abs)) texts.clear();
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
      for (const e of entries) if (!keptSet.has(e)) byLevel[e.f.severity]++;
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
                help: {
                  text: `${n.text} See ${INFORMATION_URI}#readme.`,
                  markdown: `${n.text} See the [README](${INFORMATION_URI}#readme).`,
                },
              })),
            },
          },
          originalUriBaseIds: { '%SRCROOT%': { uri: rootUri.endsWith('/') ? rootUri : rootUri + '/' } },
          columnKind: 'utf16CodeUnits',
          invocations: [
            {
              executionSuccessful: internalErrors.length === 0 && !notes.some((n) => n.descriptor?.id === 'internal-error'),
              toolExecutionNotifications: notes,
            },
          ],
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
export function buildSarif(files: FileFindings[], ctx: FormatContext, limits: SarifLimits = GITHUB_LIMITS): SarifOutput {
  const plan = planSarif(files, ctx, limits);
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

/**
 * Writes the SARIF log to `write` in pieces, without holding it: the same bytes as buildSarif().text.
 * GitHub's gzip limit is checked first by compressing the stream as it is serialised (and left there).
 */
export function writeSarif(
  files: FileFindings[],
  ctx: FormatContext,
  write: (chunk: string) => void,
  limits: SarifLimits = GITHUB_LIMITS,
): { dropped: number } {
  const plan = planSarif(files, ctx, limits);
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

export function sarif(files: FileFindings[], ctx: FormatContext): string {
  const parts: string[] = [];
  writeSarif(files, ctx, (s) => parts.push(s));
  return parts.join('');
}
