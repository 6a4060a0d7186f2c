/**
 * Go runtime string formats that show up in Kubernetes manifests:
 *
 *  - `time.ParseDuration` (metav1.Duration fields, many controller flags,
 *    env vars of Go programs), see {@link parseGoDuration}.
 *  - the `GOMEMLIMIT` environment variable, see {@link parseGoMemLimit}.
 *
 * Both are faithful ports of the Go standard library / runtime code (Go 1.19+),
 * including its overflow checks and quirks, so that "valid here" means
 * "accepted by Go". Nothing here throws.
 */
import { memoizeString } from './memo.js';

const MAX_U63 = 1n << 63n; // Go: 1<<63 (as uint64)
const MAX_INT64 = MAX_U63 - 1n;

/** Nanoseconds per unit; Go's time.unitMap. */
const UNIT_NS: ReadonlyMap<string, bigint> = new Map<string, bigint>([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // U+00B5 MICRO SIGN
  ['\u03bcs', 1_000n], // U+03BC GREEK SMALL LETTER MU
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Exact port of Go's `time.ParseDuration` (src/time/format.go), returning
 * nanoseconds as a bigint in the int64 range, or null where Go returns an error.
 *
 * Grammar: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, units ns, us, µs (U+00B5 or
 * U+03BC), ms, s, m, h; the bare strings "0", "+0", "-0" need no unit.
 * Notable consequences: "00", "10" and "1d" are invalid; ".5s", "5.s",
 * "1h1h" and "+5s" are valid; fractions are converted the way Go does it
 * (through float64, truncated), so results match Go bit for bit.
 */
export function parseGoDurationNs(input: unknown): bigint | null {
  if (typeof input !== 'string') return null;
  let s = input;
  let d = 0n;
  let neg = false;

  if (s !== '') {
    const c = s[0];
    if (c === '-' || c === '+') {
      neg = c === '-';
      s = s.slice(1);
    }
  }
  if (s === '0') return 0n;
  if (s === '') return null;

  while (s !== '') {
    let v = 0n;
    let f = 0n;
    let scale = 1; // float64 in Go

    // The next character must be [0-9.]
    if (!(s[0] === '.' || isDigit(s[0]))) return null;

    // leadingInt: consume [0-9]*, failing on overflow.
    let i = 0;
    for (; i < s.length && isDigit(s[i]); i++) {
      if (v > MAX_U63 / 10n) return null;
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > MAX_U63) return null;
    }
    const pre = i > 0;
    s = s.slice(i);

    // leadingFraction: consume (\.[0-9]*)?, ignoring digits past overflow.
    let post = false;
    if (s !== '' && s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      for (; j < s.length && isDigit(s[j]); j++) {
        if (overflow) continue;
        if (f > (MAX_U63 - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(s.charCodeAt(j) - 48);
        if (y > MAX_U63) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) return null; // no digits, e.g. ".s" or "-.s"

    // Consume unit: everything up to the next '.' or digit.
    let k = 0;
    for (; k < s.length; k++) {
      const c = s[k];
      if (c === '.' || isDigit(c)) break;
    }
    if (k === 0) return null; // missing unit
    const unit = UNIT_NS.get(s.slice(0, k));
    s = s.slice(k);
    if (unit === undefined) return null; // unknown unit

    if (v > MAX_U63 / unit) return null;
    v *= unit;
    if (f > 0n) {
      // Go: v += uint64(float64(f) * (float64(unit) / scale))
      // Number(bigint) rounds to nearest-even like Go's uint64->float64.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > MAX_U63) return null;
    }
    d += v;
    if (d > MAX_U63) return null;
  }
  if (neg) return -d;
  if (d > MAX_INT64) return null;
  return d;
}

/**
 * Go `time.ParseDuration`, in milliseconds (fractional for sub-millisecond
 * values, e.g. "1500us" -> 1.5). Returns null where Go returns an error.
 * Use {@link parseGoDurationNs} when exactness matters.
 */
export function parseGoDuration(input: unknown): number | null {
  if (typeof input !== 'string') return null;
  return durationMs(input);
}

/** per string: the same few durations recur across objects */
const durationMs = memoizeString((input): number | null => {
  const ns = parseGoDurationNs(input);
  return ns === null ? null : Number(ns) / 1e6 || 0; // normalise -0
});

/** Result of interpreting a GOMEMLIMIT value. */
export type GoMemLimit = { kind: 'bytes'; bytes: bigint } | { kind: 'off' } | { kind: 'invalid'; reason: string };

/**
 * Port of the Go runtime's `atoi64` (src/runtime/string.go). Quirk kept on
 * purpose: a lone "-" parses as 0 and "-0" as 0, because the runtime strips
 * the sign before checking for digits.
 */
function runtimeAtoi64(s: string): bigint | null {
  if (s === '') return null;
  let neg = false;
  if (s[0] === '-') {
    neg = true;
    s = s.slice(1);
  }
  let un = 0n;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (!isDigit(c)) return null;
    un = un * 10n + BigInt(s.charCodeAt(i) - 48);
    if (un > MAX_U63) return null; // beyond any int64 magnitude; stop early
  }
  if (!neg && un > MAX_INT64) return null;
  if (neg && un > MAX_U63) return null;
  return neg ? -un : un;
}

/**
 * Port of the Go runtime's `parseByteCount` (src/runtime/string.go), whose
 * documented form is `^[0-9]+(([KMGT]i)?B)?$`: an integer byte count with an
 * optional suffix B, KiB, MiB, GiB or TiB. No decimals, no decimal-SI units
 * (KB, MB, GB), no Kubernetes-style "Mi"/"Gi", no PiB, no spaces, case-sensitive.
 */
function runtimeParseByteCount(s: string): bigint | null {
  if (s === '') return null;
  const last = s[s.length - 1];
  if (isDigit(last)) {
    const n = runtimeAtoi64(s);
    return n === null || n < 0n ? null : n;
  }
  // Failing a trailing digit, this must always end in 'B', with at least
  // one character before it.
  if (last !== 'B' || s.length < 2) return null;
  const c = s[s.length - 2];
  if (isDigit(c)) {
    const n = runtimeAtoi64(s.slice(0, -1));
    return n === null || n < 0n ? null : n;
  }
  if (c !== 'i') return null;
  if (s.length < 4) return null;
  let power: bigint;
  switch (s[s.length - 3]) {
    case 'K':
      power = 1n;
      break;
    case 'M':
      power = 2n;
      break;
    case 'G':
      power = 3n;
      break;
    case 'T':
      power = 4n;
      break;
    default:
      return null;
  }
  const m = 1024n ** power;
  const n = runtimeAtoi64(s.slice(0, -3));
  if (n === null || n < 0n) return null;
  const un = n * m;
  if (un > MAX_INT64) return null; // Go: overflow checks against maxInt64
  return un;
}

/**
 * Interprets a GOMEMLIMIT value the way the Go runtime does at start-up
 * (`readGOMEMLIMIT` in src/runtime/mgcpacer.go, Go 1.19+):
 *
 *   p := gogetenv("GOMEMLIMIT")
 *   if p == "" || p == "off" { return maxInt64 }      // no limit
 *   n, ok := parseByteCount(p)
 *   if !ok { throw("malformed GOMEMLIMIT; see `go doc runtime/debug.SetMemoryLimit`") }
 *
 * So: "" and "off" (exactly, case-sensitive, no trimming) mean no limit;
 * anything parseByteCount rejects makes the Go process crash at start-up.
 * Examples: "512MiB" -> 536870912, "1GiB" -> 1073741824, "1073741824" and
 * "1073741824B" -> 1073741824; "1GB", "1Gi", "1.5GiB", "1 GiB", "OFF" are invalid.
 * A value of 9223372036854775807 (maxInt64) is what "off" means internally;
 * it is reported as bytes, not as 'off'.
 */
export function parseGoMemLimit(input: unknown): GoMemLimit {
  if (typeof input !== 'string') return { kind: 'invalid', reason: 'GOMEMLIMIT must be a string' };
  if (input === '' || input === 'off') return { kind: 'off' };
  const n = runtimeParseByteCount(input);
  if (n === null) {
    return {
      kind: 'invalid',
      reason:
        'GOMEMLIMIT must be "off" or a non-negative integer byte count with an optional ' +
        'B, KiB, MiB, GiB or TiB suffix (e.g. 512MiB); the Go runtime aborts on anything else',
    };
  }
  return { kind: 'bytes', bytes: n };
}
