import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-proc-mount-restricted', {
  description:
    'Pod Security restricted "/proc Mount Type" (policy 1.35+): `procMount` must be unset or `Default` even in a user namespace (`spec.hostUsers: false`).',
  rationale:
    'From 1.35 the baseline profile allows an unmasked /proc in a user namespace; the restricted profile keeps forbidding it. Outside a user namespace the same fields are reported by `pss-proc-mount` (part of both presets), not here again.',
  remediation: 'Remove `procMount` or set `Default`.',
});
