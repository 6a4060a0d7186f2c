/** The messages of fsgroup-run-as-user, each with its severity, and the finding a check collects before reporting. */
import type { PathSeg } from '../../src/parse/source.js';

export const MESSAGES = {
  rootWithNonRoot: {
    text: '{{names}}: runAsUser 0 with runAsNonRoot true (from the {{from}} securityContext): the kubelet refuses to start it (CreateContainerConfigError). Use a non-zero UID, or drop runAsNonRoot for a container that really needs root.',
    severity: 'error',
  },
  noNumericUser: {
    text: "{{names}}: runAsNonRoot is true but no numeric runAsUser is set, so the kubelet can only verify a numeric image USER; if the image's USER is a name or missing, the container fails with CreateContainerConfigError. Set runAsUser (and runAsGroup) to the image's UID.",
    severity: 'info',
  },
  hostPathNotWritable: {
    text: "{{names}} runs as {{who}} and mounts hostPath volume {{volume}} writable, but host directories keep the node's ownership (root, when the kubelet creates them) and fsGroup does not change them: unless the node prepares the directory for that UID, writes fail with permission denied. Make the host directory writable for that UID or a supplementalGroups group, or mount it readOnly.",
    // who owns a host directory is not in the manifests (a node image or a DaemonSet may prepare it)
    severity: 'info',
  },
  noFsGroup: {
    text: '{{names}} runs as {{who}} and mounts {{type}} volume {{volume}} writable, but the pod sets no fsGroup, so the volume stays owned by root and the first write fails with permission denied. Set spec.securityContext.fsGroup (e.g. to the runAsGroup), or mount it readOnly.',
    severity: 'error',
  },
  unreadableMode: {
    text: '{{names}} runs as {{who}} without fsGroup and mounts {{type}} volume {{volume}}, whose mode {{octal}} ({{mode}}) gives no read permission to {{groupOr}}other users: the files are owned by root and the application cannot read them. Set spec.securityContext.fsGroup and a group-readable mode (0440), or use 0444.',
    severity: 'error',
  },
  tmpNotWritable: {
    text: '{{names}}: readOnlyRootFilesystem is true and its {{where}} writes under {{path}}, but no writable volume is mounted there, so the write fails (read-only file system). Mount an emptyDir at {{path}}.',
    severity: 'warning',
  },
  tmpMaybeNotWritable: {
    text: '{{names}}: readOnlyRootFilesystem is true and no writable volume is mounted at {{paths}}; if the image writes temporary files there (JVM, Python tempfile, nginx), it fails at start or on first use. Mount an emptyDir at {{first}} (or point TMPDIR at a writable mount) if it does.',
    severity: 'info',
  },
  fsGroupChangePolicy: {
    text: 'fsGroup {{fsGroup}} with persistent volume{{s}} {{volumes}} and no fsGroupChangePolicy OnRootMismatch: the kubelet changes the ownership of every file on every mount, so pods on large volumes take minutes to start. Set spec.securityContext.fsGroupChangePolicy: OnRootMismatch.',
    severity: 'info',
  },
} as const;
type MessageId = keyof typeof MESSAGES;

export interface Finding {
  path: PathSeg[];
  messageId: MessageId;
  data: Record<string, string | number>;
  containers: string[];
}
