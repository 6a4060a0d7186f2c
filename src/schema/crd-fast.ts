/**
 * The fast path for custom resources: whether an object certainly passes the
 * ajv validator ./crd.ts would compile from a CRD version's schema, answered
 * by walking the schema (prepared once per CRD version) with the object,
 * without compiling anything. Compiling a generated CRD's schema with ajv
 * costs tens to hundreds of milliseconds per CRD; with this check a CRD is
 * compiled only when one of its objects may fail, and ajv then makes the
 * messages exactly as before.
 *
 * `prepareFast` accepts a schema only when every keyword in it (reachable or
 * not) is one this module evaluates exactly as ajv does, with the value type
 * ajv requires (ajv throws on, e.g., a boolean `exclusiveMinimum`, so its
 * compile would fail: such a CRD has no fast path), and every pattern compiles
 * as ajv compiles it (`u` flag). Otherwise it returns undefined and every
 * object goes to ajv.
 *
 * Each check answers PASS, FAIL or UNKNOWN, where FAIL means ajv certainly
 * fails too (so `not` and `oneOf` stay exact); values ajv treats in ways not
 * mirrored here (non-finite numbers, functions, enums of objects, repeated
 * non-scalar items) answer UNKNOWN. Only PASS at the top skips ajv.
 */
import { type FastNode, T_ARRAY, T_BOOLEAN, T_INTEGER, T_NULL, T_NUMBER, T_OBJECT, T_STRING } from './crd-fast-prepare.js';

export { type FastNode, prepareFast } from './crd-fast-prepare.js';

const PASS = 1;
const FAIL = 0;
const UNKNOWN = -1;
type Verdict = typeof PASS | typeof FAIL | typeof UNKNOWN;

/** Whether ajv certainly accepts `data` under the prepared schema. */
export function fastCrdPasses(n: FastNode, data: unknown): boolean {
  return check(n, data) === PASS;
}

/** The verdict: 1 ajv accepts `data`, 0 ajv rejects it, -1 not known here (for tests). */
export function fastCrdVerdict(n: FastNode, data: unknown): 1 | 0 | -1 {
  return check(n, data);
}

function typeBit(x: unknown): number {
  if (x === null) return T_NULL;
  switch (typeof x) {
    case 'boolean':
      return T_BOOLEAN;
    case 'string':
      return T_STRING;
    case 'number':
      return Number.isInteger(x) ? T_INTEGER | T_NUMBER : Number.isFinite(x) ? T_NUMBER : -1;
    case 'object':
      if (Array.isArray(x)) return T_ARRAY;
      {
        const proto = Object.getPrototypeOf(x) as unknown;
        return proto === Object.prototype || proto === null ? T_OBJECT : -1;
      }
    default:
      return -1;
  }
}

/** Code points, as ajv counts string lengths. */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The verdict so far with one more part's: FAIL wins, then UNKNOWN. */
function merge(result: Verdict, v: Verdict): Verdict {
  return v === PASS ? result : v;
}

function check(n: FastNode, x: unknown): Verdict {
  const t = typeBit(x);
  if (t < 0) return UNKNOWN;
  if (n.types !== 0 && (n.types & t) === 0) return FAIL;
  let result: Verdict = PASS;
  if (n.enum) {
    if (t === T_OBJECT || t === T_ARRAY) {
      result = UNKNOWN;
    } else if (!n.enum.includes(x)) return FAIL;
  }
  if (t === T_STRING) {
    const s = x as string;
    if (n.minLength !== undefined || n.maxLength !== undefined) {
      const len = codePoints(s);
      if ((n.minLength !== undefined && len < n.minLength) || (n.maxLength !== undefined && len > n.maxLength)) return FAIL;
    }
    if (n.pattern && !n.pattern.test(s)) return FAIL;
  } else if (t & T_NUMBER) {
    const v = x as number;
    if (n.minimum !== undefined && v < n.minimum) return FAIL;
    if (n.maximum !== undefined && v > n.maximum) return FAIL;
    if (n.exclusiveMinimum !== undefined && v <= n.exclusiveMinimum) return FAIL;
    if (n.exclusiveMaximum !== undefined && v >= n.exclusiveMaximum) return FAIL;
    if (n.multipleOf !== undefined) {
      const q = v / n.multipleOf;
      // ajv fails when q !== parseInt(q): always for a finite fraction; for an integer only where it prints with an exponent
      if (!Number.isInteger(q)) {
        if (Number.isFinite(q)) return FAIL;
        result = UNKNOWN;
      } else if (Math.abs(q) >= 1e21) result = UNKNOWN;
    }
  } else if (t === T_ARRAY) {
    const a = x as unknown[];
    if (n.minItems !== undefined && a.length < n.minItems) return FAIL;
    if (n.maxItems !== undefined && a.length > n.maxItems) return FAIL;
    if (n.uniqueItems && a.length > 1) {
      // scalars: a repeat fails in ajv too (its index object cannot hold a "__proto__" key); objects: deep equality, not mirrored
      const seen = new Set<unknown>();
      let scalar = true;
      let proto = false;
      for (let i = 0; i < a.length; i++) {
        const item = a[i];
        if (item !== null && typeof item === 'object') scalar = false;
        if (item === '__proto__') proto = true;
        seen.add(item);
      }
      if (scalar && !proto && seen.size !== a.length) return FAIL;
      if (!scalar || seen.size !== a.length) result = UNKNOWN;
    }
    if (n.items) {
      for (let i = 0; i < a.length; i++) {
        if (!(i in a)) {
          result = UNKNOWN;
          continue;
        }
        if ((result = merge(result, check(n.items, a[i]))) === FAIL) return FAIL;
      }
    }
  } else if (t === T_OBJECT) {
    const o = x as Record<string, unknown>;
    if (n.required) for (const r of n.required) if (o[r] === undefined) return FAIL;
    if (n.minProperties !== undefined || n.maxProperties !== undefined) {
      const count = Object.keys(o).length;
      if ((n.minProperties !== undefined && count < n.minProperties) || (n.maxProperties !== undefined && count > n.maxProperties))
        return FAIL;
    }
    // ajv checks each property the schema names, o[k] !== undefined: the object's own fields (fewer than the schema's,
    // most often, so they are the ones walked), and what it inherits under such a name (`constructor`)
    const props = n.props;
    const additional = n.additional;
    if (props || additional !== undefined) {
      for (const k in o) {
        const sub = props?.get(k);
        if (sub !== undefined) {
          const v = o[k];
          if (v !== undefined && (result = merge(result, check(sub, v))) === FAIL) return FAIL;
          continue;
        }
        if (additional === undefined) continue;
        if (additional === false) return FAIL;
        if ((result = merge(result, check(additional, o[k]))) === FAIL) return FAIL;
      }
      if (n.inheritedProps) {
        for (const [k, sub] of n.inheritedProps) {
          if (Object.hasOwn(o, k)) continue;
          const v = o[k];
          if (v !== undefined && (result = merge(result, check(sub, v))) === FAIL) return FAIL;
        }
      }
    }
  }
  if (n.allOf) for (const s of n.allOf) if ((result = merge(result, check(s, x))) === FAIL) return FAIL;
  if (n.anyOf) {
    let any: Verdict = FAIL;
    for (const s of n.anyOf) {
      const v = check(s, x);
      if (v === PASS) {
        any = PASS;
        break;
      }
      if (v === UNKNOWN) any = UNKNOWN;
    }
    if ((result = merge(result, any)) === FAIL) return FAIL;
  }
  if (n.oneOf) {
    let passes = 0;
    let unknown = false;
    for (const s of n.oneOf) {
      const v = check(s, x);
      if (v === PASS) passes++;
      else if (v === UNKNOWN) unknown = true;
    }
    if (passes > 1) return FAIL;
    if (unknown) {
      result = UNKNOWN;
    } else if (passes === 0) return FAIL;
  }
  if (n.not) {
    const v = check(n.not, x);
    if (v === PASS) return FAIL;
    if (v === UNKNOWN) result = UNKNOWN;
  }
  return result;
}
