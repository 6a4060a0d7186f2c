/**
 * Which objects of a changed file changed (incremental.ts): an edit that leaves an object's value, document,
 * place in the document and keys as they were (a comment, blank lines, quoting or flow style that yields the
 * same values) changes nothing another object's check can read through the index. Only what that file
 * itself reports, and the positions of its objects (see {@link positionKey}), can differ.
 */
import * as v8 from 'node:v8';
import { scaleTarget } from '../model/index-tables.js';
import { isObj, type ManifestObject, type Obj } from '../model/object.js';
import { isWorkload, podLabels } from '../model/workload.js';
import type { StoredObject } from './incremental-state.js';

/** The key a check reads when it asks for a position (a line, a range) of an object of another file. */
export const positionKey = (abs: string): string => `P\0${abs}`;

/**
 * A plain object (of any realm: the values stored come from this one, a parse may run in another, as under
 * jest), one without a prototype, or anything else.
 */
function kindOf(o: object): 'plain' | 'bare' | 'other' {
  const p = Object.getPrototypeOf(o) as object | null;
  if (p === null) return 'bare';
  return Object.getPrototypeOf(p) === null && typeof (p as { hasOwnProperty?: unknown }).hasOwnProperty === 'function' ? 'plain' : 'other';
}

/**
 * Whether two values a parse yields are the same: the same types, keys in the same order, primitives
 * equal by SameValue (NaN is NaN, -0 is not 0). Values other than plain objects and arrays are compared
 * by their serialized form.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const kind = kindOf(a);
  if (kind !== kindOf(b)) return false;
  if (kind === 'other') return v8.serialize(a).equals(v8.serialize(b));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i]) return false;
    if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether an object of the new file stands where the old one stood, with the same value, document, base path and keys. */
function sameObject(a: StoredObject, b: StoredObject): boolean {
  return a.doc === b.doc && sameList(a.base, b.base) && sameList(a.keys, b.keys) && sameValue(a.data, b.data);
}

/**
 * The positions of the objects that changed between the old and the new objects of a file, or undefined
 * when the objects cannot be paired by position (not as many): then every one of them counts as changed.
 */
export function changedObjects(before: readonly StoredObject[], after: readonly StoredObject[]): number[] | undefined {
  if (before.length !== after.length) return undefined;
  const out: number[] = [];
  for (let i = 0; i < after.length; i++) if (!sameObject(before[i]!, after[i]!)) out.push(i);
  return out;
}

/**
 * Whether JSON keeps a value exactly (JSON.parse of its JSON.stringify yields the same): strings, booleans,
 * null, finite numbers other than -0, arrays without holes, and plain objects of these (no undefined).
 * Such values are stored as JSON, which decodes faster than V8's serialization.
 */
export function jsonSafe(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!(i in v) || !jsonSafe(v[i])) return false;
        return true;
      }
      if (kindOf(v) !== 'plain') return false;
      for (const k in v) if (!Object.hasOwn(v, k) || !jsonSafe((v as Record<string, unknown>)[k])) return false;
      return true;
    }
    default:
      return false;
  }
}

/** What a ManifestObject reads of its value when made (apiVersion, kind, metadata name, generateName, namespace). */
export function headOf(data: Obj): Obj {
  const head: Obj = {};
  if (typeof data.apiVersion === 'string') head.apiVersion = data.apiVersion;
  if (typeof data.kind === 'string') head.kind = data.kind;
  const m = data.metadata;
  if (isObj(m)) {
    const meta: Obj = {};
    for (const k of ['name', 'generateName', 'namespace'])
      if (Object.hasOwn(m, k) && (typeof m[k] === 'string' || typeof m[k] === 'number')) meta[k] = m[k];
    head.metadata = meta;
  }
  return head;
}

/** What the index's tables read of every object of some kinds (see StoredObject.proj). */
export function projectionOf(o: ManifestObject<Obj>): StoredObject['proj'] {
  if (isWorkload(o)) return { labels: podLabels(o) };
  if (o.kind === 'HorizontalPodAutoscaler') return { target: scaleTarget(o) ?? null };
  return undefined;
}
