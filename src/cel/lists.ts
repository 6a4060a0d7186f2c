/** CEL equality of plain values and the Kubernetes lists and sets libraries (k8s.io/apiserver/pkg/cel/library). */
import { compareQuantity } from '../util/quantity.js';
import { CelError } from './error.js';
import { Quantity_, Semver } from './values.js';
import { CIDR, IP } from './net.js';

// ---------------------------------------------------------------- equality and lists

/** CEL equality of plain values (numbers compare across int/uint/double). */
export function celEquals(a: unknown, b: unknown): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number'))
    return Number(a) === Number(b) && (typeof a !== 'bigint' || typeof b !== 'bigint' || a === b);
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (a instanceof IP && b instanceof IP) return a.equals(b);
  if (a instanceof CIDR && b instanceof CIDR) return a.equals(b);
  if (isPlainMap(a) && isPlainMap(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && celEquals(a[k], b[k]));
  }
  return false;
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
}

function compareScalars(a: unknown, b: unknown): number {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Quantity_ && b instanceof Quantity_) return compareQuantity(a.q, b.q);
  if (a instanceof Semver && b instanceof Semver) return a.compare(b);
  throw new CelError(`no ordering between ${typeof a} and ${typeof b}`);
}

export const lists = {
  isSorted(l: unknown[]): boolean {
    for (let i = 1; i < l.length; i++) if (compareScalars(l[i - 1], l[i]) > 0) return false;
    return true;
  },
  sum(l: unknown[]): unknown {
    if (l.length === 0) return 0n;
    if (l.every((x) => typeof x === 'bigint')) return (l as bigint[]).reduce((a, b) => a + b, 0n);
    if (l.every((x) => typeof x === 'number')) return (l as number[]).reduce((a, b) => a + b, 0);
    throw new CelError('sum() needs a list of numbers of one type');
  },
  min(l: unknown[]): unknown {
    if (l.length === 0) throw new CelError('min called on an empty list');
    return l.reduce((a, b) => (compareScalars(b, a) < 0 ? b : a));
  },
  max(l: unknown[]): unknown {
    if (l.length === 0) throw new CelError('max called on an empty list');
    return l.reduce((a, b) => (compareScalars(b, a) > 0 ? b : a));
  },
  indexOf(l: unknown[], x: unknown): bigint {
    return BigInt(l.findIndex((e) => celEquals(e, x)));
  },
  lastIndexOf(l: unknown[], x: unknown): bigint {
    for (let i = l.length - 1; i >= 0; i--) if (celEquals(l[i], x)) return BigInt(i);
    return -1n;
  },
  // the lists extension v3 (Kubernetes 1.34)
  slice(l: unknown[], a: bigint, b: bigint): unknown[] {
    if (a < 0n || b < 0n) throw new CelError(`cannot slice(${a}, ${b}), negative indexes not supported`);
    if (a > b) throw new CelError(`cannot slice(${a}, ${b}), start index must be less than or equal to end index`);
    if (b > BigInt(l.length)) throw new CelError(`cannot slice(${a}, ${b}), list is length ${l.length}`);
    return l.slice(Number(a), Number(b));
  },
  flatten(l: unknown[], depth: bigint): unknown[] {
    if (depth < 0n) throw new CelError('level must be non-negative');
    let out = l;
    for (let d = 0n; d < depth; d++) out = out.flatMap((x) => (Array.isArray(x) ? x : [x]));
    return out;
  },
  distinct(l: unknown[]): unknown[] {
    const out: unknown[] = [];
    for (const x of l) if (!out.some((y) => celEquals(x, y))) out.push(x);
    return out;
  },
  sort(l: unknown[]): unknown[] {
    return [...l].sort(compareScalars);
  },
  range(n: bigint): bigint[] {
    if (n > 1_000_000n) throw new CelError(`lists.range(${n}) is too large`);
    return Array.from({ length: Math.max(0, Number(n)) }, (_, i) => BigInt(i));
  },
};

export const sets = {
  contains(a: unknown[], b: unknown[]): boolean {
    return b.every((x) => a.some((y) => celEquals(x, y)));
  },
  equivalent(a: unknown[], b: unknown[]): boolean {
    return sets.contains(a, b) && sets.contains(b, a);
  },
  intersects(a: unknown[], b: unknown[]): boolean {
    return a.some((x) => b.some((y) => celEquals(x, y)));
  },
};
