import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';
import { podLabels } from '../../src/model/workload.js';

export default defineRule({
  meta: {
    id: 'network-policy-missing',
    severity: 'info',
    category: 'security',
    description: 'Workloads should be selected by NetworkPolicies in their namespace that isolate both their ingress and their egress.',
    rationale:
      "Kubernetes allows all pod-to-pod traffic until a NetworkPolicy selects a pod: then only what the policies allow gets through. A pod no policy selects accepts connections from every pod of the cluster (and can reach every one), so one compromised pod anywhere can probe and attack it. Policies are often managed outside the application's manifests, so the rule is off by default.",
    remediation:
      'Add a default-deny NetworkPolicy to the namespace (`podSelector: {}`, `policyTypes: [Ingress, Egress]`) and policies that allow the traffic each workload needs.',
    tags: ['security', 'networking'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: { polaris: ['missingNetworkPolicy'], 'kube-linter': ['non-isolated-pod'], 'kube-score': ['Pod NetworkPolicy'] },
    messages: {
      partial:
        "{{kind}} {{name}}: the NetworkPolicies selecting its pods ({{policies}}) isolate only their {{covered}}, so their {{open}} is open to every pod of the cluster; add {{open}} to a policy's policyTypes with the rules it needs.",
      none: '{{kind}} {{name}}: no NetworkPolicy in {{namespace}} selects its pods, so every pod of the cluster can connect to them; add a default-deny policy and allow what it needs.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
    securitySeverity: 3.0,
  },
  check(obj, ctx) {
    if (obj.kind === 'PodTemplate') return;
    const policies = ctx.index.networkPoliciesSelecting(obj.namespace, podLabels(obj));
    if (policies.length) {
      // effective policyTypes: as listed, else Ingress (and Egress when the policy has egress rules)
      const types = new Set<string>();
      for (const p of policies) {
        const spec = isObj(p.data.spec) ? p.data.spec : {};
        if (Array.isArray(spec.policyTypes)) for (const t of spec.policyTypes) types.add(String(t));
        else {
          types.add('Ingress');
          if (spec.egress !== undefined && spec.egress !== null) types.add('Egress');
        }
      }
      if (types.has('Ingress') && types.has('Egress')) return;
      const covered = types.has('Ingress') ? 'ingress' : 'egress';
      const open = covered === 'ingress' ? 'egress' : 'ingress';
      ctx.report({
        path: [],
        messageId: 'partial',
        data: { kind: obj.kind, name: obj.name, policies: policies.map((p) => p.name).join(', '), covered, open },
      });
      return;
    }
    ctx.report({
      path: [],
      messageId: 'none',
      data: {
        kind: obj.kind,
        name: obj.name,
        namespace: obj.declaredNamespace ? `namespace ${obj.declaredNamespace}` : 'the input for its namespace',
      },
    });
  },
});
