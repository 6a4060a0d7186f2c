import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-apparmor', {
  description:
    'Pod Security baseline "AppArmor": `appArmorProfile.type` must be RuntimeDefault or Localhost, and `container.apparmor.security.beta.kubernetes.io/*` annotations `runtime/default` or `localhost/*`.',
  rationale:
    "`Unconfined` turns the AppArmor confinement off; the runtime default profile blocks writes to /proc and /sys and mounting. The admission controller checks the pod's and every container's `securityContext.appArmorProfile` and the deprecated beta annotations on the pod (template) metadata.",
  remediation:
    'Remove the profile (the runtime default applies) or set `type: RuntimeDefault` or `type: Localhost` with a `localhostProfile` loaded on the nodes.',
});
