import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-capabilities-restricted', {
  description:
    'Pod Security restricted "Capabilities" (policy 1.22+): every container must drop `ALL` and may add only NET_BIND_SERVICE; from 1.25 Windows pods are exempt.',
  rationale:
    'Dropping all capabilities leaves the process only what it adds back; the restricted profile allows adding back NET_BIND_SERVICE only. `ALL` is compared exactly (upper case). Added capabilities outside the baseline allow-list are reported by `pss-capabilities-baseline` (part of both presets), not here again.',
  remediation:
    'Set `securityContext.capabilities.drop: [ALL]` on every container and add only `NET_BIND_SERVICE` when the process binds a port below 1024.',
  equivalents: { polaris: ['insecureCapabilities'] },
});
