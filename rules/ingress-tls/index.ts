import { defineRule } from '../../src/engine/rule.js';
import { asArray, isObj } from '../../src/model/object.js';

export default defineRule({
  meta: {
    id: 'ingress-tls',
    severity: 'info',
    category: 'security',
    description: 'Ingresses should terminate TLS for their hosts (`spec.tls`).',
    rationale:
      'An Ingress without `tls` serves its hosts over plain HTTP unless the controller or a load balancer in front adds TLS: credentials and session cookies cross the network in clear text. Many setups terminate TLS before the Ingress (a cloud load balancer, a service mesh), so the rule is off by default.',
    remediation:
      'Add `spec.tls` with the hosts and a Secret holding the certificate (cert-manager creates it from an annotation), or suppress with the reason when TLS is terminated elsewhere.',
    tags: ['security', 'networking', 'tls'],
    appliesTo: ['Ingress'],
    presets: [],
    equivalents: { polaris: ['tlsSettingsMissing'] },
    messages: {
      none: 'Ingress {{name}} has no tls section, so {{hosts}} {{is}} served over plain HTTP unless something in front terminates TLS; add spec.tls with a certificate Secret.',
      uncovered: 'Ingress {{name}} serves host {{host}} without TLS: no spec.tls entry lists it; add it to spec.tls.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
    securitySeverity: 4.0,
  },
  check(obj, ctx) {
    const spec = obj.data.spec;
    if (!isObj(spec)) return;
    const hosts: { host: string; path: (string | number)[] }[] = [];
    asArray(spec.rules).forEach((r, i) => {
      if (isObj(r) && typeof r.host === 'string' && r.host !== '') hosts.push({ host: r.host, path: ['spec', 'rules', i, 'host'] });
    });
    const tls = asArray(spec.tls).filter(isObj);
    if (tls.length === 0) {
      const list = hosts.length ? hosts.map((h) => h.host).join(', ') : 'every host';
      ctx.report({ path: ['spec'], messageId: 'none', data: { name: obj.name, hosts: list, is: hosts.length > 1 ? 'are' : 'is' } });
      return;
    }
    const covered = tls.flatMap((t) => asArray(t.hosts)).filter((h): h is string => typeof h === 'string');
    const matches = (h: string) =>
      covered.some((c) => c === h || (c.startsWith('*.') && h.endsWith(c.slice(1)) && !h.slice(0, -c.length + 1).includes('.')));
    for (const h of hosts)
      if (!matches(h.host)) ctx.report({ path: h.path, messageId: 'uncovered', data: { name: obj.name, host: h.host } });
  },
});
