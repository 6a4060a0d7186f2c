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
      'A chart is rendered as on a cluster of the target version (`kubernetesVersion`): `.Capabilities.APIVersions` holds the `group/version/Kind` of every built-in resource that version serves, as discovery answers `helm install` (offline, `helm template` knows only group/versions, so `Has "policy/v1/PodDisruptionBudget"` would take a chart\'s legacy branch). ' +
      'A chart whose defaults stop the render on purpose (a `required` value, a `fail`, values its schema rejects: the chart needs a choice only its user can make) and that ships chart-testing values files (`ci/*-values.yaml`, the configurations `ct install` tests) is rendered and linted with each of them (a finding that differs between them, or that only some of them give, names those values files, or the few that do not give it), and the stop is an info; when the run gives the chart values (`--values`, `--set`, or render profiles in the config) these are used instead, and a stop is an error. ' +
      'A directory whose Chart.yaml is itself a Go template (`version: {{ .Version }}`, the source a release script generates a chart from) is not a chart: helm cannot load it, and an info at the template says so. ' +
      "A chart with a template that renders a list (a JSON or YAML array, such as the JSON patch linkerd's `patch` chart generates for its proxy injector) generates something other than manifests: helm cannot split it into objects, and an info at the template says it was not linted (`helm install` of such a chart fails loudly). " +
      'A chart with no values.yaml but a template of it (`values.tmpl.yaml`, from which a build step generates the git-ignored values.yaml with envsubst, as envoyproxy/gateway does) that fails to render without values is the source of a chart, not a chart: an info says to generate the values first. ' +
      'A render that a template stops (`fail`, `required`) after reading the cluster with `lookup` in the same named template (a chart that looks up the Deployment of its controller and fails when there is none) is an info: offline, `helm template` has no cluster and lookup finds nothing, so whether it renders on a cluster cannot be known; the info names the lookup. ' +
      'Likewise a values.schema.json (of the chart, a vendored dependency or one kept in the repository) that refers to a URL (`$ref: https://…`, or a relative `$ref` under an `$id` URL), which helm would download: the chart is rendered with `--skip-schema-validation` and an info at the reference says the values were not checked.',
    remediation:
      "Fix the template at the reported line, or vendor the chart's dependencies (`helm dependency build`), or run with `--helm-dependency-update`. Install helm (k8s-gold does not download it) or set `helm.command` in `.k8s-gold.yaml`.",
    tags: ['helm'],
    messages: {
      failed: 'helm template {{chart}} failed: {{error}}',
      profileFailed: 'helm template {{chart}} (profile {{profile}}) failed: {{error}}',
      /** no values.yaml, only a template of it that a build step fills in: the chart's source, not the chart */
      valuesGenerated: {
        text: '{{chart}} has no values.yaml, only {{template}}, from which a build step generates it (envsubst, a release script), and helm template failed without it ({{error}}); generate values.yaml before the lint (it may be git-ignored), or give the values in a render profile (helm.charts[].profiles in the config)',
        severity: 'info',
      },
      /** a template stopped the render after a `lookup`, which finds nothing offline: not known to fail on a cluster */
      lookupStop: {
        text: 'helm template {{chart}}{{profile}} stopped ({{error}}) after the template read the cluster with lookup ({{lookup}}): helm template has no cluster, so lookup finds nothing here, and whether the chart renders on a cluster cannot be known, so it was not linted; give values that spare the lookup in a render profile (helm.charts[].profiles in the config) to have it linted',
        severity: 'info',
      },
      /** a dependency missing from charts/ that the values switch off: the chart was rendered without it */
      dependencyOff: {
        text: 'dependency {{name}} is not vendored in charts/ but is switched off ({{reason}}), so {{chart}} was rendered without it; helm itself refuses to render the chart until it is vendored (helm dependency build)',
        severity: 'info',
      },
      /** the defaults stop the render (`required`, `fail`, the values schema): rendered with the chart's chart-testing values */
      chartTestingValues: {
        text: '{{chart}} does not render with its default values ({{error}}): it needs values, so it was linted with each of its chart-testing values files ({{files}}, as ct install renders it); choose the values to lint with render profiles, helm.charts[].profiles in the config',
        severity: 'info',
      },
      /** Chart.yaml is a Go template itself (`version: {{ .Version }}`): the source of a generated chart, not a chart */
      chartIsTemplate: {
        text: '{{file}} of {{chart}} is itself a template ({{text}}), which helm cannot load: this directory is the source a chart is generated from, not a chart, so it was not rendered; lint the generated chart, or add an ignore pattern for this directory',
        severity: 'info',
      },
      /** a template renders a list (a JSON patch), not objects: the chart generates something other than manifests */
      rendersList: {
        text: '{{template}} renders a list (a JSON or YAML array), not Kubernetes objects, so helm template {{chart}} failed ({{error}}): the chart generates something other than manifests (a JSON patch another program applies), so it was not linted; if it is meant to be installed, make the template render objects, else add an ignore pattern for this chart',
        severity: 'info',
      },
      /** the chart fails in the default namespace: rendered in a namespace named after it */
      namespaceRefused: {
        text: '{{chart}} refuses to render in the default namespace here, so it was rendered with --namespace {{namespace}}, as it is installed into a namespace of its own; set the namespace you install into with helm.charts[].profiles[].namespace in the config',
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
