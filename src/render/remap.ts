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
    else if (/\[helm template:.+\]$/.test(res.filePath)) ciValues.add(out); // rendered with a chart-testing values file
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

/** the other builds a kept finding stands for, where mergeResults dropped the same finding of another build */
const sameIn = new WeakMap<Finding, string[]>();
/** findings of a chart rendered with one of its chart-testing values files (not a render profile of the config) */
const ciValues = new WeakSet<Finding>();
const buildOf = (f: Finding): string | undefined => f.related?.find((x) => x.role === 'rendered')?.file;

/** Merges the findings of the same file (a base built by two overlays, a chart rendered with two profiles), dropping repeated ones. */
export function mergeResults(into: Map<string, FileFindings>, add: FileFindings): void {
  const cur = into.get(add.filePath);
  if (!cur) {
    into.set(add.filePath, add);
    return;
  }
  cur.objectCount += add.objectCount;
  const key = (f: Finding): string => `${f.ruleId}\0${f.range.line}\0${f.range.column}\0${f.message}`;
  const have = new Map([...cur.findings, ...cur.suppressed].map((f) => [key(f), f]));
  const keep = (f: Finding, list: Finding[]): void => {
    const kept = have.get(key(f));
    if (!kept) return void (have.set(key(f), f), list.push(f));
    const b = buildOf(f);
    if (b !== undefined && b !== buildOf(kept)) sameIn.set(kept, [...(sameIn.get(kept) ?? []), b]);
  };
  for (const f of add.findings) keep(f, cur.findings);
  for (const f of add.suppressed) keep(f, cur.suppressed);
}

const RENDERED_NAME = /^(.*)\[(kustomize build|helm template)(?::(.*))?\]$/;

/**
 * The values files each chart was rendered with, as chart-testing values (`ci/*-values.yaml`, when its defaults stop
 * the render), as the findings of every file name them: chart → values files.
 */
export function valuesRenders(results: Iterable<FileFindings>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of results)
    for (const f of [...r.findings, ...r.suppressed])
      if (ciValues.has(f))
        for (const b of [buildOf(f), ...(sameIn.get(f) ?? [])]) {
          const m = b === undefined ? null : RENDERED_NAME.exec(b);
          if (!m?.[3] || m[2] !== 'helm template') continue;
          const set = out.get(m[1]!);
          if (set) set.add(m[3]);
          else out.set(m[1]!, new Set([m[3]]));
        }
  return out;
}

/**
 * A base built by several overlays (or a template rendered by several charts) can get the same rule's finding
 * at one place with different messages, one per build (eks-workshop-v2: "carts has 4 replicas" and "has 7
 * replicas" at the base's pod template, the counts set by two overlays' patches). Where one place has
 * several messages of a rule, each names the build it came from, so the user knows which overlay to look at.
 * A chart rendered with several values files (`valuesRenders`) names them also on a finding that only some of them
 * give (opentelemetry-collector: a NetworkPolicy only `ci/networkpolicy-override-values.yaml` enables).
 */
export function nameAmbiguousBuilds(r: FileFindings, values: Map<string, Set<string>> = new Map()): void {
  for (const list of [r.findings, r.suppressed]) {
    const named = new Set<Finding>();
    const groups = new Map<string, Finding[]>();
    for (const f of list) {
      const k = `${f.ruleId}\0${f.range.line}\0${f.range.column}`;
      const g = groups.get(k);
      if (g) g.push(f);
      else groups.set(k, [f]);
    }
    for (const g of groups.values()) {
      if (g.length < 2 || new Set(g.map((f) => f.message)).size < 2) continue;
      const builds = g.map(buildOf);
      if (new Set(builds).size < 2) continue; // several findings of one build (limits and requests at `resources:`)
      g.forEach((f, i) => {
        const m = builds[i] === undefined ? null : RENDERED_NAME.exec(builds[i]!);
        // a chart rendered with several values files (its chart-testing values) names the files
        const note = !m?.[3] ? '' : ciValues.has(f) ? valuesNote(f, m[1]!, m[3], values.get(m[1]!)) : ` (values ${m[3]})`;
        if (m) (f.message += note || ` (${m[2]} ${m[1]})`), named.add(f);
      });
    }
    for (const f of list) {
      const m = named.has(f) || !ciValues.has(f) ? null : RENDERED_NAME.exec(buildOf(f) ?? '');
      const all = m?.[3] ? values.get(m[1]!) : undefined;
      if (all && valuesOf(f, m![1]!, m![3]!).length < all.size) f.message += valuesNote(f, m![1]!, m![3]!, all);
    }
    nameSharedPlaces(list);
  }
}

/**
 * A template line that several objects of one render share (a helper template both of zero-to-jupyterhub's image
 * puller DaemonSets include) gets the same finding once per object: where one place has the same message of a rule
 * for different objects, each names its object, so that the rows do not read as one finding repeated.
 */
function nameSharedPlaces(list: Finding[]): void {
  const groups = new Map<string, Finding[]>();
  for (const f of list) {
    if (!f.object) continue;
    const k = `${f.ruleId}\0${f.range.line}\0${f.range.column}\0${f.message}`;
    const g = groups.get(k);
    if (g) g.push(f);
    else groups.set(k, [f]);
  }
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const short = (f: Finding): string => `${f.object!.kind} ${f.object!.name}`;
    const long = (f: Finding): string => `${f.object!.kind} ${f.object!.namespace ? `${f.object!.namespace}/` : ''}${f.object!.name}`;
    const name = new Set(g.map(short)).size === g.length ? short : new Set(g.map(long)).size === g.length ? long : undefined;
    if (name) for (const f of g) f.message += ` (${name(f)})`;
  }
}

/** the values files of `chart` that gave finding `f`: its own (`own`) and those of the repeats mergeResults dropped */
function valuesOf(f: Finding, chart: string, own: string): string[] {
  const seen = [own];
  for (const b of sameIn.get(f) ?? []) {
    const o = RENDERED_NAME.exec(b);
    if (o?.[3] && o[1] === chart && !seen.includes(o[3])) seen.push(o[3]);
  }
  return seen;
}

/** ` (values a, b)`: the values files that gave `f`, or ` (values: all but c)` when most of the chart's did */
function valuesNote(f: Finding, chart: string, own: string, all: Set<string> | undefined): string {
  const seen = valuesOf(f, chart, own);
  const not = all ? [...all].filter((v) => !seen.includes(v)).sort() : [];
  const [lead, list] = not.length && not.length < seen.length ? ['values: all but ', not] : ['values ', seen];
  const more = list.length > 3 ? ` and ${list.length - 3} more` : '';
  return ` (${lead}${list.slice(0, 3).join(', ')}${more})`;
}
