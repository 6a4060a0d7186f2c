import { defineRule } from '../../src/engine/rule.js';
import { isObj, own } from '../../src/model/object.js';
import { podTemplate } from '../../src/model/workload.js';

export default defineRule({
  meta: {
    id: 'node-affinity',
    severity: 'info',
    category: 'reliability',
    description: 'Workloads say which nodes their pods may run on, with node affinity or a node selector.',
    rationale:
      'In a cluster with several node pools (GPU, spot, ARM, system nodes) a pod without a node constraint can land on any of them: on a spot node that is reclaimed, an architecture its image lacks, or the pool reserved for system components. ' +
      "Many clusters have one kind of node, so the rule is a team's choice and off by default.\n\n" +
      'Decisions: `nodeSelector` counts as a node constraint as well as `affinity.nodeAffinity` (both restrict the nodes the scheduler may pick). Bare pods are not checked.',
    remediation:
      'Add `spec.template.spec.affinity.nodeAffinity` (required or preferred terms on node labels such as `node.kubernetes.io/instance-type` or a pool label), or a `nodeSelector`.',
    tags: ['reliability', 'scheduling'],
    appliesTo: ['Workload'],
    presets: [],
    equivalents: { 'kube-linter': ['no-node-affinity'] },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    messages: {
      none: '{{kind}} {{name}} sets neither node affinity nor a nodeSelector, so its pods may be scheduled on any node pool; add affinity.nodeAffinity (or a nodeSelector) for the nodes it needs.',
    },
    precision: 'high',
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl) return;
    const sel = own(tpl.spec, 'nodeSelector');
    if (isObj(sel) && Object.keys(sel).length > 0) return;
    const na = own(own(tpl.spec, 'affinity'), 'nodeAffinity');
    if (isObj(na)) return;
    ctx.report({ path: [...tpl.specPath, 'affinity', 'nodeAffinity'], messageId: 'none', data: { kind: obj.kind, name: obj.name } });
  },
});
