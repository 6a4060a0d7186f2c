import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-host-ports', {
  description: 'Pod Security baseline "Host Ports": containers\' `ports[*].hostPort` must be unset or 0.',
  rationale:
    "A hostPort binds a port on the node's address: it bypasses Services and NetworkPolicy expectations, and limits scheduling to one such pod per node.",
  remediation: 'Remove `hostPort` and expose the port through a Service (ClusterIP, NodePort or LoadBalancer).',
  equivalents: { polaris: ['hostPortSet'], checkov: ['CKV_K8S_26'] },
});
