import { defineRule } from '../../src/engine/rule.js';
import { podLabels } from '../../src/model/workload.js';

export default defineRule({
  meta: {
    id: 'network-policy-missing',
    severity: 'info',
    category: 'security',
    description: 'Workloads should be selected by a NetworkPolicy in their namespace.',
    rationale:
      'Kubernetes allows all pod-to-pod traffic until a NetworkPolicy selects a pod: then only what the policies allow gets through. A pod no policy selects accepts connections from every pod of the cluster (and can reach every one), so one compromised pod anywhere can probe and attack it. Policies are often managed outside the application\'s manifests, so the rule is off by default.',
    remediation: 'Add a default-deny NetworkPolicy to the namespace (`podSelector: {}`, `policyTypes: [Ingress, Egress]`) and policies that allow the traffic each workload needs.',
    tags: ['security', 'networking'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: { polaris: ['missingNetworkPolicy'], 'kube-linter': ['non-isolated-pod'], 'kube-score': ['Pod NetworkPolicy'] },
    messages: {
      none: '{{kind}} {{name}}: no NetworkPolicy in {{namespace}} selects its pods, so every pod of the cluster can connect to them; add a default-deny policy and allow what it needs.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
    securitySeverity: 3.0,
  },
  check(obj, ctx) {
    if (obj.kind === 'PodTemplate') return;
    if (ctx.index.networkPoliciesSelecting(obj.namespace, podLabels(obj)).length) return;
    ctx.report({ path: [], messageId: 'none', data: { kind: obj.kind, name: obj.name, namespace: obj.declaredNamespace ? `namespace ${obj.declaredNamespace}` : 'the input for its namespace' } });
  },
});
