/**
 * The Kubernetes minor version that introduced each CEL library and function, and the
 * compile error that says so when an expression uses one the target version lacks.
 */
import type { CompileResult } from './env.js';

/** The Kubernetes minor version that introduced each library (environment/base.go). */
export const LIBRARY_SINCE: Readonly<Record<string, number>> = {
  lists: 0,
  regex: 0,
  url: 0,
  quantity: 28,
  optionals: 28,
  strings: 29,
  sets: 29,
  ip: 30,
  cidr: 30,
  format: 31,
  twoVarComprehensions: 32,
  semver: 33,
  listsV3: 34,
};

/** Functions and identifiers → their library, to explain a compile error on an older target version. */
const FUNCTION_LIBRARY: Readonly<Record<string, string>> = {
  quantity: 'quantity',
  isQuantity: 'quantity',
  isInteger: 'quantity',
  asInteger: 'quantity',
  asApproximateFloat: 'quantity',
  sign: 'quantity',
  isLessThan: 'quantity',
  isGreaterThan: 'quantity',
  compareTo: 'quantity',
  charAt: 'strings',
  replace: 'strings',
  format: 'strings',
  quote: 'strings',
  strings: 'strings',
  sets: 'sets',
  ip: 'ip',
  isIP: 'ip',
  family: 'ip',
  isLoopback: 'ip',
  isUnspecified: 'ip',
  isGlobalUnicast: 'ip',
  isLinkLocalMulticast: 'ip',
  isLinkLocalUnicast: 'ip',
  cidr: 'cidr',
  isCIDR: 'cidr',
  containsIP: 'cidr',
  containsCIDR: 'cidr',
  prefixLength: 'cidr',
  masked: 'cidr',
  semver: 'semver',
  isSemver: 'semver',
  slice: 'listsV3',
  flatten: 'listsV3',
  distinct: 'listsV3',
  reverse: 'listsV3',
  sort: 'listsV3',
  major: 'semver',
  minor: 'semver',
  patch: 'semver',
};

/** Namespaces (`format.dns1123Label()`, `sets.contains()`, …) → their library. */
const IDENT_LIBRARY: Readonly<Record<string, string>> = { format: 'format', sets: 'sets', strings: 'strings', ip: 'ip', lists: 'listsV3' };

/**
 * Kubernetes CEL features this evaluator does not have: an expression that uses one is
 * reported as not evaluated (info), never as invalid.
 */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  transformMapEntry: 'transformMapEntry (Kubernetes 1.32)',
  sortBy: 'sortBy of the lists extension v3 (Kubernetes 1.34)',
  authorizer: 'the authorizer (no cluster offline)',
};

export function explainCompileError(msg: string, expression: string, minor: number): CompileResult {
  const names = [...msg.matchAll(/(?:^|[^\w])(\w+)\(/g)].map((m) => m[1]!);
  const ident = /Unknown variable: (\w+)/.exec(msg)?.[1];
  const twoVar =
    /\.\s*(all|exists|existsOne|exists_one|transformList|transformMap|transformMapEntry)\(\s*[A-Za-z_]\w*\s*,\s*[A-Za-z_]\w*\s*,/.test(
      expression,
    );
  if (twoVar && minor < LIBRARY_SINCE.twoVarComprehensions!)
    return { ok: false, error: `${msg}: two-variable comprehensions are available from Kubernetes 1.32, and the target is 1.${minor}` };
  // an unsupported macro (transformMapEntry) fails on its iteration variables, not on its name
  for (const m of expression.matchAll(/\.\s*(\w+)\s*\(/g)) {
    const u = UNSUPPORTED[m[1]!];
    if (u && m[1] !== 'authorizer') return { ok: false, unsupported: true, error: `${msg}: ${u} is not supported by k8s-gold's CEL` };
  }
  const candidates: [string, string | undefined][] = [
    ...names.map((n): [string, string | undefined] => [n, FUNCTION_LIBRARY[n]]),
    ...(ident ? [[ident, IDENT_LIBRARY[ident]] as [string, string | undefined]] : []),
  ];
  for (const [n, lib] of candidates) {
    const u = UNSUPPORTED[n];
    if (u) return { ok: false, unsupported: true, error: `${msg}: ${u} is not supported by k8s-gold's CEL` };
    if (lib && minor < LIBRARY_SINCE[lib]!)
      return {
        ok: false,
        error: `${msg}: the ${lib === 'listsV3' ? 'lists extension v3' : lib} library is available from Kubernetes 1.${LIBRARY_SINCE[lib]!}, and the target is 1.${minor}`,
      };
  }
  // where cel-js's type system or macros differ from cel-go's, an expression the API server accepts may not compile here
  if (/has\(\) invalid argument/.test(msg))
    return { ok: false, unsupported: true, error: `${msg}: has() on an indexed or computed operand is not supported by k8s-gold's CEL` };
  if (/overload/.test(msg) && /optional|null_type|\bnull\b/.test(msg))
    return { ok: false, unsupported: true, error: `${msg}: k8s-gold's CEL types optionals and null differently from the API server's` };
  if (/\.\?|\[\?|\boptional\./.test(expression)) {
    if (minor < LIBRARY_SINCE.optionals!)
      return {
        ok: false,
        error: `${msg}: optional types are available from Kubernetes 1.${LIBRARY_SINCE.optionals!}, and the target is 1.${minor}`,
      };
  }
  return { ok: false, error: msg };
}
