/**
 * The locate stage: rules report paths, never positions; this stage turns each finding's
 * (object, path) into a source range, once, after the checks and before severities and
 * suppressions. Early findings (syntax errors, invalid objects) and internal errors arrive
 * with the range their stage already knew, and keep it.
 */
import type { Range } from '../parse/source.js';
import type { Pending } from './load.js';

export type LocatedFinding = Pending & { range: Range };

/** Sets the range (and whether the path exists: `exact`) of every finding that has none; returns the same findings. */
export function locateFindings(findings: Pending[]): LocatedFinding[] {
  for (const f of findings) {
    if (f.range) continue;
    if (!f.obj) throw new Error(`finding of ${f.ruleId} has neither a range nor an object`);
    const { range, exact } = f.obj.rangeOf(f.objPath ?? [], f.valueOnly);
    f.range = range;
    f.exact = exact;
  }
  return findings as LocatedFinding[];
}
