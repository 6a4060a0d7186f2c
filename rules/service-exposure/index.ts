import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';

export default defineRule({
  meta: {
    id: 'service-exposure',
    severity: 'info',
    category: 'security',
    description: 'Services of type `LoadBalancer` or `NodePort` are reported for review: they expose the pods outside the cluster.',
    rationale:
      'A `LoadBalancer` Service gets an address reachable from outside the cluster (often the internet, unless annotated as internal), and a `NodePort` opens the port on every node. Either bypasses the Ingress layer (TLS, authentication, rate limits, WAF) that the rest of the traffic goes through. Many Services are exposed on purpose, so the rule is off by default.',
    remediation:
      "Use `ClusterIP` behind an Ingress or Gateway, or restrict the load balancer (`loadBalancerSourceRanges`, the provider's internal-load-balancer annotation); suppress with the reason when the exposure is intended.",
    tags: ['security', 'networking'],
    appliesTo: ['core/Service'],
    presets: [],
    equivalents: { 'kube-linter': ['exposed-services'], 'kube-score': ['Service Type'] },
    messages: {
      loadBalancer:
        'Service {{name}} is of type LoadBalancer{{ranges}}, reachable from outside the cluster without the Ingress layer; use ClusterIP behind an Ingress, or restrict it with loadBalancerSourceRanges.',
      nodePort: 'Service {{name}} is of type NodePort, which opens its port on every node; use ClusterIP behind an Ingress.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
    securitySeverity: 3.0,
  },
  check(obj, ctx) {
    const spec = obj.data.spec;
    if (!isObj(spec)) return;
    if (spec.type === 'NodePort') ctx.report({ path: ['spec', 'type'], messageId: 'nodePort', data: { name: obj.name } });
    if (spec.type === 'LoadBalancer') {
      const restricted = Array.isArray(spec.loadBalancerSourceRanges) && spec.loadBalancerSourceRanges.length > 0;
      if (restricted) return;
      ctx.report({
        path: ['spec', 'type'],
        messageId: 'loadBalancer',
        data: { name: obj.name, ranges: ' with no loadBalancerSourceRanges' },
      });
    }
  },
});
