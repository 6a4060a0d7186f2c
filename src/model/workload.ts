/**
 * One way to reach the pod template and the containers of every workload
 * kind. Every helper tolerates wrong types: a `containers: "x"` yields no
 * containers rather than an exception.
 */
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IIoK8sApimachineryPkgApisMetaV1ObjectMeta as IObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import type { PathSeg } from '../parse/source.js';
import { isObj, type ManifestObject, type Obj } from './object.js';

export const WORKLOAD_KINDS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'DeploymentConfig',
  'Job',
  'CronJob',
  'PodTemplate',
] as const;

/** Template paths (to the object holding `metadata` and `spec` of the pod) per kind. */
const TEMPLATE_PATHS: Record<string, PathSeg[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  // OpenShift's apps.openshift.io/v1 DeploymentConfig: a PodTemplateSpec at spec.template, a map selector as a ReplicationController's
  DeploymentConfig: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  PodTemplate: ['template'],
};

export interface PodTemplate {
  /** pod metadata (labels, annotations); `{}` when absent */
  metadata: IObjectMeta & Obj;
  metadataPath: PathSeg[];
  spec: IPodSpec & Obj;
  specPath: PathSeg[];
}

export function isWorkload(obj: ManifestObject<unknown>): boolean {
  return Object.prototype.hasOwnProperty.call(TEMPLATE_PATHS, obj.kind) && isBuiltinWorkloadGroup(obj);
}

function isBuiltinWorkloadGroup(obj: ManifestObject<unknown>): boolean {
  // Custom resources may reuse a kind name (e.g. a CRD kind "Deployment" in another group).
  switch (obj.kind) {
    case 'Pod':
    case 'ReplicationController':
    case 'PodTemplate':
      return obj.group === '';
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
      return obj.group === 'apps' || obj.group === 'extensions';
    case 'Job':
    case 'CronJob':
      return obj.group === 'batch';
    case 'DeploymentConfig':
      return obj.group === 'apps.openshift.io';
    default:
      return false;
  }
}

function at(root: unknown, path: PathSeg[]): unknown {
  let cur = root;
  for (const seg of path) {
    if (!isObj(cur)) return undefined;
    cur = Object.prototype.hasOwnProperty.call(cur, seg) ? cur[seg as string] : undefined;
  }
  return cur;
}

/**
 * The pod template's metadata, even when the template has no `spec` (which
 * podTemplate() requires): labels select the pods whatever else is wrong.
 * `undefined` when the object is not a workload or has no template.
 */
export function podTemplateMetadata(obj: ManifestObject<unknown>): { metadata: IObjectMeta & Obj; metadataPath: PathSeg[] } | undefined {
  if (!isWorkload(obj)) return undefined;
  const base = TEMPLATE_PATHS[obj.kind]!;
  const tpl = at(obj.data, base);
  if (!isObj(tpl)) return undefined;
  return { metadata: (isObj(tpl.metadata) ? tpl.metadata : {}) as IObjectMeta & Obj, metadataPath: [...base, 'metadata'] };
}

/**
 * A workload whose pod template (or Pod) exists but has no `spec` mapping:
 * the API server rejects it ("spec.template.spec.containers: Required value"),
 * though the OpenAPI schema marks the template's spec optional.
 */
export function podTemplateMissingSpec(obj: ManifestObject<unknown>): { path: PathSeg[]; message: string } | undefined {
  if (!isWorkload(obj)) return undefined;
  const base = TEMPLATE_PATHS[obj.kind]!;
  const tpl = at(obj.data, base);
  if (!isObj(tpl) || isObj(tpl.spec)) return undefined;
  const dotted = [...base, 'spec', 'containers'].join('.');
  const what = base.length === 0 ? `the ${obj.kind}` : `the pod template (${base.join('.')})`;
  const path =
    tpl.spec === null && Object.prototype.hasOwnProperty.call(tpl, 'spec') ? [...base, 'spec'] : base.length === 0 ? ['kind'] : base;
  return {
    path,
    message: `${what} has no spec, so it has no containers; the API server rejects it ("${dotted}: Required value"). Add the spec with its containers`,
  };
}

/**
 * podTemplate() and containers() of the last object asked about: the rules run one object at a time and most ask
 * for them on every workload, so one entry gives nearly every hit and keeps nothing of earlier objects (memory).
 * The results are shared: callers never modify them (containers() still returns a fresh array).
 */
let lastObj: object | undefined;
let lastTemplate: PodTemplate | undefined;
let lastContainers: Map<number, ContainerRef[]> | undefined;

export function podTemplate(obj: ManifestObject<unknown>): PodTemplate | undefined {
  if (obj !== lastObj) {
    lastTemplate = templateOf(obj);
    lastContainers = undefined;
    lastObj = obj;
  }
  return lastTemplate;
}

function templateOf(obj: ManifestObject<unknown>): PodTemplate | undefined {
  if (!isWorkload(obj)) return undefined;
  const base = TEMPLATE_PATHS[obj.kind]!;
  const tpl = at(obj.data, base);
  if (!isObj(tpl)) return undefined;
  const spec = tpl.spec;
  if (!isObj(spec)) return undefined;
  const meta = isObj(tpl.metadata) ? tpl.metadata : {};
  return {
    metadata: meta as IObjectMeta & Obj,
    metadataPath: [...base, 'metadata'],
    spec: spec as IPodSpec & Obj,
    specPath: [...base, 'spec'],
  };
}

export type ContainerKind = 'init' | 'sidecar' | 'regular' | 'ephemeral';

export interface ContainerRef {
  container: IContainer & Obj;
  kind: ContainerKind;
  /** path from the object root to the container */
  path: PathSeg[];
  name: string;
  index: number;
  /** the field holding it: containers, initContainers or ephemeralContainers */
  field: 'containers' | 'initContainers' | 'ephemeralContainers';
}

const KIND_BITS: Record<ContainerKind, number> = { init: 1, sidecar: 2, regular: 4, ephemeral: 8 };

/** The default set of container kinds rules look at: regular, init and sidecar. */
export const DEFAULT_CONTAINER_KINDS: readonly ContainerKind[] = ['init', 'sidecar', 'regular'];

/** The containers of the given kinds, in init, regular, ephemeral order. The entries are shared: callers never modify them. */
export function containers(
  obj: ManifestObject<unknown>,
  kinds: readonly ContainerKind[] = DEFAULT_CONTAINER_KINDS,
  tpl = podTemplate(obj),
): ContainerRef[] {
  if (!tpl) return [];
  // memoised only for the last object's own template (a caller may pass another)
  if (obj !== lastObj || tpl !== lastTemplate) return containersOf(kinds, tpl);
  // the set of kinds as a bit mask (the lists come out in field order whatever the order of `kinds`): no string per call
  let key = 0;
  for (const k of kinds) key |= KIND_BITS[k];
  lastContainers ??= new Map();
  let list = lastContainers.get(key);
  if (!list) lastContainers.set(key, (list = containersOf(kinds, tpl)));
  // a copy: a caller (a plugin) may sort or extend the list it gets
  return list.slice();
}

function containersOf(kinds: readonly ContainerKind[], tpl: PodTemplate): ContainerRef[] {
  const out: ContainerRef[] = [];
  const add = (field: ContainerRef['field']): void => {
    const list = tpl.spec[field];
    if (!Array.isArray(list)) return;
    list.forEach((c: unknown, index: number) => {
      if (!isObj(c)) return;
      let kind: ContainerKind;
      if (field === 'containers') kind = 'regular';
      else if (field === 'ephemeralContainers') kind = 'ephemeral';
      else kind = c.restartPolicy === 'Always' ? 'sidecar' : 'init';
      if (!kinds.includes(kind)) return;
      out.push({
        container: c as IContainer & Obj,
        kind,
        path: [...tpl.specPath, field, index],
        name: typeof c.name === 'string' ? c.name : String(c.name ?? `#${index}`),
        index,
        field,
      });
    });
  };
  add('initContainers');
  add('containers');
  add('ephemeralContainers');
  return out;
}

/** The container that a path (from the object root) goes through, if any. */
export function containerAtPath(obj: ManifestObject<unknown>, path: readonly PathSeg[]): string | undefined {
  const tpl = podTemplate(obj);
  if (!tpl) return undefined;
  const base = tpl.specPath;
  if (path.length < base.length + 2) return undefined;
  for (let i = 0; i < base.length; i++) if (path[i] !== base[i]) return undefined;
  const field = path[base.length];
  const idx = path[base.length + 1];
  if ((field !== 'containers' && field !== 'initContainers' && field !== 'ephemeralContainers') || typeof idx !== 'number')
    return undefined;
  const list = tpl.spec[field];
  const c = Array.isArray(list) ? list[idx] : undefined;
  return isObj(c) && typeof c.name === 'string' ? c.name : undefined;
}

/** Effective replicas: spec.replicas (default 1) for scalable kinds; undefined otherwise. */
export function specReplicas(obj: ManifestObject<unknown>): number | undefined {
  if (!['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig'].includes(obj.kind) || !isWorkload(obj))
    return undefined;
  const r = at(obj.data, ['spec', 'replicas']);
  if (r === undefined || r === null) return 1;
  return typeof r === 'number' && Number.isFinite(r) ? r : undefined;
}

const podLabelsMemo = new WeakMap<object, Obj>();

/**
 * What an object that knows its pod labels without its value carries (a stand-in of the incremental cache, whose value
 * is decoded only when read: the labels computed before from the same value), in a field rather than in the memo (a
 * WeakMap entry per object of the input, thousands each run, costs more to add and to collect).
 */
export interface KnownPodLabels {
  readonly knownPodLabels: Obj | undefined;
}

/** The pod template's labels (`{}` when absent or not a mapping; read even when the template has no spec), memoised per object: cross-object rules ask often. */
export function podLabels(obj: ManifestObject<unknown>): Obj {
  const known = (obj as Partial<KnownPodLabels>).knownPodLabels;
  if (known !== undefined) return known;
  let labels = podLabelsMemo.get(obj);
  if (!labels) {
    const meta = podTemplateMetadata(obj);
    labels = meta && isObj(meta.metadata.labels) ? meta.metadata.labels : {};
    podLabelsMemo.set(obj, labels);
  }
  return labels;
}
