/** SARIF 2.1.0 for GitHub code scanning. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import type { LintMessage, LintResult } from '../engine/result.js';
import { helpUri, type AnyRule } from '../engine/rule.js';
import type { FormatContext } from './types.js';

export const INFORMATION_URI = 'https://github.com/k8s-gold/k8s-gold';
/** GitHub code scanning accepts at most this many results per run. */
export const MAX_RESULTS = 25_000;

export function repoRoot(cwd: string): string {
  let dir = path.resolve(cwd);
  for (;;) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(cwd);
    dir = parent;
  }
}

function toUri(rel: string): string {
  return rel.split(path.sep).map(encodeURIComponent).join('/');
}

function level(l: LintMessage['level']): Sarif.ReportingConfiguration.level {
  return l === 'error' ? 'error' : l === 'warning' ? 'warning' : 'note';
}

function ruleDescriptor(r: AnyRule): Sarif.ReportingDescriptor {
  const m = r.meta;
  const props: Record<string, unknown> = {
    tags: [...m.tags],
    precision: m.precision ?? 'high',
    'problem.severity': m.severity === 'info' ? 'recommendation' : m.severity,
    category: m.category,
  };
  if (m.tags.includes('security')) props['security-severity'] = (m.securitySeverity ?? (m.severity === 'error' ? 7.0 : 4.0)).toFixed(1);
  return {
    id: m.id,
    name: m.id.replace(/(^|-)([a-z0-9])/g, (_s, _d, ch: string) => ch.toUpperCase()),
    shortDescription: { text: m.description },
    fullDescription: { text: m.rationale.replace(/`/g, '') },
    help: {
      text: `${m.rationale.replace(/`/g, '')}\n\nHow to fix: ${m.remediation.replace(/`/g, '')}`,
      markdown: `${m.rationale}\n\n**How to fix:** ${m.remediation}\n\n[Documentation](${helpUri(m)})`,
    },
    helpUri: helpUri(m),
    defaultConfiguration: { level: level(m.severity) },
    properties: props,
  };
}

function fingerprint(file: string, m: LintMessage): string {
  const h = crypto.createHash('sha256');
  const o = m.object;
  h.update([m.ruleId, file, o ? `${o.kind}/${o.namespace ?? ''}/${o.name}` : '', m.path ?? '', o ? '' : m.message].join('\u0000'));
  return h.digest('hex').slice(0, 32);
}

export function sarif(results: LintResult[], ctx: FormatContext): string {
  const root = repoRoot(ctx.cwd);
  const rules = ctx.registry.all();
  const ruleIndex = new Map(rules.map((r, i) => [r.meta.id, i]));
  const out: Sarif.Result[] = [];
  const notifications: Sarif.Notification[] = [];
  const dupCount = new Map<string, number>();
  const all: { file: string; m: LintMessage; suppressed: boolean }[] = [];
  for (const r of results) {
    const abs = r.filePath === '<stdin>' ? path.join(ctx.cwd, '<stdin>') : path.resolve(ctx.cwd, r.filePath);
    const rel = path.relative(root, abs) || path.basename(abs);
    for (const m of r.messages) all.push({ file: rel, m, suppressed: false });
    for (const m of r.suppressedMessages) all.push({ file: rel, m, suppressed: true });
  }
  // GitHub's limit: keep the most severe results
  const rank = { error: 0, warning: 1, info: 2 } as const;
  let kept = all;
  if (all.length > MAX_RESULTS) {
    kept = [...all].sort((a, b) => Number(a.suppressed) - Number(b.suppressed) || rank[a.m.level] - rank[b.m.level]).slice(0, MAX_RESULTS);
    notifications.push({
      level: 'warning',
      message: { text: `${all.length} results exceed GitHub code scanning's limit of ${MAX_RESULTS} per run; the ${all.length - MAX_RESULTS} least severe were left out` },
      descriptor: { id: 'k8s-gold/result-limit' },
    });
    kept.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.m.line - b.m.line || a.m.column - b.m.column));
  }
  for (const { file, m, suppressed } of kept) {
    if (m.fatal && (m.ruleId === 'yaml-syntax' || m.ruleId === 'unreadable-file')) {
      notifications.push({
        level: 'error',
        message: { text: `${file}:${m.line}:${m.column}: ${m.message}` },
        locations: [{ physicalLocation: { artifactLocation: { uri: toUri(file), uriBaseId: '%SRCROOT%' }, region: { startLine: m.line, startColumn: m.column } } }],
        descriptor: { id: m.ruleId },
      });
    }
    let fp = fingerprint(file, m);
    const n = (dupCount.get(fp) ?? 0) + 1;
    dupCount.set(fp, n);
    fp = `${fp}:${n}`;
    const res: Sarif.Result = {
      ruleId: m.ruleId,
      level: level(m.level),
      message: { text: m.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: toUri(file), uriBaseId: '%SRCROOT%' },
            region: { startLine: m.line, startColumn: m.column, endLine: m.endLine, endColumn: Math.max(m.endColumn, m.endLine === m.line ? m.column + 1 : 1) },
          },
          ...(m.object
            ? {
                logicalLocations: [
                  {
                    name: m.object.name,
                    fullyQualifiedName: `${m.object.kind}/${m.object.namespace ? m.object.namespace + '/' : ''}${m.object.name}${m.path ? `#${m.path}` : ''}`,
                    kind: 'object',
                    properties: { apiVersion: m.object.apiVersion, kind: m.object.kind, namespace: m.object.namespace ?? '', path: m.path ?? '' },
                  },
                ],
              }
            : {}),
        },
      ],
      partialFingerprints: { 'k8sGoldFinding/v1': fp },
    };
    const idx = ruleIndex.get(m.ruleId);
    if (idx !== undefined) res.ruleIndex = idx;
    if (suppressed && m.suppressions) {
      res.suppressions = m.suppressions.map((s) => ({ kind: s.kind, justification: s.justification || '(no reason given)' }));
    }
    out.push(res);
  }
  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'k8s-gold',
            version: ctx.version,
            semanticVersion: ctx.version,
            informationUri: INFORMATION_URI,
            rules: rules.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: 'file://' + toUri(root.endsWith(path.sep) ? root : root + path.sep) } },
        columnKind: 'utf16CodeUnits',
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results: out,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
