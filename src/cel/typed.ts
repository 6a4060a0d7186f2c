/**
 * A custom resource's value as the API server's CEL sees it, typed from the
 * CRD's structural schema (k8s.io/apiserver/pkg/cel/common: `UnstructuredToVal`):
 * - `type: integer` → int, `type: number` → double (also for a whole number);
 * - `type: string` with `format: byte` → bytes (base64), `duration` → duration,
 *   `date` / `date-time` → timestamp;
 * - `x-kubernetes-int-or-string` and schemaless nodes → as read (int, double, string…);
 * - fields the schema does not declare are pruned, as the API server prunes them
 *   before validation (kept under `x-kubernetes-preserve-unknown-fields`, and
 *   apiVersion/kind/metadata at the root and in embedded resources).
 * A string whose format does not parse stays a string: schema validation reports it.
 * Maps get the escaped field names (`a__dash__b`) as hidden keys, as `toCel` does.
 */
import { isObj, type Obj } from '../model/object.js';
import { compileCel, escapeName, toCel } from './env.js';

const META_KEYS = new Set(['apiVersion', 'kind', 'metadata']);

export function toCelTyped(schema: unknown, value: unknown, minor: number): unknown {
  return typed(schema, value, minor, true);
}

/** The typed value of a node below the root (as toCelTyped makes it there), or at the root with `root`. */
export function toCelTypedAt(schema: unknown, value: unknown, minor: number, root: boolean): unknown {
  return typed(schema, value, minor, root);
}

function typed(schema: unknown, v: unknown, minor: number, root: boolean): unknown {
  if (v === null || v === undefined) return v ?? null;
  if (!isObj(schema) || schema['x-kubernetes-int-or-string'] === true) return toCel(v);
  const t = schema.type;
  if (typeof v === 'number') {
    if (t === 'number') return v;
    return toCel(v);
  }
  if (typeof v === 'string') {
    if (t === 'string' && typeof schema.format === 'string') return formatted(schema.format, v, minor) ?? v;
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => typed(schema.items, x, minor, false));
  if (typeof v !== 'object') return toCel(v);
  const out: Record<string, unknown> = {};
  const shape = objectShape(schema, root);
  let escaped: string[] | undefined;
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    if (entry(shape, out, k, (v as Obj)[k], minor) && escapeName(k) !== undefined) (escaped ??= []).push(k);
  }
  if (escaped) hideEscaped(out, escaped);
  return out;
}

interface Shape {
  props: Obj | undefined;
  extra: Obj | undefined;
  keepUnknown: boolean;
  keepMeta: boolean;
}

function objectShape(schema: Obj, root: boolean): Shape {
  const props = isObj(schema.properties) ? schema.properties : undefined;
  const extra = isObj(schema.additionalProperties) ? schema.additionalProperties : undefined;
  const keepUnknown = (!props && !extra) || schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true;
  return { props, extra, keepUnknown, keepMeta: root || schema['x-kubernetes-embedded-resource'] === true };
}

/** Sets `out[k]` to the typed value of field `k`, `x`, of an object of that shape; false when the field is pruned. */
function entry(shape: Shape, out: Record<string, unknown>, k: string, x: unknown, minor: number): boolean {
  const { props, extra } = shape;
  if (props && Object.hasOwn(props, k)) out[k] = typed(props[k], x, minor, false);
  else if (extra) out[k] = typed(extra, x, minor, false);
  else if (shape.keepUnknown || (shape.keepMeta && META_KEYS.has(k))) out[k] = toCel(x);
  else return false; // pruned
  return true;
}

function hideEscaped(out: Record<string, unknown>, escaped: string[]): void {
  for (const k of escaped) {
    const e = escapeName(k)!;
    if (!Object.hasOwn(out, e)) Object.defineProperty(out, e, { value: out[k], enumerable: false });
  }
}

/**
 * The typed value of a node as toCelTypedAt makes it, but of an object only its fields `fields` (and their
 * escaped names): for rules that read nothing of `self` but those fields (./self-fields.ts), so that the rest
 * of a large object is not converted. Any other value is typed whole.
 */
export function toCelTypedFields(schema: unknown, v: unknown, minor: number, root: boolean, fields: readonly string[]): unknown {
  if (!isObj(schema) || schema['x-kubernetes-int-or-string'] === true || !isObj(v) || Array.isArray(v))
    return typed(schema, v, minor, root);
  const out: Record<string, unknown> = {};
  const shape = objectShape(schema, root);
  let escaped: string[] | undefined;
  for (const k of fields) {
    if (!Object.hasOwn(v, k) || Object.hasOwn(out, k)) continue;
    if (entry(shape, out, k, v[k], minor) && escapeName(k) !== undefined) (escaped ??= []).push(k);
  }
  if (escaped) hideEscaped(out, escaped);
  return out;
}

/** strfmt's duration units beyond Go's syntax (`3d`, `1 week`). */
const UNITS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  sec: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  wk: 604800,
  week: 604800,
  weeks: 604800,
};

function viaCel(fn: 'duration' | 'timestamp', arg: string, minor: number): unknown {
  const c = compileCel(`${fn}(x)`, minor, ['x']);
  if (!c.ok) return undefined;
  const r = c.program.evaluate({ x: arg });
  return r.ok ? r.value : undefined;
}

function formatted(format: string, s: string, minor: number): unknown {
  switch (format) {
    case 'byte': {
      const clean = s.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) return undefined;
      return new Uint8Array(Buffer.from(clean, 'base64'));
    }
    case 'duration': {
      const d = viaCel('duration', s, minor);
      if (d !== undefined) return d;
      const m = /^(\d+)\s*([A-Za-zµ]+)$/.exec(s.trim());
      const unit = m ? UNITS[m[2]!] : undefined;
      if (!m || unit === undefined) return undefined;
      const secs = Number(m[1]) * unit;
      return Number.isFinite(secs) ? viaCel('duration', `${secs}s`, minor) : undefined;
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(s) ? viaCel('timestamp', `${s}T00:00:00Z`, minor) : undefined;
    case 'date-time':
      return viaCel('timestamp', s, minor);
    default:
      return undefined;
  }
}
