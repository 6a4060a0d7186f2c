import { defineRule } from '../../src/engine/rule.js';
import { roleRef, subjects } from '../../src/model/rbac.js';

export default defineRule({
  meta: {
    id: 'rbac-default-service-account',
    severity: 'warning',
    category: 'security',
    description: "Bindings should not grant roles to a namespace's `default` service account.",
    rationale:
      "Every pod that does not name a service account runs as `default`, so a role bound to it goes to every such pod of the namespace, today's and tomorrow's, including ones whose authors never asked for API access. " +
      "A compromise of any of them yields the role's permissions; and nobody reading a Deployment can see that its pods hold them.",
    remediation:
      "Create a dedicated ServiceAccount for the workload that needs the permissions, bind the role to it, and set `serviceAccountName` in that workload's pod template.",
    tags: ['security', 'rbac', 'service-account'],
    appliesTo: ['RBACBinding'],
    presets: ['recommended'],
    equivalents: { checkov: ['CKV_K8S_42'] },
    messages: {
      defaultSa:
        '{{kind}} {{name}} binds {{role}} to ServiceAccount {{namespace}}/default, so every pod of namespace {{namespace}} without a serviceAccountName holds it; bind it to a dedicated ServiceAccount.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'very-high',
    securitySeverity: 5.0,
  },
  check(obj, ctx) {
    if (obj.name.startsWith('system:')) return;
    const ref = roleRef(obj);
    const role = ref ? `${ref.kind} ${ref.name}` : 'its role';
    for (const s of subjects(obj)) {
      if (s.kind !== 'ServiceAccount' || s.name !== 'default') continue;
      const namespace = s.namespace ?? obj.namespace;
      ctx.report({ path: [...s.path, 'name'], messageId: 'defaultSa', data: { kind: obj.kind, name: obj.name, role, namespace } });
    }
  },
});
