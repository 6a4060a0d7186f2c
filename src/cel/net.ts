/** The Kubernetes CEL `ip()` and `cidr()` values (k8s.io/apiserver/pkg/cel/library/ip.go, cidr.go). */
import { CelError } from './error.js';

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
