/**
 * CEL as the Kubernetes API server runs it (k8s.io/apiserver/pkg/cel/environment):
 * @marcbachmann/cel-js for the language, RE2 (re2js) for regular expressions,
 * the Kubernetes libraries of libs.ts, each registered only when the target
 * Kubernetes version has it, and a cost budget per evaluation so that a
 * hostile expression ends with a finding instead of hanging the run.
 */
import { Environment, Optional } from '@marcbachmann/cel-js';
import { HAS_FUNCTION, rewriteHas } from './has-rewrite.js';
import { registerTwoVarComprehensions } from './two-var.js';
import {
  CIDR,
  CelError,
  FORMATS,
  Formatter,
  IP,
  Quantity_,
  Semver,
  URL_,
  lists,
  reFind,
  reFindAll,
  reMatches,
  sets,
  strings,
} from './libs.js';

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

/** Evaluation budget: CEL steps (AST nodes evaluated, comprehension iterations included) and wall time. */
export interface Budget {
  /** the API server's per-expression runtime cost limit is 1,000,000 */
  maxSteps: number;
  maxMillis: number;
}
export const DEFAULT_BUDGET: Budget = { maxSteps: 1_000_000, maxMillis: 1000 };

interface Meter {
  steps: number;
  maxSteps: number;
  deadline: number;
  exceeded?: 'steps' | 'time';
}
let meter: Meter | undefined;

class BudgetExceeded extends Error {}

let meterInstalled = false;
/**
 * Counts every evaluation step: cel-js evaluates each AST node (and each comprehension
 * iteration's step) through Evaluator.prototype.run; the prototype is reached through
 * `this` of a function handler. Once over budget, every further step throws, so the
 * evaluation unwinds even through error-absorbing `all`/`exists`.
 */
function installMeter(): void {
  if (meterInstalled) return;
  let ev: object | undefined;
  const probe = new Environment();
  probe.registerFunction('__k8s_gold_probe(): bool', function (this: object) {
    ev = this;
    return true;
  });
  probe.evaluate('__k8s_gold_probe()');
  const proto = ev && (Object.getPrototypeOf(ev) as { run?: unknown });
  if (!proto || typeof proto.run !== 'function')
    throw new Error('cel: cannot install the evaluation budget (unexpected @marcbachmann/cel-js internals)');
  (proto as { run: (ast: { evaluate: (ev: unknown, ast: unknown, ctx: unknown) => unknown }, ctx: unknown) => unknown }).run = function (
    ast,
    ctx,
  ) {
    const m = meter;
    if (m) {
      if (m.exceeded) throw new BudgetExceeded();
      if (++m.steps > m.maxSteps) {
        m.exceeded = 'steps';
        throw new BudgetExceeded();
      }
      if ((m.steps & 1023) === 0 && performance.now() > m.deadline) {
        m.exceeded = 'time';
        throw new BudgetExceeded();
      }
    }
    return ast.evaluate(this, ast, ctx);
  };
  meterInstalled = true;
}

interface RegistryLike {
  functionCandidates(rec: boolean, name: string, argLen: number): { declarations: object[] };
}

/** Replaces cel-js's `string.matches` (JS RegExp: backtracking, other syntax) with RE2. */
function useRe2ForMatches(env: Environment): void {
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

class SetsNS {}
class ListsNS {}
class StringsNS {}
class FormatNS {}
class IPNS {}

function wrap<A extends unknown[], R>(fn: (...a: A) => R): (...a: A) => R {
  return (...a: A) => {
    try {
      return fn(...a);
    } catch (e) {
      if (e instanceof CelError) throw new Error(e.message);
      throw e;
    }
  };
}

/** The variables an expression may use (all dynamically typed, as `object` is in the API server). */
export type VariableSet = readonly string[];

const envs = new Map<string, Environment>();

/** The CEL environment of a Kubernetes minor version, with the given variables. */
export function celEnvironment(minor: number, variables: VariableSet): Environment {
  const key = `${minor}\0${variables.join(',')}`;
  let env = envs.get(key);
  if (env) return env;
  env = new Environment({
    unlistedVariablesAreDyn: false,
    homogeneousAggregateLiterals: true,
    enableOptionalTypes: minor >= LIBRARY_SINCE.optionals!,
    limits: { maxAstNodes: 10000, maxDepth: 250 },
  });
  installMeter();
  for (const v of variables) env.registerVariable(v, 'dyn');
  const fn = (sig: string, h: (...a: never[]) => unknown) => env!.registerFunction(sig, wrap(h as (...a: unknown[]) => unknown));
  // since 1.0: lists, regex, URLs
  fn('list.isSorted(): bool', (l: unknown[]) => lists.isSorted(l));
  fn('list.sum(): dyn', (l: unknown[]) => lists.sum(l));
  fn('list.min(): dyn', (l: unknown[]) => lists.min(l));
  fn('list.max(): dyn', (l: unknown[]) => lists.max(l));
  fn('list.indexOf(dyn): int', (l: unknown[], x: unknown) => lists.indexOf(l, x));
  fn('list.lastIndexOf(dyn): int', (l: unknown[], x: unknown) => lists.lastIndexOf(l, x));
  fn('string.find(string): string', (s: string, r: string) => reFind(s, r));
  fn('string.findAll(string): list<string>', (s: string, r: string) => reFindAll(s, r));
  fn('string.findAll(string, int): list<string>', (s: string, r: string, n: bigint) => reFindAll(s, r, n));
  env.registerType('URL', URL_);
  fn('url(string): URL', (s: string) => URL_.parse(s));
  fn('isURL(string): bool', (s: string) => URL_.is(s));
  fn('URL.getScheme(): string', (u: URL_) => u.scheme);
  fn('URL.getHost(): string', (u: URL_) => u.getHost());
  fn('URL.getHostname(): string', (u: URL_) => u.getHostname());
  fn('URL.getPort(): string', (u: URL_) => u.getPort());
  fn('URL.getEscapedPath(): string', (u: URL_) => u.path);
  fn('URL.getQuery(): map<string, list<string>>', (u: URL_) => u.getQuery());
  if (minor >= LIBRARY_SINCE.quantity!) {
    env.registerType('Quantity', Quantity_);
    fn('quantity(string): Quantity', (s: string) => Quantity_.parse(s));
    fn('isQuantity(string): bool', (s: string) => Quantity_.is(s));
    fn('Quantity.isInteger(): bool', (q: Quantity_) => q.isInteger());
    fn('Quantity.asInteger(): int', (q: Quantity_) => q.asInteger());
    fn('Quantity.asApproximateFloat(): double', (q: Quantity_) => q.asApproximateFloat());
    fn('Quantity.sign(): int', (q: Quantity_) => q.sign());
    fn('Quantity.add(Quantity): Quantity', (q: Quantity_, o: Quantity_) => q.add(o));
    fn('Quantity.add(int): Quantity', (q: Quantity_, o: bigint) => q.add(o));
    fn('Quantity.sub(Quantity): Quantity', (q: Quantity_, o: Quantity_) => q.sub(o));
    fn('Quantity.sub(int): Quantity', (q: Quantity_, o: bigint) => q.sub(o));
    fn('Quantity.isLessThan(Quantity): bool', (q: Quantity_, o: Quantity_) => q.compareTo(o) < 0n);
    fn('Quantity.isGreaterThan(Quantity): bool', (q: Quantity_, o: Quantity_) => q.compareTo(o) > 0n);
    fn('Quantity.compareTo(Quantity): int', (q: Quantity_, o: Quantity_) => q.compareTo(o));
  }
  if (minor >= LIBRARY_SINCE.strings!) {
    fn('string.charAt(int): string', (s: string, i: bigint) => strings.charAt(s, i));
    fn('string.replace(string, string): string', (s: string, a: string, b: string) => strings.replace(s, a, b));
    fn('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => strings.replace(s, a, b, n));
    fn('string.format(list): string', (s: string, l: unknown[]) => strings.format(s, l));
    env.registerType('StringsNS', StringsNS);
    env.registerConstant('strings', 'StringsNS', new StringsNS());
    fn('StringsNS.quote(string): string', (_n: StringsNS, s: string) => strings.quote(s));
  }
  if (minor >= LIBRARY_SINCE.sets!) {
    env.registerType('SetsNS', SetsNS);
    env.registerConstant('sets', 'SetsNS', new SetsNS());
    fn('SetsNS.contains(list, list): bool', (_n: SetsNS, a: unknown[], b: unknown[]) => sets.contains(a, b));
    fn('SetsNS.equivalent(list, list): bool', (_n: SetsNS, a: unknown[], b: unknown[]) => sets.equivalent(a, b));
    fn('SetsNS.intersects(list, list): bool', (_n: SetsNS, a: unknown[], b: unknown[]) => sets.intersects(a, b));
  }
  if (minor >= LIBRARY_SINCE.ip!) {
    env.registerType('IP', IP);
    env.registerType('CIDR', CIDR);
    env.registerType('IPNS', IPNS);
    env.registerConstant('ip', 'IPNS', new IPNS());
    fn('ip(string): IP', (s: string) => IP.parse(s));
    fn('isIP(string): bool', (s: string) => IP.is(s));
    fn('IPNS.isCanonical(string): bool', (_n: IPNS, s: string) => IP.parse(s).toString() === s);
    fn('IP.family(): int', (x: IP) => BigInt(x.family));
    fn('IP.isUnspecified(): bool', (x: IP) => x.isUnspecified());
    fn('IP.isLoopback(): bool', (x: IP) => x.isLoopback());
    fn('IP.isLinkLocalMulticast(): bool', (x: IP) => x.isLinkLocalMulticast());
    fn('IP.isLinkLocalUnicast(): bool', (x: IP) => x.isLinkLocalUnicast());
    fn('IP.isGlobalUnicast(): bool', (x: IP) => x.isGlobalUnicast());
    fn('IP.string(): string', (x: IP) => x.toString());
    env.registerOperator('IP == IP', (a: IP, b: IP) => a.equals(b));
    fn('cidr(string): CIDR', (s: string) => CIDR.parse(s));
    fn('isCIDR(string): bool', (s: string) => CIDR.is(s));
    fn('CIDR.containsIP(IP): bool', (c: CIDR, x: IP) => c.containsIP(x));
    fn('CIDR.containsIP(string): bool', (c: CIDR, x: string) => c.containsIP(x));
    fn('CIDR.containsCIDR(CIDR): bool', (c: CIDR, x: CIDR) => c.containsCIDR(x));
    fn('CIDR.containsCIDR(string): bool', (c: CIDR, x: string) => c.containsCIDR(x));
    fn('CIDR.ip(): IP', (c: CIDR) => c.ip);
    fn('CIDR.masked(): CIDR', (c: CIDR) => c.masked());
    fn('CIDR.prefixLength(): int', (c: CIDR) => BigInt(c.prefix));
    env.registerOperator('CIDR == CIDR', (a: CIDR, b: CIDR) => a.equals(b));
  }
  if (minor >= LIBRARY_SINCE.format!) {
    env.registerType('Format', Formatter);
    env.registerType('FormatNS', FormatNS);
    env.registerConstant('format', 'FormatNS', new FormatNS());
    for (const name of Object.keys(FORMATS)) fn(`FormatNS.${name}(): Format`, () => new Formatter(name));
    fn('FormatNS.named(string): optional<Format>', (_n: FormatNS, s: string) =>
      FORMATS[s] ? Optional.of(new Formatter(s)) : Optional.none(),
    );
    fn('Format.validate(string): optional<list<string>>', (f: Formatter, s: string) => {
      const errs = FORMATS[f.name]!(s);
      return errs.length ? Optional.of(errs) : Optional.none();
    });
  }
  if (minor >= LIBRARY_SINCE.semver!) {
    env.registerType('Semver', Semver);
    fn('semver(string): Semver', (s: string) => Semver.parse(s));
    fn('isSemver(string): bool', (s: string) => Semver.is(s));
    fn('Semver.major(): int', (v: Semver) => v.major);
    fn('Semver.minor(): int', (v: Semver) => v.minor);
    fn('Semver.patch(): int', (v: Semver) => v.patch);
    fn('Semver.isLessThan(Semver): bool', (v: Semver, o: Semver) => v.compare(o) < 0);
    fn('Semver.isGreaterThan(Semver): bool', (v: Semver, o: Semver) => v.compare(o) > 0);
    fn('Semver.compareTo(Semver): int', (v: Semver, o: Semver) => BigInt(v.compare(o)));
  }
  if (minor >= LIBRARY_SINCE.listsV3!) {
    fn('list.slice(int, int): list', (l: unknown[], a: bigint, b: bigint) => lists.slice(l, a, b));
    fn('list.flatten(): list', (l: unknown[]) => lists.flatten(l, 1n));
    fn('list.flatten(int): list', (l: unknown[], d: bigint) => lists.flatten(l, d));
    fn('list.distinct(): list', (l: unknown[]) => lists.distinct(l));
    fn('list.reverse(): list', (l: unknown[]) => [...l].reverse());
    fn('list.sort(): list', (l: unknown[]) => lists.sort(l));
    env.registerType('ListsNS', ListsNS);
    env.registerConstant('lists', 'ListsNS', new ListsNS());
    fn('ListsNS.range(int): list<int>', (_n: ListsNS, n: bigint) => lists.range(n));
  }
  if (minor >= LIBRARY_SINCE.twoVarComprehensions!) registerTwoVarComprehensions(env);
  fn(`${HAS_FUNCTION}(dyn, string): bool`, (o: unknown, f: string) => {
    if (o instanceof Map) return o.has(f);
    if (typeof o === 'object' && o !== null && !Array.isArray(o)) return Object.prototype.hasOwnProperty.call(o, f);
    throw new CelError(`invalid has() argument: ${o === null ? 'null' : Array.isArray(o) ? 'a list' : typeof o} has no fields`);
  });
  // last: registering a function rebuilds cel-js's overload index, which would drop the replacement
  useRe2ForMatches(env);
  envs.set(key, env);
  return env;
}

export type EvalResult = { ok: true; value: unknown } | { ok: false; error: string; budget?: boolean };

export interface CelProgram {
  readonly expression: string;
  /** the parsed AST (for deriving the field an expression reads) */
  readonly ast: unknown;
  evaluate(vars: Record<string, unknown>, budget?: Budget): EvalResult;
}

export type CompileResult = { ok: true; program: CelProgram } | { ok: false; error: string; unsupported?: boolean };

const programs = new Map<string, CompileResult>();

/** Compiles (parses and type-checks) an expression for a Kubernetes minor version; cached. */
export function compileCel(expression: string, minor: number, variables: VariableSet): CompileResult {
  const key = `${minor}\0${variables.join(',')}\0${expression}`;
  const cached = programs.get(key);
  if (cached) return cached;
  const env = celEnvironment(minor, variables);
  let result: CompileResult;
  try {
    const parseChecked = (text: string): ReturnType<Environment['parse']> => {
      const parsed = env.parse(text);
      const checked = parsed.check();
      if (!checked.valid) throw checked.error ?? new Error('type check failed');
      return parsed;
    };
    let p: ReturnType<Environment['parse']>;
    try {
      p = parseChecked(expression);
    } catch (e) {
      // has() on an indexed operand, which cel-go accepts: the same test as a function
      const rewritten = /has\(\) invalid argument/.test(firstLine(e)) ? rewriteHas(expression) : undefined;
      if (rewritten === undefined) throw e;
      p = parseChecked(rewritten);
    }
    result = {
      ok: true,
      program: {
        expression,
        ast: p.ast,
        evaluate(vars, budget = DEFAULT_BUDGET) {
          const m: Meter = { steps: 0, maxSteps: budget.maxSteps, deadline: performance.now() + budget.maxMillis };
          const outer = meter;
          meter = m;
          try {
            const value = p(vars) as unknown;
            if (m.exceeded) return budgetError(m, budget);
            return { ok: true, value };
          } catch (e) {
            if (m.exceeded || e instanceof BudgetExceeded) return budgetError(m, budget);
            return { ok: false, error: firstLine(e) };
          } finally {
            meter = outer;
          }
        },
      },
    };
  } catch (e) {
    result = explainCompileError(firstLine(e), expression, minor);
  }
  if (programs.size > 20000) programs.clear();
  programs.set(key, result);
  return result;
}

function budgetError(m: Meter, b: Budget): EvalResult {
  return {
    ok: false,
    budget: true,
    error:
      m.exceeded === 'time'
        ? `evaluation took longer than ${b.maxMillis} ms and was stopped`
        : `evaluation exceeded the cost budget of ${b.maxSteps} steps and was stopped`,
  };
}

function firstLine(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return s.split('\n')[0]!.trim();
}

function explainCompileError(msg: string, expression: string, minor: number): CompileResult {
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

// ---------------------------------------------------------------- values

/** CEL's reserved words, escaped as `__{word}__` in field names. */
const RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

/** Kubernetes' escaping of a property name for CEL field access (`a-b` → `a__dash__b`); undefined when none is needed. */
const escapes = new Map<string, string | undefined>();
export function escapeName(name: string): string | undefined {
  if (escapes.has(name)) return escapes.get(name);
  const e = escapeUncached(name);
  if (escapes.size < 100_000) escapes.set(name, e);
  return e;
}

function escapeUncached(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  if (/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) && !name.includes('__')) return undefined;
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined; // not accessible as a field
  return name.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
}

const converted = new WeakMap<object, unknown>();

/**
 * A manifest value as CEL sees it: integers become int (bigint), other numbers double;
 * maps get their escaped field names as extra, hidden (non-enumerable) keys, so that
 * `self.a__dash__b` reads `a-b` while iteration and size() see the real keys.
 * Cached per (top-level) value.
 */
export function toCel(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return convert(v);
  const hit = converted.get(v);
  if (hit !== undefined) return hit;
  const out = convert(v);
  converted.set(v, out);
  return out;
}

function convert(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(convert);
  const o: Record<string, unknown> = {};
  let escaped: string[] | undefined;
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    o[k] = convert((v as Record<string, unknown>)[k]);
    if (escapeName(k) !== undefined) {
      escaped ??= [];
      escaped.push(k);
    }
  }
  if (escaped) {
    for (const k of escaped) {
      const e = escapeName(k)!;
      if (!Object.prototype.hasOwnProperty.call(o, e)) Object.defineProperty(o, e, { value: o[k], enumerable: false });
    }
  }
  return o;
}

/** A CEL result as text, for messages. */
export function celToString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (v === null || v === undefined) return 'null';
  if (v instanceof Optional) return v.hasValue() ? celToString(v.value()) : 'optional.none()';
  if (Array.isArray(v)) return `[${v.map(celToString).join(', ')}]`;
  if (
    typeof (v as { toString?: unknown }).toString === 'function' &&
    Object.getPrototypeOf(v) !== Object.prototype &&
    Object.getPrototypeOf(v) !== null
  )
    return String(v);
  return `{${Object.keys(v)
    .map((k) => `${k}: ${celToString((v as Record<string, unknown>)[k])}`)
    .join(', ')}}`;
}
