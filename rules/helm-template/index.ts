import { createRule } from '../../src/engine/rule.js';

export default createRule({
  meta: {
    id: 'helm-template',
    severity: 'info',
    category: 'syntax',
    description: 'Files inside a Helm chart are Go templates, not manifests: they are skipped with a note.',
    rationale:
      'Files under a directory that holds a `Chart.yaml` are Go templates. Linting them as YAML gives nonsense errors, and skipping them without a word would hide them. k8s-gold skips them and says so.',
    remediation: 'Render the chart and lint the output: `helm template . | k8s-gold lint -`.',
    tags: ['helm'],
    defaultOptions: {},
    engine: true,
    precision: 'very-high',
  },
});
