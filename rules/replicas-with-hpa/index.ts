import { defineRule } from '../../src/engine/rule.js';
import { isObj, sourcePath } from '../../src/model/object.js';
import { sameDirectory } from '../../src/model/index.js';

export default defineRule({
  meta: {
    id: 'replicas-with-hpa',
    severity: 'warning',
    category: 'reliability',
    description: 'A workload scaled by a HorizontalPodAutoscaler should not set `spec.replicas`.',
    rationale:
      "The HPA owns `spec.replicas` of its target. When the manifest also sets it, a GitOps sync (or a `kubectl apply` that changes the value) resets the replica count to the manifest's value: a service scaled to 20 pods under load drops to 2 in the middle of the peak, until the HPA scales it back up minutes later.",
    // (an HPA in another directory than the workload is reported as info: such HPAs are often an optional add-on)
    remediation:
      "Delete `spec.replicas` from the manifest (the HPA's `minReplicas` sets the floor). When the object is first created without it, Kubernetes starts with 1 replica and the HPA raises it.",
    tags: ['reliability', 'autoscaling'],
    appliesTo: ['Scalable'],
    presets: ['recommended'],
    equivalents: { 'kube-score': ['Deployment targeted by HPA does not have replicas configured'] },
    messages: {
      replicas:
        '{{kind}} {{name}} sets replicas: {{replicas}} but HorizontalPodAutoscaler {{hpa}} ({{file}}) scales it, so a sync of this manifest (GitOps, or a kubectl apply that changes it) sets the autoscaled count back to {{replicas}}; delete spec.replicas.',
      replicasElsewhere: {
        text: '{{kind}} {{name}} sets replicas: {{replicas}}, and HorizontalPodAutoscaler {{hpa}} in another directory ({{file}}) scales it: if both are applied, a sync of this manifest sets the autoscaled count back to {{replicas}}; delete spec.replicas.',
        severity: 'info',
      },
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'very-high',
  },
  check(obj, ctx) {
    const spec = obj.data.spec;
    if (!isObj(spec) || spec.replicas === undefined || spec.replicas === null) return;
    const hpa = ctx.index.hpasTargeting(obj)[0];
    if (!hpa) return;
    // an HPA in another directory is often an optional add-on (an autoscaling/ folder beside a complete install)
    ctx.report({
      path: ['spec', 'replicas'],
      messageId: sameDirectory(obj, hpa) ? 'replicas' : 'replicasElsewhere',
      data: { kind: obj.kind, name: obj.name, replicas: String(spec.replicas), hpa: hpa.name, file: sourcePath(hpa) },
    });
  },
});
