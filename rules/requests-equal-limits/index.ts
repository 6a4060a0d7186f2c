import { defineRule } from '../../src/engine/rule.js';
import { isObj, own } from '../../src/model/object.js';
import { containers } from '../../src/model/workload.js';
import { parseQuantityShared as parseQuantity, quantityEquals } from '../../src/util/quantity.js';

interface Options {
  resources: string[];
}

export default defineRule<Options>({
  meta: {
    id: 'requests-equal-limits',
    severity: 'warning',
    category: 'reliability',
    description: 'Each container requests exactly what it is limited to, for the resources chosen (CPU and memory by default).',
    rationale:
      'A container whose limit is above its request can use more than the scheduler reserved for it: when its neighbours do the same during a spike, the node runs out of memory (and the kernel kills pods) or of CPU. ' +
      'Equal requests and limits for CPU and memory give the pod the Guaranteed QoS class, the last to be evicted. Many teams run Burstable pods on purpose, so the rule is off by default.\n\n' +
      'Decisions: a limit without a request is not reported, because the API server copies the limit into the missing request; a request without a limit is reported at `info` (a LimitRange the input does not hold may give it a default limit), a limit that differs from the request at `warning`. Quantities are compared exactly (`1Gi` == `1024Mi`); one that does not parse is left to `resource-requests-limits`.',
    remediation:
      'Set `resources.limits.<resource>` to the same quantity as `resources.requests.<resource>` (or drop the request: it then defaults to the limit).',
    tags: ['reliability', 'resources'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: {
      'kube-score': [
        'Container Resource Requests Equal Limits',
        'Container CPU Requests Equal Limits',
        'Container Memory Requests Equal Limits',
        'Container Ephemeral Storage Request Equals Limit',
      ],
    },
    schema: {
      type: 'object',
      properties: {
        resources: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          uniqueItems: true,
          description: 'The resources whose request must equal the limit (`cpu`, `memory`, `ephemeral-storage`, or an extended resource).',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { resources: ['cpu', 'memory'] },
    messages: {
      noLimit: {
        text: 'container {{container}} requests {{resource}} {{request}} but sets no limits.{{resource}}, so it can use more than the scheduler reserved for it (unless a LimitRange gives it a default); set limits.{{resource}} to {{request}}.',
        severity: 'info',
      },
      differ:
        'container {{container}}: requests.{{resource}} {{request}} differs from limits.{{resource}} {{limit}}, so it can use more than the scheduler reserved for it; set both to the same quantity.',
    },
    precision: 'high',
  },
  check(obj, ctx) {
    for (const c of containers(obj)) {
      const res = own(c.container, 'resources');
      if (!isObj(res)) continue;
      const requests = own(res, 'requests');
      const limits = own(res, 'limits');
      if (!isObj(requests)) continue;
      for (const r of ctx.options.resources) {
        const reqRaw = own(requests, r);
        if (reqRaw === undefined || reqRaw === null) continue;
        const req = parseQuantity(reqRaw);
        if (!req) continue;
        const path = [...c.path, 'resources', 'requests', r];
        const limRaw = isObj(limits) ? own(limits, r) : undefined;
        if (limRaw === undefined || limRaw === null) {
          ctx.report({ path, messageId: 'noLimit', data: { container: c.name, resource: r, request: String(reqRaw) } });
          continue;
        }
        const lim = parseQuantity(limRaw);
        if (!lim || quantityEquals(req, lim)) continue;
        ctx.report({ path, messageId: 'differ', data: { container: c.name, resource: r, request: String(reqRaw), limit: String(limRaw) } });
      }
    }
  },
});
