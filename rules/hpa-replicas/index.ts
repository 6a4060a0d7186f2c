import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';

interface Options {
  minReplicas: number;
}

export default defineRule<Options>({
  meta: {
    id: 'hpa-replicas',
    severity: 'warning',
    category: 'reliability',
    description:
      "A HorizontalPodAutoscaler's `minReplicas` must not exceed `maxReplicas`, should be below it, and at least the `minReplicas` option.",
    rationale:
      'The API server rejects `minReplicas` greater than `maxReplicas`. With both equal the autoscaler never scales: the object only adds a moving part. A `minReplicas` of 1 means that at the quietest hour a single pod serves everything, and any eviction, node failure or rollout is an outage; peers ask for 2 (Polaris) or 3 (kube-linter), which the `minReplicas` option sets (default 1: not reported).',
    remediation:
      'Set `minReplicas` to the smallest replica count that survives losing a pod (2 or more for anything user-facing) and `maxReplicas` above it.',
    tags: ['reliability', 'availability', 'autoscaling'],
    appliesTo: ['autoscaling/HorizontalPodAutoscaler'],
    presets: ['recommended'],
    equivalents: {
      'kube-linter': ['hpa-minimum-three-replicas'],
      polaris: ['hpaMaxAvailability', 'hpaMinAvailability'],
      'kube-score': ['HorizontalPodAutoscaler Replicas'],
    },
    messages: {
      inverted: {
        text: 'HorizontalPodAutoscaler {{name}} sets minReplicas: {{min}} above maxReplicas: {{max}}; the API server rejects it. Swap or fix the values.',
        severity: 'error',
      },
      fixed: {
        text: 'HorizontalPodAutoscaler {{name}} sets minReplicas and maxReplicas both to {{max}}, so it never scales; raise maxReplicas or replace the HPA with spec.replicas.',
        severity: 'info',
      },
      low: 'HorizontalPodAutoscaler {{name}} lets {{target}} scale down to {{min}} pod{{s}}, below the configured minimum of {{want}}; set minReplicas: {{want}}.',
    },
    schema: {
      type: 'object',
      properties: {
        minReplicas: {
          type: 'integer',
          minimum: 1,
          description: 'Lowest accepted minReplicas (kube-score and Polaris use 2, kube-linter 3). 1 reports nothing.',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { minReplicas: 1 },
    precision: 'very-high',
  },
  check(obj, ctx) {
    const spec = obj.data.spec;
    if (!isObj(spec)) return;
    const max = typeof spec.maxReplicas === 'number' ? spec.maxReplicas : undefined;
    const explicitMin = typeof spec.minReplicas === 'number' ? spec.minReplicas : undefined;
    const min = explicitMin ?? 1;
    const minPath = explicitMin !== undefined ? ['spec', 'minReplicas'] : ['spec'];
    if (max !== undefined && min > max) {
      ctx.report({ path: minPath, messageId: 'inverted', data: { name: obj.name, min, max } });
      return;
    }
    if (min < ctx.options.minReplicas) {
      const ref = isObj(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
      const target = typeof ref.kind === 'string' && typeof ref.name === 'string' ? `${ref.kind} ${ref.name}` : 'its target';
      ctx.report({
        path: minPath,
        messageId: 'low',
        data: { name: obj.name, min, want: ctx.options.minReplicas, target, s: min === 1 ? '' : 's' },
      });
      return;
    }
    if (max !== undefined && min === max) ctx.report({ path: ['spec', 'maxReplicas'], messageId: 'fixed', data: { name: obj.name, max } });
  },
});
