import { defineRule } from '../../src/engine/rule.js';
import { grants, isAggregated, policyRules } from '../../src/model/rbac.js';

/** group, resource: what creates pods */
const POD_CREATORS: readonly [string, string][] = [
  ['', 'pods'],
  ['', 'replicationcontrollers'],
  ['apps', 'deployments'],
  ['apps', 'statefulsets'],
  ['apps', 'daemonsets'],
  ['apps', 'replicasets'],
  ['batch', 'jobs'],
  ['batch', 'cronjobs'],
];

export default defineRule({
  meta: {
    id: 'rbac-create-pods',
    severity: 'info',
    category: 'security',
    description: 'Roles and ClusterRoles that can create pods or pod controllers are reported for review.',
    rationale:
      'Creating a pod is a privilege-escalation path: the pod may mount any Secret of the namespace, run as any service account of the namespace (taking its token and permissions), and, where Pod Security admission does not stop it, run privileged on a node. ' +
      'Creating a Deployment, Job or other controller creates pods, so it is the same power. Controllers and CI systems need it legitimately, so this rule is not on by default; it lists the roles to review.',
    remediation:
      'Keep pod creation to the controllers and deploy pipelines that need it, in the namespaces they manage (a RoleBinding, not a ClusterRoleBinding), and enforce Pod Security admission (`restricted`) in those namespaces so that the pods they create cannot escalate.',
    tags: ['security', 'rbac'],
    appliesTo: ['RBACRole'],
    presets: [],
    equivalents: { 'kube-linter': ['access-to-create-pods'] },
    messages: {
      create:
        '{{kind}} {{name}} can create {{resource}} (rules[{{index}}]{{via}}): its holder can start pods with any service account and Secret of the namespace; keep it to controllers that need it.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
    securitySeverity: 5.0,
  },
  check(obj, ctx) {
    if (isAggregated(obj)) return;
    for (const p of policyRules(obj)) {
      for (const [group, resource] of POD_CREATORS) {
        const g = grants(p, group, resource, ['create']);
        if (!g) continue;
        const via = [g.verb === '*' ? 'verb *' : '', g.resource !== resource ? `resource ${g.resource}` : ''].filter(Boolean).join(', ');
        ctx.report({
          path: g.verbPath,
          messageId: 'create',
          data: { kind: obj.kind, name: obj.name, resource, index: p.index, via: via ? ` via ${via}` : '' },
        });
        break;
      }
    }
  },
});
