import { createRule } from '../../src/engine/rule.js';

export default createRule({
  meta: {
    id: 'kustomize-render',
    severity: 'error',
    category: 'syntax',
    description: 'A kustomization must build with `kustomize build` (or `kubectl kustomize`), so that what it deploys can be linted.',
    rationale:
      'k8s-gold lints a kustomize tree by building each overlay (each kustomization no other one builds on) and linting the output, with every finding mapped back to the resource or patch file that holds the field. A kustomization that does not build deploys nothing and can be checked for nothing: a missing resource or patch file, a patch that matches no object, an invalid kustomization, or no kustomize or kubectl binary. Such a run must not go green, so the failure is an error at the kustomization entry the error names. A missing file that the repository `.gitignore` ignores (`deploy/overlays/*/params.yaml`, which `make deploy` writes from a local `.env`) is made by a setup step, not a defect of the checkout: the kustomization is not built, and an info at the entry says so, naming the `.gitignore` pattern; so is a missing file whose template lies beside it (`sriovdp-config.yaml.in`, `.tmpl`, `.tpl`, `.template`), which a script makes from it. A kustomization whose generators or transformers are external plugins (KRM functions, exec plugins), which kustomize runs only with `--enable-alpha-plugins`, is not built either: k8s-gold runs no plugin, and an info says so. A kustomization that reads a file outside its own directory (`../bases/x.yaml`), which kustomize refuses unless built with `--load-restrictor LoadRestrictionsNone` (as such repositories build it), is built that way and gets an info at the entry; `kustomize.loadRestrictor` in the config makes it an error (`rootOnly`) or silent (`none`).',
    remediation:
      'Fix the kustomization at the reported line (`kubectl kustomize <dir>` shows the same error). Install kustomize or kubectl, or set `kustomize.command` in `.k8s-gold.yaml`.',
    tags: ['kustomize'],
    messages: {
      failed: 'kustomize build {{dir}} failed: {{error}}',
      /** a listed file that is missing and git-ignored: a setup step makes it */
      notGenerated: { text: 'kustomize build {{dir}} not run: {{error}}', severity: 'info' },
      /** a generator or transformer that is an external plugin, which k8s-gold does not run */
      pluginNotRun: {
        text: 'kustomize build {{dir}} not run: {{plugin}} is an external plugin (a KRM function or exec plugin), which kustomize runs only with --enable-alpha-plugins and k8s-gold does not run, so this kustomization was not built or linted; to check what it builds, pipe `kustomize build --enable-alpha-plugins {{dir}}` to `k8s-gold lint -`',
        severity: 'info',
      },
      /** a file outside the kustomization's directory: built with --load-restrictor LoadRestrictionsNone */
      outsideRoot: {
        text: '{{file}} is outside this kustomization\'s directory, which a plain `kustomize build` or `kubectl apply -k` refuses ("is not in or below"); built and linted with --load-restrictor LoadRestrictionsNone, as a repository that does this builds it (Argo CD needs it in kustomize.buildOptions). Set kustomize.loadRestrictor in the config: rootOnly makes this an error, none drops this note.',
        severity: 'info',
      },
    },
    defaultOptions: {},
    engine: true,
    precision: 'very-high',
  },
});
