import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-selinux', {
  description:
    'Pod Security baseline "SELinux": `seLinuxOptions.type` must be unset, empty, container_t, container_init_t, container_kvm_t or (policy 1.31+) container_engine_t; `user` and `role` must be unset or empty.',
  rationale:
    'Custom SELinux types, users or roles can lift the SELinux confinement of the container (for example `spc_t`, "super privileged container"). The allowed types grow with the policy version: `container_engine_t` from 1.31.',
  remediation: 'Remove `seLinuxOptions.user` and `role`, and use one of the allowed types (or only `level`).',
});
