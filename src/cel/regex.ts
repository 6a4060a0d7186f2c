/** CEL's regular expressions (`matches`, `find`, `findAll`): RE2 semantics through re2js, compiled once per pattern, also in place of cel-js's own `matches`. */
import { RE2JS } from 're2js';
import { CelError } from './error.js';
import type { Environment } from '@marcbachmann/cel-js';

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

interface RegistryLike {
  functionCandidates(rec: boolean, name: string, argLen: number): { declarations: object[] };
}

/** Replaces cel-js's `string.matches` (JS RegExp: backtracking, other syntax) with RE2. */
export function useRe2ForMatches(env: Environment): void {
  let ev: { registry?: RegistryLike } | undefined;
  env.registerFunction('__k8s_gold_registry(): bool', function (this: { registry?: RegistryLike }) {
    ev = this;
    return true;
  });
  env.evaluate('__k8s_gold_registry()');
  const c = ev?.registry?.functionCandidates(true, 'matches', 1);
  if (!c || !Array.isArray(c.declarations) || c.declarations.length !== 1)
    throw new Error('cel: cannot install RE2 matches (unexpected @marcbachmann/cel-js internals)');
  c.declarations = c.declarations.map((d) => {
    const nd = Object.create(d) as object;
    Object.defineProperty(nd, 'handler', { value: (s: string, r: string) => reMatches(s, r) });
    return nd;
  });
}
