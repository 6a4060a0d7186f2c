/** Values between JSON (the manifests) and CEL: field-name escaping, int/uint/double, and CEL values as strings. */
import { Optional } from '@marcbachmann/cel-js';

// ---------------------------------------------------------------- values

/** CEL's reserved words, escaped as `__{word}__` in field names. */
const RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

/** Kubernetes' escaping of a property name for CEL field access (`a-b` → `a__dash__b`); undefined when none is needed. */
const escapes = new Map<string, string | undefined>();
export function escapeName(name: string): string | undefined {
  if (escapes.has(name)) return escapes.get(name);
  const e = escapeUncached(name);
  if (escapes.size < 100_000) escapes.set(name, e);
  return e;
}

function escapeUncached(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  if (/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) && !name.includes('__')) return undefined;
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined; // not accessible as a field
  return name.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
}

const converted = new WeakMap<object, unknown>();

/**
 * A manifest value as CEL sees it: integers become int (bigint), other numbers double;
 * maps get their escaped field names as extra, hidden (non-enumerable) keys, so that
 * `self.a__dash__b` reads `a-b` while iteration and size() see the real keys.
 * Cached per (top-level) value.
 */
export function toCel(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return convert(v);
  const hit = converted.get(v);
  if (hit !== undefined) return hit;
  const out = convert(v);
  converted.set(v, out);
  return out;
}

function convert(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(convert);
  const o: Record<string, unknown> = {};
  let escaped: string[] | undefined;
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    o[k] = convert((v as Record<string, unknown>)[k]);
    if (escapeName(k) !== undefined) {
      escaped ??= [];
      escaped.push(k);
    }
  }
  if (escaped) {
    for (const k of escaped) {
      const e = escapeName(k)!;
      if (!Object.prototype.hasOwnProperty.call(o, e)) Object.defineProperty(o, e, { value: o[k], enumerable: false });
    }
  }
  return o;
}

/** A CEL result as text, for messages. */
export function celToString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (v === null || v === undefined) return 'null';
  if (v instanceof Optional) return v.hasValue() ? celToString(v.value()) : 'optional.none()';
  if (Array.isArray(v)) return `[${v.map(celToString).join(', ')}]`;
  if (
    typeof (v as { toString?: unknown }).toString === 'function' &&
    Object.getPrototypeOf(v) !== Object.prototype &&
    Object.getPrototypeOf(v) !== null
  )
    return String(v);
  return `{${Object.keys(v)
    .map((k) => `${k}: ${celToString((v as Record<string, unknown>)[k])}`)
    .join(', ')}}`;
}
