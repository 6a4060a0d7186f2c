import { defineRule } from '../../src/engine/rule.js';
import { podTemplate } from '../../src/model/workload.js';

type HostField = 'hostNetwork' | 'hostPID' | 'hostIPC';

interface Options {
  allow: HostField[];
}

const WHY: Record<HostField, string> = {
  hostNetwork:
    "it shares the node's network stack: it can bind node ports, reach services listening on the node's loopback (kubelet, cloud metadata proxies), sniff node traffic, and bypasses NetworkPolicies",
  hostPID: 'it sees every process on the node: it can read their environment and /proc (secrets, tokens) and signal or ptrace them',
  hostIPC: "it shares the node's IPC namespace: it can read and write other workloads' shared memory",
};

export default defineRule<Options>({
  meta: {
    id: 'host-namespaces',
    severity: 'error',
    category: 'security',
    description: "Pods must not share the node's network, PID or IPC namespace (`hostNetwork`, `hostPID`, `hostIPC`).",
    rationale:
      "Host namespaces remove the isolation between the pod and the node. With `hostPID` a process can read every other process's environment on the node (database passwords, service-account tokens); with `hostNetwork` it can talk to node-local services, sniff traffic, and is not subject to NetworkPolicies; with `hostIPC` it can tamper with shared memory of other workloads. " +
      "A pod on the host network also takes the node's ports: two replicas cannot land on the same node, and a port clash makes rollouts hang in Pending. Pod Security `baseline` rejects all three; the exact Pod Security check, without `allow`, is `pss-host-namespaces` (preset `pss-baseline`).",
    remediation:
      'Remove the field (they default to false). Expose ports through a Service (or `hostPort` only when truly needed) instead of `hostNetwork`. Node agents that really need host namespaces (CNI, node exporters) belong in a dedicated namespace, with a suppression naming the reason, or list the field in `allow`.',
    tags: ['security', 'pod-security-standards', 'kube-linter', 'kube-score', 'polaris'],
    schema: {
      type: 'object',
      properties: {
        allow: {
          type: 'array',
          items: { enum: ['hostNetwork', 'hostPID', 'hostIPC'] },
          uniqueItems: true,
          description: 'Host namespaces not to report.',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { allow: [] },
    appliesTo: ['PodSpecHolder'],
    messages: {
      hostNamespace:
        '{{field}}: true: {{why}}; Pod Security baseline rejects it. Remove it unless this is a node agent, and then suppress with the reason.',
    },
    precision: 'very-high',
    securitySeverity: 8.0,
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl) return;
    const allow = new Set(ctx.options.allow);
    for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
      if (tpl.spec[f] !== true || allow.has(f)) continue;
      ctx.report({ path: [...tpl.specPath, f], messageId: 'hostNamespace', data: { field: f, why: WHY[f] } });
    }
  },
});
