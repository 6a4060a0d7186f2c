import { createRule } from '../../src/engine/rule.js';

export default createRule({
  meta: {
    id: 'unused-suppression',
    severity: 'warning',
    category: 'suppressions',
    description: 'A suppression that suppresses nothing should be removed.',
    rationale:
      'A stale suppression hides the next real finding of that rule at that place, long after the original reason went away. It may also name a rule id with a typo, so that it never worked.',
    remediation: 'Delete the suppression comment or annotation, or fix the rule id it names (`k8s-gold rules` lists them).',
    tags: ['suppressions'],
    defaultOptions: {},
    engine: true,
    precision: 'very-high',
  },
});
