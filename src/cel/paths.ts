/**
 * Which field a failed CEL expression is about: the selector chain rooted at
 * `object` (or `self`) that the expression reads. Conjunctions are split (the
 * first conjunct that is not true is followed) and `<list>.all(x, p)` is
 * followed into the first element for which `p` is not true, so
 * `object.spec.containers.all(c, c.image.startsWith('r/'))` points at the
 * failing container's `image`.
 */
import { Environment, serialize, type ASTNode } from '@marcbachmann/cel-js';
import type { Path } from '../parse/source.js';
import { compileCel } from './env.js';
import { rewriteHas, rewriteLeadingDot } from './has-rewrite.js';

const parser = new Environment({ unlistedVariablesAreDyn: true, enableOptionalTypes: true, homogeneousAggregateLiterals: false });

interface Node {
  op: string;
  args: unknown;
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as Node).op === 'string' && 'args' in v;
}

/** Undoes Kubernetes' property-name escaping (`a__dash__b` → `a-b`). */
export function unescapeName(s: string): string {
  const reserved = /^__([a-z]+)__$/.exec(s);
  if (reserved && !['dash', 'dot', 'slash', 'underscores'].includes(reserved[1]!)) return reserved[1]!;
  return s.replace(/__(underscores|dot|dash|slash)__/g, (_m, w: string) => ({ underscores: '__', dot: '.', dash: '-', slash: '/' })[w]!);
}

/** `variables.<name>` whose expression is a plain selector chain rooted at the root (`object.spec.template.spec.containers`). */
let aliases: Readonly<Record<string, Path>> = {};

/** The path of a selector chain rooted at `root` (`object.spec.replicas` → [spec, replicas]), else undefined. */
function chainOf(n: Node, root: string): Path | undefined {
  switch (n.op) {
    case 'id':
      return n.args === root ? [] : undefined;
    case '.':
    case '.?': {
      const [inner, field] = n.args as [Node, string];
      if (isNode(inner) && inner.op === 'id' && inner.args === 'variables' && Object.prototype.hasOwnProperty.call(aliases, field))
        return aliases[field];
      const c = chainOf(inner, root);
      return c && [...c, unescapeName(field)];
    }
    case '[]':
    case '[?]': {
      const [inner, idx] = n.args as [Node, Node];
      const c = chainOf(inner, root);
      if (!c || !isNode(idx) || idx.op !== 'value') return undefined;
      const v = idx.args;
      return typeof v === 'string' ? [...c, v] : typeof v === 'bigint' || typeof v === 'number' ? [...c, Number(v)] : undefined;
    }
    default:
      return undefined;
  }
}

/** The first (in source order) longest selector chain rooted at `root`. */
function firstChain(n: unknown, root: string): Path | undefined {
  if (Array.isArray(n)) {
    for (const x of n) {
      const c = firstChain(x, root);
      if (c) return c;
    }
    return undefined;
  }
  if (!isNode(n)) return undefined;
  const c = chainOf(n, root);
  if (c && c.length > 0) return c;
  return firstChain(n.args, root);
}

export interface SubjectContext {
  minor: number;
  variables: readonly string[];
  bindings: Record<string, unknown>;
  /** expressions of `variables.<name>`, to follow `variables.containers.all(c, …)` into the object */
  variableExpressions?: Readonly<Record<string, string>>;
}

/** The path of an expression that is only a selector chain rooted at `root`, else undefined. */
export function plainChain(expression: string, root: string): Path | undefined {
  try {
    return chainOf(parser.parse(expression).ast as unknown as Node, root);
  } catch {
    return undefined;
  }
}

function evalText(text: string, ctx: SubjectContext): unknown {
  const c = compileCel(text, ctx.minor, ctx.variables);
  if (!c.ok) return undefined;
  const r = c.program.evaluate(ctx.bindings);
  return r.ok ? r.value : undefined;
}

function refine(n: Node, root: string, ctx: SubjectContext, depth: number): Path | undefined {
  if (depth > 8) return firstChain(n, root);
  if (n.op === '&&') {
    const [l, r] = n.args as [Node, Node];
    return evalText(serialize(l as unknown as ASTNode), ctx) !== true ? refine(l, root, ctx, depth + 1) : refine(r, root, ctx, depth + 1);
  }
  if (n.op === '||') {
    // every disjunct is false; guards (`!has(x) || …`) come first, so the last one names the field
    const [l, r] = n.args as [Node, Node];
    const p = refine(r, root, ctx, depth + 1);
    return p && p.length ? p : refine(l, root, ctx, depth + 1);
  }
  if (n.op === 'rcall') {
    const [name, receiver, args] = n.args as [string, Node, Node[]];
    const list = chainOf(receiver, root);
    const iter = args[0];
    if (name === 'all' && list && args.length === 2 && isNode(iter) && iter.op === 'id' && typeof iter.args === 'string') {
      const value = evalText(serialize(receiver as unknown as ASTNode), ctx);
      // a list: its elements; a map: its keys (the iteration variable is the key)
      const items: [string | number, unknown][] | undefined = Array.isArray(value)
        ? value.map((x, i) => [i, x])
        : typeof value === 'object' && value !== null
          ? Object.keys(value).map((k) => [k, k])
          : undefined;
      if (items) {
        const v = iter.args;
        const vars = ctx.variables.includes(v) ? ctx.variables : [...ctx.variables, v];
        const pred = serialize(args[1] as unknown as ASTNode);
        for (const [seg, x] of items) {
          const sub: SubjectContext = { minor: ctx.minor, variables: vars, bindings: { ...ctx.bindings, [v]: x } };
          if (evalText(pred, sub) === true) continue;
          const inner = Array.isArray(value) ? (refine(args[1]!, v, sub, depth + 1) ?? []) : [];
          return [...list, seg, ...inner];
        }
      }
      return list;
    }
  }
  return firstChain(n, root);
}

/**
 * The path (relative to `root`'s value) that a failed expression is about, or
 * undefined when the expression reads no field of `root`. `ctx.bindings` are the
 * values the expression was evaluated with; sub-expressions are re-evaluated with them.
 */
export function subjectPath(expression: string, root: string, ctx: SubjectContext): Path | undefined {
  let ast: Node;
  try {
    const text = rewriteLeadingDot(expression) ?? expression;
    ast = parser.parse(rewriteHas(text) ?? text).ast as unknown as Node;
  } catch {
    return undefined;
  }
  const outer = aliases;
  const a: Record<string, Path> = {};
  for (const [name, expr] of Object.entries(ctx.variableExpressions ?? {})) {
    const p = plainChain(expr, root);
    if (p) a[name] = p;
  }
  aliases = a;
  try {
    return refine(ast, root, ctx, 0);
  } finally {
    aliases = outer;
  }
}
