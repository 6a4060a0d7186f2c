import { createRule } from '../../src/engine/rule.js';

export default createRule({
  meta: {
    id: 'kustomize-render',
    severity: 'error',
    category: 'syntax',
    description: 'A kustomization must build with `kustomize build` (or `kubectl kustomize`), so that what it deploys can be linted.',
    rationale:
      'k8s-gold lints a kustomize tree by building each overlay (each kustomization no other one builds on) and linting the output, with every finding mapped back to the resource or patch file that holds the field. A kustomization that does not build deploys nothing and can be checked for nothing: a missing resource or patch file, a patch that matches no object, an invalid kustomization, or no kustomize or kubectl binary. Such a run must not go green, so the failure is an error at the kustomization entry the error names.',
    remediation:
      'Fix the kustomization at the reported line (`kubectl kustomize <dir>` shows the same error). Install kustomize or kubectl, or set `kustomize.command` in `.k8s-gold.yaml`.',
    tags: ['kustomize'],
    messages: {
      failed: 'kustomize build {{dir}} failed: {{error}}',
    },
    defaultOptions: {},
    engine: true,
    precision: 'very-high',
  },
});
