import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';

export default defineRule({
  meta: {
    id: 'scc-privileged',
    severity: 'warning',
    category: 'security',
    description: 'OpenShift SecurityContextConstraints do not set `allowPrivilegedContainer: true`.',
    rationale:
      "Every service account or group an SCC is granted to may run privileged containers, which have every capability and the host's devices: a process that escapes such a container owns the node. " +
      'OpenShift ships its own `privileged` SCC for the few system components that need it; an SCC written in a repository that allows it hands the same power to whoever it is bound to. Node agents sometimes need it, so the rule is off by default.',
    remediation: 'Set `allowPrivilegedContainer: false` and grant the specific capabilities the workload needs in `allowedCapabilities`.',
    tags: ['security', 'openshift'],
    appliesTo: ['security.openshift.io/SecurityContextConstraints'],
    presets: [],
    equivalents: { 'kube-linter': ['scc-deny-privileged-container'] },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    messages: {
      privileged:
        'SecurityContextConstraints {{name}} sets allowPrivilegedContainer: true, so every pod it admits may run privileged containers with full access to the node; set it to false and list the needed allowedCapabilities.',
    },
    precision: 'very-high',
  },
  check(obj, ctx) {
    const d = obj.data;
    if (!isObj(d) || d.allowPrivilegedContainer !== true) return;
    ctx.report({ path: ['allowPrivilegedContainer'], messageId: 'privileged', data: { name: obj.name } });
  },
});
