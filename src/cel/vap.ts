/**
 * ValidatingAdmissionPolicy (+ Binding), admissionregistration.k8s.io, evaluated
 * offline as the API server evaluates a CREATE of each object: matchConstraints
 * and the binding's matchResources, matchConditions, params, variables and
 * validations, with failurePolicy for evaluation errors.
 */
import { isClusterScoped, type ObjectIndex } from '../model/index.js';
import { isObj, type ManifestObject, type Obj } from '../model/object.js';
import type { Path } from '../parse/source.js';
import { selectorMatches } from '../util/selector.js';
import { compileCel, celToString, toCel, type CompileResult } from './env.js';
import { subjectPath, type SubjectContext } from './paths.js';
import { resourceOf } from './resources.js';

type MO = ManifestObject<Obj>;

const VAR_NAMES = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'variables'] as const;
const MATCH_VAR_NAMES = ['object', 'oldObject', 'request', 'params', 'namespaceObject'] as const;

interface Expr {
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

interface State {
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

function state(index: ObjectIndex, minor: number): State {
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

// ---------------------------------------------------------------- matching

interface Target {
  obj: MO;
  resource: string;
  namespaced: boolean;
  /** the object's Namespace, when it is namespaced and the Namespace is in the run or the config */
  namespace?: NamespaceInfo;
}

/** A Namespace object of the run, or one declared in `settings.namespaceLabels`. */
interface NamespaceInfo {
  name: string;
  labels: Record<string, unknown>;
  data: Obj;
}

function listHas(l: unknown, v: string): boolean {
  return Array.isArray(l) && (l.includes('*') || l.includes(v));
}

function ruleMatches(rule: Obj, t: Target, exact: boolean): boolean {
  if (!listHas(rule.apiGroups, t.obj.group)) return false;
  if (exact && !listHas(rule.apiVersions, t.obj.version)) return false;
  if (!exact && !Array.isArray(rule.apiVersions)) return false;
  const res = Array.isArray(rule.resources) ? rule.resources : [];
  if (!res.some((r) => r === '*' || r === '*/*' || r === t.resource)) return false;
  if (!listHas(rule.operations, 'CREATE')) return false;
  const scope = rule.scope ?? '*';
  if (scope === 'Cluster' && t.namespaced) return false;
  if (scope === 'Namespaced' && !t.namespaced) return false;
  if (Array.isArray(rule.resourceNames) && rule.resourceNames.length > 0 && !rule.resourceNames.includes(t.obj.name)) return false;
  return true;
}

type MatchResult = 'match' | 'no' | { unknownNamespace: string };

function isEmptySelector(s: unknown): boolean {
  return (
    !isObj(s) ||
    ((!isObj(s.matchLabels) || Object.keys(s.matchLabels).length === 0) &&
      (!Array.isArray(s.matchExpressions) || s.matchExpressions.length === 0))
  );
}

/** matchConstraints / matchResources against a CREATE of the object. */
function matchResources(m: Obj, t: Target, requireRules: boolean): MatchResult {
  const exact = m.matchPolicy === 'Exact';
  const rules = Array.isArray(m.resourceRules) ? m.resourceRules.filter(isObj) : undefined;
  if (rules ? !rules.some((r) => ruleMatches(r, t, exact)) : requireRules) return 'no';
  const excl = Array.isArray(m.excludeResourceRules) ? m.excludeResourceRules.filter(isObj) : [];
  if (excl.some((r) => ruleMatches(r, t, exact))) return 'no';
  if (!isEmptySelector(m.objectSelector) && !selectorMatches(m.objectSelector, t.obj.labels)) return 'no';
  if (!isEmptySelector(m.namespaceSelector)) {
    if (t.obj.kind === 'Namespace' && t.obj.group === '') {
      if (!selectorMatches(m.namespaceSelector, namespaceLabels(t.obj))) return 'no';
    } else if (t.namespaced) {
      if (!t.namespace) return { unknownNamespace: t.obj.namespace };
      if (!selectorMatches(m.namespaceSelector, namespaceLabels(t.namespace))) return 'no';
    }
  }
  return 'match';
}

/** A Namespace the config declares (`settings.namespaceLabels`), as an object for namespaceSelector and namespaceObject. */
function declaredNamespace(labels: unknown, name: string): NamespaceInfo | undefined {
  if (!isObj(labels)) return undefined;
  const l = labels[name];
  if (!isObj(l)) return undefined;
  return { name, labels: l, data: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: l } } };
}

const namespaceMaps = new WeakMap<ObjectIndex, Map<string, MO>>();
/** The Namespace objects of the run by name (the first one wins, in input order). */
function namespaces(index: ObjectIndex): Map<string, MO> {
  let m = namespaceMaps.get(index);
  if (!m) {
    m = new Map();
    for (const o of index.list('Namespace')) if (o.group === '' && !m.has(o.name)) m.set(o.name, o);
    namespaceMaps.set(index, m);
  }
  return m;
}

/** A Namespace's labels, with the `kubernetes.io/metadata.name` label the API server sets. */
function namespaceLabels(ns: NamespaceInfo): Record<string, unknown> {
  return { ...ns.labels, 'kubernetes.io/metadata.name': ns.name };
}

// ---------------------------------------------------------------- evaluation

export interface VapFinding {
  kind: 'violation' | 'error' | 'notEvaluated';
  /** Deny, Warn, Audit (the binding's validation actions) */
  actions: string[];
  path: Path;
  policy: Policy;
  binding: Binding;
  params?: MO;
  message: string;
}

function findParams(index: ObjectIndex, policy: Policy, binding: Binding, t: Target): { params: (MO | null)[] } | { missing: string } {
  if (!policy.paramKind) return { params: [null] };
  const ref = binding.paramRef;
  const pk = policy.paramKind;
  if (!ref) return { missing: `binding ${binding.name} has no paramRef, but policy ${policy.name} has paramKind ${pk.kind}` };
  const candidates = index.list(pk.kind).filter((o) => o.apiVersion === pk.apiVersion);
  const pkInfo = resourceOf(
    index,
    candidates[0]?.group ?? (pk.apiVersion.includes('/') ? pk.apiVersion.slice(0, pk.apiVersion.lastIndexOf('/')) : ''),
    pk.kind,
  );
  const paramsNamespaced = pkInfo ? pkInfo.namespaced : candidates.some((c) => c.declaredNamespace !== undefined);
  let ns: string | undefined;
  if (typeof ref.namespace === 'string' && ref.namespace !== '') ns = ref.namespace;
  else if (paramsNamespaced) {
    if (!t.namespaced)
      return {
        missing: `params of kind ${pk.kind} are namespaced and paramRef.namespace is empty, so a cluster-scoped ${t.obj.kind} has none`,
      };
    ns = t.obj.namespace;
  }
  const inNs = candidates.filter((c) => ns === undefined || c.namespace === ns);
  let found: MO[];
  let what: string;
  if (typeof ref.name === 'string') {
    found = inNs.filter((c) => c.name === ref.name);
    what = `${pk.kind} ${ns ? `${ns}/` : ''}${ref.name}`;
  } else if (isObj(ref.selector)) {
    found = inNs.filter((c) => selectorMatches(ref.selector, c.labels));
    what = `${pk.kind} matching the paramRef selector${ns ? ` in namespace ${ns}` : ''}`;
  } else {
    return { missing: `binding ${binding.name}'s paramRef has neither name nor selector` };
  }
  if (found.length === 0) return { missing: `no ${what} in the input or --context` };
  return { params: found };
}

function request(t: Target): Obj {
  const o = t.obj;
  const gvk = { group: o.group, version: o.version, kind: o.kind };
  const gvr = { group: o.group, version: o.version, resource: t.resource };
  return {
    uid: '',
    kind: gvk,
    resource: gvr,
    subResource: '',
    requestKind: gvk,
    requestResource: gvr,
    requestSubResource: '',
    name: o.name,
    namespace: t.namespaced ? o.namespace : '',
    operation: 'CREATE',
    userInfo: { username: '', uid: '', groups: [] },
    dryRun: false,
    options: {},
  };
}

interface Ctx {
  minor: number;
  bindings: Record<string, unknown>;
}

function run(expr: Expr, ctx: Ctx): { ok: true; value: unknown } | { ok: false; error: string } {
  if (!expr.compiled.ok) return { ok: false, error: expr.compiled.error };
  return expr.compiled.program.evaluate(ctx.bindings);
}

/**
 * `variables`, evaluated in order (a variable may use the ones before it). An error is
 * deferred: only an expression that reads the failed variable fails, as with the API
 * server's lazy evaluation.
 */
function evalVariables(policy: Policy, ctx: Ctx): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  ctx.bindings.variables = vars;
  for (const v of policy.variables) {
    const r = run(v.expr, ctx);
    if (r.ok) vars[v.name] = r.value;
    else {
      const error = `variables.${v.name}: ${r.error}`;
      Object.defineProperty(vars, v.name, {
        enumerable: true,
        get() {
          throw new Error(error);
        },
      });
    }
  }
  return vars;
}

const EMPTY = Object.freeze({});

function oneLine(s: string): string {
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

/** The field a failed validation reads: a chain rooted at `object`, else one in the variable it reads. */
function violationPath(policy: Policy, text: string, ctx: SubjectContext, depth = 0): Path {
  const p = subjectPath(text, 'object', ctx);
  if (p && p.length) return p;
  if (depth < 4) {
    for (const m of text.matchAll(/\bvariables\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const v = policy.variables.find((x) => x.name === m[1]);
      if (!v) continue;
      const q = violationPath(policy, v.expr.text, ctx, depth + 1);
      if (q.length) return q;
    }
  }
  return [];
}

/**
 * The bindings whose policy's resource rules can match a group/resource at all (any
 * version, operation, scope or name), computed once per group/resource; the full
 * match is decided per object.
 */
function candidates(s: State, group: string, resource: string): { binding: Binding; policy: Policy }[] {
  const key = `${group}/${resource}`;
  let c = s.candidates.get(key);
  if (c) return c;
  c = [];
  for (const binding of s.bindings) {
    const policy = s.policies.get(binding.policyName);
    if (!policy || policy.validations.length === 0) continue;
    const rules = Array.isArray(policy.constraints.resourceRules) ? policy.constraints.resourceRules.filter(isObj) : [];
    const maybe = rules.some(
      (r) =>
        listHas(r.apiGroups, group) && Array.isArray(r.resources) && r.resources.some((x) => x === '*' || x === '*/*' || x === resource),
    );
    if (maybe) c.push({ binding, policy });
  }
  s.candidates.set(key, c);
  return c;
}

const admitted = new WeakMap<MO, unknown>();
/** The object as the API server sees it: a namespaced object without metadata.namespace gets the one it is applied to. */
function objectAsAdmitted(obj: MO, namespaced: boolean): unknown {
  if (!namespaced || obj.declaredNamespace !== undefined) return toCel(obj.data);
  let v = admitted.get(obj);
  if (v === undefined) {
    const meta = isObj(obj.data.metadata) ? obj.data.metadata : {};
    v = toCel({ ...obj.data, metadata: { ...meta, namespace: obj.namespace } });
    admitted.set(obj, v);
  }
  return v;
}

/** Every finding the bound policies give for a CREATE of `obj`. */
export function evaluateVaps(index: ObjectIndex, minor: number, obj: MO, settingsLabels?: unknown): VapFinding[] {
  const s = state(index, minor);
  if (s.bindings.length === 0 || !obj.kind || obj.group === 'admissionregistration.k8s.io') return [];
  // a kind neither the built-in table nor a CRD in the run knows: its plural is unknown, so only `resources: ["*"]` rules can match it
  const info = resourceOf(index, obj.group, obj.kind) ?? {
    resource: '',
    namespaced: obj.declaredNamespace !== undefined || !isClusterScoped(obj.kind),
  };
  const t: Target = { obj, resource: info.resource, namespaced: info.namespaced };
  if (info.namespaced) t.namespace = namespaces(index).get(obj.namespace) ?? declaredNamespace(settingsLabels, obj.namespace);
  const out: VapFinding[] = [];
  const objectValue = objectAsAdmitted(obj, info.namespaced);
  let requestValue: unknown;
  let namespaceValue: unknown;
  for (const { binding, policy } of candidates(s, obj.group, info.resource)) {
    const base = { actions: binding.actions, policy, binding };
    const m1 = matchResources(policy.constraints, t, true);
    if (m1 === 'no') continue;
    const m2 = binding.matchResources ? matchResources(binding.matchResources, t, false) : 'match';
    if (m2 === 'no') continue;
    const unknownNs = typeof m1 === 'object' ? m1 : typeof m2 === 'object' ? m2 : undefined;
    if (unknownNs) {
      out.push({
        ...base,
        kind: 'notEvaluated',
        path: ['metadata', 'namespace'],
        message: `its namespaceSelector needs the labels of Namespace ${unknownNs.unknownNamespace}, which is not in the input or --context (or declare them in settings.namespaceLabels)`,
      });
      continue;
    }
    const p = findParams(index, policy, binding, t);
    if ('missing' in p) {
      const action = binding.paramRef?.parameterNotFoundAction === 'Allow' ? 'allows' : 'denies';
      out.push({
        ...base,
        kind: 'notEvaluated',
        path: [],
        message: `${p.missing}; where none exists, the API server ${action} the request`,
      });
      continue;
    }
    for (const params of p.params) {
      requestValue ??= toCel(request(t));
      namespaceValue ??= t.namespace ? toCel(t.namespace.data) : null;
      const bindingsVars: Record<string, unknown> = {
        object: objectValue,
        oldObject: null,
        request: requestValue,
        params: params ? toCel(params.data) : null,
        namespaceObject: namespaceValue,
      };
      const ctx: Ctx = { minor, bindings: bindingsVars };
      const onError = (what: string, error: string, at: Path): void => {
        // the API server defaults built-in objects (and runs mutating admission) before validating: a field absent here may be set there
        if (/^No such key/.test(error))
          out.push({
            ...base,
            params: params ?? undefined,
            kind: 'notEvaluated',
            path: at,
            message: `${what} failed (${error}); the API server may set that field by defaulting or mutating admission, which k8s-gold does not model`,
          });
        else if (policy.failurePolicy === 'Ignore')
          out.push({
            ...base,
            params: params ?? undefined,
            kind: 'notEvaluated',
            path: at,
            message: `${what} failed (${error}), and failurePolicy Ignore admits the request`,
          });
        else
          out.push({
            ...base,
            params: params ?? undefined,
            kind: 'error',
            path: at,
            message: `${what} failed: ${error}; failurePolicy Fail rejects the request`,
          });
      };
      // matchConditions: any false → not matched; an error → failurePolicy
      let matched = true;
      let errored = false;
      for (const mc of policy.matchConditions) {
        if (!mc.expr.compiled.ok) continue; // reported on the policy
        const r = run(mc.expr, ctx);
        if (!r.ok) {
          onError(`matchCondition ${mc.name}`, r.error, []);
          errored = true;
          break;
        }
        if (r.value !== true) {
          matched = false;
          break;
        }
      }
      if (!matched || errored) continue;
      if (policy.variables.length) evalVariables(policy, ctx);
      else bindingsVars.variables = EMPTY;
      for (const v of policy.validations) {
        if (!v.expr.compiled.ok) continue; // reported on the policy
        const r = run(v.expr, ctx);
        if (!r.ok) {
          onError(`validation ${v.index + 1} (${oneLine(v.expr.text)})`, r.error, []);
          continue;
        }
        if (r.value === true) continue;
        if (r.value !== false) {
          onError(`validation ${v.index + 1} (${oneLine(v.expr.text)})`, `it returned ${celToString(r.value)}, not a bool`, []);
          continue;
        }
        let message: string | undefined;
        if (v.messageExpr?.compiled.ok) {
          const mr = run(v.messageExpr, ctx);
          if (mr.ok && typeof mr.value === 'string' && mr.value.trim() !== '' && !mr.value.includes('\n')) message = mr.value;
        }
        message ??= v.message ?? `failed expression: ${oneLine(v.expr.text)}`;
        if (v.reason) message += ` (reason ${v.reason})`;
        const path = violationPath(policy, v.expr.text, {
          minor,
          variables: VAR_NAMES,
          bindings: bindingsVars,
          variableExpressions: policy.variableExpressions,
        });
        out.push({ ...base, params: params ?? undefined, kind: 'violation', path, message });
      }
      for (const a of policy.auditAnnotations) {
        if (!a.expr.compiled.ok) continue; // reported on the policy
        const r = run(a.expr, ctx);
        if (!r.ok) onError(`auditAnnotation ${a.key} (${oneLine(a.expr.text)})`, r.error, []);
        else if (typeof r.value !== 'string' && r.value !== null)
          onError(`auditAnnotation ${a.key} (${oneLine(a.expr.text)})`, `it returned ${celToString(r.value)}, not a string or null`, []);
      }
    }
  }
  return out;
}
