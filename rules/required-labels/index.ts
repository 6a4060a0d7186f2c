import { defineRule } from '../../src/engine/rule.js';
import { appliesTo } from '../../src/engine/applies.js';
import { isObj } from '../../src/model/object.js';

interface Options {
  labels: string[];
  annotations: string[];
  kinds: string[];
}

export default defineRule<Options>({
  meta: {
    id: 'required-labels',
    severity: 'warning',
    category: 'hygiene',
    description:
      "Objects must carry the labels and annotations the `labels` and `annotations` options list (an organisation's policy; nothing until configured).",
    rationale:
      'Ownership and cost labels (`team`, `owner`, `cost-center`) and contact annotations are how an organisation finds who to page, who pays, and what can be deleted; an object without them is an orphan the day its author leaves. Which keys are required is a local policy, so the rule does nothing until configured.',
    remediation:
      'Add the missing labels or annotations under `metadata` (Kustomize `commonLabels`/`commonAnnotations` set them on every object). `kinds` limits the rule to some kinds (`apps/Deployment`, `Workload`, …; default every object).',
    tags: ['hygiene', 'labels', 'policy'],
    appliesTo: ['Any'],
    presets: [],
    equivalents: { 'kube-linter': ['required-label-owner', 'required-annotation-email'] },
    messages: {
      label: '{{kind}} {{name}} has no label {{key}}, which this project requires; add it under metadata.labels.',
      annotation: '{{kind}} {{name}} has no annotation {{key}}, which this project requires; add it under metadata.annotations.',
    },
    schema: {
      type: 'object',
      properties: {
        labels: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Label keys every object must have.' },
        annotations: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Annotation keys every object must have.' },
        kinds: {
          type: 'array',
          items: { type: 'string' },
          description:
            'Kinds the rule applies to, as appliesTo matchers (group/Kind or a kind group such as Workload); empty: every object.',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { labels: [], annotations: [], kinds: [] },
    precision: 'very-high',
  },
  check(obj, ctx) {
    const { labels, annotations, kinds } = ctx.options;
    if (!labels.length && !annotations.length) return;
    if (kinds.length && !appliesTo(kinds, obj)) return;
    const meta = obj.metadata;
    for (const key of labels) {
      if (Object.prototype.hasOwnProperty.call(obj.labels, key)) continue;
      ctx.report({
        path: meta && isObj(meta.labels) ? ['metadata', 'labels'] : ['metadata'],
        messageId: 'label',
        data: { kind: obj.kind, name: obj.name, key },
      });
    }
    for (const key of annotations) {
      if (Object.prototype.hasOwnProperty.call(obj.annotations, key)) continue;
      ctx.report({
        path: meta && isObj(meta.annotations) ? ['metadata', 'annotations'] : ['metadata'],
        messageId: 'annotation',
        data: { kind: obj.kind, name: obj.name, key },
      });
    }
  },
});
