/**
 * Object-kind matchers for `meta.appliesTo`, matched by the engine (as
 * kube-linter's object-kind groups): `group/Kind` (`apps/Deployment`,
 * `core/Pod` for the core group, `*` for any group: `*\/Ingress`), or a
 * named group of kinds (`PodSpecHolder`, `Workload`, `RBAC`, …).
 */
import type { ManifestObject } from '../model/object.js';
import { isWorkload } from '../model/workload.js';

/** Named groups: each is a list of `group/Kind` matchers, or a predicate. */
export const KIND_GROUPS: Readonly<Record<string, readonly string[] | ((o: ManifestObject<unknown>) => boolean)>> = {
  /** every object */
  Any: () => true,
  /** every built-in kind that holds a pod spec: Pod, PodTemplate and the controllers */
  PodSpecHolder: (o) => isWorkload(o),
  /** built-in controllers that create pods (not bare Pods or PodTemplates) */
  Workload: [
    'apps/Deployment',
    'apps/StatefulSet',
    'apps/DaemonSet',
    'apps/ReplicaSet',
    'extensions/Deployment',
    'extensions/DaemonSet',
    'extensions/ReplicaSet',
    'core/ReplicationController',
    'apps.openshift.io/DeploymentConfig',
    'batch/Job',
    'batch/CronJob',
  ],
  /** controllers with spec.replicas */
  Scalable: [
    'apps/Deployment',
    'apps/StatefulSet',
    'apps/ReplicaSet',
    'extensions/Deployment',
    'extensions/ReplicaSet',
    'core/ReplicationController',
    'apps.openshift.io/DeploymentConfig',
  ],
  /** RBAC roles and bindings */
  RBAC: [
    'rbac.authorization.k8s.io/Role',
    'rbac.authorization.k8s.io/ClusterRole',
    'rbac.authorization.k8s.io/RoleBinding',
    'rbac.authorization.k8s.io/ClusterRoleBinding',
  ],
  RBACRole: ['rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/ClusterRole'],
  RBACBinding: ['rbac.authorization.k8s.io/RoleBinding', 'rbac.authorization.k8s.io/ClusterRoleBinding'],
  Ingress: ['networking.k8s.io/Ingress', 'extensions/Ingress'],
  /** objects whose group is not a built-in Kubernetes API group */
  CustomResource: (o) => o.group !== '' && !BUILTIN_GROUP.test(o.group),
};

const BUILTIN_GROUP =
  /^(apps|batch|extensions|policy|autoscaling|networking\.k8s\.io|rbac\.authorization\.k8s\.io|storage\.k8s\.io|scheduling\.k8s\.io|node\.k8s\.io|coordination\.k8s\.io|discovery\.k8s\.io|events\.k8s\.io|certificates\.k8s\.io|admissionregistration\.k8s\.io|apiextensions\.k8s\.io|apiregistration\.k8s\.io|authentication\.k8s\.io|authorization\.k8s\.io|flowcontrol\.apiserver\.k8s\.io|resource\.k8s\.io|internal\.apiserver\.k8s\.io|storagemigration\.k8s\.io)$/;

export type KindMatcher = string;

/** Problems with a list of matchers (unknown group names, malformed `group/Kind`), for meta validation. */
export function matcherProblems(matchers: readonly string[]): string[] {
  const out: string[] = [];
  for (const m of matchers) {
    if (m.includes('/')) {
      if (!/^(\*|core|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)\/(\*|[A-Z][A-Za-z0-9]*)$/.test(m))
        out.push(`"${m}" is not a group/Kind matcher (e.g. apps/Deployment, core/Pod, */Ingress)`);
    } else if (!Object.prototype.hasOwnProperty.call(KIND_GROUPS, m)) {
      out.push(`"${m}" is not a kind group (one of ${Object.keys(KIND_GROUPS).join(', ')}); write group/Kind for one kind`);
    }
  }
  return out;
}

function matchOne(m: string, o: ManifestObject<unknown>): boolean {
  const slash = m.indexOf('/');
  if (slash < 0) {
    const g = KIND_GROUPS[m];
    if (!g) return false;
    return typeof g === 'function' ? g(o) : g.some((x) => matchOne(x, o));
  }
  const group = m.slice(0, slash);
  const kind = m.slice(slash + 1);
  if (kind !== '*' && kind !== o.kind) return false;
  if (group === '*') return true;
  return (group === 'core' ? '' : group) === o.group;
}

/** Does an object match any of the matchers? */
export function appliesTo(matchers: readonly string[], o: ManifestObject<unknown>): boolean {
  for (const m of matchers) if (matchOne(m, o)) return true;
  return false;
}
