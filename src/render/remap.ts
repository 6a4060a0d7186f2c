/** Findings in rendered output moved back to the file and line the user edits, one FileFindings per source file. */
import { displayPath } from '../load/discover.js';
import type { FileFindings, Finding } from '../engine/finding.js';
import type { ManifestObject, Obj } from '../model/object.js';
import type { SourcePlace } from './helm.js';
import type { RenderMapping } from './index.js';

export function inPackageNote(p: SourcePlace): string {
  return p.inPackage ? ` (at ${p.inPackage} in ${p.packageFile ?? 'the package'})` : '';
}

/**
 * The findings of a rendered input at their source places: one FileFindings per source file; the rendered
 * position becomes a related location (`rendered`). The findings are new objects (the input is not changed).
 */
export function remapResult(
  res: FileFindings,
  mapping: RenderMapping,
  objects: ManifestObject<Obj>[],
  cwd: string,
  emptyFindings: (p: string) => FileFindings,
  relint: (abs: string) => Finding[] = () => [],
): FileFindings[] {
  const byFile = new Map<string, FileFindings>();
  const get = (abs: string): FileFindings => {
    const d = displayPath(abs, cwd);
    let r = byFile.get(d);
    if (!r) byFile.set(d, (r = emptyFindings(d)));
    return r;
  };
  for (const o of objects) get(mapping.objectFile(o)).objectCount++;
  const move = (f: Finding): { r: FileFindings; f: Finding; p: SourcePlace } => {
    const p = mapping.place(f);
    // a fix or suggestion edits the rendered text; rendered output is never written back: where the
    // mapping is exact, they become suggestions on the source file the finding is placed in
    const moved = f.fix || f.suggestions?.length ? mapping.sourceSuggestions?.(f, relint) : undefined;
    const { fix: _fix, suggestions: _suggestions, ...rest } = f;
    const { line, column, endLine, endColumn } = f.range;
    const out: Finding = {
      ...rest,
      range: { line: p.line, column: p.column, endLine: p.line, endColumn: Math.max(p.endColumn, p.column) },
      related: [{ file: res.filePath, range: { line, column, endLine, endColumn }, role: 'rendered' }],
    };
    if (moved && moved.abs === p.abs) out.suggestions = moved.suggestions;
    out.message += inPackageNote(p);
    if (p.values) out.message += ` (the template writes this from ${p.values}: change it in the values)`;
    if (mapping.profile) out.message += ` (profile ${mapping.profile})`;
    return { r: get(p.abs), f: out, p };
  };
  for (const f of res.findings) {
    const x = move(f);
    const sup = mapping.sourceSuppression?.(x.p, f.ruleId);
    if (sup) {
      x.f.suppressions = [{ kind: 'inSource', justification: sup.reason, source: sup.kind === 'file' ? 'file-comment' : 'comment' }];
      x.f.suppressedInSource = true;
      x.r.suppressed.push(x.f);
    } else {
      x.r.findings.push(x.f);
    }
  }
  for (const f of res.suppressed) {
    const x = move(f);
    x.r.suppressed.push(x.f);
  }
  return [...byFile.values()];
}

/** Merges the findings of the same file (a base built by two overlays, a chart rendered with two profiles), dropping repeated ones. */
export function mergeResults(into: Map<string, FileFindings>, add: FileFindings): void {
  const cur = into.get(add.filePath);
  if (!cur) {
    into.set(add.filePath, add);
    return;
  }
  cur.objectCount += add.objectCount;
  const key = (f: Finding): string => `${f.ruleId}\0${f.range.line}\0${f.range.column}\0${f.message}`;
  const have = new Set([...cur.findings, ...cur.suppressed].map(key));
  for (const f of add.findings) if (!have.has(key(f))) have.add(key(f)), cur.findings.push(f);
  for (const f of add.suppressed) if (!have.has(key(f))) have.add(key(f)), cur.suppressed.push(f);
}

const RENDERED_NAME = /^(.*)\[(kustomize build|helm template)(?::(.*))?\]$/;

/**
 * A base built by several overlays (or a template rendered by several charts) can get the same rule's finding
 * at one place with different messages, one per build (eks-workshop-v2: "carts has 4 replicas" and "has 7
 * replicas" at the base's pod template, the counts set by two overlays' patches). Where one place has
 * several messages of a rule, each names the build it came from, so the user knows which overlay to look at.
 */
export function nameAmbiguousBuilds(r: FileFindings): void {
  for (const list of [r.findings, r.suppressed]) {
    const groups = new Map<string, Finding[]>();
    for (const f of list) {
      const k = `${f.ruleId}\0${f.range.line}\0${f.range.column}`;
      const g = groups.get(k);
      if (g) g.push(f);
      else groups.set(k, [f]);
    }
    for (const g of groups.values()) {
      if (g.length < 2 || new Set(g.map((f) => f.message)).size < 2) continue;
      const builds = g.map((f) => f.related?.find((x) => x.role === 'rendered')?.file);
      if (new Set(builds).size < 2) continue; // several findings of one build (limits and requests at `resources:`)
      g.forEach((f, i) => {
        const m = builds[i] === undefined ? null : RENDERED_NAME.exec(builds[i]!);
        // a chart rendered with several values files (its chart-testing values) names the file
        if (m) f.message += m[3] ? ` (values ${m[3]})` : ` (${m[2]} ${m[1]})`;
      });
    }
  }
}
