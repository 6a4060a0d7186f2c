/**
 * cel-go's two-variable comprehensions (Kubernetes 1.32+), as cel-js macros:
 * `all(i, v, p)`, `exists(i, v, p)`, `existsOne(i, v, p)` over a list (index,
 * element) or a map (key, value), and `transformList(i, v, [filter,] e)`,
 * `transformMap(k, v, [filter,] e)`. Errors follow CEL's commutative rules:
 * `all` is false if any element gives false, `exists` true if any gives true,
 * whatever errors the others give; otherwise an error is the result.
 */
import type { Environment } from '@marcbachmann/cel-js';

interface Ctx {
  forkWithVariable(name: string, type: unknown): Ctx;
  reuse(parent: Ctx): Ctx;
  setIterValue(v: unknown, ev: unknown): Ctx;
}
interface Checker {
  check(node: unknown, ctx: Ctx): unknown;
  getType(name: string): unknown;
}
interface Evaluator {
  run(node: unknown, ctx: Ctx): unknown;
}
interface Node {
  op: string;
  args: unknown;
}

type Kind = 'all' | 'exists' | 'existsOne' | 'transformList' | 'transformMap';

interface Macro {
  k: string;
  v: string;
  receiver: Node;
  filter?: Node;
  body: Node;
  ctx1?: Ctx;
  ctx2?: Ctx;
  typeCheck(checker: Checker, m: Macro, ctx: Ctx): unknown;
  evaluate(ev: Evaluator, m: Macro, ctx: Ctx): unknown;
}

function ident(n: Node, what: string): string {
  if (n.op !== 'id' || typeof n.args !== 'string') throw new Error(`${what}: the iteration variables must be identifiers`);
  return n.args;
}

function pairs(coll: unknown): [unknown, unknown][] {
  if (Array.isArray(coll)) return coll.map((x, i) => [BigInt(i), x]);
  if (coll instanceof Map) return [...coll.entries()] as [unknown, unknown][];
  if (coll instanceof Set) return [...coll].map((x, i) => [BigInt(i), x]);
  if (typeof coll === 'object' && coll !== null) return Object.keys(coll).map((k) => [k, (coll as Record<string, unknown>)[k]]);
  throw new Error(`a two-variable comprehension needs a list or a map, not ${coll === null ? 'null' : typeof coll}`);
}

function macro(kind: Kind, withFilter: boolean) {
  return ({ args, receiver }: { args: Node[]; receiver: Node }): Macro => ({
    k: ident(args[0]!, kind),
    v: ident(args[1]!, kind),
    receiver,
    filter: withFilter ? args[2] : undefined,
    body: withFilter ? args[3]! : args[2]!,
    typeCheck(checker, m, ctx) {
      checker.check(m.receiver, ctx);
      const dyn = checker.getType('dyn');
      m.ctx1 = ctx.forkWithVariable(m.k, dyn);
      m.ctx2 = m.ctx1.forkWithVariable(m.v, dyn);
      if (m.filter) checker.check(m.filter, m.ctx2);
      checker.check(m.body, m.ctx2);
      return checker.getType(kind === 'transformList' ? 'list' : kind === 'transformMap' ? 'map' : 'bool');
    },
    evaluate(ev, m, ctx) {
      const bind = (k: unknown, v: unknown): Ctx => m.ctx2!.reuse(m.ctx1!.reuse(ctx).setIterValue(k, ev)).setIterValue(v, ev);
      const items = pairs(ev.run(m.receiver, ctx));
      if (kind === 'transformList' || kind === 'transformMap') {
        const list: unknown[] = [];
        const map = new Map<unknown, unknown>();
        for (const [k, v] of items) {
          if (m.filter && ev.run(m.filter, bind(k, v)) !== true) continue;
          const out = ev.run(m.body, bind(k, v));
          if (kind === 'transformList') list.push(out);
          else map.set(k, out);
        }
        return kind === 'transformList' ? list : map;
      }
      let error: unknown;
      let count = 0;
      for (const [k, v] of items) {
        let r: unknown;
        try {
          r = ev.run(m.body, bind(k, v));
        } catch (e) {
          if (kind === 'existsOne') throw e;
          error ??= e;
          continue;
        }
        if (typeof r !== 'boolean') throw new Error(`${kind}() predicate must return bool`);
        if (kind === 'all' && !r) return false;
        if (kind === 'exists' && r) return true;
        if (kind === 'existsOne' && r) count++;
      }
      if (error !== undefined) throw error;
      return kind === 'all' ? true : kind === 'exists' ? false : count === 1;
    },
  });
}

/** Registers the two-variable comprehensions (call before anything that must be registered last). */
export function registerTwoVarComprehensions(env: Environment): void {
  for (const k of ['all', 'exists', 'existsOne'] as const) env.registerFunction(`list.${k}(ast, ast, ast): bool`, macro(k, false) as never);
  env.registerFunction('list.transformList(ast, ast, ast): list<dyn>', macro('transformList', false) as never);
  env.registerFunction('list.transformList(ast, ast, ast, ast): list<dyn>', macro('transformList', true) as never);
  env.registerFunction('list.transformMap(ast, ast, ast): map<dyn, dyn>', macro('transformMap', false) as never);
  env.registerFunction('list.transformMap(ast, ast, ast, ast): map<dyn, dyn>', macro('transformMap', true) as never);
}
