import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';
import { podLabels, podTemplate } from '../../src/model/workload.js';
import { compileSelector, mapSelectorMatches } from '../../src/util/selector.js';

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

export default defineRule({
  meta: {
    id: 'selector-template-mismatch',
    severity: 'error',
    category: 'correctness',
    description: "A controller's `spec.selector` must select the labels of its own pod template.",
    rationale:
      'The API server rejects a Deployment, StatefulSet, DaemonSet, ReplicaSet or ReplicationController whose selector does not match its pod template labels (`selector does not match template labels`), so the apply fails; on old API versions that did not check, the controller creates pods it never counts and keeps creating more.',
    remediation:
      'Make `spec.selector.matchLabels` a subset of `spec.template.metadata.labels` (same keys, same values). The selector is immutable on apps/v1 objects: to change it, delete and recreate the object.',
    tags: ['correctness', 'labels'],
    appliesTo: [
      'apps/Deployment',
      'apps/StatefulSet',
      'apps/DaemonSet',
      'apps/ReplicaSet',
      'extensions/Deployment',
      'extensions/DaemonSet',
      'extensions/ReplicaSet',
      'core/ReplicationController',
      'apps.openshift.io/DeploymentConfig',
    ],
    presets: ['recommended'],
    equivalents: {
      'kube-linter': ['mismatching-selector'],
      'kube-score': [
        'Deployment Pod Selector labels match template metadata labels',
        'StatefulSet Pod Selector labels match template metadata labels',
      ],
    },
    messages: {
      mismatch:
        '{{kind}} {{name}}: spec.selector {{selector}} does not select its pod template labels {{labels}}; the API server rejects it. Make the selector match the template labels.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'very-high',
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    const spec = obj.data.spec;
    if (!tpl || !isObj(spec) || spec.selector === undefined || spec.selector === null) return;
    const labels = podLabels(obj);
    const sel = spec.selector;
    let ok: boolean;
    if (obj.kind === 'ReplicationController' || obj.kind === 'DeploymentConfig') {
      if (!isObj(sel) || Object.keys(sel).length === 0) return; // defaults to the template labels
      ok = mapSelectorMatches(sel, labels);
    } else {
      const c = compileSelector(sel);
      if (!c.valid || c.selectsEverything) return; // invalid or empty selectors are the schema rule's
      ok = c.matches(labels);
    }
    if (ok) return;
    ctx.report({
      path: ['spec', 'selector'],
      messageId: 'mismatch',
      data: { kind: obj.kind, name: obj.name, selector: show(sel), labels: show(labels) },
    });
  },
});
