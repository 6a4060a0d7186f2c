import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';

export default defineRule({
  meta: {
    id: 'replicas-with-hpa',
    severity: 'warning',
    category: 'reliability',
    description: 'A workload scaled by a HorizontalPodAutoscaler should not set `spec.replicas`.',
    rationale:
      'The HPA owns `spec.replicas` of its target. When the manifest also sets it, every `kubectl apply` (or GitOps sync) resets the replica count to the manifest\'s value: a service scaled to 20 pods under load drops to 2 in the middle of the peak, until the HPA scales it back up minutes later.',
    remediation: 'Delete `spec.replicas` from the manifest (the HPA\'s `minReplicas` sets the floor). When the object is first created without it, Kubernetes starts with 1 replica and the HPA raises it.',
    tags: ['reliability', 'autoscaling'],
    appliesTo: ['Scalable'],
    presets: ['recommended'],
    equivalents: { 'kube-score': ['Deployment targeted by HPA does not have replicas configured'] },
    messages: {
      replicas: '{{kind}} {{name}} sets replicas: {{replicas}} but HorizontalPodAutoscaler {{hpa}} ({{file}}) scales it, so every apply resets it to {{replicas}}; delete spec.replicas.',
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
    ctx.report({ path: ['spec', 'replicas'], messageId: 'replicas', data: { kind: obj.kind, name: obj.name, replicas: String(spec.replicas), hpa: hpa.name, file: hpa.file.path } });
  },
});
