/**
 * Pods that operators create from custom resources in the input.
 *
 * A Service, NetworkPolicy or PodDisruptionBudget often selects pods that no
 * Deployment or StatefulSet in the input describes: the Prometheus operator
 * creates them from a `Prometheus` resource, CloudNativePG from a `Cluster`,
 * and so on. Cross-object rules ask here before saying that a selector
 * "selects nothing":
 *
 * - a custom resource of a known operator contributes the labels its pods get
 *   (the table below, extensible with `settings.podCreatingResources`);
 * - any other custom resource whose spec holds a pod template
 *   (`…template.metadata.labels`, `podTemplate.metadata.labels`,
 *   `podMetadata.labels`) contributes those labels;
 * - any other custom resource, unless of a kind known to create no pods
 *   (ServiceMonitor, Certificate, VirtualService, …), may create pods whose
 *   labels are unknown: a selector that matches nothing in its namespace is
 *   then not a warning, at most an info.
 */
import type { ObjectIndex } from './index.js';
import { isObj, type ManifestObject, type Obj } from './object.js';
import { BUILTIN, NO_PODS_GROUPS, NO_PODS_KINDS, STRIMZI_COMPONENTS } from './operators-builtin.js';

type MO = ManifestObject<Obj>;

export interface PodSource {
  /** the custom resource the pods come from */
  obj: MO;
  /** label sets its pods are known to carry (the operator may add more labels; a selector matching a set matches the pods) */
  labelSets: Obj[];
  /** true when the labels come from the operator table (built-in or configured) */
  known: boolean;
}

/** One entry of `settings.podCreatingResources` (and of the built-in table). */
export interface PodCreatingResource {
  /** API group of the custom resource, e.g. `monitoring.coreos.com` */
  group: string;
  kind: string;
  /** labels the operator puts on the pods; `{{name}}` in a value is the resource's name */
  labels?: Record<string, string>;
  /** dot paths (from the resource root; `*` for every list item or map value) to maps of further pod labels */
  labelPaths?: string[];
  /** label sets the operator adds per pod role at run time (e.g. primary/replica); each gives one more label set */
  variants?: Record<string, string>[];
}

/** Whether an API group is Kubernetes' own (core, apps, *.k8s.io, …) rather than a custom resource's. */
function isBuiltinGroup(group: string): boolean {
  return (
    group === '' ||
    !group.includes('.') ||
    (group.endsWith('.k8s.io') &&
      group !== 'gateway.networking.k8s.io' &&
      group !== 'snapshot.storage.k8s.io' &&
      group !== 'autoscaling.k8s.io')
  );
}

export function isCustomResource(o: MO): boolean {
  return o.group !== '' && !isBuiltinGroup(o.group) && o.kind !== 'CustomResourceDefinition';
}

/** Values at a dot path; `*` walks every list item or map value. */
function at(root: unknown, segs: string[]): unknown[] {
  let cur: unknown[] = [root];
  for (const s of segs) {
    const next: unknown[] = [];
    for (const c of cur) {
      if (s === '*') {
        if (Array.isArray(c)) next.push(...c);
        else if (isObj(c)) next.push(...Object.values(c));
      } else if (isObj(c) && Object.prototype.hasOwnProperty.call(c, s)) next.push(c[s]);
    }
    cur = next;
  }
  return cur;
}

function stringMap(v: unknown): Obj | undefined {
  if (!isObj(v)) return undefined;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
  return Object.keys(out).length ? out : undefined;
}

/** Pod label maps found in a custom resource's spec: `…template.metadata.labels`, `podTemplate.metadata.labels`, `podMetadata.labels` (depth-limited). */
function templateLabels(spec: unknown): Obj[] {
  const out: Obj[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 6) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    if (!isObj(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (!isObj(x)) {
        if (Array.isArray(x)) walk(x, depth + 1);
        continue;
      }
      if ((k === 'template' || k === 'podTemplate' || k === 'pod') && isObj(x.metadata)) {
        const l = stringMap(x.metadata.labels);
        if (l) out.push(l);
      } else if (k === 'podMetadata') {
        const l = stringMap(x.labels);
        if (l) out.push(l);
      }
      walk(x, depth + 1);
    }
  };
  walk(spec, 0);
  return out;
}

function parseConfigured(settings: Readonly<Record<string, unknown>>): PodCreatingResource[] {
  const raw = settings.podCreatingResources;
  if (!Array.isArray(raw)) return [];
  const out: PodCreatingResource[] = [];
  for (const r of raw) {
    if (!isObj(r) || typeof r.kind !== 'string' || typeof r.group !== 'string') continue;
    const labels = stringMap(r.labels) as Record<string, string> | undefined;
    const labelPaths = Array.isArray(r.labelPaths) ? r.labelPaths.filter((p): p is string => typeof p === 'string') : undefined;
    const variants = Array.isArray(r.variants)
      ? r.variants
          .map((v) => stringMap(v) as Record<string, string> | undefined)
          .filter((v): v is Record<string, string> => v !== undefined)
      : undefined;
    out.push({ group: r.group, kind: r.kind, labels, labelPaths, variants });
  }
  return out;
}

function expand(labels: Record<string, string> | undefined, name: string): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(labels ?? {})) out[k] = v.split('{{name}}').join(name);
  return out;
}

function sourceOf(o: MO, table: Map<string, PodCreatingResource>): PodSource | undefined {
  if (!isCustomResource(o)) return undefined;
  const entry = table.get(`${o.group}/${o.kind}`);
  if (entry) {
    const base = expand(entry.labels, o.name);
    const extra: Obj = {};
    for (const p of entry.labelPaths ?? []) for (const v of at(o.data, p.split('.'))) Object.assign(extra, stringMap(v) ?? {});
    // the operator's own labels win over user-given pod labels
    const sets: Obj[] = [{ ...extra, ...base }];
    for (const v of entry.variants ?? []) sets.push({ ...extra, ...base, ...expand(v, o.name) });
    if (o.group === 'kafka.strimzi.io' && o.kind === 'Kafka') {
      for (const c of STRIMZI_COMPONENTS) sets.push({ ...base, 'strimzi.io/name': `${o.name}-${c}`, 'app.kubernetes.io/name': c });
    }
    return { obj: o, labelSets: sets, known: true };
  }
  if (NO_PODS_GROUPS.has(o.group) || NO_PODS_KINDS.has(`${o.group}/${o.kind}`)) return undefined;
  return { obj: o, labelSets: templateLabels(o.data.spec), known: false };
}

// keyed by the index's list of the namespace's custom resources, which each call reads (so that a recording index sees every caller read it)
const memo = new WeakMap<readonly unknown[], WeakMap<object, PodSource[]>>();

/**
 * Custom resources in a namespace that may create pods, with the labels of
 * those pods when known. Memoised per index, settings and namespace.
 */
export function podSources(index: ObjectIndex, namespace: string, settings: Readonly<Record<string, unknown>> = {}): PodSource[] {
  const crs = index.customResources(namespace);
  if (crs.length === 0) return [];
  let bySettings = memo.get(crs);
  if (!bySettings) memo.set(crs, (bySettings = new WeakMap()));
  let out = bySettings.get(settings);
  if (!out) {
    const table = new Map<string, PodCreatingResource>();
    for (const e of [...BUILTIN, ...parseConfigured(settings)]) table.set(`${e.group}/${e.kind}`, e);
    out = [];
    for (const o of crs) {
      const s = sourceOf(o, table);
      if (s) out.push(s);
    }
    bySettings.set(settings, out);
  }
  return out;
}

/** The pod sources whose known label sets a selector (as a predicate over labels) matches. */
export function sourcesMatching(sources: PodSource[], matches: (labels: Obj) => boolean): PodSource[] {
  return sources.filter((s) => s.labelSets.some((l) => matches(l)));
}

/** `Kind/name, Kind/name and N more` for messages. */
export function describeSources(sources: PodSource[], max = 2): string {
  const list = sources.map((s) => `${s.obj.kind}/${s.obj.name}`);
  return list.length > max ? `${list.slice(0, max).join(', ')} and ${String(list.length - max)} more` : list.join(', ');
}
