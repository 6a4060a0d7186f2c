/**
 * ValidatingAdmissionPolicy (+ Binding), admissionregistration.k8s.io, evaluated
 * offline as the API server evaluates a CREATE of each object: matchConstraints
 * and the binding's matchResources, matchConditions, params, variables and
 * validations, with failurePolicy for evaluation errors.
 */
import { isClusterScoped, type ObjectIndex } from '../model/index.js';
import { isObj, type Obj } from '../model/object.js';
import type { Path } from '../parse/source.js';
import { celToString, toCel } from './env.js';
import { subjectPath, type SubjectContext } from './paths.js';
import { resourceOf } from './resources.js';
import { VAR_NAMES, state, type Binding, type Expr, type MO, type Policy } from './vap-policy.js';
import { candidates, declaredNamespace, findParams, matchResources, namespaces, type Target } from './vap-match.js';
export { policyProblems } from './vap-policy.js';
export type { PolicyProblem, Policy, Binding } from './vap-policy.js';

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
