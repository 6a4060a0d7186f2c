/**
 * Which objects a ValidatingAdmissionPolicy and its bindings apply to: matchConstraints and
 * matchResources (rules, namespace and object selectors), and the params a binding names.
 */
import type { ObjectIndex } from '../model/index.js';
import { isObj, type Obj } from '../model/object.js';
import { selectorMatches } from '../util/selector.js';
import { resourceOf } from './resources.js';
import type { Binding, MO, Policy, State } from './vap-policy.js';

// ---------------------------------------------------------------- matching

export interface Target {
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
export function matchResources(m: Obj, t: Target, requireRules: boolean): MatchResult {
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
export function declaredNamespace(labels: unknown, name: string): NamespaceInfo | undefined {
  if (!isObj(labels)) return undefined;
  const l = labels[name];
  if (!isObj(l)) return undefined;
  return { name, labels: l, data: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: l } } };
}

const namespaceMaps = new WeakMap<ObjectIndex, Map<string, MO>>();
/** The Namespace objects of the run by name (the first one wins, in input order). */
export function namespaces(index: ObjectIndex): Map<string, MO> {
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

export function findParams(
  index: ObjectIndex,
  policy: Policy,
  binding: Binding,
  t: Target,
): { params: (MO | null)[] } | { missing: string } {
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

/**
 * The bindings whose policy's resource rules can match a group/resource at all (any
 * version, operation, scope or name), computed once per group/resource; the full
 * match is decided per object.
 */
export function candidates(s: State, group: string, resource: string): { binding: Binding; policy: Policy }[] {
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
