import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-host-path-volumes', {
  description: 'Pod Security baseline "HostPath Volumes": `spec.volumes[*].hostPath` must not be set.',
  rationale:
    "A hostPath volume exposes the node's filesystem to the pod: a writable mount of `/`, `/etc`, `/var/lib/kubelet` or the container runtime socket is a node takeover. The recommended-preset rule `host-path` grades paths by risk; the standard forbids every hostPath volume. Under `pss-restricted`, hostPath volumes are reported here and not again by `pss-volume-types`.",
  remediation: 'Use a PersistentVolumeClaim, an emptyDir, a ConfigMap/Secret/projected volume, or a CSI driver instead of hostPath.',
  equivalents: { polaris: ['hostPathSet'] },
});
