import { createRule } from '../../src/engine/rule.js';

export default createRule({
  meta: {
    id: 'invalid-object',
    severity: 'error',
    category: 'correctness',
    description: 'Every YAML document must be a Kubernetes object: a mapping with a string `apiVersion` and `kind`.',
    rationale:
      'kubectl refuses a document that is a plain string, a list, or a mapping without `apiVersion` and `kind` ("Object \'Kind\' is missing"), so the whole apply fails. Such a document is usually a stray fragment, a values file in the wrong directory, or a botched merge.',
    remediation:
      'Add `apiVersion` and `kind`, or move the file out of the manifest directory (or ignore it with `ignorePatterns`). A list of objects must be written as `kind: List` with `items:`, or as several documents separated by `---`.',
    tags: ['correctness'],
    messages: {
      notMapping: 'document {{document}} is {{type}}, not a Kubernetes object (a mapping with apiVersion and kind)',
      itemNotMapping: 'items[{{index}}] is {{type}}, not a Kubernetes object',
      noType: '{{where}} is not a Kubernetes object: {{problem}} (both must be non-empty strings)',
      /** apiVersion written in another case: keys are case-sensitive */
      keyCase:
        '{{where}} is not a Kubernetes object: it has no apiVersion, but {{key}}, which Kubernetes does not read (keys are case-sensitive); write apiVersion',
    },
    defaultOptions: {},
    engine: true,
    precision: 'very-high',
  },
});
