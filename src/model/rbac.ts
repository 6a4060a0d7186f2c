/**
 * RBAC helpers for rules that look at Roles, ClusterRoles and their bindings:
 * the policy rules of a role with their paths, what a policy rule grants
 * (with RBAC's own wildcard semantics), and the role a binding refers to.
 * Every helper tolerates wrong types.
 */
import type { PathSeg } from '../parse/source.js';
import type { ObjectIndex } from './index.js';
import { isObj, type ManifestObject, type Obj } from './object.js';

export interface PolicyRule {
  rule: Obj;
  index: number;
  path: PathSeg[];
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

/** The strings of a list, with other entries kept as an impossible value so that indexes stay those of the source. */
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : '\u0000')) : []);

/** The policy rules of a Role or ClusterRole (`rules[i]`), skipping entries that are not mappings. */
export function policyRules(role: ManifestObject<unknown>): PolicyRule[] {
  const rules = (role.data as Obj).rules;
  if (!Array.isArray(rules)) return [];
  const out: PolicyRule[] = [];
  rules.forEach((r: unknown, index: number) => {
    if (!isObj(r)) return;
    out.push({
      rule: r,
      index,
      path: ['rules', index],
      apiGroups: strings(r.apiGroups),
      resources: strings(r.resources),
      verbs: strings(r.verbs),
      resourceNames: strings(r.resourceNames),
      nonResourceURLs: strings(r.nonResourceURLs),
    });
  });
  return out;
}

/** True for a ClusterRole whose rules are filled in by the controller manager from `aggregationRule`. */
export function isAggregated(role: ManifestObject<unknown>): boolean {
  return role.kind === 'ClusterRole' && isObj((role.data as Obj).aggregationRule);
}

/** Does RBAC's resource matching let `ruleResource` cover `resource` (`pods`, `pods/exec`)? */
export function resourceCovers(ruleResource: string, resource: string): boolean {
  if (ruleResource === '*' || ruleResource === resource) return true;
  const slash = resource.indexOf('/');
  return slash > 0 && ruleResource === `*/${resource.slice(slash + 1)}`;
}

/** Index of the first entry of `list` that grants `want` (exact or `*`), or -1. */
export function grantIndex(list: readonly string[], want: string): number {
  const i = list.indexOf(want);
  return i >= 0 ? i : list.indexOf('*');
}

export interface Grant {
  /** path to the verb entry that grants it */
  verbPath: PathSeg[];
  verb: string;
  resource: string;
}

/**
 * Does the policy rule grant one of `verbs` on `resource` of API group `group`?
 * Returns the first matching verb with its path (the verb's own entry, or `*`).
 */
export function grants(p: PolicyRule, group: string, resource: string, verbs: readonly string[]): Grant | undefined {
  if (grantIndex(p.apiGroups, group) < 0) return undefined;
  const ri = p.resources.findIndex((r) => resourceCovers(r, resource));
  if (ri < 0) return undefined;
  for (const v of verbs) {
    const vi = grantIndex(p.verbs, v);
    if (vi >= 0) return { verbPath: [...p.path, 'verbs', vi], verb: p.verbs[vi]!, resource: p.resources[ri]! };
  }
  return undefined;
}

export interface RoleRef {
  kind: string;
  name: string;
  path: PathSeg[];
}

export function roleRef(binding: ManifestObject<unknown>): RoleRef | undefined {
  const r = (binding.data as Obj).roleRef;
  if (!isObj(r) || typeof r.kind !== 'string' || typeof r.name !== 'string') return undefined;
  return { kind: r.kind, name: r.name, path: ['roleRef', 'name'] };
}

/** The Role or ClusterRole a binding refers to, when it is in the input (a RoleBinding's Role in its own namespace). */
export function boundRole(binding: ManifestObject<unknown>, index: ObjectIndex): ManifestObject<Obj> | undefined {
  const ref = roleRef(binding);
  if (!ref || (ref.kind !== 'Role' && ref.kind !== 'ClusterRole')) return undefined;
  if (ref.kind === 'Role' && binding.kind !== 'RoleBinding') return undefined;
  // of several roles of the name (per-install bundles, samples), the nearest to the binding
  return index.find(ref.kind, binding.namespace, ref.name, 'rbac.authorization.k8s.io', binding);
}

export interface Subject {
  kind: string;
  name: string;
  namespace: string | undefined;
  index: number;
  path: PathSeg[];
}

export function subjects(binding: ManifestObject<unknown>): Subject[] {
  const s = (binding.data as Obj).subjects;
  if (!Array.isArray(s)) return [];
  const out: Subject[] = [];
  s.forEach((x: unknown, index: number) => {
    if (!isObj(x) || typeof x.kind !== 'string' || typeof x.name !== 'string') return;
    out.push({
      kind: x.kind,
      name: x.name,
      namespace: typeof x.namespace === 'string' ? x.namespace : undefined,
      index,
      path: ['subjects', index],
    });
  });
  return out;
}

const ALL_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** A policy rule that grants every verb (`*`, or every standard verb listed) on every resource of every API group (cluster-admin's rule). */
export function isAllPowerful(p: PolicyRule): boolean {
  return (
    p.apiGroups.includes('*') &&
    p.resources.includes('*') &&
    p.resourceNames.length === 0 &&
    (p.verbs.includes('*') || ALL_VERBS.every((v) => p.verbs.includes(v)))
  );
}
