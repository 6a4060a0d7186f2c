/**
 * ValidatingAdmissionPolicies and their bindings as the run declares them: each policy's
 * expressions compiled once per Kubernetes version, with the problems found while compiling.
 */
import type { ObjectIndex } from '../model/index.js';
import { isObj, type ManifestObject, type Obj } from '../model/object.js';
import type { Path } from '../parse/source.js';
import { compileCel, type CompileResult } from './env.js';

export type MO = ManifestObject<Obj>;

export const VAR_NAMES = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'variables'] as const;
const MATCH_VAR_NAMES = ['object', 'oldObject', 'request', 'params', 'namespaceObject'] as const;

export interface Expr {
  text: string;
  /** path of the expression field in the policy object */
  at: Path;
  compiled: CompileResult;
}

interface Validation {
  expr: Expr;
  message?: string;
  messageExpr?: Expr;
  reason?: string;
  index: number;
}

export interface PolicyProblem {
  at: Path;
  message: string;
  unsupported: boolean;
}

export interface Policy {
  obj: MO;
  name: string;
  failurePolicy: 'Fail' | 'Ignore';
  paramKind?: { apiVersion: string; kind: string };
  constraints: Obj;
  matchConditions: { name: string; expr: Expr }[];
  variables: { name: string; expr: Expr }[];
  /** name → expression, for positions */
  variableExpressions: Record<string, string>;
  validations: Validation[];
  /** auditAnnotations: they only annotate the audit event, but an evaluation error goes through failurePolicy */
  auditAnnotations: { key: string; expr: NonNullable<Validation['messageExpr']> }[];
  problems: PolicyProblem[];
}

export interface Binding {
  obj: MO;
  name: string;
  policyName: string;
  paramRef?: Obj;
  matchResources?: Obj;
  actions: string[];
}

export interface State {
  candidates: Map<string, { binding: Binding; policy: Policy }[]>;
  policies: Map<string, Policy>;
  bindings: Binding[];
  byPolicyObj: Map<MO, Policy>;
}

const states = new WeakMap<ObjectIndex, Map<number, State>>();

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function compileExpr(text: unknown, at: Path, minor: number, vars: readonly string[], problems: PolicyProblem[]): Expr | undefined {
  if (typeof text !== 'string') return undefined;
  const compiled = compileCel(text, minor, vars);
  if (!compiled.ok) problems.push({ at, message: compiled.error, unsupported: !!compiled.unsupported });
  return { text, at, compiled };
}

function isAdmission(o: MO, kind: string): boolean {
  return o.kind === kind && o.group === 'admissionregistration.k8s.io';
}

function loadPolicy(o: MO, minor: number): Policy {
  const spec = isObj(o.data.spec) ? o.data.spec : {};
  const problems: PolicyProblem[] = [];
  const pk =
    isObj(spec.paramKind) && typeof spec.paramKind.kind === 'string'
      ? { apiVersion: str(spec.paramKind.apiVersion) ?? '', kind: spec.paramKind.kind }
      : undefined;
  const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
  const matchConditions = list(spec.matchConditions).flatMap((m, i) => {
    const e = compileExpr(m.expression, ['spec', 'matchConditions', i, 'expression'], minor, MATCH_VAR_NAMES, problems);
    return e ? [{ name: str(m.name) ?? `#${i + 1}`, expr: e }] : [];
  });
  const variables = list(spec.variables).flatMap((v, i) => {
    const e = compileExpr(v.expression, ['spec', 'variables', i, 'expression'], minor, VAR_NAMES, problems);
    return e && typeof v.name === 'string' ? [{ name: v.name, expr: e }] : [];
  });
  const validations: Validation[] = [];
  list(spec.validations).forEach((v, i) => {
    const expr = compileExpr(v.expression, ['spec', 'validations', i, 'expression'], minor, VAR_NAMES, problems);
    if (!expr) return;
    validations.push({
      expr,
      message: str(v.message),
      messageExpr: compileExpr(v.messageExpression, ['spec', 'validations', i, 'messageExpression'], minor, VAR_NAMES, problems),
      reason: str(v.reason),
      index: i,
    });
  });
  // auditAnnotations only annotate the audit event, but an invalid one makes the API server reject the policy,
  // and one whose evaluation fails (or gives neither a string nor null) is handled by failurePolicy
  const auditAnnotations = list(spec.auditAnnotations).flatMap((a, i) => {
    const e = compileExpr(a.valueExpression, ['spec', 'auditAnnotations', i, 'valueExpression'], minor, VAR_NAMES, problems);
    return e ? [{ key: str(a.key) ?? `#${i + 1}`, expr: e }] : [];
  });
  return {
    obj: o,
    name: o.name,
    failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
    paramKind: pk,
    constraints: isObj(spec.matchConstraints) ? spec.matchConstraints : {},
    matchConditions,
    variables,
    variableExpressions: Object.fromEntries(variables.map((v) => [v.name, v.expr.text])),
    validations,
    auditAnnotations,
    problems,
  };
}

export function state(index: ObjectIndex, minor: number): State {
  let byMinor = states.get(index);
  if (!byMinor) {
    byMinor = new Map();
    states.set(index, byMinor);
  }
  let s = byMinor.get(minor);
  if (s) return s;
  s = { candidates: new Map(), policies: new Map(), bindings: [], byPolicyObj: new Map() };
  // the policies, then the bindings, each in input order (through the index's lists, not every object)
  for (const o of [...index.list('ValidatingAdmissionPolicy'), ...index.list('ValidatingAdmissionPolicyBinding')]) {
    if (isAdmission(o, 'ValidatingAdmissionPolicy')) {
      if (s.policies.has(o.name)) continue; // the first definition wins (input order)
      const p = loadPolicy(o, minor);
      s.policies.set(o.name, p);
      s.byPolicyObj.set(o, p);
    } else if (isAdmission(o, 'ValidatingAdmissionPolicyBinding')) {
      // one binding of a name in a cluster: of several definitions (alternative install bundles, volcano's installer
      // and installer-with-map), the first wins, as for policies; each evaluated would report every denial again
      if (s.bindings.some((b) => b.name === o.name)) continue;
      const spec = isObj(o.data.spec) ? o.data.spec : {};
      if (typeof spec.policyName !== 'string') continue;
      const actions = Array.isArray(spec.validationActions) ? spec.validationActions.filter((a): a is string => typeof a === 'string') : [];
      s.bindings.push({
        obj: o,
        name: o.name,
        policyName: spec.policyName,
        paramRef: isObj(spec.paramRef) ? spec.paramRef : undefined,
        matchResources: isObj(spec.matchResources) ? spec.matchResources : undefined,
        actions: actions.length ? actions : ['Deny'],
      });
    }
  }
  byMinor.set(minor, s);
  return s;
}

/** The problems of a policy object (compile errors), when it is a ValidatingAdmissionPolicy. */
export function policyProblems(index: ObjectIndex, minor: number, obj: MO): PolicyProblem[] {
  return state(index, minor).byPolicyObj.get(obj)?.problems ?? [];
}
