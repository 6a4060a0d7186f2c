import { isObj, type Obj } from '../model/object.js';

/**
 * The value with the schema's defaults applied, as the API server applies them
 * before validation (structural defaulting: an absent property with a `default`
 * gets it, in objects, list items and additionalProperties). The input is not
 * changed; a value that gets no default is returned as is (no copy).
 */
export function withDefaults(schema: unknown, value: unknown): unknown {
  if (!isObj(schema) || !mayDefault(schema)) return value;
  if (Array.isArray(value)) {
    if (!isObj(schema.items)) return value;
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const d = withDefaults(schema.items, v);
      if (d !== v) (out ??= [...value])[i] = d;
    });
    return out ?? value;
  }
  if (!isObj(value)) return value;
  let out: Obj | undefined;
  if (isObj(schema.properties)) {
    // only properties with a default at or below them can change (the others give their value back as is)
    for (const [k, s] of defaultingProperties(schema.properties)) {
      if (!Object.hasOwn(value, k)) {
        if (s.default !== undefined) (out ??= { ...value })[k] = withDefaults(s, structuredClone(s.default));
        continue;
      }
      const d = withDefaults(s, value[k]);
      if (d !== value[k]) (out ??= { ...value })[k] = d;
    }
  } else if (isObj(schema.additionalProperties)) {
    for (const k of Object.keys(value)) {
      const d = withDefaults(schema.additionalProperties, value[k]);
      if (d !== value[k]) (out ??= { ...value })[k] = d;
    }
  }
  return out ?? value;
}

/** The properties (in schema order) with a default at or below them, memoised per `properties` object. */
const defaultingMemo = new WeakMap<Obj, [string, Obj][]>();
function defaultingProperties(props: Obj): [string, Obj][] {
  let r = defaultingMemo.get(props);
  if (!r) {
    r = Object.entries(props).filter((e): e is [string, Obj] => isObj(e[1]) && (e[1].default !== undefined || mayDefault(e[1])));
    defaultingMemo.set(props, r);
  }
  return r;
}

/** Whether some schema below `s` has a `default` that withDefaults() could apply, memoised per schema node asked about (large CRDs often have none). */
const mayDefaultMemo = new WeakMap<Obj, boolean>();
function mayDefault(s: Obj): boolean {
  let m = mayDefaultMemo.get(s);
  if (m === undefined) {
    try {
      m = defaultsBelow(s, 0);
    } catch (e) {
      if (e !== TOO_DEEP) throw e;
      m = mayDefaultCyclic(s);
    }
    mayDefaultMemo.set(s, m);
  }
  return m;
}

const TOO_DEEP = new Error('too deep');
/** mayDefault() as a plain search (no memo per node, which cost a WeakMap entry per schema node); a cycle ends too deep. */
function defaultsBelow(s: Obj, depth: number): boolean {
  if (depth > 500) throw TOO_DEEP;
  if (isObj(s.items) && defaultsBelow(s.items, depth + 1)) return true;
  const props = s.properties;
  if (isObj(props)) {
    for (const k of Object.keys(props)) {
      const p = props[k];
      if (isObj(p) && (p.default !== undefined || defaultsBelow(p, depth + 1))) return true;
    }
    return false;
  }
  return isObj(s.additionalProperties) && defaultsBelow(s.additionalProperties, depth + 1);
}

/** The memoised search, for a schema that contains itself (aliases). */
const cyclicMemo = new WeakMap<Obj, boolean>();
function mayDefaultCyclic(s: Obj): boolean {
  const memo = cyclicMemo.get(s);
  if (memo !== undefined) return memo;
  cyclicMemo.set(s, false); // a schema that contains itself (aliases) adds nothing the first visit does not
  let m = isObj(s.items) && mayDefaultCyclic(s.items);
  if (!m && isObj(s.properties)) {
    for (const p of Object.values(s.properties)) {
      if (isObj(p) && (p.default !== undefined || mayDefaultCyclic(p))) {
        m = true;
        break;
      }
    }
  } else if (!m && isObj(s.additionalProperties)) m = mayDefaultCyclic(s.additionalProperties);
  cyclicMemo.set(s, m);
  return m;
}
