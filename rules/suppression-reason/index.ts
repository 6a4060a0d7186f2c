import { createRule } from '../../src/engine/rule.js';

export default createRule({
  meta: {
    id: 'suppression-reason',
    severity: 'warning',
    category: 'suppressions',
    description: 'Every suppression must say why.',
    rationale:
      'A suppression without a reason cannot be reviewed: a year later nobody knows whether the finding was a false positive, an accepted risk, or a shortcut. The finding stays suppressed; this warning asks for the reason.',
    remediation:
      'Add the reason after `--` in a comment (`# k8s-gold-ignore <rule-id> -- <reason>`) or as the annotation value (`ignore.k8s-gold.dev/<rule-id>: "<reason>"`).',
    tags: ['suppressions'],
    messages: {
      comment: 'this suppression gives no reason; add one after "--": # k8s-gold-ignore <rule-id> -- <reason>',
      annotation: 'annotation {{key}} gives no reason; set its value to the reason (optionally "containers=<names> -- <reason>")',
      narrowedAnnotation: 'annotation {{key}} gives no reason; set its value to the reason',
    },
    defaultOptions: {},
    engine: true,
    precision: 'very-high',
  },
});
