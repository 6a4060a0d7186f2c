/** The kinds the API server keeps outside namespaces, and an object's identity (with its effective namespace). */
import type { ManifestObject } from './object.js';

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'ClusterIssuer',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'PodSecurityPolicy',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/**
 * An object's identity as the API server sees it: kind, API group,
 * effective namespace (none for cluster-scoped kinds) and name.
 */
export function identityOf(o: ManifestObject<unknown>): string {
  // joined: one flat string (identities are kept as index keys; a template literal keeps its pieces)
  return [o.kind, o.group, isClusterScoped(o.kind) ? '' : o.namespace, o.name].join('\u0000');
}

/**
 * Namespaces the cluster itself populates (kube-system: DNS, kube-proxy, the dashboard, metrics-server and every
 * add-on's objects; kube-public: cluster-info): objects of the input there never stand for all of their objects,
 * so a name missing from the input is not evidence of a typo.
 */
export function isClusterPopulated(namespace: string): boolean {
  return namespace === 'kube-system' || namespace === 'kube-public';
}
