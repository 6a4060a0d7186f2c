/** cel-go's strings extension (v2): charAt, replace, quote, format, … as the Kubernetes CEL environment has them. */
import { CelError } from './error.js';
import { Quantity_, Semver, URL_ } from './values.js';
import { CIDR, IP } from './net.js';

// ---------------------------------------------------------------- strings ext (v2)

export const strings = {
  charAt(s: string, i: bigint): string {
    const cps = [...s];
    if (i < 0n || i > BigInt(cps.length)) throw new CelError(`index out of range: ${i}`);
    return cps[Number(i)] ?? '';
  },
  replace(s: string, from: string, to: string, n = -1n): string {
    if (n === 0n) return s;
    if (n < 0n) return s.split(from).join(to);
    let out = '';
    let rest = s;
    for (let k = 0n; k < n; k++) {
      const i = rest.indexOf(from);
      if (i < 0) break;
      out += rest.slice(0, i) + to;
      rest = rest.slice(i + from.length);
      if (from === '') {
        out += rest.slice(0, 1);
        rest = rest.slice(1);
      }
    }
    return out + rest;
  },
  quote(s: string): string {
    let out = '"';
    for (const ch of s) {
      const c = ch.codePointAt(0)!;
      if (ch === '"') out += '\\"';
      else if (ch === '\\') out += '\\\\';
      else if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else if (c === 7) out += '\\a';
      else if (c === 8) out += '\\b';
      else if (c === 12) out += '\\f';
      else if (c === 11) out += '\\v';
      else out += ch;
    }
    return out + '"';
  },
  /** cel-go's `string.format(list)`: %s %d %f %e %x %X %o %b %%, with an optional precision for %f and %e. */
  format(fmt: string, args: unknown[]): string {
    let i = 0;
    return fmt.replace(/%(?:\.(\d+))?([\s\S]?)/g, (_m, prec: string | undefined, verb: string) => {
      if (verb === '%') return '%';
      if (!'sdfexXob'.includes(verb) || verb === '')
        throw new CelError(`format: unrecognized formatting clause "${verb}" in "${fmt}" (the clauses are %s %d %f %e %x %X %o %b %%)`);
      if (i >= args.length) throw new CelError(`format: not enough arguments for "${fmt}"`);
      const a = args[i++];
      const p = prec === undefined ? 6 : Number(prec);
      const n = integerOf(a);
      switch (verb) {
        case 's':
          return formatString(a);
        case 'd':
          if (n !== undefined) return n.toString();
          if (typeof a === 'number' && !Number.isFinite(a)) return formatString(a);
          throw new CelError(`format: %d needs an integer, got ${celTypeName(a)}`);
        case 'f':
          if (typeof a !== 'number' && n === undefined) throw new CelError(`format: %f needs a number, got ${celTypeName(a)}`);
          return Number.isFinite(Number(a)) ? toFixedHalfEven(Number(a), p) : formatString(Number(a));
        case 'e': {
          if (typeof a !== 'number' && n === undefined) throw new CelError(`format: %e needs a number, got ${celTypeName(a)}`);
          if (!Number.isFinite(Number(a))) return formatString(Number(a));
          return Number(a)
            .toExponential(p)
            .replace(/e([+-])(\d)$/, 'e$10$2');
        }
        case 'x':
        case 'X': {
          const s =
            n !== undefined
              ? n.toString(16)
              : typeof a === 'string'
                ? Buffer.from(a, 'utf8').toString('hex')
                : a instanceof Uint8Array
                  ? Buffer.from(a).toString('hex')
                  : undefined;
          if (s === undefined) throw new CelError(`format: %x needs an integer, a string or bytes, got ${celTypeName(a)}`);
          return verb === 'X' ? s.toUpperCase() : s;
        }
        case 'o':
          if (n === undefined) throw new CelError(`format: %o needs an integer, got ${celTypeName(a)}`);
          return n.toString(8);
        case 'b':
          if (n !== undefined) return n.toString(2);
          if (typeof a === 'boolean') return a ? '1' : '0';
          throw new CelError(`format: %b needs an integer or a bool, got ${celTypeName(a)}`);
      }
      return '';
    });
  },
};

/** An int (bigint) or a uint (cel-js's UnsignedInt: an object whose value is a bigint), else undefined. */
function integerOf(a: unknown): bigint | undefined {
  if (typeof a === 'bigint') return a;
  if (typeof a === 'object' && a !== null && a.constructor?.name === 'UnsignedInt') {
    const v = (a as { valueOf(): unknown }).valueOf();
    if (typeof v === 'bigint') return v;
  }
  return undefined;
}

function celTypeName(a: unknown): string {
  if (a === null) return 'null';
  if (typeof a === 'number') return 'double';
  if (typeof a === 'bigint') return 'int';
  if (typeof a === 'boolean') return 'bool';
  if (typeof a === 'string') return 'string';
  if (Array.isArray(a)) return 'a list';
  if (a instanceof Uint8Array) return 'bytes';
  if (a instanceof Date) return 'a timestamp';
  const c = (a as object).constructor?.name;
  return c === 'UnsignedInt' ? 'uint' : c === 'Duration' ? 'a duration' : c === 'Type' ? 'a type' : 'a map';
}

/** `x.toFixed(p)` with an exact tie rounded to even, as Go's strconv (cel-go) does: `'%.0f'.format([2.5])` → `2`. */
function toFixedHalfEven(x: number, p: number): string {
  const exact = Math.abs(x) < 1e21 && p < 100 ? x.toFixed(100) : undefined;
  if (exact === undefined) return x.toFixed(p);
  const dot = exact.indexOf('.');
  const rest = exact.slice(dot + 1 + p);
  if (!/^50*$/.test(rest)) return x.toFixed(p);
  // an exact tie: keep the truncated digits when the last one is even, else round away from zero
  const truncated = exact.slice(0, p === 0 ? dot : dot + 1 + p);
  const last = truncated.replace(/[.-]/g, '').slice(-1);
  if (Number(last) % 2 === 0) return truncated;
  return x.toFixed(p);
}

function formatString(a: unknown): string {
  if (typeof a === 'string') return a;
  if (typeof a === 'bigint' || typeof a === 'boolean') return String(a);
  if (typeof a === 'number') {
    if (Number.isNaN(a)) return 'NaN';
    if (!Number.isFinite(a)) return a > 0 ? 'Infinity' : '-Infinity';
    return Number.isInteger(a) ? a.toFixed(0) : String(a);
  }
  if (a === null) return 'null';
  if (Array.isArray(a)) return `[${a.map(formatString).join(', ')}]`;
  if (a instanceof Uint8Array) return Buffer.from(a).toString('utf8');
  if (a instanceof Date) return a.toISOString().replace(/\.000Z$/, 'Z');
  if (a instanceof IP || a instanceof CIDR || a instanceof Quantity_ || a instanceof Semver || a instanceof URL_) return a.toString();
  const n = integerOf(a);
  if (n !== undefined) return n.toString();
  const c = typeof a === 'object' ? (a as object).constructor?.name : undefined;
  if (c === 'Duration') return String(a);
  if (c === 'Type') return String((a as { name: unknown }).name);
  if (a instanceof Map)
    return `{${[...a]
      .map(([k, v]) => [formatString(k), formatString(v)])
      .sort((x, y) => (x[0]! < y[0]! ? -1 : x[0]! > y[0]! ? 1 : 0))
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')}}`;
  if (typeof a === 'object')
    return `{${Object.keys(a as object)
      .sort()
      .map((k) => `${k}: ${formatString((a as Record<string, unknown>)[k])}`)
      .join(', ')}}`;
  return String(a);
}
