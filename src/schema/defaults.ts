import { isObj, type Obj } from '../model/object.js';

/**
 * The value with the schema's defaults applied, as the API server applies them
 * before validation (structural defaulting: an absent property with a `default`
 * gets it, in objects, list items and additionalProperties). The input is not
 * changed; a value that gets no default is returned as is (no copy).
 */
export function withDefaults(schema: unknown, value: unknown): unknown {
  if (!isObj(schema)) return value;
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
    for (const [k, s] of Object.entries(schema.properties)) {
      if (!isObj(s)) continue;
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
