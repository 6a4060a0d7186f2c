import { defineRule } from '../../src/engine/rule.js';

const LABEL = 'app.kubernetes.io/instance';

export default defineRule({
  meta: {
    id: 'instance-label-mismatch',
    severity: 'info',
    category: 'hygiene',
    description:
      "A workload's `app.kubernetes.io/instance` label equals its `metadata.name` (a convention some teams adopt; off by default).",
    rationale:
      'Teams that name each workload after its application instance use the `app.kubernetes.io/instance` label to find it in dashboards and cost reports; a copy-pasted manifest that keeps the old label attributes the new workload to the wrong instance. ' +
      "Kubernetes' recommended labels do not require the two to match (a Helm release names its instance `<release>` and its objects `<release>-<chart>`), so the rule is only for teams with that convention and is off by default.\n\n" +
      'Decisions: a workload without the label is not reported (`required-labels` requires labels); only workloads (objects with a pod template, bare pods included) are checked, as Polaris does.',
    remediation: 'Set `metadata.labels["app.kubernetes.io/instance"]` to the workload\'s `metadata.name` (or rename the workload).',
    tags: ['hygiene', 'labels'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: { polaris: ['metadataAndInstanceMismatched'] },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    messages: {
      mismatch:
        '{{kind}} {{name}} has the label app.kubernetes.io/instance: {{value}}, which differs from its name; set the label to {{name}} (or rename the {{kind}}).',
    },
    precision: 'high',
  },
  check(obj, ctx) {
    const v = obj.labels[LABEL];
    if (v === undefined || v === null || String(v) === obj.name || obj.name === '' || obj.name.endsWith('*')) return;
    ctx.report({ path: ['metadata', 'labels', LABEL], messageId: 'mismatch', data: { kind: obj.kind, name: obj.name, value: String(v) } });
  },
});
