import { defineRule } from '../../src/engine/rule.js';
import { asArray, isObj } from '../../src/model/object.js';
import { containers } from '../../src/model/workload.js';

export default defineRule({
  meta: {
    id: 'ssh-port',
    severity: 'info',
    category: 'security',
    description: 'Containers should not expose the SSH port (22).',
    rationale:
      "An SSH daemon in a container is a second way in that bypasses Kubernetes' own access control (RBAC on `pods/exec`, audit logging), with its own keys or passwords to leak and rotate, and usually means the image runs several processes under a supervisor. " +
      'Git servers (Gitea, GitLab shell) serve SSH by design, so the rule is `info` and off by default.',
    remediation:
      'Use `kubectl exec` or `kubectl debug` for shell access and remove the SSH daemon and its port from the image. For a service that speaks SSH on purpose, suppress with the reason.',
    tags: ['security', 'ports'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: { 'kube-linter': ['ssh-port'] },
    messages: {
      ssh: 'container "{{container}}" of {{kind}} {{name}} exposes port 22 (SSH), a way in that bypasses Kubernetes RBAC and audit; use kubectl exec and remove the SSH daemon.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
    securitySeverity: 3.0,
  },
  check(obj, ctx) {
    for (const c of containers(obj)) {
      asArray(c.container.ports).forEach((p, i) => {
        if (!isObj(p) || p.containerPort !== 22 || (typeof p.protocol === 'string' && p.protocol.toUpperCase() !== 'TCP')) return;
        ctx.report({
          path: [...c.path, 'ports', i, 'containerPort'],
          messageId: 'ssh',
          data: { container: c.name, kind: obj.kind, name: obj.name },
        });
      });
    }
  },
});
