/**
 * Applying fixes to a text, as ESLint's SourceCodeFixer: fixes are sorted by
 * position; a fix that overlaps or touches one already taken waits for the
 * next pass (the caller re-lints in between).
 */
import type { FixEdit } from '../engine/result.js';

/** What carries a fix: a Finding (or an ESLint-shaped LintMessage at the public edge). */
type Fixable = { fix?: FixEdit };

export interface Applied<M extends Fixable = Fixable> {
  output: string;
  /** the findings whose fixes were applied */
  applied: M[];
  /** fixable findings left for a later pass */
  deferred: M[];
}

export function applyFixes<M extends Fixable>(text: string, messages: readonly M[], shouldFix: (m: M) => boolean = () => true): Applied<M> {
  const fixable = messages.filter((m) => m.fix && shouldFix(m));
  fixable.sort((a, b) => a.fix!.range[0] - b.fix!.range[0] || a.fix!.range[1] - b.fix!.range[1]);
  const applied: M[] = [];
  const deferred: M[] = [];
  let out = '';
  let pos = 0;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const m of fixable) {
    const [start, end] = m.fix!.range;
    if (start <= lastEnd || start < 0 || end > text.length || end < start) {
      deferred.push(m);
      continue;
    }
    out += text.slice(pos, start) + m.fix!.text;
    pos = end;
    lastEnd = end;
    applied.push(m);
  }
  out += text.slice(pos);
  return { output: applied.length ? out : text, applied, deferred };
}
