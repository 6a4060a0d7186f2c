/** The go-yaml v2 scanner port's types, character classes, escapes and messages shared by its layers. */

export interface Yaml11Error {
  offset: number;
  message: string;
}

export interface Yaml11Scan {
  /** the same-length rewrite, or undefined when nothing needs rewriting */
  text: string | undefined;
  /** go-yaml's value of each rewritten scalar, by the offset where the scalar starts */
  values: Map<number, string>;
  /** go-yaml scanner errors, at most one per document */
  errors: Yaml11Error[];
}

export interface SimpleKey {
  possible: boolean;
  /** went stale (line break or 1024 characters) before a ':' was found */
  stale: boolean;
  required: boolean;
  index: number;
  line: number;
  column: number;
}

export interface ScalarTok {
  start: number;
  end: number;
  line0: number;
  line1: number;
  value: string;
}

export class ScanError {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

export const isBreakC = (c: number): boolean => c === 10 || c === 13;
export const isBlankC = (c: number): boolean => c === 32 || c === 9;
/** blank, break, or end of input (NaN) */
export const isBlankzC = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || Number.isNaN(c);
export const isBreakzC = (c: number): boolean => c === 10 || c === 13 || Number.isNaN(c);
export const isAlphaC = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
export const isHexC = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

export const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  "'": "'",
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

export const TAB_INDENT = 'tabs are not allowed as indentation in YAML; indent with spaces';
export const TAG_URI_EXTRA = new Set(";/?:@&=+$,.!~*'()[]%".split('').map((c) => c.charCodeAt(0)));

export function lineOfTok(t: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = t.charCodeAt(i);
    if (c === 10 || (c === 13 && t.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}
