import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-sysctls', {
  description: 'Pod Security baseline "Sysctls": `spec.securityContext.sysctls[*].name` must be in the safe set of the policy version.',
  rationale:
    'Sysctls outside the safe set are not namespaced or can affect the node and other pods. The safe set grows with the policy version: 1.27 adds net.ipv4.ip_local_reserved_ports; 1.29 the tcp_keepalive_time/intvl/probes and tcp_fin_timeout sysctls; 1.32 net.ipv4.tcp_rmem and tcp_wmem; 1.37 net.ipv4.tcp_slow_start_after_idle and tcp_notsent_lowat. Set `kubernetesVersion` to the version of the cluster.',
  remediation:
    'Remove the sysctl, or raise `kubernetesVersion` if the cluster is newer and allows it; unsafe sysctls belong on dedicated nodes, not in restricted namespaces.',
  equivalents: { 'kube-linter': ['unsafe-sysctls'] },
});
