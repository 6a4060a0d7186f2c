/**
 * Plain-scalar resolution as the cluster reads YAML.
 *
 * kubectl and the API server decode YAML through sigs.k8s.io/yaml, which
 * unmarshals with go-yaml v2 (a YAML 1.1 reader) into interface{} and then
 * converts to JSON. This module reproduces go-yaml v2's `resolve()` for
 * untagged plain scalars, value by value:
 *
 * - the resolve table: `~ null Null NULL` and the empty scalar are null;
 *   `y Y yes Yes YES on On ON true True TRUE` are true and
 *   `n N no No NO off Off OFF false False FALSE` are false;
 *   `.inf .Inf .INF` (with + or -) and `.nan .NaN .NAN` are floats;
 * - a scalar starting with a digit or a sign is tried, with every `_`
 *   removed, as Go's `strconv.ParseInt(s, 0, 64)` (so `0644` is octal 420,
 *   `0x1F` hex, `0b101` binary, `0o17` octal), then `ParseUint`, then as a
 *   YAML-style float `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`;
 * - a scalar starting with `.` is tried as a Go float;
 * - timestamps stay strings (go-yaml v2 keeps them as strings when the
 *   target is interface{}), and there is no sexagesimal (`22:22` is a string);
 * - everything else is a string.
 *
 * It also gives the YAML 1.2 core-schema reading, which editors, yq, and most
 * non-Go tooling use, so that the two readings can be compared
 * (rule `ambiguous-yaml-value`).
 */

export type ScalarKind = 'null' | 'bool' | 'int' | 'float' | 'str';

export interface Resolved {
  kind: ScalarKind;
  value: null | boolean | number | string;
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUE_V2 = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE_V2 = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NAN = new Set(['.nan', '.NaN', '.NAN']);
const POS_INF = new Set(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']);
const NEG_INF = new Set(['-.inf', '-.Inf', '-.INF']);

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64) on a string without underscores. */
function goParseInt(s: string, allowSign: boolean): bigint | null {
  let i = 0;
  let neg = false;
  if (allowSign && (s[0] === '+' || s[0] === '-')) {
    neg = s[0] === '-';
    i = 1;
  }
  let body = s.slice(i);
  if (body === '') return null;
  let re: RegExp;
  let prefix = '';
  if (/^0[xX]/.test(body)) {
    prefix = '0x';
    body = body.slice(2);
    re = /^[0-9a-fA-F]+$/;
  } else if (/^0[bB]/.test(body)) {
    prefix = '0b';
    body = body.slice(2);
    re = /^[01]+$/;
  } else if (/^0[oO]/.test(body)) {
    prefix = '0o';
    body = body.slice(2);
    re = /^[0-7]+$/;
  } else if (body.length > 1 && body[0] === '0') {
    prefix = '0o';
    body = body.slice(1);
    re = /^[0-7]+$/;
  } else {
    re = /^[0-9]+$/;
  }
  if (!re.test(body)) return null;
  let v = BigInt(prefix + body);
  if (neg) v = -v;
  return v;
}

function bigToNumber(v: bigint): number {
  return Number(v);
}

/** go-yaml v2 reading of an untagged plain scalar. */
export function resolveV2(src: string): Resolved {
  if (NULLS.has(src)) return { kind: 'null', value: null };
  const c = src.charCodeAt(0);
  // 'M' hints and map lookups
  if (TRUE_V2.has(src)) return { kind: 'bool', value: true };
  if (FALSE_V2.has(src)) return { kind: 'bool', value: false };
  if (c === 46 /* . */) {
    if (NAN.has(src)) return { kind: 'float', value: NaN };
    if (POS_INF.has(src)) return { kind: 'float', value: Infinity };
    if (GO_DOT_FLOAT.test(src)) return { kind: 'float', value: Number(src) };
    return { kind: 'str', value: src };
  }
  const isDigit = c >= 48 && c <= 57;
  if (isDigit || c === 43 /* + */ || c === 45 /* - */) {
    if (POS_INF.has(src)) return { kind: 'float', value: Infinity };
    if (NEG_INF.has(src)) return { kind: 'float', value: -Infinity };
    const plain = src.indexOf('_') >= 0 ? src.replace(/_/g, '') : src;
    const iv = goParseInt(plain, true);
    if (iv !== null && iv >= INT64_MIN && iv <= INT64_MAX) return { kind: 'int', value: bigToNumber(iv) };
    const uv = goParseInt(plain, false);
    if (uv !== null && uv >= 0n && uv <= UINT64_MAX) return { kind: 'int', value: bigToNumber(uv) };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = Number(plain);
      if (Number.isFinite(f)) return { kind: 'float', value: f };
      // Go's ParseFloat reports ErrRange for overflow; go-yaml then falls through to string.
    }
    return { kind: 'str', value: src };
  }
  return { kind: 'str', value: src };
}

const CORE_INT_DEC = /^[-+]?[0-9]+$/;
const CORE_INT_OCT = /^0o[0-7]+$/;
const CORE_INT_HEX = /^0x[0-9a-fA-F]+$/;
const CORE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** YAML 1.2 core-schema reading of an untagged plain scalar. */
export function resolveCore12(src: string): Resolved {
  if (NULLS.has(src)) return { kind: 'null', value: null };
  if (src === 'true' || src === 'True' || src === 'TRUE') return { kind: 'bool', value: true };
  if (src === 'false' || src === 'False' || src === 'FALSE') return { kind: 'bool', value: false };
  if (CORE_INT_DEC.test(src)) return { kind: 'int', value: Number(src) };
  if (CORE_INT_OCT.test(src)) return { kind: 'int', value: parseInt(src.slice(2), 8) };
  if (CORE_INT_HEX.test(src)) return { kind: 'int', value: parseInt(src.slice(2), 16) };
  if (CORE_FLOAT.test(src)) return { kind: 'float', value: Number(src) };
  if (NAN.has(src)) return { kind: 'float', value: NaN };
  if (POS_INF.has(src)) return { kind: 'float', value: Infinity };
  if (NEG_INF.has(src)) return { kind: 'float', value: -Infinity };
  return { kind: 'str', value: src };
}

function sameReading(a: Resolved, b: Resolved): boolean {
  const numA = a.kind === 'int' || a.kind === 'float';
  const numB = b.kind === 'int' || b.kind === 'float';
  if (numA && numB) return Object.is(a.value, b.value) || a.value === b.value;
  return a.kind === b.kind && Object.is(a.value, b.value);
}

/**
 * Returns the YAML 1.2 reading when it differs from the cluster's (go-yaml v2)
 * reading of the same plain scalar, else undefined. Cheap for the common case:
 * plain words that both read as strings.
 */
export function ambiguity(src: string, v2: Resolved): Resolved | undefined {
  const core = resolveCore12(src);
  return sameReading(v2, core) ? undefined : core;
}

/** Resolution for an explicitly tagged scalar (`!!int "3"`), as go-yaml v2 does. */
export function resolveTagged(tag: string, src: string, plain: boolean): Resolved | { error: string } {
  const short = tag.startsWith('tag:yaml.org,2002:') ? tag.slice('tag:yaml.org,2002:'.length) : tag;
  switch (short) {
    case 'str':
    case 'binary':
    case 'timestamp':
      return { kind: 'str', value: src };
    case 'null': {
      const r = resolveV2(src);
      return r.kind === 'null' ? r : { error: `cannot decode ${JSON.stringify(src)} as !!null` };
    }
    case 'bool': {
      const r = resolveV2(src);
      return r.kind === 'bool' ? r : { error: `cannot decode ${JSON.stringify(src)} as !!bool` };
    }
    case 'int': {
      const r = resolveV2(src);
      return r.kind === 'int' ? r : { error: `cannot decode ${JSON.stringify(src)} as !!int` };
    }
    case 'float': {
      const r = resolveV2(src);
      if (r.kind === 'float' || r.kind === 'int') return { kind: 'float', value: r.value as number };
      return { error: `cannot decode ${JSON.stringify(src)} as !!float` };
    }
    default:
      // Unknown (local) tags: go-yaml v2 resolves the scalar as if untagged.
      return plain ? resolveV2(src) : { kind: 'str', value: src };
  }
}

export function describeResolved(r: Resolved): string {
  switch (r.kind) {
    case 'null':
      return 'null';
    case 'bool':
      return `the boolean ${String(r.value)}`;
    case 'int':
      return `the integer ${String(r.value)}`;
    case 'float':
      return `the number ${String(r.value)}`;
    case 'str':
      return `the string ${JSON.stringify(r.value)}`;
  }
}
