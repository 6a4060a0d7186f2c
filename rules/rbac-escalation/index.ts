import { defineRule } from '../../src/engine/rule.js';
import { isAggregated, policyRules } from '../../src/model/rbac.js';

const WHY: Record<string, string> = {
  escalate: 'lets its holder edit roles to grant permissions it does not have',
  bind: 'lets its holder bind roles with permissions it does not have, to itself',
  impersonate: 'lets its holder act as other users, groups or service accounts',
};

export default defineRule({
  meta: {
    id: 'rbac-escalation',
    severity: 'warning',
    category: 'security',
    description: 'Roles and ClusterRoles should not grant the `escalate`, `bind` or `impersonate` verbs.',
    rationale:
      'RBAC stops a subject from granting permissions it does not hold, except through these verbs: `escalate` on roles lets it add any permission to a role it can edit, `bind` on roles lets it bind a more powerful role to itself, and `impersonate` on users, groups or service accounts lets it send requests as them (`kubectl --as=system:admin`). ' +
      'Each is a direct path to cluster-admin for whoever holds the role or steals its token.',
    remediation:
      'Remove the verb. Tools that manage RBAC (Argo CD, operators installing roles) should get `escalate`/`bind` only on the roles they manage (`resourceNames`), and impersonation only for the identities they need; suppress with the reason.',
    tags: ['security', 'rbac'],
    appliesTo: ['RBACRole'],
    presets: ['recommended'],
    equivalents: { checkov: ['CKV_K8S_157', 'CKV_K8S_158'] },
    messages: {
      verb: '{{kind}} {{name}} grants "{{verb}}" on {{resources}} (rules[{{index}}]): it {{why}}, a path to cluster-admin; remove it, or restrict it to the roles or identities it manages with resourceNames.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'very-high',
    securitySeverity: 8.0,
  },
  check(obj, ctx) {
    if (isAggregated(obj) || obj.name.startsWith('system:')) return;
    for (const p of policyRules(obj)) {
      if (p.resourceNames.length) continue; // restricted to named roles or identities: the recommended form
      p.verbs.forEach((v, i) => {
        const verb = v.toLowerCase();
        if (!Object.prototype.hasOwnProperty.call(WHY, verb)) return;
        const resources = p.resources.filter((r) => r !== '\u0000').join(', ') || 'no resource';
        ctx.report({
          path: [...p.path, 'verbs', i],
          messageId: 'verb',
          data: { kind: obj.kind, name: obj.name, verb: v, resources, index: p.index, why: WHY[verb] },
        });
      });
    }
  },
});
