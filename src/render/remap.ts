/** Findings in rendered output moved back to the file and line the user edits, one result per source file. */
import { displayPath } from '../load/discover.js';
import { withFields, type LintMessage, type LintResult } from '../engine/result.js';
import type { ManifestObject, Obj } from '../model/object.js';
import type { SourcePlace } from './helm.js';
import type { RenderMapping } from './index.js';

export function inPackageNote(p: SourcePlace): string {
  return p.inPackage ? ` (at ${p.inPackage} in the package)` : '';
}

/**
 * The findings of a rendered input at their source places: one result per
 * source file; the rendered position goes into `rendered`.
 */
export function remapResult(
  res: LintResult,
  mapping: RenderMapping,
  objects: ManifestObject<Obj>[],
  cwd: string,
  emptyResult: (p: string) => LintResult,
  relint: (abs: string) => LintMessage[] = () => [],
): LintResult[] {
  const byFile = new Map<string, LintResult>();
  const get = (abs: string): LintResult => {
    const d = displayPath(abs, cwd);
    let r = byFile.get(d);
    if (!r) byFile.set(d, (r = emptyResult(d)));
    return r;
  };
  for (const o of objects) get(mapping.objectFile(o)).objectCount++;
  const move = (m: LintMessage): { r: LintResult; m: LintMessage } => {
    const p = mapping.place(m);
    // a fix or suggestion edits the rendered text; rendered output is never written back: where the
    // mapping is exact, they become suggestions on the source file the finding is placed in
    const moved = m.fix || m.suggestions?.length ? mapping.sourceSuggestions?.(m, relint) : undefined;
    const out: LintMessage = withFields(m, {
      line: p.line,
      column: p.column,
      endLine: p.line,
      endColumn: Math.max(p.endColumn, p.column),
      rendered: { file: res.filePath, line: m.line, column: m.column, endLine: m.endLine, endColumn: m.endColumn },
    });
    delete out.fix;
    delete out.suggestions;
    if (moved && moved.abs === p.abs) out.suggestions = moved.suggestions;
    out.message += inPackageNote(p);
    if (p.values) out.message += ` (the template writes this from ${p.values}: change it in the values)`;
    if (mapping.profile) out.message += ` (profile ${mapping.profile})`;
    return { r: get(p.abs), m: out };
  };
  for (const m of res.messages) {
    const x = move(m);
    const sup = mapping.sourceSuppression?.(mapping.place(m), m.ruleId);
    if (sup) {
      x.m.suppressions = [{ kind: 'inSource', justification: sup.reason, source: sup.kind === 'file' ? 'file-comment' : 'comment' }];
      x.r.suppressedMessages.push(x.m);
    } else {
      x.r.messages.push(x.m);
    }
  }
  for (const m of res.suppressedMessages) {
    const x = move(m);
    x.r.suppressedMessages.push(x.m);
  }
  return [...byFile.values()];
}

/** Merges results of the same file (a base built by two overlays, a chart rendered with two profiles), dropping repeated findings. */
export function mergeResults(into: Map<string, LintResult>, add: LintResult): void {
  const cur = into.get(add.filePath);
  if (!cur) {
    into.set(add.filePath, add);
    return;
  }
  cur.objectCount += add.objectCount;
  const key = (m: LintMessage): string => `${m.ruleId}\0${m.line}\0${m.column}\0${m.message}`;
  const have = new Set([...cur.messages, ...cur.suppressedMessages].map(key));
  for (const m of add.messages) if (!have.has(key(m))) have.add(key(m)), cur.messages.push(m);
  for (const m of add.suppressedMessages) if (!have.has(key(m))) have.add(key(m)), cur.suppressedMessages.push(m);
}
