import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-proc-mount', {
  description:
    'Pod Security baseline "/proc Mount Type": containers\' `securityContext.procMount` must be unset or `Default`; from policy 1.35 any value is allowed in a user namespace (`spec.hostUsers: false`).',
  rationale:
    '`Unmasked` removes the masks over sensitive /proc paths (kcore, sysrq-trigger, …). In a user namespace (`hostUsers: false`) the baseline profile allows it from 1.35; the restricted profile never does (`pss-proc-mount-restricted`).',
  remediation: 'Remove `procMount` or set `Default`; for nested containers run the pod with `hostUsers: false` (1.35+).',
  equivalents: { 'kube-linter': ['unsafe-proc-mount'], polaris: ['procMount'] },
});
