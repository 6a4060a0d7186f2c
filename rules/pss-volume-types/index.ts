import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-volume-types', {
  description:
    'Pod Security restricted "Volume Types": every volume must be configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret.',
  rationale:
    "In-tree volume plugins (nfs, iscsi, rbd, cephfs, gitRepo, flexVolume, …) mount node-level storage with the node's credentials and privileges; the restricted profile allows only volume types that go through PersistentVolumes, CSI or the API. hostPath volumes are reported by `pss-host-path-volumes` (part of both presets), not here again. A volume with no known source is defaulted to emptyDir by the API server and is not reported.",
  remediation: "Use a PersistentVolumeClaim bound to a PersistentVolume of that type, or the storage's CSI driver.",
});
