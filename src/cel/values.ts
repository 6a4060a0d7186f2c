/** The Kubernetes CEL value types `quantity()`, `url()` and `semver()` (k8s.io/apiserver/pkg/cel/library). */
import { addQuantity, compareQuantity, makeQuantity, parseQuantity, quantityToNumber, type Quantity } from '../util/quantity.js';
import { CelError } from './error.js';

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
