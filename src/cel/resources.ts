/**
 * Kind → resource (plural) and scope, as the API server's REST mapping has
 * them, for matching admission rules (`resources: ["deployments"]`): the
 * built-in kinds, plus every CustomResourceDefinition in the run.
 */
import type { ObjectIndex } from '../model/index.js';
import { isObj, type ManifestObject, type Obj } from '../model/object.js';

export interface ResourceInfo {
  resource: string;
  namespaced: boolean;
}

const NS = true;
const CL = false;
/** group/Kind → [plural, namespaced] for the built-in API (core group: ''). */
const BUILTIN: Readonly<Record<string, [string, boolean]>> = {
  '/Pod': ['pods', NS],
  '/Service': ['services', NS],
  '/ConfigMap': ['configmaps', NS],
  '/Secret': ['secrets', NS],
  '/ServiceAccount': ['serviceaccounts', NS],
  '/Namespace': ['namespaces', CL],
  '/Node': ['nodes', CL],
  '/PersistentVolume': ['persistentvolumes', CL],
  '/PersistentVolumeClaim': ['persistentvolumeclaims', NS],
  '/ReplicationController': ['replicationcontrollers', NS],
  '/Endpoints': ['endpoints', NS],
  '/Event': ['events', NS],
  '/LimitRange': ['limitranges', NS],
  '/ResourceQuota': ['resourcequotas', NS],
  '/PodTemplate': ['podtemplates', NS],
  'apps/Deployment': ['deployments', NS],
  'apps/StatefulSet': ['statefulsets', NS],
  'apps/DaemonSet': ['daemonsets', NS],
  'apps/ReplicaSet': ['replicasets', NS],
  'apps/ControllerRevision': ['controllerrevisions', NS],
  'batch/Job': ['jobs', NS],
  'batch/CronJob': ['cronjobs', NS],
  'autoscaling/HorizontalPodAutoscaler': ['horizontalpodautoscalers', NS],
  'policy/PodDisruptionBudget': ['poddisruptionbudgets', NS],
  'networking.k8s.io/Ingress': ['ingresses', NS],
  'networking.k8s.io/IngressClass': ['ingressclasses', CL],
  'networking.k8s.io/NetworkPolicy': ['networkpolicies', NS],
  'rbac.authorization.k8s.io/Role': ['roles', NS],
  'rbac.authorization.k8s.io/RoleBinding': ['rolebindings', NS],
  'rbac.authorization.k8s.io/ClusterRole': ['clusterroles', CL],
  'rbac.authorization.k8s.io/ClusterRoleBinding': ['clusterrolebindings', CL],
  'storage.k8s.io/StorageClass': ['storageclasses', CL],
  'storage.k8s.io/CSIDriver': ['csidrivers', CL],
  'storage.k8s.io/VolumeAttachment': ['volumeattachments', CL],
  'storage.k8s.io/CSINode': ['csinodes', CL],
  'storage.k8s.io/CSIStorageCapacity': ['csistoragecapacities', NS],
  'storage.k8s.io/VolumeAttributesClass': ['volumeattributesclasses', CL],
  'networking.k8s.io/IPAddress': ['ipaddresses', CL],
  'networking.k8s.io/ServiceCIDR': ['servicecidrs', CL],
  'events.k8s.io/Event': ['events', NS],
  'certificates.k8s.io/ClusterTrustBundle': ['clustertrustbundles', CL],
  'resource.k8s.io/ResourceClaim': ['resourceclaims', NS],
  'resource.k8s.io/ResourceClaimTemplate': ['resourceclaimtemplates', NS],
  'resource.k8s.io/ResourceSlice': ['resourceslices', CL],
  'resource.k8s.io/DeviceClass': ['deviceclasses', CL],
  'admissionregistration.k8s.io/MutatingAdmissionPolicy': ['mutatingadmissionpolicies', CL],
  'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding': ['mutatingadmissionpolicybindings', CL],
  'scheduling.k8s.io/PriorityClass': ['priorityclasses', CL],
  'node.k8s.io/RuntimeClass': ['runtimeclasses', CL],
  'coordination.k8s.io/Lease': ['leases', NS],
  'discovery.k8s.io/EndpointSlice': ['endpointslices', NS],
  'certificates.k8s.io/CertificateSigningRequest': ['certificatesigningrequests', CL],
  'apiextensions.k8s.io/CustomResourceDefinition': ['customresourcedefinitions', CL],
  'apiregistration.k8s.io/APIService': ['apiservices', CL],
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': ['validatingwebhookconfigurations', CL],
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': ['mutatingwebhookconfigurations', CL],
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy': ['validatingadmissionpolicies', CL],
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding': ['validatingadmissionpolicybindings', CL],
  'flowcontrol.apiserver.k8s.io/FlowSchema': ['flowschemas', CL],
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration': ['prioritylevelconfigurations', CL],
};

const tables = new WeakMap<ObjectIndex, Map<string, ResourceInfo>>();

function crdEntries(crd: ManifestObject<Obj>): [string, ResourceInfo] | undefined {
  const spec = (crd.data as Obj).spec;
  if (!isObj(spec) || typeof spec.group !== 'string' || !isObj(spec.names)) return undefined;
  const { kind, plural } = spec.names;
  if (typeof kind !== 'string' || typeof plural !== 'string') return undefined;
  return [`${spec.group}/${kind}`, { resource: plural, namespaced: spec.scope !== 'Cluster' }];
}

/** The resource and scope of an object's kind, or undefined when neither the built-in table nor a CRD in the run knows it. */
export function resourceOf(index: ObjectIndex, group: string, kind: string): ResourceInfo | undefined {
  let t = tables.get(index);
  if (!t) {
    t = new Map();
    for (const o of index.all) {
      if (o.kind !== 'CustomResourceDefinition' || o.group !== 'apiextensions.k8s.io') continue;
      const e = crdEntries(o);
      if (e && !t.has(e[0])) t.set(e[0], e[1]);
    }
    tables.set(index, t);
  }
  const b = BUILTIN[`${group}/${kind}`];
  if (b) return { resource: b[0], namespaced: b[1] };
  return t.get(`${group}/${kind}`);
}
