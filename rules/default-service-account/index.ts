import { defineRule } from '../../src/engine/rule.js';
import { podTemplate } from '../../src/model/workload.js';
import { podServiceAccount } from '../../src/model/service-account.js';

export default defineRule({
  meta: {
    id: 'default-service-account',
    severity: 'info',
    category: 'security',
    description: "Pods should run as a dedicated ServiceAccount, not the namespace's `default` one.",
    rationale:
      'Every pod that names no service account runs as `default`, so any permission anyone ever grants to `default` (a RoleBinding added for one app) silently goes to every such pod of the namespace, and audit logs cannot tell the workloads apart. ' +
      'A dedicated ServiceAccount per workload keeps its permissions (and cloud IAM bindings through Workload Identity or IRSA) to itself. It is a hygiene rule, not on by default.',
    remediation:
      'Create a ServiceAccount for the workload (with `automountServiceAccountToken: false` if it does not call the API) and set `serviceAccountName` in the pod template.',
    tags: ['security', 'service-account'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: { 'kube-linter': ['default-service-account'], checkov: ['CKV_K8S_41'] },
    messages: {
      implicit:
        '{{kind}} {{name}} names no service account, so its pods run as ServiceAccount default and get whatever is granted to it; create a dedicated ServiceAccount and set serviceAccountName.',
      explicit:
        '{{kind}} {{name}} runs as ServiceAccount default ({{field}}), which every pod of the namespace without a service account shares; create a dedicated ServiceAccount and name it here.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
    securitySeverity: 3.0,
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl) return;
    const sa = podServiceAccount(tpl);
    if (sa.name !== 'default') return;
    ctx.report({ path: sa.path, messageId: sa.field ? 'explicit' : 'implicit', data: { kind: obj.kind, name: obj.name, field: sa.field } });
  },
});
