/**
 * The locate stage: rules report paths, never positions; this stage turns each finding's
 * (object, path) into a source range, once, after the checks and before severities and
 * suppressions. Early findings (syntax errors, invalid objects) and internal errors arrive
 * with the range their stage already knew, and keep it.
 */
import type { ManifestObject, Obj } from '../model/object.js';
import type { PathSeg, Range } from '../parse/source.js';
import type { Pending } from './load.js';

export type LocatedFinding = Pending & { range: Range };

/**
 * The located paths of one object, as a trie of path segments (a Map tells 0 from "0", so two paths share a
 * node only when they are the same path): with every rule on, several rules report the same field, or the
 * same missing field's ancestor, of an object (a container's securityContext).
 */
interface PathNode {
  next?: Map<PathSeg, PathNode>;
  /** [the key's range, the value's range (valueOnly)] */
  at?: [Located?, Located?];
}
interface Located {
  range: Range;
  exact: boolean;
}

/** Sets the range (and whether the path exists: `exact`) of every finding that has none; returns the same findings. */
export function locateFindings(findings: Pending[]): LocatedFinding[] {
  const memo = new Map<ManifestObject<Obj>, PathNode>();
  for (const f of findings) {
    if (f.range) continue;
    if (!f.obj) throw new Error(`finding of ${f.ruleId} has neither a range nor an object`);
    const path = f.objPath ?? [];
    let node = memo.get(f.obj);
    if (!node) memo.set(f.obj, (node = {}));
    for (const seg of path) {
      node.next ??= new Map();
      let n = node.next.get(seg);
      if (!n) node.next.set(seg, (n = {}));
      node = n;
    }
    const at = (node.at ??= []);
    const k = f.valueOnly ? 1 : 0;
    const hit = at[k];
    if (hit) {
      // each finding has its own range object (later stages may map it)
      f.range = { line: hit.range.line, column: hit.range.column, endLine: hit.range.endLine, endColumn: hit.range.endColumn };
      f.exact = hit.exact;
      continue;
    }
    const located = f.obj.rangeOf(path, f.valueOnly);
    at[k] = located;
    f.range = located.range;
    f.exact = located.exact;
  }
  return findings as LocatedFinding[];
}
