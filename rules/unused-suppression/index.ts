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
    messages: {
      unknownRule: 'suppression names unknown rule "{{rule}}"',
      unusedAny: 'unused suppression: no finding here to suppress',
      unusedOnLine: 'unused suppression: no {{rule}} finding on this line',
      unusedInFile: 'unused suppression: no {{rule}} finding in this file',
      annotationUnknownRule: 'annotation {{key}} names unknown rule "{{rule}}"',
      annotationUnused: 'unused suppression: {{object}} has no {{rule}} finding',
      annotationUnusedInContainers: 'unused suppression: {{object}} has no {{rule}} finding in container(s) {{containers}}',
    },
    defaultOptions: {},
    engine: true,
    precision: 'very-high',
  },
});
