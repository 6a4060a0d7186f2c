import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-seccomp-baseline', {
  description:
    'Pod Security baseline "Seccomp": `seccompProfile.type` of the pod and of every container must be unset, RuntimeDefault or Localhost (not Unconfined).',
  rationale:
    '`Unconfined` disables the syscall filter and exposes the whole kernel attack surface. Before policy 1.19 the admission controller checked the alpha annotations (`seccomp.security.alpha.kubernetes.io/pod`, `container.seccomp.security.alpha.kubernetes.io/<name>`) instead; this rule does the same for those versions.',
  remediation: 'Remove `seccompProfile` or set `type: RuntimeDefault` (or `Localhost` with a profile on the nodes).',
});
