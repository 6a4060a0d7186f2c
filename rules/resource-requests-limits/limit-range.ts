/** The Container defaults the LimitRanges of a namespace supply, memoised per namespace. */
import type { ObjectIndex } from '../../src/model/index.js';
import { isObj, own, type Obj } from '../../src/model/object.js';
import { describeQuantity, parseQuantityShared as parseQuantity, type Quantity } from '../../src/util/quantity.js';

export interface Defaulted {
  /** LimitRange name that supplies the value */
  limitRange: string;
  value: Quantity;
  text: string;
}

/**
 * The Container-type defaults of the LimitRanges in a namespace, after the
 * API server's own defaulting of LimitRangeItem: `default` falls back to
 * `max`, `defaultRequest` to `default`, then to `min`.
 */
/**
 * Memoised per namespace, keyed by the index's shared LimitRange list of the namespace (ObjectIndex.add()
 * replaces that list, so a changed index is never answered from here). The result is read-only.
 */
const defaultsMemo = new WeakMap<object, Map<string, Defaulted>>();
export function limitRangeDefaults(index: ObjectIndex, namespace: string): Map<string, Defaulted> {
  const key = index.list('LimitRange', namespace);
  let out = defaultsMemo.get(key);
  if (!out) defaultsMemo.set(key, (out = computeLimitRangeDefaults(index, namespace)));
  return out;
}

function computeLimitRangeDefaults(index: ObjectIndex, namespace: string): Map<string, Defaulted> {
  const out = new Map<string, Defaulted>();
  for (const lr of index.limitRanges(namespace)) {
    const spec = lr.data.spec;
    const items = isObj(spec) && Array.isArray(spec.limits) ? spec.limits : [];
    for (const item of items) {
      if (!isObj(item) || item.type !== 'Container') continue;
      const pick = (field: string): Obj => (isObj(item[field]) ? (item[field] as Obj) : {});
      const dflt: Obj = { ...pick('max'), ...pick('default') };
      const dreq: Obj = { ...pick('min'), ...dflt, ...pick('defaultRequest') };
      for (const [field, src] of [
        ['limits', dflt],
        ['requests', dreq],
      ] as const) {
        for (const res of Object.keys(src)) {
          const key = `${field}.${res}`;
          if (out.has(key)) continue;
          const q = parseQuantity(own(src, res));
          if (q) out.set(key, { limitRange: lr.name, value: q, text: describeQuantity(q) });
        }
      }
    }
  }
  return out;
}
