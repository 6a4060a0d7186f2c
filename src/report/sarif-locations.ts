/** Where a SARIF result is: its entry (a Finding in a file), location, fingerprint and fixes. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import type { Finding } from '../engine/finding.js';
import { SourceText } from '../parse/source.js';
import type { FormatContext } from './types.js';

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
export function encodePath(p: string): string {
  return p
    .split(/[\\/]/)
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()))
    .join('/');
}

export function fileUri(abs: string): string {
  const p = encodePath(path.resolve(abs));
  return 'file://' + (p.startsWith('/') ? p : '/' + p);
}

export interface Entry {
  /** path relative to the repository root, `/`-separated; undefined outside it */
  rel?: string;
  abs: string;
  display: string;
  f: Finding;
  suppressed: boolean;
  /** partialFingerprints' k8sGoldFinding/v1: fingerprintBase and its number among the entries with that base */
  fingerprint: string;
}

export const RANK = { error: 0, warning: 1, info: 2 } as const;

/** Which results to keep first: unsuppressed before suppressed, then by severity, then by place. */
export function priority(a: Entry, b: Entry): number {
  return Number(a.suppressed) - Number(b.suppressed) || RANK[a.f.severity] - RANK[b.f.severity] || byPlace(a, b);
}

export function byPlace(a: Entry, b: Entry): number {
  return (
    (a.display < b.display ? -1 : a.display > b.display ? 1 : 0) ||
    a.f.range.line - b.f.range.line ||
    a.f.range.column - b.f.range.column ||
    (a.f.ruleId < b.f.ruleId ? -1 : a.f.ruleId > b.f.ruleId ? 1 : 0) ||
    (a.f.message < b.f.message ? -1 : a.f.message > b.f.message ? 1 : 0)
  );
}

/**
 * A fingerprint that depends on what was found and where in the object model,
 * never on line numbers: rule, file, object identity (kind, namespace, name),
 * JSON path of the field. Messages of findings outside any object (syntax
 * errors) take part with their digits removed (they may quote positions).
 */
export function fingerprintBase(file: string, m: Pick<Finding, 'ruleId' | 'object' | 'path' | 'message'>): string {
  const o = m.object;
  // one call (crypto.hash), not a Hash object per finding: the same digest (a slice of the hex: the fingerprint
  // made of it is flattened, so that it does not keep the whole digest)
  return crypto
    .hash(
      'sha256',
      [
        m.ruleId,
        file,
        o ? `${o.apiVersion}|${o.kind}|${o.namespace ?? ''}|${o.name}` : '',
        m.path ?? '',
        o ? '' : m.message.replace(/\d+/g, '#'),
      ].join('\u0000'),
    )
    .slice(0, 32);
}

export function locationOf(e: Entry): Sarif.Location {
  const m = e.f;
  const r = m.range;
  const endColumn = r.endLine === r.line ? Math.max(r.endColumn, r.column + 1) : Math.max(r.endColumn, 1);
  const loc: Sarif.Location = {
    physicalLocation: {
      artifactLocation: e.rel !== undefined ? { uri: encodePath(e.rel), uriBaseId: '%SRCROOT%' } : { uri: fileUri(e.abs) },
      region: { startLine: r.line, startColumn: r.column, endLine: Math.max(r.endLine, r.line), endColumn },
    },
  };
  const o = m.object;
  if (o) {
    const id = `${o.kind}/${o.namespace ? o.namespace + '/' : ''}${o.name}`;
    const logical: Sarif.LogicalLocation[] = [
      {
        name: o.name,
        fullyQualifiedName: id,
        kind: 'resource',
        properties: { apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace ?? '', name: o.name, document: o.document },
      },
    ];
    if (m.path) {
      const last = m.path.split('/').pop() ?? m.path;
      logical.push({
        name: last.replace(/~1/g, '/').replace(/~0/g, '~'),
        fullyQualifiedName: `${id}#${m.path}`,
        kind: 'property',
        properties: { path: m.path },
      });
    }
    loc.logicalLocations = logical;
  }
  return loc;
}

/** Where a finding of a Helm chart or kustomization is in the rendered output (the result's location is in the source). */
export function renderedLocation(rel: NonNullable<Finding['related']>[number]): Sarif.Location {
  const r = { file: rel.file, ...rel.range };
  return {
    id: 1,
    physicalLocation: {
      artifactLocation: { uri: encodePath(r.file), uriBaseId: '%SRCROOT%' },
      region: {
        startLine: r.line,
        startColumn: r.column,
        endLine: Math.max(r.endLine, r.line),
        endColumn: r.endLine === r.line ? Math.max(r.endColumn, r.column + 1) : Math.max(r.endColumn, 1),
      },
    },
    message: { text: `rendered output (${r.file}), line ${r.line}` },
  };
}

/** The finding's fix and suggestions as SARIF fixes (one replacement each; regions by line/column when the text is known, and by character offset). */
export function sarifFixes(e: Entry, ctx: FormatContext, texts?: Map<string, SourceText | undefined>): Sarif.Fix[] {
  const m = e.f;
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
    return {
      description: { text: desc },
      artifactChanges: [{ artifactLocation, replacements: [{ deletedRegion: region, insertedContent: { text: fix.text } }] }],
    };
  });
}
