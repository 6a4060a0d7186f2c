import { defineRule } from '../../src/engine/rule.js';
import { isClusterScoped } from '../../src/model/index.js';

export default defineRule({
  meta: {
    id: 'default-namespace',
    severity: 'info',
    category: 'hygiene',
    description: 'Namespaced objects should not be placed in the `default` namespace.',
    rationale:
      'The `default` namespace is where everything lands by accident: it usually has no resource quota, no Pod Security level, no NetworkPolicies and broad RBAC, and what runs there is hard to attribute to a team. Objects that name no namespace go wherever `kubectl -n` or Kustomize puts them, which is often intended, so only an explicit `namespace: default` is reported.',
    remediation: "Put the objects in the application's own namespace (`metadata.namespace`, or Kustomize's `namespace:`).",
    tags: ['hygiene', 'namespaces'],
    appliesTo: ['Any'],
    presets: [],
    equivalents: { checkov: ['CKV_K8S_21'], 'kube-linter': ['use-namespace'] },
    messages: {
      explicit:
        "{{kind}} {{name}} is placed in the default namespace, which usually has no quota, Pod Security level or NetworkPolicy; use the application's own namespace.",
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
  },
  check(obj, ctx) {
    if (obj.declaredNamespace !== 'default' || isClusterScoped(obj.kind)) return;
    ctx.report({ path: ['metadata', 'namespace'], messageId: 'explicit', data: { kind: obj.kind, name: obj.name } });
  },
});
