/**
 * CEL as the Kubernetes API server runs it (k8s.io/apiserver/pkg/cel/environment):
 * @marcbachmann/cel-js for the language, RE2 (re2js) for regular expressions,
 * the Kubernetes libraries of libs.ts, each registered only when the target
 * Kubernetes version has it, and a cost budget per evaluation so that a
 * hostile expression ends with a finding instead of hanging the run.
 */
import { Environment, Optional } from '@marcbachmann/cel-js';
import { HAS_FUNCTION, rewriteForCelJs } from './has-rewrite.js';
import { registerTwoVarComprehensions } from './two-var.js';
import { CIDR, CelError, FORMATS, Formatter, IP, Quantity_, Semver, URL_, lists, reFind, reFindAll, sets, strings } from './libs.js';
import { LIBRARY_SINCE, explainCompileError } from './libraries.js';
import { BudgetExceeded, DEFAULT_BUDGET, budgetError, type Budget, type Meter } from './budget.js';
import { reMatches, useRe2ForMatches } from './regex.js';
export { LIBRARY_SINCE } from './libraries.js';
export { DEFAULT_BUDGET } from './budget.js';
export type { Budget } from './budget.js';
export { escapeName, toCel, celToString } from './convert.js';

let meter: Meter | undefined;

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
  // the global form of matches (cel-go's `matches_string` overload), which cel-js leaves out: gateway-api's
  // safe-upgrades policy calls matches(object.metadata.annotations[...], 'v1.[0-3].\\d+')
  fn('matches(string, string): bool', (s: string, r: string) => reMatches(s, r));
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
    let p: ReturnType<Environment['parse']> | undefined;
    // cel-go syntax cel-js lacks (has() on an indexed operand, a leading dot): the same expression rewritten
    for (let text = expression, tries = 0; !p; tries++) {
      try {
        p = parseChecked(text);
      } catch (e) {
        const rewritten = tries < 2 ? rewriteForCelJs(text, firstLine(e)) : undefined;
        if (rewritten === undefined) throw e;
        text = rewritten;
      }
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

function firstLine(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return s.split('\n')[0]!.trim();
}
