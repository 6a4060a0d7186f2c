import { defineRule } from '../../src/engine/rule.js';
import { podTemplate } from '../../src/model/workload.js';

export default defineRule({
  meta: {
    id: 'priority-class',
    severity: 'info',
    category: 'reliability',
    description: 'Pods should name a PriorityClass (`priorityClassName`).',
    rationale:
      'Without a priority class every pod has priority 0 (or the cluster\'s global default): when the cluster is full the scheduler cannot preempt a batch job to place a user-facing replica, and under node pressure the kubelet evicts by usage, not importance. Clusters without PriorityClasses gain nothing from it, so the rule is off by default.',
    remediation: 'Set `priorityClassName` to one of the cluster\'s PriorityClasses (e.g. a high one for user-facing services, a low one for batch).',
    tags: ['reliability', 'scheduling'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: { 'kube-linter': ['priority-class-name'], polaris: ['priorityClassNotSet'] },
    messages: {
      unset: '{{kind}} {{name}} sets no priorityClassName, so under pressure the scheduler and kubelet treat its pods like any other; set one of the cluster\'s PriorityClasses.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl || (typeof tpl.spec.priorityClassName === 'string' && tpl.spec.priorityClassName !== '')) return;
    ctx.report({ path: tpl.specPath, messageId: 'unset', data: { kind: obj.kind, name: obj.name } });
  },
});
