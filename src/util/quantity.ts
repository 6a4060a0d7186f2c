/**
 * Exact Kubernetes `resource.Quantity` parsing.
 *
 * Values are kept as reduced BigInt rationals (`num / den`, `den > 0`), so
 * nothing here ever goes through floating point except the explicitly
 * approximate {@link quantityToNumber}.
 *
 * Grammar (k8s.io/apimachinery/pkg/api/resource/quantity.go):
 *
 *   <quantity>        ::= <signedNumber><suffix>
 *   <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *   <signedNumber>    ::= <number> | <sign><number>
 *   <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
 *   <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
 *   <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
 *                         (n and u come from suffix.go, not the doc comment)
 *   <decimalExponent> ::= "e" <signedInteger> | "E" <signedInteger>
 *
 * Deliberate differences from apimachinery's hand-written scanner, which is
 * laxer than its own grammar:
 *  - apimachinery accepts digit-less numbers such as "Gi", ".", "-", "+k"
 *    and silently reads them as zero. We reject them (almost surely typos).
 *  - apimachinery rounds values up to 1n precision (0.1n -> 1n) and caps
 *    DecimalSI/BinarySI values at 2^63-1. We keep the exact written value.
 *  - Decimal exponents are limited to |exponent| <= MAX_EXPONENT, and inputs
 *    to 4096 characters, so that a hostile input such as "1e999999999"
 *    cannot allocate a gigantic BigInt.
 *
 * Like `Quantity.UnmarshalJSON`, leading/trailing whitespace (Go's
 * `strings.TrimSpace` set) is ignored; inner whitespace ("1 Gi") is not.
 */
import { memoizeString } from './memo.js';

/** An exact quantity: value = num / den, with den > 0 and gcd(num, den) = 1. */
export interface Quantity {
  num: bigint;
  den: bigint;
  /** The text the quantity was parsed from (trimmed), or a canonical rendering. */
  text: string;
}

/** Largest accepted |exponent| of a decimal-exponent suffix (e.g. `1e1000`). */
export const MAX_EXPONENT = 1000;

/** Longest accepted input, in UTF-16 code units (protects against huge BigInts). */
const MAX_INPUT_LENGTH = 4096;

const BINARY_SUFFIXES: Readonly<Record<string, bigint>> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Characters removed by Go's `strings.TrimSpace` (Unicode White_Space).
 * Not JS `\s`: Go does not treat U+FEFF as space but does treat U+0085 as one.
 */
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const TRIM_RE = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'g');

/** sign, integer digits, optional "." + fraction digits, suffix (anything else). */
const NUMBER_RE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/s;
const EXPONENT_RE = /^[eE]([+-]?[0-9]+)$/;

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

function reduce(num: bigint, den: bigint): { num: bigint; den: bigint } {
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  if (num === 0n) return { num: 0n, den: 1n };
  const g = gcd(num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

function parseQuantityString(raw: string): Quantity | null {
  if (raw.length > MAX_INPUT_LENGTH) return null;
  const text = raw.replace(TRIM_RE, '');
  if (text === '') return null;
  const m = NUMBER_RE.exec(text);
  if (!m) return null;
  const sign = m[1] ?? '';
  const intDigits = m[2] ?? '';
  const fracDigits = m[3] ?? '';
  const suffix = m[4] ?? '';
  if (intDigits.length + fracDigits.length === 0) return null;

  let num = BigInt(intDigits + fracDigits); // only ASCII digits: cannot throw
  let den = 10n ** BigInt(fracDigits.length);
  if (hasOwn(BINARY_SUFFIXES, suffix)) {
    num *= BINARY_SUFFIXES[suffix] as bigint;
  } else {
    let exp: number;
    if (hasOwn(DECIMAL_SUFFIXES, suffix)) {
      exp = DECIMAL_SUFFIXES[suffix] as number;
    } else {
      const e = EXPONENT_RE.exec(suffix);
      if (!e) return null;
      exp = Number(e[1]);
      if (!Number.isSafeInteger(exp) || Math.abs(exp) > MAX_EXPONENT) return null;
    }
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den *= 10n ** BigInt(-exp);
  }
  if (sign === '-') num = -num;
  const r = reduce(num, den);
  return { num: r.num, den: r.den, text };
}

/**
 * Parses a Kubernetes quantity. Accepts strings and finite JS numbers (YAML
 * scalars like `0.5`, `2`, `1e3`; the number is rendered with `String(n)`,
 * which is the shortest round-trip form and thus what the YAML said in
 * practice) and bigints. Returns null for anything invalid; never throws.
 */
export function parseQuantity(input: unknown): Quantity | null {
  if (typeof input === 'string') return parseQuantityString(input);
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return null;
    return parseQuantityString(String(input)); // String(-0) === "0"
  }
  if (typeof input === 'bigint') return parseQuantityString(input.toString());
  return null;
}

const parseSharedString = memoizeString((s: string) => {
  const q = parseQuantityString(s);
  return q && Object.freeze(q);
});

/**
 * parseQuantity for the built-in rules: a string is parsed once per run (resource values recur across objects),
 * and the quantity is shared, so it is frozen: read it, never change it.
 */
export function parseQuantityShared(input: unknown): Readonly<Quantity> | null {
  return typeof input === 'string' ? parseSharedString(input) : parseQuantity(input);
}

/** Builds a quantity from an exact rational (den must be non-zero). */
export function makeQuantity(num: bigint, den: bigint = 1n): Quantity | null {
  if (den === 0n) return null;
  const r = reduce(num, den);
  const q: Quantity = { num: r.num, den: r.den, text: '' };
  q.text = describeQuantity(q, 'decimal');
  return q;
}

/** Exact three-way comparison. */
export function compareQuantity(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Exact equality of values (ignores `text`). */
export function quantityEquals(a: Quantity, b: Quantity): boolean {
  return compareQuantity(a, b) === 0;
}

/** Exact sum; the result's text is a canonical decimal rendering. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  const r = reduce(a.num * b.den + b.num * a.den, a.den * b.den);
  const q: Quantity = { num: r.num, den: r.den, text: '' };
  q.text = describeQuantity(q, isBinaryText(a.text) && isBinaryText(b.text) ? 'binary' : 'decimal');
  return q;
}

/** Smallest integer >= value (e.g. CPU "1500m" -> 2n, "-1.5" -> -1n). */
export function ceilQuantity(q: Quantity): bigint {
  if (q.den === 0n) return 0n; // not a valid Quantity; avoid throwing
  const t = q.num / q.den; // truncates toward zero
  const exact = t * q.den === q.num;
  const positive = q.num > 0n === q.den > 0n;
  return !exact && positive ? t + 1n : t;
}

/** Largest integer <= value (e.g. "1500m" -> 1n, "-1.5" -> -2n). */
export function floorQuantity(q: Quantity): bigint {
  return -ceilQuantity({ num: -q.num, den: q.den, text: q.text });
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : abs(n).toString(2).length;
}

/** Approximate value as a JS number, for messages and heuristics only. */
export function quantityToNumber(q: Quantity): number {
  let { num, den } = q;
  if (den === 0n) return Number.NaN;
  // Scale both down so that Number() neither overflows nor loses everything.
  const excess = Math.max(bitLength(num), bitLength(den)) - 1000;
  if (excess > 0) {
    const shift = BigInt(excess);
    num >>= shift;
    den >>= shift;
    if (den === 0n) return num === 0n ? 0 : num > 0n ? Infinity : -Infinity;
  }
  return Number(num) / Number(den);
}

function isBinaryText(text: string): boolean {
  return /[KMGTPE]i$/.test(text);
}

const BINARY_ORDER = ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const;
const DECIMAL_ORDER: ReadonlyArray<readonly [string, number]> = [
  ['E', 18],
  ['P', 15],
  ['T', 12],
  ['G', 9],
  ['M', 6],
  ['k', 3],
  ['', 0],
  ['m', -3],
  ['u', -6],
  ['n', -9],
];

/** Exact positional decimal rendering of num/den when den is of the form 2^a*5^b. */
function exactDecimal(num: bigint, den: bigint): string {
  let twos = 0n;
  let fives = 0n;
  let d = den;
  while (d % 2n === 0n) {
    d /= 2n;
    twos++;
  }
  while (d % 5n === 0n) {
    d /= 5n;
    fives++;
  }
  if (d !== 1n) return `${num}/${den}`;
  const digits = twos > fives ? twos : fives;
  const scaled = abs(num) * (10n ** digits / den);
  let s = scaled.toString();
  const n = Number(digits);
  if (n > 0) {
    s = s.padStart(n + 1, '0');
    s = `${s.slice(0, s.length - n)}.${s.slice(s.length - n)}`.replace(/\.?0+$/, '');
  }
  return (num < 0n ? '-' : '') + s;
}

/**
 * Canonical-looking text for a quantity, in the spirit of apimachinery's
 * canonical form: the largest suffix that keeps the mantissa an integer.
 * `style` 'auto' uses binary suffixes when `q.text` did; binary rendering
 * falls back to decimal when the value is not an integer multiple of 1024.
 * Examples: 1610612736 (binary) -> "1536Mi", 0.5 -> "500m", 2000 -> "2k".
 */
export function describeQuantity(q: Quantity, style: 'auto' | 'binary' | 'decimal' = 'auto'): string {
  const { num, den } = q;
  if (den <= 0n) return `${num}/${den}`;
  if (num === 0n) return '0';
  const binary = style === 'binary' || (style === 'auto' && isBinaryText(q.text));
  if (binary && den === 1n) {
    for (const s of BINARY_ORDER) {
      const m = BINARY_SUFFIXES[s] as bigint;
      if (num % m === 0n) return `${num / m}${s}`;
    }
  }
  for (const [s, e] of DECIMAL_ORDER) {
    const n = e >= 0 ? num : num * 10n ** BigInt(-e);
    const d = e >= 0 ? den * 10n ** BigInt(e) : den;
    if (n % d === 0n) return `${n / d}${s}`;
  }
  return exactDecimal(num, den);
}
