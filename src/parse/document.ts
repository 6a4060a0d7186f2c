/**
 * The parsed-document model shared by the two readers (the full parser in
 * parse.ts and the fast reader in fast.ts): the types of their output and the
 * primitives both use to build values the cluster's way. Neither reader
 * imports the other through this module, so there is no import cycle.
 */
import { ambiguity, resolveCore12, resolveV2, type Resolved } from './goyaml.js';
import type { PathSeg, SourceText, Span } from './source.js';
import type { SpanTape, TapeWriter } from './tape.js';

export interface Ambiguity {
  path: PathSeg[];
  /** true when the scalar is a mapping key */
  isKey: boolean;
  source: string;
  cluster: Resolved;
  yaml12: Resolved;
  span: Span;
}

export interface DuplicateKey {
  path: PathSeg[];
  key: string;
  span: Span;
  firstSpan: Span;
  /** the later value equals the earlier one (nothing is replaced: a template that writes an annotation twice) */
  same?: true;
}

export interface SyntaxProblem {
  message: string;
  code: string;
  start: number;
  end: number;
}

export interface ParsedDocument {
  /** 0-based index of the document in its file */
  index: number;
  value: unknown;
  /** false when the document has a syntax error; such a document is not linted */
  ok: boolean;
  rootSpan: Span;
  ambiguities: Ambiguity[];
  duplicateKeys: DuplicateKey[];
  /** true for an empty or comment-only document */
  empty: boolean;
  /** the document's root node in its file's span tape */
  node: number;
}

export interface ParseOutput {
  source: SourceText;
  documents: ParsedDocument[];
  /** syntax errors, with offsets; each makes its document not ok */
  errors: SyntaxProblem[];
  /** positions of every map entry and sequence item, walked by path (src/parse/tape.ts) */
  spans: SpanTape;
  /** true when the fast reader (src/parse/fast.ts) read the file: fixes are then computed from the tape (src/fix/tape-edit.ts) */
  fast?: boolean;
}

export interface ParseOptions {
  /** Most nodes one document may expand to through aliases (billion-laughs guard). */
  maxExpandedNodes?: number;
  /** Deepest nesting allowed. */
  maxDepth?: number;
  /** Treat the input as JSON and check it with JSON's grammar too. */
  json?: boolean;
  /** Read plain scalars with the YAML 1.2 core schema (for k8s-gold's own config files), not as the cluster does. */
  core12?: boolean;
  /**
   * Try the fast reader for the common subset of YAML first (src/parse/fast.ts); it falls back to the
   * full parser for anything else. Default: on, unless the environment has K8S_GOLD_FAST_PARSE=0.
   */
  fast?: boolean;
}

const AMBIGUOUS_FIRST = new Set('yYnNoO0123456789+-.'.split(''));

/** strings `shared` has seen, each its own value (bounded: the first ones a run reads are its common words) */
const SHARED = new Map<string, string>();
const SHARED_MAX = 8192;

/**
 * One string for every copy of a short value: V8 copies a substring shorter than 13 characters (a longer one
 * is a slice of the file's text, which the values keep anyway), so the same word read in every object
 * (`http`, `TCP`, `apps/v1`, `/healthz`) was 32 bytes per occurrence: about 10 MB of 20,000 resources.
 */
function shared(s: string): string {
  if (s.length >= 13) return s;
  const hit = SHARED.get(s);
  if (hit !== undefined) return hit;
  if (SHARED.size < SHARED_MAX) SHARED.set(s, s);
  return s;
}

/**
 * The value of an untagged plain scalar (cluster reading, or YAML 1.2 core with core12),
 * recording an ambiguity when the two readings differ. Shared by the Walker and the fast parser.
 */
export function plainScalar(
  raw: string,
  isKey: boolean,
  path: PathSeg[],
  vs: number,
  ve: number,
  ambiguities: Ambiguity[],
  core12: boolean,
): unknown {
  if (core12) return resolveCore12(raw).value;
  const quick = quickPlain(raw);
  if (quick !== undefined) return quick === raw && !isKey ? shared(raw) : quick;
  const r = resolveV2(raw);
  if (raw.length > 0 && AMBIGUOUS_FIRST.has(raw[0]!)) {
    const alt = ambiguity(raw, r);
    if (alt) {
      ambiguities.push({
        path: path.slice(),
        isKey,
        source: raw,
        cluster: r,
        yaml12: alt,
        span: { ks: -1, ke: -1, vs, ve },
      });
    }
  }
  return r.value;
}

/**
 * The value of the plain scalars that need no resolution table, without allocating: words that are
 * not in the null or boolean tables and do not start like a number (most keys and values), `true`/`false`
 * spellings, decimal integers without a sign or a leading zero and of at most 15 digits (exact as a
 * double; YAML 1.1 and 1.2 read them alike), and words that start with a digit but cannot be a number. undefined: resolveV2 decides. Gives resolveV2(raw).value.
 */
/** The null and YAML 1.1 boolean words that start with y, n or o (goyaml.ts's tables). */
const YAML11_WORDS = new Set([
  'null',
  'Null',
  'NULL',
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'on',
  'On',
  'ON',
  'off',
  'Off',
  'OFF',
]);

/** The characters of the numbers either reading accepts after a digit: digits, signs, `.`, `_`, exponents, `0x`/`0o`/`0b` and hex digits. */
const NUMERIC = new Uint8Array(128);
for (const ch of '0123456789+-._eExXoObBaAcCdDfF') NUMERIC[ch.charCodeAt(0)] = 1;

function quickPlain(raw: string): unknown {
  const n = raw.length;
  if (n === 0) return undefined;
  const c = raw.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    // a digit: a decimal integer when every character is a digit (1-9 first: 0644 is octal); a string in both
    // readings when a character cannot be part of any number (100m, 256Mi, 1Gi, 30s)
    let digits = true;
    for (let i = 1; i < n; i++) {
      const d = raw.charCodeAt(i);
      if (d >= 48 && d <= 57) continue;
      digits = false;
      if (d > 0x7f || !NUMERIC[d]) return raw;
    }
    return digits && c !== 48 && n <= 15 ? Number(raw) : undefined;
  }
  switch (c) {
    case 0x74 /* t */:
    case 0x54 /* T */:
      return raw === 'true' || raw === 'True' || raw === 'TRUE' ? true : raw;
    case 0x66 /* f */:
    case 0x46 /* F */:
      return raw === 'false' || raw === 'False' || raw === 'FALSE' ? false : raw;
    case 0x79 /* y */:
    case 0x59 /* Y */:
    case 0x6e /* n */:
    case 0x4e /* N */:
    case 0x6f /* o */:
    case 0x4f /* O */:
      // any other word starting with these letters is a string in both readings
      return YAML11_WORDS.has(raw) ? undefined : raw;
    // the first characters of the other null, number and ambiguous readings
    case 0x2b /* + */:
    case 0x2d /* - */:
    case 0x2e /* . */:
    case 0x7e /* ~ */:
      return undefined;
    default:
      return raw;
  }
}

/**
 * Stores one map entry, whose tape node `node` (a child of the map's node `parent`) is closed,
 * recording a duplicate key (the later value wins). Shared by the Walker and the fast parser.
 */
export function addEntry(
  obj: Record<string, unknown>,
  tape: TapeWriter,
  parent: number,
  node: number,
  key: string,
  value: unknown,
  path: PathSeg[],
  duplicateKeys: DuplicateKey[],
): void {
  if (Object.prototype.hasOwnProperty.call(obj, key)) {
    const prev = tape.replace(parent, node, key);
    if (prev) {
      const d: DuplicateKey = { path: path.slice(), key, span: tape.spanOf(node), firstSpan: prev };
      if (sameValue(obj[key], value)) d.same = true;
      duplicateKeys.push(d);
    }
  }
  setKey(obj, key, value);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** sigs.k8s.io/yaml's conversion of a non-string key to a JSON object key. */
export function keyToString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null) return 'null';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (v === Infinity) return '.inf';
    if (v === -Infinity) return '-.inf';
    return String(v);
  }
  return String(v);
}
