import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-host-namespaces', {
  description: 'Pod Security baseline "Host Namespaces": `spec.hostNetwork`, `spec.hostPID` and `spec.hostIPC` must be unset or `false`.',
  rationale:
    "Sharing the node's network, PID or IPC namespace removes the isolation between the pod and the node (node-local services, every process's environment, other workloads' shared memory). The recommended-preset rule `host-namespaces` reports the same fields with its own options (`allow`); this rule follows the standard verbatim.",
  remediation: 'Remove the fields (they default to `false`). Expose ports through a Service instead of `hostNetwork`.',
  equivalents: {
    'kube-linter': ['host-network', 'host-pid', 'host-ipc'],
    polaris: ['hostNetworkSet', 'hostPIDSet', 'hostIPCSet'],
    checkov: ['CKV_K8S_17', 'CKV_K8S_18', 'CKV_K8S_19'],
  },
});
