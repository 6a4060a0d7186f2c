/**
 * CRD validation rules (`x-kubernetes-validations`) evaluated on custom
 * resources: at every schema node that carries rules and whose value is
 * present, with `self` the value there. Transition rules (`oldSelf`) need
 * the old object and are not evaluated, except with `optionalOldSelf`, where
 * `oldSelf` is `optional.none()` as on a CREATE.
 */
import { Optional } from '@marcbachmann/cel-js';
import { isObj, type ManifestObject, type Obj } from '../model/object.js';
import type { Path, PathSeg } from '../parse/source.js';
import { celToString, compileCel } from './env.js';
import { selfFields } from './self-fields.js';
import { toCelTypedAt, toCelTypedFields } from './typed.js';
import { withDefaults } from '../schema/defaults.js';

export { withDefaults };

const VARS = ['self', 'oldSelf'] as const;

export interface CrdRuleFinding {
  kind: 'violation' | 'error';
  path: Path;
  message: string;
}

export interface CrdRuleProblem {
  /** path of the rule in the CRD object */
  at: Path;
  message: string;
  unsupported: boolean;
}

interface RuleAt {
  rule: Obj;
  /** path of the x-kubernetes-validations entry inside the CRD object */
  crdPath: Path;
}

/** `.spec.x`, `.spec['a-b']`, `.items` → path segments (relative to the node). */
export function parseFieldPath(fp: string): Path | undefined {
  const out: PathSeg[] = [];
  const re = /\.([A-Za-z0-9_\-/]+)|\['((?:[^'\\]|\\.)*)'\]/gy;
  let pos = 0;
  while (pos < fp.length) {
    const m = re.exec(fp);
    if (!m) break;
    out.push(m[1] ?? (m[2] ?? '').replace(/\\(.)/g, '$1'));
    pos = re.lastIndex;
  }
  return pos === fp.length ? out : undefined;
}

function isTransition(rule: string): boolean {
  return /\boldSelf\b/.test(rule);
}

/** Whether a schema node or one below it carries x-kubernetes-validations (memoised per schema object asked about). */
const withRules = new WeakMap<Obj, boolean>();
function hasRules(s: Obj): boolean {
  let r = withRules.get(s);
  if (r === undefined) {
    try {
      r = rulesBelow(s, 0);
    } catch (e) {
      if (e !== TOO_DEEP) throw e;
      r = hasRulesMemo(s);
    }
    withRules.set(s, r);
  }
  return r;
}

const TOO_DEEP = new Error('too deep');
/** hasRules() as a plain search (no memo per node, which cost a WeakMap entry per schema node); a cycle ends too deep. */
function rulesBelow(s: Obj, depth: number): boolean {
  if (depth > 500) throw TOO_DEEP;
  if (Array.isArray(s['x-kubernetes-validations']) && s['x-kubernetes-validations'].length > 0) return true;
  const props = s.properties;
  if (isObj(props))
    for (const k of Object.keys(props)) {
      const x = props[k];
      if (isObj(x) && rulesBelow(x, depth + 1)) return true;
    }
  return (
    (isObj(s.additionalProperties) && rulesBelow(s.additionalProperties, depth + 1)) || (isObj(s.items) && rulesBelow(s.items, depth + 1))
  );
}

/** The memoised search, for a schema that contains itself (aliases): a cycle counts as none. */
const withRulesMemo = new WeakMap<Obj, boolean>();
function hasRulesMemo(s: Obj): boolean {
  let r = withRulesMemo.get(s);
  if (r === undefined) {
    withRulesMemo.set(s, false); // a cycle (never in parsed YAML without aliases) counts as none
    r =
      (Array.isArray(s['x-kubernetes-validations']) && s['x-kubernetes-validations'].length > 0) ||
      (isObj(s.properties) && Object.values(s.properties).some((x) => isObj(x) && hasRulesMemo(x))) ||
      (isObj(s.additionalProperties) && hasRulesMemo(s.additionalProperties)) ||
      (isObj(s.items) && hasRulesMemo(s.items));
    withRulesMemo.set(s, r);
  }
  return r;
}

/** The properties (in schema order) whose schemas carry rules (memoised per `properties` object). */
const withRulesBelow = new WeakMap<Obj, [string, Obj][]>();
function propertiesWithRules(props: Obj): [string, Obj][] {
  let r = withRulesBelow.get(props);
  if (!r) {
    r = Object.entries(props).filter((e): e is [string, Obj] => isObj(e[1]) && hasRules(e[1]));
    withRulesBelow.set(props, r);
  }
  return r;
}

/** The fields of `self` the node's rules and message expressions read, when that is all they read of it (memoised per schema object). */
const fieldsAt = new WeakMap<Obj, readonly string[] | null>();
function fieldsRead(schema: Obj, rules: unknown[]): readonly string[] | undefined {
  let r = fieldsAt.get(schema);
  if (r === undefined) {
    r = unionOfFields(rules) ?? null;
    fieldsAt.set(schema, r);
  }
  return r ?? undefined;
}

function unionOfFields(rules: unknown[]): string[] | undefined {
  const all = new Set<string>();
  for (const x of rules) {
    if (!isObj(x)) continue;
    for (const text of [x.rule, x.messageExpression]) {
      if (typeof text !== 'string') continue;
      const f = selfFields(text);
      if (!f) return undefined;
      for (const k of f) all.add(k);
    }
  }
  return [...all];
}

/**
 * Walks the schema and the value together, evaluating each node's rules, only into subtrees that carry rules.
 * `self` is the node's value as CEL sees it (typed from the schema), made only where a rule reads it.
 * `schemaPath` is the path of the node's schema inside the CRD object (for problems).
 */
function walk(
  schema: Obj,
  value: unknown,
  root: boolean,
  path: PathSeg[],
  schemaPath: PathSeg[],
  minor: number,
  out: CrdRuleFinding[],
  problems: CrdRuleProblem[] | undefined,
): void {
  if (!hasRules(schema)) return;
  const rules = Array.isArray(schema['x-kubernetes-validations']) ? schema['x-kubernetes-validations'] : [];
  let self: unknown;
  let typed = false;
  rules.forEach((r, i) => {
    if (!isObj(r) || typeof r.rule !== 'string') return;
    const at: RuleAt = { rule: r, crdPath: [...schemaPath, 'x-kubernetes-validations', i] };
    if (!typed) {
      const fields = fieldsRead(schema, rules);
      self = fields ? toCelTypedFields(schema, value, minor, root, fields) : toCelTypedAt(schema, value, minor, root);
      typed = true;
    }
    evalRule(at, self, path, minor, out, problems);
  });
  // (a child schema without rules is not entered: walk() would return at once)
  if (isObj(value) && !Array.isArray(value)) {
    if (isObj(schema.properties)) {
      for (const [k, s] of propertiesWithRules(schema.properties)) {
        if (Object.hasOwn(value, k) && value[k] !== null)
          walk(s, value[k], false, [...path, k], [...schemaPath, 'properties', k], minor, out, problems);
      }
    } else if (isObj(schema.additionalProperties) && hasRules(schema.additionalProperties)) {
      for (const [k, v] of Object.entries(value))
        if (v !== null)
          walk(schema.additionalProperties, v, false, [...path, k], [...schemaPath, 'additionalProperties'], minor, out, problems);
    }
  } else if (Array.isArray(value) && isObj(schema.items) && hasRules(schema.items)) {
    value.forEach((v, i) => {
      if (v !== null) walk(schema.items as Obj, v, false, [...path, i], [...schemaPath, 'items'], minor, out, problems);
    });
  }
}

function evalRule(
  at: RuleAt,
  value: unknown,
  path: PathSeg[],
  minor: number,
  out: CrdRuleFinding[],
  problems: CrdRuleProblem[] | undefined,
): void {
  const r = at.rule;
  const text = r.rule as string;
  const transition = isTransition(text);
  if (transition && r.optionalOldSelf !== true) return; // needs the old object; counted in the docs, reported on the CRD
  const compiled = compileCel(text, minor, VARS);
  if (!compiled.ok) {
    problems?.push({ at: [...at.crdPath, 'rule'], message: compiled.error, unsupported: !!compiled.unsupported });
    return;
  }
  const bindings = { self: value, oldSelf: Optional.none() };
  const res = compiled.program.evaluate(bindings);
  const fp = typeof r.fieldPath === 'string' ? parseFieldPath(r.fieldPath) : undefined;
  const where = fp ? [...path, ...fp] : path;
  if (!res.ok) {
    out.push({ kind: 'error', path: where, message: `rule ${JSON.stringify(text)} failed: ${res.error}` });
    return;
  }
  if (res.value === true) return;
  let message: string | undefined;
  if (typeof r.messageExpression === 'string') {
    const mc = compileCel(r.messageExpression, minor, VARS);
    if (mc.ok) {
      const mr = mc.program.evaluate(bindings);
      if (mr.ok && typeof mr.value === 'string' && mr.value.trim() !== '' && !mr.value.includes('\n')) message = mr.value;
    } else problems?.push({ at: [...at.crdPath, 'messageExpression'], message: mc.error, unsupported: !!mc.unsupported });
  }
  message ??= typeof r.message === 'string' ? r.message : `failed rule: ${text}`;
  if (res.value !== false) message = `rule ${JSON.stringify(text)} returned ${celToString(res.value)}, not a bool`;
  out.push({
    kind: res.value === false ? 'violation' : 'error',
    path: where,
    message: typeof r.reason === 'string' ? `${message} (reason ${r.reason})` : message,
  });
}

/** The violations of the CRD version's rules by a custom resource (after defaulting). */
export function evaluateCrdRules(schema: Obj, obj: ManifestObject<Obj>, minor: number): CrdRuleFinding[] {
  const out: CrdRuleFinding[] = [];
  const value = withDefaults(schema, obj.data);
  walk(schema, value, true, [], [], minor, out, undefined);
  return out;
}

/** Rules of a CRD that do not compile, or that need the old object (transition rules), by location in the CRD. */
export function crdRuleProblems(crd: ManifestObject<Obj>, minor: number): { problems: CrdRuleProblem[]; transitions: Path[] } {
  const problems: CrdRuleProblem[] = [];
  const transitions: Path[] = [];
  const spec = crd.data.spec;
  if (!isObj(spec) || !Array.isArray(spec.versions)) return { problems, transitions };
  spec.versions.forEach((v, vi) => {
    if (!isObj(v) || !isObj(v.schema) || !isObj(v.schema.openAPIV3Schema)) return;
    const visit = (s: unknown, p: PathSeg[]): void => {
      if (!isObj(s)) return;
      const rules = Array.isArray(s['x-kubernetes-validations']) ? s['x-kubernetes-validations'] : [];
      rules.forEach((r, i) => {
        if (!isObj(r) || typeof r.rule !== 'string') return;
        const at = [...p, 'x-kubernetes-validations', i, 'rule'];
        if (isTransition(r.rule) && r.optionalOldSelf !== true) {
          transitions.push(at);
          return;
        }
        const c = compileCel(r.rule, minor, VARS);
        if (!c.ok) problems.push({ at, message: c.error, unsupported: !!c.unsupported });
        if (typeof r.messageExpression === 'string') {
          const m = compileCel(r.messageExpression, minor, VARS);
          if (!m.ok)
            problems.push({
              at: [...p, 'x-kubernetes-validations', i, 'messageExpression'],
              message: m.error,
              unsupported: !!m.unsupported,
            });
        }
      });
      if (isObj(s.properties)) for (const [k, x] of Object.entries(s.properties)) visit(x, [...p, 'properties', k]);
      if (isObj(s.additionalProperties)) visit(s.additionalProperties, [...p, 'additionalProperties']);
      if (isObj(s.items)) visit(s.items, [...p, 'items']);
    };
    visit(v.schema.openAPIV3Schema, ['spec', 'versions', vi, 'schema', 'openAPIV3Schema']);
  });
  return { problems, transitions };
}
