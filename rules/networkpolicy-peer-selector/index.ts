import { defineRule } from '../../src/engine/rule.js';
import { isObj, own } from '../../src/model/object.js';

/** `k=v,k2 In (a,b)` for a label selector. */
function describeSelector(sel: Record<string, unknown>): string {
  const parts: string[] = [];
  const ml = own(sel, 'matchLabels');
  if (isObj(ml)) for (const [k, v] of Object.entries(ml)) parts.push(`${k}=${String(v)}`);
  const me = own(sel, 'matchExpressions');
  if (Array.isArray(me)) {
    for (const e of me) {
      if (!isObj(e)) continue;
      const vals = Array.isArray(e.values) ? ` (${e.values.map(String).join(',')})` : '';
      parts.push(`${String(e.key)} ${String(e.operator)}${vals}`);
    }
  }
  return parts.join(',');
}

export default defineRule({
  meta: {
    id: 'networkpolicy-peer-selector',
    severity: 'info',
    category: 'networking',
    description: 'The `podSelector` of a NetworkPolicy ingress `from` or egress `to` peer selects the pods of some workload in the input.',
    rationale:
      "A peer `podSelector` without a `namespaceSelector` means pods of the policy's own namespace with those labels. When no workload there has them (a renamed label, a typo, pods that live in another namespace), the rule allows traffic from or to nobody and the real clients are cut off once the policy isolates the pods. " +
      'The pods may come from outside the input (another repository, an operator), so the finding is `info` and the rule is off by default.\n\n' +
      'Decisions: peers with a `namespaceSelector` (pods in other namespaces) and empty selectors (every pod of the namespace) are not checked; the workloads are those of the same namespace in the input (pod templates of every workload kind, bare pods included).',
    remediation:
      "Make the peer's `podSelector` match the pod template labels of the workload that should connect, or add a `namespaceSelector` when the pods live in another namespace.",
    tags: ['networking', 'networkpolicy'],
    appliesTo: ['networking.k8s.io/NetworkPolicy'],
    presets: [],
    equivalents: { 'kube-linter': ['dangling-networkpolicypeer-podselector'] },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    messages: {
      noMatch:
        'NetworkPolicy {{name}}: the {{direction}} peer podSelector ({{selector}}) matches no pod of any workload in {{namespace}} in the input, so it allows traffic {{fromTo}} nobody; fix the labels, or add a namespaceSelector if the pods live in another namespace.',
    },
    precision: 'medium',
  },
  check(obj, ctx) {
    const spec = obj.data.spec;
    if (!isObj(spec)) return;
    const namespace = obj.declaredNamespace ? `namespace ${obj.declaredNamespace}` : 'its namespace';
    for (const [section, peersKey, direction, fromTo] of [
      ['ingress', 'from', 'ingress', 'from'],
      ['egress', 'to', 'egress', 'to'],
    ] as const) {
      const rules = spec[section];
      if (!Array.isArray(rules)) continue;
      rules.forEach((rule, i) => {
        const peers = own(rule, peersKey);
        if (!Array.isArray(peers)) return;
        peers.forEach((peer, j) => {
          if (!isObj(peer) || peer.namespaceSelector !== undefined) return;
          const sel = peer.podSelector;
          if (!isObj(sel)) return;
          const selector = describeSelector(sel);
          if (selector === '') return;
          if (ctx.index.workloadsSelectedBy(obj.namespace, sel).length) return;
          ctx.report({
            path: ['spec', section, i, peersKey, j, 'podSelector'],
            messageId: 'noMatch',
            data: { name: obj.name, direction, selector, namespace, fromTo },
          });
        });
      });
    }
  },
});
