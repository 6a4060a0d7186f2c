import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';
import { containers } from '../../src/model/workload.js';

export default defineRule({
  meta: {
    id: 'privileged-container',
    severity: 'error',
    category: 'security',
    description: 'Containers must not run with `securityContext.privileged: true`.',
    rationale:
      "A privileged container gets every Linux capability, all host devices and no seccomp/AppArmor confinement: root in it is root on the node. One remote-code-execution bug in that image (or a compromised dependency) becomes a node takeover, then access to every other pod's secrets and service-account tokens on the node. " +
      'Namespaces enforcing the Pod Security Standards `baseline` or `restricted` profile reject such pods at admission, so the workload also fails to deploy there. The exact Pod Security check is `pss-privileged` (preset `pss-baseline`).',
    remediation:
      'Remove `privileged: true`. Grant only the capabilities the process needs (`capabilities.add: [NET_BIND_SERVICE]`), use a device plugin for hardware, and keep privileged node agents (CNI, CSI drivers) in a dedicated namespace with a suppression that states the reason.',
    tags: ['security', 'pod-security-standards', 'kube-linter', 'kube-score', 'polaris'],
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    appliesTo: ['PodSpecHolder'],
    messages: {
      privileged:
        'container "{{container}}" runs privileged: it gets every capability and all host devices, so a compromise of it is a compromise of the node (and Pod Security baseline rejects it); remove privileged: true and add only the capabilities it needs.',
    },
    precision: 'very-high',
    securitySeverity: 9.0,
  },
  check(obj, ctx) {
    for (const c of containers(obj, ['init', 'sidecar', 'regular', 'ephemeral'])) {
      const sc = c.container.securityContext;
      if (!isObj(sc) || sc.privileged !== true) continue;
      ctx.report({
        path: [...c.path, 'securityContext', 'privileged'],
        messageId: 'privileged',
        data: { container: c.name },
      });
    }
  },
});
