import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';
import { podLabels, specReplicas } from '../../src/model/workload.js';

export default defineRule({
  meta: {
    id: 'pdb-missing',
    severity: 'info',
    category: 'reliability',
    description:
      'Deployments and StatefulSets with two or more replicas (or an HPA) should have a PodDisruptionBudget selecting their pods.',
    rationale:
      'Without a budget, a node drain (upgrades, autoscaler scale-down, spot reclaim) may evict every replica at once when they share a node or a drain batch: the redundancy the replicas were meant to give disappears exactly during maintenance. ' +
      "Budgets often live in another repository or a Helm chart's separate template, so the rule is off by default.",
    remediation: "Add a PodDisruptionBudget with `maxUnavailable: 1` and the workload's pod selector.",
    tags: ['reliability', 'availability', 'pdb'],
    appliesTo: ['apps/Deployment', 'apps/StatefulSet', 'extensions/Deployment', 'apps.openshift.io/DeploymentConfig'],
    presets: [],
    equivalents: {
      polaris: ['missingPodDisruptionBudget'],
      'kube-score': ['Deployment has PodDisruptionBudget', 'StatefulSet has PodDisruptionBudget'],
    },
    messages: {
      missing:
        '{{kind}} {{name}} runs {{count}} but no PodDisruptionBudget in {{namespace}} selects its pods, so a node drain may evict them all at once; add one with maxUnavailable: 1.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
  },
  check(obj, ctx) {
    const hpa = ctx.index.hpasTargeting(obj)[0];
    const replicas = specReplicas(obj);
    let count: string;
    if (hpa) {
      const spec = hpa.data.spec;
      const max = isObj(spec) && typeof spec.maxReplicas === 'number' ? spec.maxReplicas : undefined;
      if (max !== undefined && max < 2) return;
      count = `up to ${max ?? 'several'} replicas (HorizontalPodAutoscaler ${hpa.name})`;
    } else {
      if (replicas === undefined || replicas < 2) return;
      count = `${replicas} replicas`;
    }
    if (ctx.index.pdbsSelecting(obj.namespace, podLabels(obj)).length) return;
    const spec = obj.data.spec;
    ctx.report({
      path: isObj(spec) && spec.replicas !== undefined ? ['spec', 'replicas'] : ['spec'],
      messageId: 'missing',
      data: {
        kind: obj.kind,
        name: obj.name,
        count,
        namespace: obj.declaredNamespace ? `namespace ${obj.declaredNamespace}` : 'the input for its namespace',
      },
    });
  },
});
