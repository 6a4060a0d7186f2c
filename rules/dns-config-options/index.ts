import { defineRule } from '../../src/engine/rule.js';
import { isObj, own } from '../../src/model/object.js';
import { podTemplate } from '../../src/model/workload.js';

interface Options {
  options: { name: string; value?: string }[];
}

const show = (o: { name: string; value?: string }): string => (o.value === undefined ? o.name : `${o.name}:${o.value}`);

export default defineRule<Options>({
  meta: {
    id: 'dns-config-options',
    severity: 'info',
    category: 'efficiency',
    description: 'Pods set the resolver options a team requires in `dnsConfig.options` (by default `ndots: 2`).',
    rationale:
      'With the cluster default `ndots: 5`, every lookup of an external name with fewer than five dots (`api.example.com`) is first tried against each search domain of the pod (`<ns>.svc.cluster.local`, `svc.cluster.local`, `cluster.local`, …): three to five failed queries before the real one, which loads CoreDNS and adds latency to each new connection. ' +
      'A lower `ndots` sends such names to the upstream resolver first. Whether that matters depends on the application, so the rule is off by default and the options it requires are configurable.',
    remediation:
      'Add the option to the pod spec: `dnsConfig: {options: [{name: ndots, value: "2"}]}`; short in-cluster names (`my-svc`, `my-svc.my-ns`) still resolve through the search list.',
    tags: ['efficiency', 'dns'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: { 'kube-linter': ['dnsconfig-options'] },
    schema: {
      type: 'object',
      properties: {
        options: {
          type: 'array',
          description: 'The resolver options every pod must set; an entry without `value` only requires the option name.',
          items: {
            type: 'object',
            properties: { name: { type: 'string', minLength: 1 }, value: { type: 'string' } },
            required: ['name'],
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { options: [{ name: 'ndots', value: '2' }] },
    messages: {
      missing:
        '{{kind}} {{name}} does not set the DNS option {{option}} in dnsConfig.options; add {name: {{optName}}{{optValue}}} to spec.dnsConfig.options.',
      wrongValue: '{{kind}} {{name}} sets the DNS option {{optName}} to {{found}}, not the required {{want}}; set its value to "{{want}}".',
    },
    precision: 'high',
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl) return;
    const list = own(own(tpl.spec, 'dnsConfig'), 'options');
    const present = Array.isArray(list) ? list : [];
    const base = [...tpl.specPath, 'dnsConfig', 'options'];
    for (const want of ctx.options.options) {
      const i = present.findIndex((o) => isObj(o) && o.name === want.name);
      if (i < 0) {
        ctx.report({
          path: base,
          messageId: 'missing',
          data: {
            kind: obj.kind,
            name: obj.name,
            option: show(want),
            optName: want.name,
            optValue: want.value === undefined ? '' : `, value: "${want.value}"`,
          },
        });
        continue;
      }
      const found = own(present[i], 'value');
      if (want.value === undefined || (found !== undefined && found !== null && String(found) === want.value)) continue;
      ctx.report({
        path: [...base, i, 'value'],
        messageId: 'wrongValue',
        data: {
          kind: obj.kind,
          name: obj.name,
          optName: want.name,
          found: found === undefined || found === null ? 'no value' : String(found),
          want: want.value,
        },
      });
    }
  },
});
