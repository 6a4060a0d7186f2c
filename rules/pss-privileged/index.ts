import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-privileged', {
  description: 'Pod Security baseline "Privileged Containers": containers must not set `securityContext.privileged: true`.',
  rationale:
    'A privileged container gets every capability and every host device: root in it is root on the node. The recommended-preset rule `privileged-container` reports the same field; this rule is its exact Pod Security counterpart.',
  remediation: 'Remove `privileged: true` (or set `false`); add only the capabilities the process needs.',
  equivalents: {
    'kube-linter': ['privileged-container'],
    polaris: ['runAsPrivileged'],
    'kube-score': ['Container Security Context Privileged'],
    checkov: ['CKV_K8S_16'],
  },
});
