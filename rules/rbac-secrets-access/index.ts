import { defineRule } from '../../src/engine/rule.js';
import { grants, isAggregated, policyRules } from '../../src/model/rbac.js';

export default defineRule({
  meta: {
    id: 'rbac-secrets-access',
    severity: 'info',
    category: 'security',
    description: 'Roles and ClusterRoles that can read Secrets (`get`, `list` or `watch` on `secrets`) are reported for review.',
    rationale:
      'Reading Secrets is reading every password, API token and TLS key they hold, including service-account tokens of more privileged workloads: `list` on secrets in a namespace is often a path to everything that namespace can do. ' +
      'A ClusterRole with it, bound cluster-wide, reads every Secret in the cluster. Many controllers need it, so this rule is not on by default; it lists the roles to review.',
    remediation:
      "Restrict the rule with `resourceNames` to the Secrets the workload reads, prefer `get` over `list`/`watch` (list returns every Secret's content), and prefer a RoleBinding in one namespace over a ClusterRoleBinding. Better still, mount the Secret as a volume and drop the permission.",
    tags: ['security', 'rbac'],
    appliesTo: ['RBACRole'],
    presets: [],
    equivalents: { 'kube-linter': ['access-to-secrets'] },
    messages: {
      read: '{{kind}} {{name}} can {{verb}} secrets (rules[{{index}}]){{scope}}; restrict it with resourceNames or mount the Secret instead.',
      /** already restricted by resourceNames: advising resourceNames would be wrong */
      readNamed:
        '{{kind}} {{name}} can {{verb}} the Secrets {{names}} (rules[{{index}}]); check that its holder needs them, or mount them instead.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
    securitySeverity: 5.0,
  },
  check(obj, ctx) {
    if (isAggregated(obj)) return;
    for (const p of policyRules(obj)) {
      const g = grants(p, '', 'secrets', ['list', 'watch', 'get']);
      if (!g) continue;
      const verb = g.verb === '*' ? 'do anything with' : g.verb;
      if (p.resourceNames.length) {
        ctx.report({
          path: g.verbPath,
          messageId: 'readNamed',
          data: { kind: obj.kind, name: obj.name, verb, names: p.resourceNames.join(', '), index: p.index },
        });
        continue;
      }
      const scope = obj.kind === 'ClusterRole' ? ', every Secret of every namespace where it is bound' : '';
      ctx.report({ path: g.verbPath, messageId: 'read', data: { kind: obj.kind, name: obj.name, verb, index: p.index, scope } });
    }
  },
});
