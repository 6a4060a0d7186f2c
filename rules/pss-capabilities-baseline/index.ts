import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-capabilities-baseline', {
  description:
    'Pod Security baseline "Capabilities": `securityContext.capabilities.add` may hold only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT.',
  rationale:
    "Capabilities beyond the container runtime's default set (SYS_ADMIN, NET_ADMIN, NET_RAW, SYS_PTRACE, …) give a process powers that are routinely used to escape the container. The comparison is exact, as in the admission controller: `CAP_CHOWN` or `chown` is not `CHOWN`. The recommended-preset rule `dangerous-capabilities` is a deny-list of the riskiest capabilities; this rule is the standard's allow-list.",
  remediation: 'Remove the capabilities outside the list; spell the allowed ones exactly as listed (upper case, no `CAP_` prefix).',
});
