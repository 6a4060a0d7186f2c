import { defineRule } from '../../src/engine/rule.js';
import { podTemplate } from '../../src/model/workload.js';

export default defineRule({
  meta: {
    id: 'priority-class',
    severity: 'info',
    category: 'reliability',
    description: 'Pods should name a PriorityClass (`priorityClassName`).',
    rationale:
      "Without a priority class every pod has priority 0 (or the cluster's global default): when the cluster is full the scheduler cannot preempt a batch job to place a user-facing replica, and under node pressure the kubelet evicts by usage, not importance. Clusters without PriorityClasses gain nothing from it, so the rule is off by default.",
    remediation:
      "Set `priorityClassName` to one of the cluster's PriorityClasses (e.g. a high one for user-facing services, a low one for batch).",
    tags: ['reliability', 'scheduling'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: { 'kube-linter': ['priority-class-name'], polaris: ['priorityClassNotSet'] },
    messages: {
      unset:
        "{{kind}} {{name}} sets no priorityClassName, so under pressure the scheduler and kubelet treat its pods like any other; set one of the cluster's PriorityClasses.",
      notAllowed:
        '{{kind}} {{name}} sets priorityClassName {{value}}, which is not one of the allowed classes ({{allowed}}); use one of them.',
    },
    schema: {
      type: 'object',
      properties: {
        allowedClasses: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          uniqueItems: true,
          description:
            "PriorityClass names pods may use (kube-linter's `acceptedPriorityClassNames`); a name outside the list is reported. Empty: any name.",
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { allowedClasses: [] as string[] },
    precision: 'high',
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl) return;
    const name = tpl.spec.priorityClassName;
    if (typeof name === 'string' && name !== '') {
      const allowed = ctx.options.allowedClasses;
      if (allowed.length && !allowed.includes(name)) {
        ctx.report({
          path: [...tpl.specPath, 'priorityClassName'],
          messageId: 'notAllowed',
          data: { kind: obj.kind, name: obj.name, value: name, allowed: allowed.join(', ') },
        });
      }
      return;
    }
    ctx.report({ path: tpl.specPath, messageId: 'unset', data: { kind: obj.kind, name: obj.name } });
  },
});
