/** How a Service, PodDisruptionBudget or NetworkPolicy selects pod labels, and the tables that answer which of them select a label set. */
import { compileSelector, labelString, mapSelectorMatches } from '../util/selector.js';
import { isObj, type ManifestObject, type Obj } from './object.js';

type MO = ManifestObject<Obj>;

/**
 * How a Service, PodDisruptionBudget or NetworkPolicy selects pod labels: its matcher, and the label pairs
 * one of which a label set must hold to be selected ('always': any label set may be; 'never': none is).
 * The selector tables file objects by it, and the incremental cache keys what selector queries read by it.
 */
export function selectorNarrowing(
  kind: string,
  o: MO,
): { matches: (labels: Obj) => boolean; narrowing: { key: string; values: readonly string[] } | 'always' | 'never' } {
  const spec = o.data.spec;
  if (kind === 'Service') {
    // a map selector: every entry must be equal; an absent or empty one selects nothing
    const sel = isObj(spec) ? spec.selector : undefined;
    const first = isObj(sel) ? Object.keys(sel)[0] : undefined;
    const v = first === undefined ? undefined : labelString((sel as Obj)[first]);
    return {
      matches: (l) => isObj(spec) && mapSelectorMatches(spec.selector as Obj, l),
      narrowing: first === undefined || v === undefined ? 'never' : { key: first, values: [v] },
    };
  }
  const c = isObj(spec) ? compileSelector(kind === 'NetworkPolicy' ? (spec.podSelector ?? {}) : spec.selector) : undefined;
  return { matches: (l) => c !== undefined && c.matches(l), narrowing: !c || !c.valid ? 'never' : (c.narrowing ?? 'always') };
}

/**
 * Objects that carry a label selector, to be asked which of them select a
 * label set: each is filed under the `key=value` pairs its selector requires
 * (its first `In` requirement), or among those always tried when it requires
 * none; a query tries only the buckets of the label set's own pairs, then
 * checks the full selector. Answers keep the order of the objects given.
 */
export class SelectorTable {
  private readonly buckets = new Map<string, number[]>();
  private readonly always: number[] = [];

  constructor(
    private readonly objects: readonly MO[],
    private readonly matchers: readonly ((labels: Obj) => boolean)[],
    narrowing: readonly ({ key: string; values: readonly string[] } | 'always' | 'never')[],
  ) {
    narrowing.forEach((n, i) => {
      if (n === 'never') return;
      if (n === 'always') {
        this.always.push(i);
        return;
      }
      for (const v of n.values) {
        const k = `${n.key}\u0000${v}`;
        let l = this.buckets.get(k);
        if (!l) this.buckets.set(k, (l = []));
        l.push(i);
      }
    });
  }

  /** The table of the objects of a kind (see {@link selectorNarrowing}). */
  static of(kind: string, objects: readonly MO[]): SelectorTable {
    const matchers: ((labels: Obj) => boolean)[] = [];
    const narrowing: ({ key: string; values: readonly string[] } | 'always' | 'never')[] = [];
    for (const o of objects) {
      const n = selectorNarrowing(kind, o);
      matchers.push(n.matches);
      narrowing.push(n.narrowing);
    }
    return new SelectorTable(objects, matchers, narrowing);
  }

  selecting(labels: unknown): MO[] {
    const l: Obj = isObj(labels) ? labels : {};
    let positions: number[] = this.always;
    let copied = false;
    for (const key of Object.keys(l)) {
      const v = labelString(l[key]);
      if (v === undefined) continue;
      const b = this.buckets.get(`${key}\u0000${v}`);
      if (!b) continue;
      if (!copied) {
        positions = [...positions];
        copied = true;
      }
      for (const p of b) positions.push(p);
    }
    if (copied) positions.sort((a, b) => a - b);
    const out: MO[] = [];
    let last = -1;
    for (const p of positions) {
      if (p === last) continue; // a selector filed under several values of one key is in one bucket per value; a label has one
      last = p;
      if (this.matchers[p]!(l)) out.push(this.objects[p]!);
    }
    return out;
  }
}
