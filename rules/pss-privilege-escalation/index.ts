import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-privilege-escalation', {
  description:
    'Pod Security restricted "Privilege Escalation" (policy 1.8+): every container must set `securityContext.allowPrivilegeEscalation: false`; from 1.25 Windows pods (`spec.os.name: windows`) are exempt.',
  rationale:
    "Without `allowPrivilegeEscalation: false` (`no_new_privs`), a setuid binary or file capability in the image can raise the process's privileges. The restricted profile requires it to be set explicitly on every container (init and ephemeral ones too). The recommended-preset rule `privilege-escalation` is the k8s-gold check with its own options.",
  remediation: 'Set `securityContext.allowPrivilegeEscalation: false` on every container.',
  equivalents: { 'kube-linter': ['privilege-escalation-container'], polaris: ['privilegeEscalationAllowed'], checkov: ['CKV_K8S_20'] },
});
