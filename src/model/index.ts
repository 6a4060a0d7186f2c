/**
 * A namespace-aware index over every object in the input (and the --context
 * set), for cross-object rules. Built once per run; lookups are map hits.
 */
import { selectorMatches, mapSelectorMatches } from '../util/selector.js';
import { isObj, type ManifestObject, type Obj } from './object.js';
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

export class ObjectIndex {
  private byKind = new Map<string, MO[]>();
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

  add(o: MO): void {
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

  /** First object of a kind/namespace/name, optionally restricted to an API group. */
  find(kind: string, namespace: string, name: string, group?: string): MO | undefined {
    return this.get(kind, namespace, name).find((o) => group === undefined || o.group === group);
  }

  secret(namespace: string, name: string): MO | undefined {
    return this.find('Secret', namespace, name, '');
  }

  configMap(namespace: string, name: string): MO | undefined {
    return this.find('ConfigMap', namespace, name, '');
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

  /** HorizontalPodAutoscalers whose scaleTargetRef names the workload. */
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
