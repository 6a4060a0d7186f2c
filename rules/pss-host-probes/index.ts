import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-host-probes', {
  description:
    'Pod Security baseline "Host Probes / Lifecycle Hooks" (policy 1.34+): probes\' and lifecycle hooks\' `httpGet.host` and `tcpSocket.host` must be unset or empty.',
  rationale:
    "The kubelet runs probes and lifecycle hooks from the node: a `host` field lets a pod make the kubelet connect to an arbitrary address (another node's service, a cloud metadata endpoint) with the node's network identity. From policy version 1.34 the admission controller rejects it; before 1.34 it is not checked.",
  remediation:
    "Remove `host`: the kubelet then connects to the pod's own IP. To check another service, do it from inside the container (an `exec` probe).",
});
