import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';

export default defineRule({
  meta: {
    id: 'pdb-unhealthy-eviction',
    severity: 'info',
    category: 'reliability',
    description: 'PodDisruptionBudgets should set `unhealthyPodEvictionPolicy: AlwaysAllow`.',
    rationale:
      'With the default policy (`IfHealthyBudget`) a pod that is running but not ready (crash-looping, stuck on a bad config) can only be evicted while the budget is satisfied, which a broken rollout makes impossible: the broken pods then block `kubectl drain` and node upgrades, although evicting them cannot make anything worse. `AlwaysAllow` lets unhealthy pods go and protects only the healthy ones.',
    remediation:
      'Set `spec.unhealthyPodEvictionPolicy: AlwaysAllow` (Kubernetes 1.27+, GA in 1.31), unless the application needs its not-ready pods kept (rare: e.g. data recovery that must not be interrupted).',
    tags: ['reliability', 'availability', 'pdb'],
    appliesTo: ['policy/PodDisruptionBudget'],
    presets: [],
    equivalents: { 'kube-linter': ['pdb-unhealthy-pod-eviction-policy'] },
    messages: {
      unset:
        'PodDisruptionBudget {{name}} does not set unhealthyPodEvictionPolicy, so crash-looping pods it selects can block node drains; set unhealthyPodEvictionPolicy: AlwaysAllow.',
      ifHealthy:
        'PodDisruptionBudget {{name}} sets unhealthyPodEvictionPolicy: IfHealthyBudget, so crash-looping pods it selects can block node drains; set AlwaysAllow unless not-ready pods must be kept.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
  },
  check(obj, ctx) {
    const spec = obj.data.spec;
    if (!isObj(spec)) return;
    const v = spec.unhealthyPodEvictionPolicy;
    if (v === 'AlwaysAllow') return;
    if (v === undefined || v === null) ctx.report({ path: ['spec'], messageId: 'unset', data: { name: obj.name } });
    else ctx.report({ path: ['spec', 'unhealthyPodEvictionPolicy'], messageId: 'ifHealthy', data: { name: obj.name } });
  },
});
