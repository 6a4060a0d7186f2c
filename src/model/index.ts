/**
 * A namespace-aware index over every object in the input (and the --context
 * set), for cross-object rules. Built once per run; lookups are map hits.
 */
import * as path from 'node:path';
import { selectorMatches, mapSelectorMatches } from '../util/selector.js';
import { isObj, type ManifestObject, type Obj, type SourceFile } from './object.js';
import { podLabels, isWorkload } from './workload.js';

type MO = ManifestObject<Obj>;

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

/** `path:line` of an object (its `kind:` line), for messages that name another object. */
export function whereIs(o: ManifestObject<unknown>): string {
  if (o.origin) return `${o.origin.path}:${o.origin.line}`;
  return `${o.file.path}:${String(o.rangeOf([]).range.line)}`;
}

/** `Kind/name (path:line)`, for messages that name another object. */
export function describeAt(o: ManifestObject<unknown>): string {
  return `${o.kind}/${o.name} (${whereIs(o)})`;
}

/** The directory segments of a file's absolute path, memoised per file. */
const dirSegments = new WeakMap<SourceFile, string[]>();
function dirsOf(f: SourceFile): string[] {
  let d = dirSegments.get(f);
  if (!d) {
    const dir = f.absPath.startsWith('<') ? '' : path.dirname(f.absPath);
    d = dir.split(/[\\/]+/).filter((s) => s !== '');
    dirSegments.set(f, d);
  }
  return d;
}

/**
 * How far `to` is from `from`, for choosing among same-named objects: 0 in
 * the same file; otherwise 1 + 10000 × the directories to climb from `from`'s
 * directory to the nearest common ancestor + the directories to descend from
 * there to `to`'s. So the same file wins, then the same directory, then a
 * subdirectory, then the nearest common ancestor.
 */
export function distance(from: ManifestObject<unknown>, to: ManifestObject<unknown>): number {
  if (from.file === to.file || from.file.absPath === to.file.absPath) return 0;
  const a = dirsOf(from.file);
  const b = dirsOf(to.file);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return 1 + (a.length - common) * 10000 + (b.length - common);
}

/**
 * Whether one object's directory contains the other's (or they share one):
 * a base and the tree below it, as opposed to siblings and cousins such as
 * two tutorials of a samples repository.
 */
export function inLine(a: ManifestObject<unknown>, b: ManifestObject<unknown>): boolean {
  const d = distance(a, b);
  if (d === 0) return true;
  const up = Math.floor((d - 1) / 10000);
  const down = (d - 1) % 10000;
  return up === 0 || down === 0;
}

/** Whether two objects are in the same file or in files of the same directory. */
export function sameDirectory(a: ManifestObject<unknown>, b: ManifestObject<unknown>): boolean {
  return distance(a, b) <= 1;
}

export class ObjectIndex {
  private byKind = new Map<string, MO[]>();
  /** objects read from --context (and --crd) files: lookups see them, rules never report on them */
  private contextObjects = new WeakSet<MO>();
  private byIdentity: Map<string, MO[]> | undefined;
  private byKey = new Map<string, MO[]>();
  readonly all: MO[] = [];
  /** memoised per-namespace lists (kind\0namespace, and workloads per namespace); cleared by add() */
  private listCache = new Map<string, MO[]>();
  private workloadCache = new Map<string | undefined, MO[]>();
  private nameCache = new Map<string, Map<string, MO[]>>();
  /** HorizontalPodAutoscalers by namespace\0scaleTargetRef kind\0name, in index order; cleared by add() */
  private hpaCache: Map<string, MO[]> | undefined;

  constructor(objects: Iterable<MO> = []) {
    for (const o of objects) this.add(o);
  }

  add(o: MO, opts: { context?: boolean } = {}): void {
    if (opts.context) this.contextObjects.add(o);
    this.byIdentity = undefined;
    if (this.listCache.size) this.listCache.clear();
    if (this.workloadCache.size) this.workloadCache.clear();
    if (this.nameCache.size) this.nameCache.clear();
    this.hpaCache = undefined;
    this.all.push(o);
    let list = this.byKind.get(o.kind);
    if (!list) this.byKind.set(o.kind, (list = []));
    list.push(o);
    const key = this.key(o.kind, o.namespace, o.name);
    let same = this.byKey.get(key);
    if (!same) this.byKey.set(key, (same = []));
    same.push(o);
  }

  /** Whether the object came from a --context (or --crd) file rather than from the linted input. */
  isContext(o: MO): boolean {
    return this.contextObjects.has(o);
  }

  /**
   * An object's identity as the API server sees it: kind, API group,
   * effective namespace (none for cluster-scoped kinds) and name.
   */
  static identity(o: ManifestObject<unknown>): string {
    return `${o.kind}\u0000${o.group}\u0000${isClusterScoped(o.kind) ? '' : o.namespace}\u0000${o.name}`;
  }

  /** Every object (input and context) with the same identity as `o`, `o` included, in index order. */
  sameIdentity(o: MO): MO[] {
    if (!this.byIdentity) {
      this.byIdentity = new Map();
      for (const x of this.all) {
        if (x.generated) continue; // a generator's output is not a second definition
        const k = ObjectIndex.identity(x);
        let l = this.byIdentity.get(k);
        if (!l) this.byIdentity.set(k, (l = []));
        l.push(x);
      }
    }
    return this.byIdentity.get(ObjectIndex.identity(o)) ?? [o];
  }

  /**
   * Every object of a kind (and API group, when given) with a namespace and
   * name, nearest to `from` first (see {@link distance}; ties keep index
   * order). Samples repositories, per-provider installers and overlay trees
   * hold several objects of one identity: a reference is resolved against the
   * nearest, and a rule that finds the nearest lacking must not raise an
   * error when another candidate satisfies the reference (the lookup is
   * ambiguous then). Without `from`, index order.
   */
  resolve(kind: string, group: string | undefined, namespace: string, name: string, from?: ManifestObject<unknown>): MO[] {
    const all = this.get(kind, namespace, name);
    const list = group === undefined ? all : all.filter((o) => o.group === group);
    if (!from || list.length < 2) return list;
    return list
      .map((o, i) => ({ o, i, d: distance(from, o) }))
      .sort((x, y) => x.d - y.d || x.i - y.i)
      .map((x) => x.o);
  }

  /** The objects of a list, keeping of each identity only the one nearest to `from` (first in the list on a tie), in list order. */
  nearestEach(list: MO[], from: ManifestObject<unknown>): MO[] {
    if (list.length < 2) return list;
    const best = new Map<string, { o: MO; d: number }>();
    for (const o of list) {
      const k = ObjectIndex.identity(o);
      const d = distance(from, o);
      const cur = best.get(k);
      if (!cur || d < cur.d) best.set(k, { o, d });
    }
    if (best.size === list.length) return list;
    const keep = new Set([...best.values()].map((b) => b.o));
    return list.filter((o) => keep.has(o));
  }

  /** Whether no other object of `target`'s identity is nearer to `from` than `target` (a tie counts as nearest). */
  isNearest(target: MO, from: ManifestObject<unknown>): boolean {
    const same = this.sameIdentity(target);
    if (same.length < 2) return true;
    const d = distance(from, target);
    return same.every((o) => o === target || distance(from, o) >= d);
  }

  private key(kind: string, ns: string, name: string): string {
    return `${kind}\u0000${isClusterScoped(kind) ? '' : ns}\u0000${name}`;
  }

  /** Objects of a kind, optionally in one namespace. The returned array is shared: do not modify it. */
  list(kind: string, namespace?: string): MO[] {
    const l = this.byKind.get(kind) ?? [];
    if (namespace === undefined) return l;
    const key = `${kind}\u0000${namespace}`;
    let out = this.listCache.get(key);
    if (!out) this.listCache.set(key, (out = l.filter((o) => o.namespace === namespace)));
    return out;
  }

  /** Objects of a kind with a name, in every namespace, in index order. The returned array is shared: do not modify it. */
  named(kind: string, name: string): MO[] {
    let names = this.nameCache.get(kind);
    if (!names) {
      names = new Map();
      for (const o of this.byKind.get(kind) ?? []) {
        let l = names.get(o.name);
        if (!l) names.set(o.name, (l = []));
        l.push(o);
      }
      this.nameCache.set(kind, names);
    }
    return names.get(name) ?? [];
  }

  get(kind: string, namespace: string, name: string): MO[] {
    return this.byKey.get(this.key(kind, namespace, name)) ?? [];
  }

  /** First object of a kind/namespace/name, optionally restricted to an API group; with `from`, the nearest to it. */
  find(kind: string, namespace: string, name: string, group?: string, from?: ManifestObject<unknown>): MO | undefined {
    if (from) return this.resolve(kind, group, namespace, name, from)[0];
    return this.get(kind, namespace, name).find((o) => group === undefined || o.group === group);
  }

  /** The Secret of a name in a namespace; with `from`, the nearest of several (see {@link resolve}). */
  secret(namespace: string, name: string, from?: ManifestObject<unknown>): MO | undefined {
    return this.find('Secret', namespace, name, '', from);
  }

  /** The ConfigMap of a name in a namespace; with `from`, the nearest of several (see {@link resolve}). */
  configMap(namespace: string, name: string, from?: ManifestObject<unknown>): MO | undefined {
    return this.find('ConfigMap', namespace, name, '', from);
  }

  /** Workloads (pod templates) in a namespace whose pod labels a selector matches. */
  workloadsSelectedBy(namespace: string, selector: unknown, kind: 'labelSelector' | 'map' = 'labelSelector'): MO[] {
    return this.workloads(namespace).filter((w) => {
      const labels = podLabels(w);
      return kind === 'map' ? mapSelectorMatches(selector as Obj, labels) : selectorMatches(selector, labels);
    });
  }

  /** Workloads, optionally in one namespace. The returned array is shared: do not modify it. */
  workloads(namespace?: string): MO[] {
    let out = this.workloadCache.get(namespace);
    if (!out) {
      if (this.workloadCache.size === 0 && namespace !== undefined) this.workloadsByNamespace();
      out = this.workloadCache.get(namespace);
      if (!out) this.workloadCache.set(namespace, (out = namespace === undefined ? this.all.filter((o) => isWorkload(o)) : []));
    }
    return out;
  }

  /** Fills the workload cache for every namespace in one pass. */
  private workloadsByNamespace(): void {
    for (const o of this.all) {
      if (!isWorkload(o)) continue;
      let l = this.workloadCache.get(o.namespace);
      if (!l) this.workloadCache.set(o.namespace, (l = []));
      l.push(o);
    }
  }

  /** Services in the namespace whose selector selects the given pod labels. */
  servicesSelecting(namespace: string, podLabels: Record<string, unknown>): MO[] {
    return this.list('Service', namespace).filter((s) => {
      const spec = s.data.spec;
      return isObj(spec) && mapSelectorMatches(spec.selector as Obj, podLabels);
    });
  }

  /**
   * HorizontalPodAutoscalers whose scaleTargetRef names the workload. When
   * several objects share the workload's identity (per-provider variants,
   * overlays), an HPA counts only for the one nearest to it.
   */
  hpasTargeting(w: MO): MO[] {
    if (!this.hpaCache) {
      this.hpaCache = new Map();
      for (const h of this.byKind.get('HorizontalPodAutoscaler') ?? []) {
        const spec = h.data.spec;
        const ref = isObj(spec) ? spec.scaleTargetRef : undefined;
        if (!isObj(ref) || typeof ref.kind !== 'string' || typeof ref.name !== 'string') continue;
        const key = `${h.namespace}\u0000${ref.kind}\u0000${ref.name}`;
        let l = this.hpaCache.get(key);
        if (!l) this.hpaCache.set(key, (l = []));
        l.push(h);
      }
    }
    return (this.hpaCache.get(`${w.namespace}\u0000${w.kind}\u0000${w.name}`) ?? []).filter((h) => {
      const spec = h.data.spec;
      const ref = isObj(spec) ? spec.scaleTargetRef : undefined;
      if (h.namespace !== w.namespace || !isObj(ref) || ref.kind !== w.kind || ref.name !== w.name) return false;
      if (!this.isNearest(w, h)) return false;
      if (typeof ref.apiVersion === 'string' && ref.apiVersion !== '') {
        const g = ref.apiVersion.includes('/') ? ref.apiVersion.slice(0, ref.apiVersion.lastIndexOf('/')) : '';
        return g === w.group;
      }
      return true;
    });
  }

  /** PodDisruptionBudgets selecting the pod labels. */
  pdbsSelecting(namespace: string, podLabels: Record<string, unknown>): MO[] {
    return this.list('PodDisruptionBudget', namespace).filter((p) => {
      const spec = p.data.spec;
      return isObj(spec) && selectorMatches(spec.selector, podLabels);
    });
  }

  /** NetworkPolicies whose podSelector selects the pod labels. */
  networkPoliciesSelecting(namespace: string, podLabels: Record<string, unknown>): MO[] {
    return this.list('NetworkPolicy', namespace).filter((p) => {
      const spec = p.data.spec;
      return isObj(spec) && selectorMatches(spec.podSelector ?? {}, podLabels);
    });
  }

  ingresses(namespace: string): MO[] {
    return this.list('Ingress', namespace);
  }

  /** cert-manager Certificates (any cert-manager.io version). */
  certificates(namespace: string): MO[] {
    return this.list('Certificate', namespace).filter((c) => c.group === 'cert-manager.io');
  }

  limitRanges(namespace: string): MO[] {
    return this.list('LimitRange', namespace).filter((l) => l.group === '');
  }
}
