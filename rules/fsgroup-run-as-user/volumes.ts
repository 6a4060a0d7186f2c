/** The volume types the rule checks, a container's effective user and group, and the integer and file-mode values in messages. */

export const WRITABLE_TYPES = ['persistentVolumeClaim', 'ephemeral', 'hostPath', 'csi'] as const;
export const PROJECTED_TYPES = ['secret', 'configMap', 'projected', 'downwardAPI'] as const;

export interface Effective {
  uid: number | undefined;
  /** where the effective runAsUser comes from: the container or the pod securityContext */
  uidFrom: 'container' | 'pod' | undefined;
  nonRoot: boolean | undefined;
  nonRootFrom: 'container' | 'pod' | undefined;
  gid: number | undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

export function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
