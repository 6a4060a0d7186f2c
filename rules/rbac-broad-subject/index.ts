import { defineRule } from '../../src/engine/rule.js';
import { boundRole, isAggregated, policyRules, roleRef, subjects } from '../../src/model/rbac.js';
import type { ManifestObject } from '../../src/model/object.js';

const PUBLIC_ROLES = new Set([
  'system:discovery',
  'system:public-info-viewer',
  'system:basic-user',
  'system:service-account-issuer-discovery',
]);

const BROAD: Record<string, { who: string; severity: 'error' | 'warning' }> = {
  'system:anonymous': { who: 'every unauthenticated request', severity: 'error' },
  'system:unauthenticated': { who: 'every unauthenticated request', severity: 'error' },
  'system:authenticated': { who: 'every authenticated user and service account of the cluster', severity: 'warning' },
  'system:serviceaccounts': { who: 'every service account of every namespace', severity: 'warning' },
};

const READ_VERBS = new Set(['get', 'list', 'watch']);

/**
 * A role that only reads objects it names (`resourceNames`), none of them Secrets: what Kubernetes' own
 * public-info-viewer does for a version ConfigMap (Tekton's `pipelines-info`), harmless for every identity.
 */
function readsNamedObjectsOnly(role: ManifestObject<unknown>): boolean {
  if (isAggregated(role)) return false;
  const rules = policyRules(role);
  return (
    rules.length > 0 &&
    rules.every(
      (r) =>
        r.nonResourceURLs.length === 0 &&
        r.resourceNames.length > 0 &&
        r.verbs.length > 0 &&
        r.verbs.every((v) => READ_VERBS.has(v)) &&
        r.resources.length > 0 &&
        r.resources.every((x) => x !== '*' && x !== 'secrets' && !x.startsWith('secrets/') && !x.startsWith('*/')),
    )
  );
}

export default defineRule({
  meta: {
    id: 'rbac-broad-subject',
    severity: 'warning',
    category: 'security',
    description:
      'Bindings should not grant a role to `system:anonymous`, `system:unauthenticated`, `system:authenticated` or `system:serviceaccounts`.',
    rationale:
      "These built-in groups are not teams: `system:unauthenticated` and the user `system:anonymous` are anyone who can reach the API server; `system:authenticated` is every identity of the cluster, including every pod's service account; `system:serviceaccounts` is every service account of every namespace. " +
      'A binding to them hands the role to every workload (a compromised pod anywhere gets it) or to the internet, as in the Tesla and other breaches of exposed clusters.',
    remediation:
      "Bind the role to the specific service accounts (`kind: ServiceAccount`, with namespace), users or identity-provider groups that need it. Kubernetes' own discovery bindings (`system:discovery`, `system:public-info-viewer`) are named `system:*` and are not reported, nor is a binding of a built-in ClusterRole made for everyone (`system:discovery`, `system:public-info-viewer`, `system:basic-user`, `system:service-account-issuer-discovery`, which the Kubernetes documentation binds to `system:unauthenticated` for public OIDC discovery). Nor is a binding to `system:authenticated` or `system:serviceaccounts` of a role in the input that only reads objects it names (`resourceNames`, verbs `get`/`list`/`watch`, no Secrets), such as a version ConfigMap every user may read.",
    tags: ['security', 'rbac'],
    appliesTo: ['RBACBinding'],
    presets: ['recommended'],
    equivalents: {},
    messages: {
      broad: {
        text: '{{kind}} {{name}} binds {{role}} to {{subject}} "{{group}}", that is {{who}}; bind it to the identities that need it.',
        severity: 'warning',
      },
      anonymous: {
        text: '{{kind}} {{name}} binds {{role}} to {{subject}} "{{group}}", that is {{who}}; bind it to the identities that need it.',
        severity: 'error',
      },
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'very-high',
    securitySeverity: 8.0,
  },
  check(obj, ctx) {
    if (obj.name.startsWith('system:')) return;
    const ref = roleRef(obj);
    // Kubernetes' built-in roles made for everyone: discovery, version and health, self-review, and the
    // OIDC discovery documents (the docs bind system:service-account-issuer-discovery to system:unauthenticated)
    if (ref && ref.kind === 'ClusterRole' && PUBLIC_ROLES.has(ref.name)) return;
    const role = ref ? `${ref.kind} ${ref.name}` : 'its role';
    const bound = boundRole(obj, ctx.index);
    const harmless = bound !== undefined && readsNamedObjectsOnly(bound);
    for (const s of subjects(obj)) {
      if (s.kind !== 'Group' && s.kind !== 'User') continue;
      const b = Object.prototype.hasOwnProperty.call(BROAD, s.name) ? BROAD[s.name]! : undefined;
      if (!b || (s.kind === 'User') !== (s.name === 'system:anonymous')) continue;
      if (harmless && b.severity === 'warning') continue;
      ctx.report({
        path: [...s.path, 'name'],
        messageId: b.severity === 'error' ? 'anonymous' : 'broad',
        data: { kind: obj.kind, name: obj.name, role, subject: s.kind, group: s.name, who: b.who },
      });
    }
  },
});
