import { defineRule } from '../../src/engine/rule.js';
import { asArray, isObj } from '../../src/model/object.js';
import { containers } from '../../src/model/workload.js';

export default defineRule({
  meta: {
    id: 'privileged-ports',
    severity: 'info',
    category: 'security',
    description: 'Containers should listen on ports of 1024 and above (`containerPort`).',
    rationale:
      'Binding a port below 1024 traditionally needs root or the `NET_BIND_SERVICE` capability, so an image that listens on 80 or 443 tends to run as root or to keep a capability it otherwise would not need. Inside a pod the port number is private: a Service can map 80 to 8080, so nothing requires the low port. ' +
      'Runtimes that set `net.ipv4.ip_unprivileged_port_start=0` in the pod make low ports bindable without privilege, which is why this is an `info` rule, off by default.',
    remediation:
      'Make the process listen on a high port (8080, 8443) and map the well-known port in the Service (`port: 80, targetPort: 8080`).',
    tags: ['security', 'ports'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: { 'kube-linter': ['privileged-ports'] },
    messages: {
      low: 'container "{{container}}" of {{kind}} {{name}} listens on port {{port}}, below 1024, which usually needs root or NET_BIND_SERVICE; listen on a high port and map {{port}} in the Service.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
    securitySeverity: 2.0,
  },
  check(obj, ctx) {
    for (const c of containers(obj)) {
      asArray(c.container.ports).forEach((p, i) => {
        if (!isObj(p) || typeof p.containerPort !== 'number' || p.containerPort < 1 || p.containerPort >= 1024) return;
        ctx.report({
          path: [...c.path, 'ports', i, 'containerPort'],
          messageId: 'low',
          data: { container: c.name, kind: obj.kind, name: obj.name, port: p.containerPort },
        });
      });
    }
  },
});
