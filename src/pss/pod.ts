/**
 * The pod that Pod Security admission would evaluate for an object: the pod
 * template of a built-in workload (as PSA's `defaultPodSpecResources`), or of
 * a custom resource whose template location is configured, and the policy
 * version to evaluate it at.
 */
import type { PathSeg } from '../parse/source.js';
import type { ObjectIndex } from '../model/index.js';
import { isObj, type ManifestObject, type Obj } from '../model/object.js';
import { containers, podTemplate, type ContainerRef, type PodTemplate } from '../model/workload.js';
import { parseMinor, targetKubernetesVersion } from '../util/kube-version.js';

/** Where a custom resource keeps its pod template (the object holding `metadata` and `spec`). */
export interface PodTemplateLocation {
  /** API group; absent: any group */
  group?: string;
  kind: string;
  /** dotted path from the object root, e.g. `spec.template` */
  path: string;
}

/**
 * Built-in locations for widely used custom workloads, checked against their
 * API types: Argo Rollouts' Rollout and OpenKruise's CloneSet both embed a
 * `PodTemplateSpec` at `spec.template`. Users add more with
 * `settings.podTemplatePaths` (listed first, so they win).
 */
export const DEFAULT_POD_TEMPLATE_PATHS: readonly PodTemplateLocation[] = [
  { group: 'argoproj.io', kind: 'Rollout', path: 'spec.template' },
  { group: 'apps.kruise.io', kind: 'CloneSet', path: 'spec.template' },
];

/** The configured locations (`settings.podTemplatePaths`), malformed entries ignored, then the defaults. */
export function podTemplateLocations(settings: Readonly<Record<string, unknown>>): PodTemplateLocation[] {
  const out: PodTemplateLocation[] = [];
  const raw = settings.podTemplatePaths;
  if (Array.isArray(raw)) {
    for (const e of raw) {
      if (!isObj(e) || typeof e.kind !== 'string' || typeof e.path !== 'string' || e.path === '') continue;
      out.push({ kind: e.kind, path: e.path, ...(typeof e.group === 'string' ? { group: e.group } : {}) });
    }
  }
  return [...out, ...DEFAULT_POD_TEMPLATE_PATHS];
}

const locationCache = new WeakMap<object, PodTemplateLocation[]>();

function locationsFor(settings: Readonly<Record<string, unknown>>): PodTemplateLocation[] {
  let l = locationCache.get(settings);
  if (!l) locationCache.set(settings, (l = podTemplateLocations(settings)));
  return l;
}

/** The pod template of a custom resource at a configured location, if the object holds one there. */
export function customPodTemplate(obj: ManifestObject<unknown>, settings: Readonly<Record<string, unknown>>): PodTemplate | undefined {
  if (obj.group === '') return undefined;
  for (const loc of locationsFor(settings)) {
    if (loc.kind !== obj.kind || (loc.group !== undefined && loc.group !== obj.group)) continue;
    const base: PathSeg[] = loc.path.split('.').filter((s) => s !== '');
    let cur: unknown = obj.data;
    for (const seg of base) cur = isObj(cur) && Object.prototype.hasOwnProperty.call(cur, seg) ? cur[seg] : undefined;
    if (!isObj(cur) || !isObj(cur.spec)) return undefined;
    return {
      metadata: (isObj(cur.metadata) ? cur.metadata : {}) as PodTemplate['metadata'],
      metadataPath: [...base, 'metadata'],
      spec: cur.spec as PodTemplate['spec'],
      specPath: [...base, 'spec'],
    };
  }
  return undefined;
}

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
export const ENFORCE_VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version';

/**
 * The policy version for an object: the target Kubernetes version
 * (`kubernetesVersion`), or an older one pinned by the
 * `pod-security.kubernetes.io/enforce-version` label of its Namespace when
 * that Namespace is in the input. `latest` (or a newer version) means the
 * target version: a cluster evaluates no checks newer than its own.
 */
export function policyVersion(
  obj: ManifestObject<unknown>,
  settings: Readonly<Record<string, unknown>>,
  index: ObjectIndex | undefined,
): { minor: number; source: 'kubernetesVersion' | 'namespace' } {
  const target = targetKubernetesVersion(settings).minor;
  const ns = index?.find('Namespace', '', obj.namespace, '');
  const label = ns?.labels[ENFORCE_VERSION_LABEL];
  // PSA accepts exactly "latest" or "v1.<minor>"
  const pinned = typeof label === 'string' && /^v1\.(0|[1-9][0-9]*)$/.test(label) ? parseMinor(label) : undefined;
  if (pinned !== undefined && pinned < target) return { minor: pinned, source: 'namespace' };
  return { minor: target, source: 'kubernetesVersion' };
}

/** Everything a control looks at. */
export interface PodView {
  obj: ManifestObject<Obj>;
  metadata: Obj;
  metadataPath: PathSeg[];
  spec: Obj;
  specPath: PathSeg[];
  /** init (and sidecar), regular and ephemeral containers, in PSA's visiting order */
  containers: ContainerRef[];
  /** policy version, minor number (1.<minor>) */
  minor: number;
  /** where the version came from, for messages */
  versionSource: 'kubernetesVersion' | 'namespace';
}

/** the last object's view, for the rules that ask one after another (per settings map and index) */
let lastView: { obj: object; settings: object; index: ObjectIndex | undefined; view: PodView | undefined } | undefined;

/**
 * The pod view of an object, computed once per object for the 19 rules, which ask for it one after another while
 * the object is checked (per settings map and index). Only the last object's is kept: a memo per object (a WeakMap)
 * kept a view for every pod-bearing object of the run to its end, promoted by the scavenges (3,000 of them with
 * every rule on, for 5,000 resources), and no rule asks again for an object whose checks are over.
 */
export function podView(
  obj: ManifestObject<Obj>,
  settings: Readonly<Record<string, unknown>>,
  index: ObjectIndex | undefined,
): PodView | undefined {
  const last = lastView;
  if (last !== undefined && last.obj === obj && last.settings === settings && last.index === index) return last.view;
  const view = computePodView(obj, settings, index);
  lastView = { obj, settings, index, view };
  return view;
}

function computePodView(
  obj: ManifestObject<Obj>,
  settings: Readonly<Record<string, unknown>>,
  index: ObjectIndex | undefined,
): PodView | undefined {
  const tpl = podTemplate(obj) ?? customPodTemplate(obj, settings);
  if (!tpl) return undefined;
  const v = policyVersion(obj, settings, index);
  return {
    obj,
    metadata: tpl.metadata,
    metadataPath: tpl.metadataPath,
    spec: tpl.spec,
    specPath: tpl.specPath,
    containers: containers(obj, ['init', 'sidecar', 'regular', 'ephemeral'], tpl),
    minor: v.minor,
    versionSource: v.source,
  };
}
