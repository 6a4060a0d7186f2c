import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';
import { specReplicas } from '../../src/model/workload.js';

interface Options {
  minReplicas: number;
}

export default defineRule<Options>({
  meta: {
    id: 'min-replicas',
    severity: 'info',
    category: 'reliability',
    description: 'Deployments and StatefulSets not scaled by an HPA should run at least `minReplicas` replicas (default 2).',
    rationale:
      'A single replica means every node drain, eviction, crash and rollout is an outage of the service, however short. Two replicas (three for quorum systems) ride those out. Plenty of workloads (batch consumers, singletons, dev environments) are single on purpose, so the rule is off by default.',
    remediation:
      'Set `spec.replicas` to 2 or more (and spread them with topologySpreadConstraints), or add a HorizontalPodAutoscaler with `minReplicas: 2`. `minReplicas` sets the threshold (kube-linter uses 3).',
    tags: ['reliability', 'availability'],
    appliesTo: ['apps/Deployment', 'apps/StatefulSet', 'extensions/Deployment', 'apps.openshift.io/DeploymentConfig'],
    presets: [],
    equivalents: {
      'kube-linter': ['minimum-three-replicas'],
      polaris: ['deploymentMissingReplicas'],
      'kube-score': ['Deployment Replicas'],
    },
    messages: {
      few: '{{kind}} {{name}} runs {{replicas}} replica{{s}}{{implicit}}, fewer than {{min}}, so a drain or crash takes the service down; set replicas: {{min}} or add an HPA.',
    },
    schema: {
      type: 'object',
      properties: { minReplicas: { type: 'integer', minimum: 1, description: 'Lowest accepted replica count.' } },
      additionalProperties: false,
    },
    defaultOptions: { minReplicas: 2 },
    precision: 'high',
  },
  check(obj, ctx) {
    const replicas = specReplicas(obj);
    if (replicas === undefined || replicas === 0 || replicas >= ctx.options.minReplicas) return; // 0: scaled down on purpose
    if (ctx.index.hpasTargeting(obj).length) return; // hpa-replicas checks the HPA's minReplicas
    const spec = obj.data.spec;
    const explicit = isObj(spec) && spec.replicas !== undefined && spec.replicas !== null;
    ctx.report({
      path: explicit ? ['spec', 'replicas'] : ['spec'],
      messageId: 'few',
      data: {
        kind: obj.kind,
        name: obj.name,
        replicas,
        s: replicas === 1 ? '' : 's',
        implicit: explicit ? '' : ' (spec.replicas defaults to 1)',
        min: ctx.options.minReplicas,
      },
    });
  },
});
