import { createRule } from '../../src/engine/rule.js';

export default createRule({
  meta: {
    id: 'helm-render',
    severity: 'error',
    category: 'syntax',
    description: 'A Helm chart must render with `helm template`, so that what it deploys can be linted.',
    rationale:
      'k8s-gold lints a chart by rendering it with `helm template` (for each render profile in the config) and linting the output, with every finding mapped back to the template line that wrote it. A chart that does not render deploys nothing and can be checked for nothing: a template error, a dependency that is not vendored in `charts/` (k8s-gold never fetches dependencies unless `--helm-dependency-update` is given), a missing values file, or no `helm` binary. Such a run must not go green, so the failure is an error at the file and line helm names. ' +
      "A dependency kept in the repository (`repository: file://…`) that is not vendored is rendered as `helm dependency build` would vendor it, offline (a copy of the chart is rendered; the user's tree is not written). One exception: a dependency missing from `charts/` that the values switch off (its `condition` or `tags` are false with the chart's values and the profile's values files, decided as helm decides them) would render nothing, but helm refuses the chart before it reads conditions; k8s-gold renders a copy of the chart without that entry and reports an info at the dependency. " +
      'Likewise a values.schema.json that refers to a URL (`$ref: https://…`), which helm would download: the chart is rendered with `--skip-schema-validation` and an info at the reference says the values were not checked.',
    remediation:
      "Fix the template at the reported line, or vendor the chart's dependencies (`helm dependency build`), or run with `--helm-dependency-update`. Install helm (k8s-gold does not download it) or set `helm.command` in `.k8s-gold.yaml`.",
    tags: ['helm'],
    messages: {
      failed: 'helm template {{chart}} failed: {{error}}',
      profileFailed: 'helm template {{chart}} (profile {{profile}}) failed: {{error}}',
      /** a dependency missing from charts/ that the values switch off: the chart was rendered without it */
      dependencyOff: {
        text: 'dependency {{name}} is not vendored in charts/ but is switched off ({{reason}}), so {{chart}} was rendered without it; helm itself refuses to render the chart until it is vendored (helm dependency build)',
        severity: 'info',
      },
      /** values.schema.json refers to a URL, which helm would download to check the values */
      schemaNotChecked: {
        text: 'values.schema.json refers to {{url}}, which helm downloads to check the values; k8s-gold does not download, so {{chart}} was rendered with --skip-schema-validation and its values were not checked against the schema (vendor the referenced schema into the file to have them checked)',
        severity: 'info',
      },
    },
    defaultOptions: {},
    engine: true,
    precision: 'very-high',
  },
});
