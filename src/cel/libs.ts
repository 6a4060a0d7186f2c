/**
 * The Kubernetes CEL libraries (k8s.io/apiserver/pkg/cel/library) on top of
 * @marcbachmann/cel-js: the values and checks behind `quantity()`, `url()`,
 * `ip()`/`cidr()`, `semver()`, `format.*`, the lists and sets functions and
 * cel-go's strings extension. The environment (env.ts) registers them,
 * gated by the Kubernetes version that introduced each library.
 */
import { RE2JS } from 're2js';
import { addQuantity, compareQuantity, makeQuantity, parseQuantity, quantityToNumber, type Quantity } from '../util/quantity.js';

export class CelError extends Error {}

// ---------------------------------------------------------------- regex (RE2)

const regexCache = new Map<string, RE2JS>();

/** Compiles a regular expression with RE2 semantics (linear time, `\A`, `\z`, no backreferences), cached. */
export function re2(pattern: string): RE2JS {
  let r = regexCache.get(pattern);
  if (!r) {
    try {
      r = RE2JS.compile(pattern);
    } catch (e) {
      throw new CelError(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, r);
  }
  return r;
}

const matchCache = new Map<string, Map<string, boolean>>();

/** RE2 `matches` (a search, as cel-go's), memoised per pattern and string: policies test the same images and names over and over. */
export function reMatches(s: string, pattern: string): boolean {
  let m = matchCache.get(pattern);
  if (!m) {
    if (matchCache.size > 1000) matchCache.clear();
    m = new Map();
    matchCache.set(pattern, m);
  }
  let r = m.get(s);
  if (r === undefined) {
    r = re2(pattern).matcher(s).find();
    if (m.size > 10_000) m.clear();
    m.set(s, r);
  }
  return r;
}

export function reFind(s: string, pattern: string): string {
  const m = re2(pattern).matcher(s);
  return m.find() ? (m.group() ?? '') : '';
}

export function reFindAll(s: string, pattern: string, limit = -1n): string[] {
  const out: string[] = [];
  if (limit === 0n) return out;
  const m = re2(pattern).matcher(s);
  while (m.find()) {
    out.push(m.group() ?? '');
    if (limit > 0n && BigInt(out.length) >= limit) break;
  }
  return out;
}

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

// ---------------------------------------------------------------- quantity

export class Quantity_ {
  constructor(readonly q: Quantity) {}
  toString(): string {
    return this.q.text;
  }
  static parse(s: string): Quantity_ {
    const q = parseQuantity(s);
    if (!q || s.trim() !== s)
      throw new CelError(
        `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${JSON.stringify(s)}`,
      );
    return new Quantity_(q);
  }
  static is(s: string): boolean {
    return parseQuantity(s) !== null && s.trim() === s;
  }
  isInteger(): boolean {
    return this.q.den === 1n && this.q.num >= -(2n ** 63n) && this.q.num < 2n ** 63n;
  }
  asInteger(): bigint {
    if (!this.isInteger())
      throw new CelError(`cannot convert quantity ${this.q.text} to an integer: not an integer or out of the int64 range`);
    return this.q.num;
  }
  asApproximateFloat(): number {
    return quantityToNumber(this.q);
  }
  sign(): bigint {
    return this.q.num > 0n ? 1n : this.q.num < 0n ? -1n : 0n;
  }
  add(o: Quantity_ | bigint): Quantity_ {
    return new Quantity_(addQuantity(this.q, o instanceof Quantity_ ? o.q : makeQuantity(o)!));
  }
  sub(o: Quantity_ | bigint): Quantity_ {
    const b = o instanceof Quantity_ ? o.q : makeQuantity(o)!;
    return new Quantity_(addQuantity(this.q, { num: -b.num, den: b.den, text: '' }));
  }
  compareTo(o: Quantity_): bigint {
    return BigInt(compareQuantity(this.q, o.q));
  }
}

// ---------------------------------------------------------------- URL

export class URL_ {
  constructor(
    readonly scheme: string,
    readonly host: string,
    readonly path: string,
    readonly query: string,
    readonly text: string,
  ) {}
  toString(): string {
    return this.text;
  }
  /** As Go's url.ParseRequestURI: an absolute URI or an absolute path; no fragment. */
  static parse(s: string): URL_ {
    const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?$/.exec(s);
    if (
      !m ||
      s === '' ||
      (!m[1] && !s.startsWith('/')) ||
      /\s/.test(s) ||
      [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
    )
      throw new CelError(`URL parse error during conversion from string: parse ${JSON.stringify(s)}: invalid URI for request`);
    return new URL_(m[1] ?? '', m[2] ?? '', m[3] ?? '', m[4] ?? '', s);
  }
  static is(s: string): boolean {
    try {
      URL_.parse(s);
      return true;
    } catch {
      return false;
    }
  }
  getHostname(): string {
    const h = this.host.replace(/^[^@]*@/, '');
    if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
    const i = h.lastIndexOf(':');
    return i >= 0 ? h.slice(0, i) : h;
  }
  getHost(): string {
    return this.host.replace(/^[^@]*@/, '');
  }
  getPort(): string {
    const h = this.getHost();
    const m = /:(\d*)$/.exec(h.startsWith('[') ? h.slice(h.indexOf(']') + 1) : h);
    return m ? m[1]! : '';
  }
  getQuery(): Record<string, string[]> {
    const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
    if (this.query === '') return out;
    for (const part of this.query.split('&')) {
      if (part === '') continue;
      const i = part.indexOf('=');
      const k = decodeURIComponent((i < 0 ? part : part.slice(0, i)).replace(/\+/g, ' '));
      const v = i < 0 ? '' : decodeURIComponent(part.slice(i + 1).replace(/\+/g, ' '));
      out[k] ??= [];
      out[k].push(v);
    }
    return out;
  }
}

// ---------------------------------------------------------------- IP and CIDR

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(p);
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  if (s.includes('%')) return undefined;
  let tail: bigint[] = [];
  let str = s;
  const v4 = /(^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const x = parseV4(v4[2]!);
    if (x === undefined) return undefined;
    tail = [x >> 16n, x & 0xffffn];
    str = s.slice(0, s.length - v4[2]!.length) + (s.endsWith('::' + v4[2]) || v4[1] === '' ? '' : '');
    if (str.endsWith(':') && !str.endsWith('::')) str = str.slice(0, -1);
  }
  const halves = str.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): bigint[] | undefined => {
    if (h === '') return [];
    const out: bigint[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(BigInt('0x' + g));
    }
    return out;
  };
  const a = groups(halves[0]!);
  const b = halves.length === 2 ? groups(halves[1]!) : [];
  if (!a || !b) return undefined;
  const all =
    halves.length === 2 ? [...a, ...new Array<bigint>(8 - a.length - b.length - tail.length).fill(0n), ...b, ...tail] : [...a, ...tail];
  if (all.length !== 8 || (halves.length === 2 && a.length + b.length + tail.length > 7)) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

export class IP {
  constructor(
    readonly family: 4 | 6,
    readonly value: bigint,
  ) {}
  static parse(s: string): IP {
    const v4 = parseV4(s);
    if (v4 !== undefined) return new IP(4, v4);
    const v6 = s.includes(':') ? parseV6(s) : undefined;
    if (v6 === undefined) throw new CelError(`IP Address ${JSON.stringify(s)} parse error during conversion from string`);
    if (v6 >> 32n === 0xffffn) throw new CelError(`IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed`);
    return new IP(6, v6);
  }
  static is(s: string): boolean {
    try {
      IP.parse(s);
      return true;
    } catch {
      return false;
    }
  }
  get bits(): number {
    return this.family === 4 ? 32 : 128;
  }
  equals(o: IP): boolean {
    return this.family === o.family && this.value === o.value;
  }
  toString(): string {
    if (this.family === 4) return [24n, 16n, 8n, 0n].map((sh) => String((this.value >> sh) & 0xffn)).join('.');
    const g = Array.from({ length: 8 }, (_, i) => (this.value >> BigInt((7 - i) * 16)) & 0xffffn);
    // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on a tie
    let best = -1;
    let bestLen = 1;
    for (let i = 0; i < 8; ) {
      if (g[i] !== 0n) {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && g[j] === 0n) j++;
      if (j - i > bestLen) {
        best = i;
        bestLen = j - i;
      }
      i = j;
    }
    const hex = (xs: bigint[]) => xs.map((x) => x.toString(16)).join(':');
    return best < 0 ? hex(g) : `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
  }
  private inPrefix(base: bigint, len: number): boolean {
    const sh = BigInt(this.bits - len);
    return this.value >> sh === base >> sh;
  }
  isUnspecified(): boolean {
    return this.value === 0n;
  }
  isLoopback(): boolean {
    return this.family === 4 ? this.inPrefix(0x7f000000n, 8) : this.value === 1n;
  }
  isLinkLocalMulticast(): boolean {
    return this.family === 4 ? this.inPrefix(0xe0000000n, 24) : this.inPrefix(0xff02n << 112n, 16);
  }
  isLinkLocalUnicast(): boolean {
    return this.family === 4 ? this.inPrefix(0xa9fe0000n, 16) : this.inPrefix(0xfe80n << 112n, 10);
  }
  isMulticast(): boolean {
    return this.family === 4 ? this.inPrefix(0xe0000000n, 4) : this.inPrefix(0xffn << 120n, 8);
  }
  isGlobalUnicast(): boolean {
    if (this.family === 4 && this.value === 0xffffffffn) return false;
    return !this.isUnspecified() && !this.isLoopback() && !this.isMulticast() && !this.isLinkLocalUnicast();
  }
}

export class CIDR {
  constructor(
    readonly ip: IP,
    readonly prefix: number,
  ) {}
  static parse(s: string): CIDR {
    const i = s.lastIndexOf('/');
    const len = i >= 0 ? s.slice(i + 1) : '';
    let ip: IP | undefined;
    try {
      ip = i >= 0 ? IP.parse(s.slice(0, i)) : undefined;
    } catch {
      ip = undefined;
    }
    if (!ip || !/^(0|[1-9]\d{0,2})$/.test(len) || Number(len) > ip.bits)
      throw new CelError(`network address parse error during conversion from string: ${JSON.stringify(s)}`);
    return new CIDR(ip, Number(len));
  }
  static is(s: string): boolean {
    try {
      CIDR.parse(s);
      return true;
    } catch {
      return false;
    }
  }
  equals(o: CIDR): boolean {
    return this.prefix === o.prefix && this.ip.equals(o.ip);
  }
  toString(): string {
    return `${this.ip.toString()}/${this.prefix}`;
  }
  masked(): CIDR {
    const sh = BigInt(this.ip.bits - this.prefix);
    return new CIDR(new IP(this.ip.family, (this.ip.value >> sh) << sh), this.prefix);
  }
  containsIP(o: IP | string): boolean {
    const ip = typeof o === 'string' ? IP.parse(o) : o;
    if (ip.family !== this.ip.family) return false;
    const sh = BigInt(this.ip.bits - this.prefix);
    return ip.value >> sh === this.ip.value >> sh;
  }
  containsCIDR(o: CIDR | string): boolean {
    const c = typeof o === 'string' ? CIDR.parse(o) : o;
    return c.prefix >= this.prefix && this.containsIP(c.ip);
  }
}

// ---------------------------------------------------------------- semver

export class Semver {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: string[],
    readonly text: string,
  ) {}
  static readonly RE =
    /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
  static parse(s: string): Semver {
    const m = Semver.RE.exec(s);
    if (!m) throw new CelError(`could not parse semver ${JSON.stringify(s)}`);
    return new Semver(BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!), m[4] ? m[4].split('.') : [], s);
  }
  static is(s: string): boolean {
    return Semver.RE.test(s);
  }
  toString(): string {
    return this.text;
  }
  compare(o: Semver): number {
    for (const k of ['major', 'minor', 'patch'] as const) if (this[k] !== o[k]) return this[k] < o[k] ? -1 : 1;
    if (!this.pre.length || !o.pre.length) return this.pre.length === o.pre.length ? 0 : this.pre.length ? -1 : 1;
    for (let i = 0; i < Math.min(this.pre.length, o.pre.length); i++) {
      const a = this.pre[i]!;
      const b = o.pre[i]!;
      if (a === b) continue;
      const an = /^\d+$/.test(a);
      const bn = /^\d+$/.test(b);
      if (an && bn) return BigInt(a) < BigInt(b) ? -1 : 1;
      if (an !== bn) return an ? -1 : 1;
      return a < b ? -1 : 1;
    }
    return Math.sign(this.pre.length - o.pre.length);
  }
}

// ---------------------------------------------------------------- format library

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';

function check(value: string, re: RegExp, max: number, what: string, regex: string, example: string): string[] {
  const errs: string[] = [];
  if (value.length > max) errs.push(`must be no more than ${max} characters`);
  if (!re.test(value)) errs.push(`${what} (e.g. ${example}, regex used for validation is '${regex}')`);
  return errs;
}

const label1123 = (s: string) =>
  check(
    s,
    new RegExp(`^${DNS1123_LABEL}$`),
    63,
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
    DNS1123_LABEL,
    "'my-name', or '123-abc'",
  );
const sub1123 = (s: string) =>
  check(
    s,
    new RegExp(`^${DNS1123_SUBDOMAIN}$`),
    253,
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    DNS1123_SUBDOMAIN,
    "'example.com'",
  );
const label1035 = (s: string) =>
  check(
    s,
    new RegExp(`^${DNS1035_LABEL}$`),
    63,
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
    DNS1035_LABEL,
    "'my-name', or 'abc-123'",
  );
/** generateName prefixes: a trailing '-' is allowed */
const prefix = (f: (s: string) => string[]) => (s: string) => f(s.endsWith('-') ? s.slice(0, -1) || 'a' : s);

function qualifiedName(s: string): string[] {
  const parts = s.split('/');
  const errs: string[] = [];
  let name = s;
  if (parts.length === 2) {
    if (parts[0] === '') errs.push('prefix part must be non-empty');
    else errs.push(...sub1123(parts[0]!).map((e) => `prefix part ${e}`));
    name = parts[1]!;
  } else if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character with an optional DNS subdomain prefix and '/' (e.g. 'MyName', 'my.name', or 'example.com/MyName')",
    ];
  }
  if (name === '') errs.push('name part must be non-empty');
  else
    errs.push(
      ...check(
        name,
        new RegExp(`^${QUALIFIED_NAME}$`),
        63,
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        QUALIFIED_NAME,
        "'MyName', or 'my.name', or '123-abc'",
      ),
    );
  return errs;
}

function labelValue(s: string): string[] {
  if (s === '') return [];
  return check(
    s,
    new RegExp(`^${QUALIFIED_NAME}$`),
    63,
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    `(${QUALIFIED_NAME})?`,
    "'MyValue', or 'my_value', or '12345'",
  );
}

export const FORMATS: Readonly<Record<string, (s: string) => string[]>> = {
  dns1123Label: label1123,
  dns1123Subdomain: sub1123,
  dns1035Label: label1035,
  qualifiedName,
  dns1123LabelPrefix: prefix(label1123),
  dns1123SubdomainPrefix: prefix(sub1123),
  dns1035LabelPrefix: prefix(label1035),
  labelValue,
  uri: (s) => (URL_.is(s) ? [] : ['invalid URI']),
  uuid: (s) =>
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s) ? [] : ['does not match the UUID format'],
  byte: (s) => (/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s) ? [] : ['invalid base64']),
  date: (s) => (/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ['invalid date']),
  datetime: (s) =>
    /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s))
      ? []
      : ['invalid datetime'],
};

export class Formatter {
  constructor(readonly name: string) {}
}
