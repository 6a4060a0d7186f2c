import { defineRule } from '../../src/engine/rule.js';
import { asArray, isObj } from '../../src/model/object.js';

export default defineRule({
  meta: {
    id: 'service-external-ips',
    severity: 'warning',
    category: 'security',
    description: 'Services should not set `spec.externalIPs`.',
    rationale:
      "kube-proxy routes traffic for a Service's `externalIPs` on every node, for any address the Service claims, without checking who owns it. Whoever can create a Service can therefore intercept traffic meant for another address (another Service, an external API, a DNS server): CVE-2020-8554, which Kubernetes will not fix in kube-proxy and mitigates only with the DenyServiceExternalIPs admission plugin.",
    remediation:
      'Use a `LoadBalancer` Service (the cloud or MetalLB assigns the address) or an Ingress. Clusters that need external IPs should restrict them with an admission policy; suppress with the reason.',
    tags: ['security', 'networking'],
    appliesTo: ['core/Service'],
    presets: ['recommended'],
    equivalents: {},
    messages: {
      externalIPs:
        'Service {{name}} claims externalIPs {{ips}}: kube-proxy on every node routes that traffic to it whoever owns the address (CVE-2020-8554); use a LoadBalancer Service or an Ingress.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'very-high',
    securitySeverity: 6.0,
  },
  check(obj, ctx) {
    const spec = obj.data.spec;
    if (!isObj(spec)) return;
    const ips = asArray(spec.externalIPs).filter((x) => typeof x === 'string' && x !== '');
    if (!ips.length) return;
    ctx.report({ path: ['spec', 'externalIPs'], messageId: 'externalIPs', data: { name: obj.name, ips: ips.join(', ') } });
  },
});
