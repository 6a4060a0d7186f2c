import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-host-process', {
  description: 'Pod Security baseline "HostProcess": pods and containers must not set `securityContext.windowsOptions.hostProcess: true`.',
  rationale:
    "A Windows HostProcess container runs directly on the node as a host process, with access to the host network, filesystem and the node's credentials: it is the Windows equivalent of a privileged container.",
  remediation:
    'Remove `windowsOptions.hostProcess` (or set it to `false`) at pod and container level. Node agents that need host access belong in a namespace labelled `pod-security.kubernetes.io/enforce: privileged`, with a suppression that states the reason.',
  equivalents: { polaris: ['hostProcess'] },
});
