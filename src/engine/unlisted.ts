/**
 * Files in a kustomize directory that no kustomization lists (zalando/postgres-operator's `manifests/`: the
 * kustomization builds the operator, and twenty example manifests beside it are applied one by one with
 * `kubectl apply -f`). Such a file may be a patch an overlay outside the input uses, or scaffolding never applied,
 * or a complete manifest of its own. It is linted when every document is a complete object, as far as the input can
 * tell: a kind whose required parts are all there (a workload's selector, template and every container's image; a
 * CustomResourceDefinition's group, names and versions; a custom resource's required fields, when its
 * CustomResourceDefinition is in the input). A patch lacks them: kustomize merges it into an object that has them.
 */
import { isObj, own, type ManifestObject, type Obj } from '../model/object.js';
import { containers, podTemplate } from '../model/workload.js';
import { CrdRegistry } from '../schema/crd.js';
import type { DiscoveredFile } from '../load/discover.js';
import type { RenderPlan } from '../render/plan.js';
import type { LoadedFile } from './load.js';

type MO = ManifestObject<Obj>;

/** Fields an object of a built-in kind must have (paths of object keys); a kind not listed is not judged complete. */
const REQUIRED: Record<string, string[][]> = {
  'apps/Deployment': [
    ['spec', 'selector'],
    ['spec', 'template'],
  ],
  'apps/StatefulSet': [
    ['spec', 'selector'],
    ['spec', 'template'],
  ],
  'apps/DaemonSet': [
    ['spec', 'selector'],
    ['spec', 'template'],
  ],
  'apps/ReplicaSet': [
    ['spec', 'selector'],
    ['spec', 'template'],
  ],
  '/ReplicationController': [['spec', 'template']],
  '/Pod': [['spec', 'containers']],
  'batch/Job': [['spec', 'template']],
  'batch/CronJob': [
    ['spec', 'schedule'],
    ['spec', 'jobTemplate'],
  ],
  '/Service': [],
  '/ConfigMap': [],
  '/Secret': [],
  '/ServiceAccount': [],
  '/Namespace': [],
  '/PersistentVolumeClaim': [['spec']],
  'storage.k8s.io/StorageClass': [['provisioner']],
  'rbac.authorization.k8s.io/Role': [['rules']],
  'rbac.authorization.k8s.io/ClusterRole': [],
  'rbac.authorization.k8s.io/RoleBinding': [['roleRef']],
  'rbac.authorization.k8s.io/ClusterRoleBinding': [['roleRef']],
  'networking.k8s.io/Ingress': [['spec']],
  'networking.k8s.io/NetworkPolicy': [['spec', 'podSelector']],
  'policy/PodDisruptionBudget': [['spec', 'selector']],
  'autoscaling/HorizontalPodAutoscaler': [
    ['spec', 'scaleTargetRef'],
    ['spec', 'maxReplicas'],
  ],
  'scheduling.k8s.io/PriorityClass': [['value']],
  'apiextensions.k8s.io/CustomResourceDefinition': [
    ['spec', 'group'],
    ['spec', 'names', 'kind'],
    ['spec', 'scope'],
    ['spec', 'versions'],
  ],
};

function has(data: unknown, path: string[]): boolean {
  let v: unknown = data;
  for (const k of path) {
    if (!isObj(v)) return false;
    v = own(v, k);
  }
  return v !== undefined && v !== null && v !== '';
}

/** The required fields of a custom resource, from its CustomResourceDefinition's schema (undefined: none known). */
function customRequired(o: MO, crds: CrdRegistry): string[][] | undefined {
  const schema = crds.lookup(o.group, o.version, o.kind, o).version?.schema;
  if (!isObj(schema)) return undefined;
  const props = isObj(schema.properties) ? schema.properties : {};
  const specSchema = own(props, 'spec');
  // a custom resource without required fields cannot be told from a patch of it
  if (!isObj(specSchema) || !Array.isArray(specSchema.required) || specSchema.required.length === 0) return undefined;
  const out: string[][] = [];
  for (const k of Array.isArray(schema.required) ? schema.required : []) if (typeof k === 'string') out.push([k]);
  for (const k of specSchema.required) if (typeof k === 'string') out.push(['spec', k]);
  return out;
}

function complete(o: MO, crds: CrdRegistry): boolean {
  const meta = own(o.data, 'metadata');
  if (!isObj(meta) || (typeof meta.name !== 'string' && typeof meta.generateName !== 'string')) return false;
  const required = REQUIRED[`${o.group}/${o.kind}`] ?? customRequired(o, crds);
  if (!required || !required.every((p) => has(o.data, p))) return false;
  if (!podTemplate(o)) return true;
  const list = containers(o, ['init', 'sidecar', 'regular']);
  const regular = list.filter((c) => c.kind === 'regular');
  return regular.length > 0 && list.every((c) => typeof c.container.image === 'string' && c.container.image.trim() !== '');
}

/** Whether an object is known to lack what an object of its kind needs (a kind whose needs are not known: false). */
export function knownIncomplete(o: MO, crds: CrdRegistry): boolean {
  return (REQUIRED[`${o.group}/${o.kind}`] ?? customRequired(o, crds)) !== undefined && !complete(o, crds);
}

/** Whether an unlisted file is linted: it parsed, and every document is a complete object. */
export function lintedUnlisted(l: LoadedFile, crds: CrdRegistry): boolean {
  if (l.notManifest || l.objects.length === 0 || l.file.parse.errors.length > 0) return false;
  const docs = l.file.parse.documents.filter((d) => !d.empty);
  return docs.length === l.objects.length && l.objects.every((o) => complete(o, crds));
}

export const isCrd = (o: MO): boolean => o.kind === 'CustomResourceDefinition' && o.group === 'apiextensions.k8s.io';

/**
 * Reads the unlisted files of a plan that are not named as patches, adds the ones that hold only complete objects
 * to `loaded` (in the plan's order), and returns the files still not linted.
 */
export function lintUnlisted(plan: RenderPlan, loaded: LoadedFile[], read: (f: DiscoveredFile) => LoadedFile): DiscoveredFile[] {
  const cands = plan.unlisted.filter((f) => !plan.patchNamed?.has(f.abs)).map((f) => ({ f, l: read(f) }));
  const crdObjects = [...loaded, ...cands.map((c) => c.l)].flatMap((l) => l.objects.filter(isCrd));
  let crds = new CrdRegistry(crdObjects);
  // a custom resource's CustomResourceDefinition may come through a kustomize build: its source files, read raw
  const unknown = (o: MO): boolean => REQUIRED[`${o.group}/${o.kind}`] === undefined && !crds.lookup(o.group, o.version, o.kind).version;
  if (cands.some((c) => c.l.objects.some(unknown))) {
    for (const f of plan.kustomizeFiles) crdObjects.push(...read(f).objects.filter(isCrd));
    crds = new CrdRegistry(crdObjects);
  }
  const linted = new Set<DiscoveredFile>();
  for (const c of cands) {
    if (!lintedUnlisted(c.l, crds)) continue;
    loaded.push(c.l);
    linted.add(c.f);
  }
  return plan.unlisted.filter((f) => !linted.has(f));
}
