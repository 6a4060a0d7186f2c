import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-run-as-non-root', {
  description:
    'Pod Security restricted "Running as Non-root": `runAsNonRoot: true` at pod level or in every container, and `false` nowhere; from policy 1.35 pods with `spec.hostUsers: false` are exempt.',
  rationale:
    'With `runAsNonRoot: true` the kubelet refuses to start a container whose user is root. A container may leave the field unset when the pod sets `true`; an explicit `false` fails the check at either level, even when the other level sets `true`. In a user namespace (`hostUsers: false`) root in the container is not root on the node, so from 1.35 the check passes.',
  remediation:
    'Set `spec.securityContext.runAsNonRoot: true` (and a non-zero `runAsUser` if the image does not name a numeric non-root user).',
  equivalents: { 'kube-linter': ['run-as-non-root'], polaris: ['runAsRootAllowed'], checkov: ['CKV_K8S_23'] },
});
