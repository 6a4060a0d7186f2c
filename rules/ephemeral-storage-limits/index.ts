import { defineRule } from '../../src/engine/rule.js';
import { isObj, own } from '../../src/model/object.js';
import { containers } from '../../src/model/workload.js';

/** Whether a LimitRange of the namespace in the input gives containers a default ephemeral-storage limit (`default`, or `max` it falls back to). */
function limitRangeDefault(ranges: { data: unknown; name: string }[]): string | undefined {
  for (const lr of ranges) {
    const spec = own(lr.data, 'spec');
    const items = isObj(spec) && Array.isArray(spec.limits) ? spec.limits : [];
    for (const item of items) {
      if (!isObj(item) || item.type !== 'Container') continue;
      if (own(own(item, 'default'), 'ephemeral-storage') !== undefined || own(own(item, 'max'), 'ephemeral-storage') !== undefined)
        return lr.name;
    }
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'ephemeral-storage-limits',
    severity: 'info',
    category: 'reliability',
    description: 'Every container sets an ephemeral-storage limit (its logs, writable layer and disk-backed emptyDir writes are capped).',
    rationale:
      "A container without an ephemeral-storage limit can fill the node's disk with logs, temporary files or a disk-backed emptyDir; the kubelet then evicts pods under disk pressure, often not the one that wrote the data. " +
      'With a limit, the kubelet evicts only the container that exceeds it, and the request lets the scheduler place the pod on a node with room. Many clusters never run short of disk, so the rule is off by default.\n\n' +
      'Decisions: a missing request is not reported when a limit is set, because the API server copies the limit into the request; a default limit from a `LimitRange` (type `Container`, `default` or `max`) in the same namespace in the input counts as set; as a LimitRange outside the input may also give one, the finding is `info`. Init and sidecar containers are checked.',
    remediation:
      'Set `resources.limits.ephemeral-storage` (and `requests.ephemeral-storage` if the pod needs less than the limit to start), e.g. `1Gi`, or give the namespace a LimitRange with a default.',
    tags: ['reliability', 'resources'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: { 'kube-score': ['Container Ephemeral Storage Request and Limit'] },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    messages: {
      noLimit:
        "container {{container}} sets no limits.ephemeral-storage, so its logs, writable layer and emptyDir writes can fill the node's disk and get other pods evicted; set resources.limits.ephemeral-storage (e.g. 1Gi).",
    },
    precision: 'high',
  },
  check(obj, ctx) {
    let fromLimitRange: string | undefined | null = null;
    for (const c of containers(obj)) {
      const limits = own(own(c.container, 'resources'), 'limits');
      const lim = isObj(limits) ? own(limits, 'ephemeral-storage') : undefined;
      if (lim !== undefined && lim !== null) continue;
      if (fromLimitRange === null) fromLimitRange = limitRangeDefault(ctx.index.limitRanges(obj.namespace));
      if (fromLimitRange !== undefined) return;
      ctx.report({ path: [...c.path, 'resources', 'limits', 'ephemeral-storage'], messageId: 'noLimit', data: { container: c.name } });
    }
  },
});
