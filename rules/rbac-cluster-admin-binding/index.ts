import { defineRule } from '../../src/engine/rule.js';
import { sourcePath } from '../../src/model/object.js';
import { boundRole, isAllPowerful, policyRules, roleRef, subjects } from '../../src/model/rbac.js';

export default defineRule({
  meta: {
    id: 'rbac-cluster-admin-binding',
    severity: 'warning',
    category: 'security',
    description: 'Bindings should not grant `cluster-admin`, or a role in the input that grants every verb on every resource.',
    rationale:
      '`cluster-admin` is unrestricted superuser access: every Secret in every namespace, `pods/exec` into any pod, creating privileged pods on any node, changing RBAC itself. ' +
      "A ClusterRoleBinding to it makes every subject a full cluster administrator; a RoleBinding to it gives the same unlimited power inside the namespace. When the subject is a service account, anyone who reads that pod's token (an RCE in the app, a leaked CI log) owns the cluster. " +
      'A custom role whose rule is `apiGroups: ["*"], resources: ["*"]` with `verbs: ["*"]` (or every standard verb listed) is cluster-admin under another name. Kubernetes\' own bindings (`cluster-admin`, `system:*`) are not reported.',
    remediation:
      'Bind a role that lists what the subject needs (`kubectl auth can-i --list` and the audit log tell). Humans get cluster-admin through a break-glass group in the identity provider, not a standing binding in Git. Operators that install arbitrary resources (Argo CD, Flux) are the usual exception: suppress on the binding with the reason.',
    tags: ['security', 'rbac'],
    appliesTo: ['RBACBinding'],
    presets: ['recommended'],
    equivalents: {
      'kube-linter': ['cluster-admin-role-binding'],
      polaris: ['clusterrolebindingClusterAdmin', 'rolebindingClusterAdminClusterRole', 'rolebindingClusterAdminRole'],
    },
    messages: {
      clusterAdmin:
        '{{kind}} {{name}} binds ClusterRole cluster-admin to {{who}}: {{scope}}; bind a role that lists only the permissions they need.',
      allPowerful:
        '{{kind}} {{name}} binds {{roleKind}} {{role}} ({{file}}), which grants every verb on every resource (rules[{{index}}]: {{verbs}}), to {{who}}: {{scope}}; bind a role that lists only the permissions they need.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'very-high',
    securitySeverity: 8.0,
  },
  check(obj, ctx) {
    const ref = roleRef(obj);
    if (!ref) return;
    // Kubernetes' and GKE's own bindings (cluster-admin for system:masters, system:* bootstrap bindings)
    if (
      (obj.kind === 'ClusterRoleBinding' && obj.name === 'cluster-admin') ||
      obj.name.startsWith('system:') ||
      obj.name === 'gce:podsecuritypolicy:calico-sa'
    )
      return;
    const subs = subjects(obj);
    const who = subs.length ? subs.map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`).join(', ') : 'no subject';
    const scope =
      obj.kind === 'ClusterRoleBinding'
        ? 'full control of the whole cluster'
        : `full control of namespace ${obj.namespace}, Secrets and RBAC included`;
    if (ref.kind === 'ClusterRole' && ref.name === 'cluster-admin') {
      ctx.report({ path: ref.path, messageId: 'clusterAdmin', data: { kind: obj.kind, name: obj.name, who, scope } });
      return;
    }
    const role = boundRole(obj, ctx.index);
    if (!role) return;
    const p = policyRules(role).find(isAllPowerful);
    if (!p) return;
    ctx.report({
      path: ref.path,
      messageId: 'allPowerful',
      data: {
        kind: obj.kind,
        name: obj.name,
        roleKind: role.kind,
        role: role.name,
        file: sourcePath(role),
        index: p.index,
        verbs: p.verbs.includes('*') ? 'verbs *' : `verbs ${p.verbs.join(', ')}`,
        who,
        scope,
      },
    });
  },
});
