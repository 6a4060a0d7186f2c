import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-seccomp-restricted', {
  description:
    'Pod Security restricted "Seccomp" (policy 1.19+): a RuntimeDefault or Localhost seccomp profile must be set at pod level or in every container; from 1.25 Windows pods are exempt.',
  rationale:
    'The restricted profile requires a syscall filter: unset means Unconfined on most runtimes. Container fields may be unset when the pod sets a profile; the pod field may be unset when every container sets one. Explicit Unconfined values are reported by `pss-seccomp-baseline` (part of both presets), not here again.',
  remediation: 'Set `spec.securityContext.seccompProfile.type: RuntimeDefault` once for the pod.',
  equivalents: { checkov: ['CKV_K8S_31'] },
});
