/**
 * A namespace-aware index over every object in the input (and the --context
 * set), for cross-object rules. Built once per run; lookups are map hits.
 */
import type { CompiledSelector } from '../util/selector.js';
import { NameTable } from './closest-name.js';
import { IndexStore } from './index-store.js';
import { customResourcesByNamespace, groupBy, hpasByTarget, labelTables, namespacesOf, targetsWorkload } from './index-tables.js';
import { dirKey, isNearestOf, nearestFirst, nearestOfEach } from './nearness.js';
import type { ManifestObject, Obj } from './object.js';
import { identityOf } from './scope.js';
import { SelectorTable } from './selector-table.js';
import { workloadsMatching, workloadsSelectedBy } from './workload-selection.js';
import { isWorkload } from './workload.js';
export { isClusterScoped } from './scope.js';
export { whereIs, describeAt, distance, inLine, sameDirectory, dirKey } from './nearness.js';
export { selectorNarrowing } from './selector-table.js';

type MO = ManifestObject<Obj>;

const NONE: MO[] = [];

/**
 * The index every cross-object read goes through. Reads are these methods,
 * each answering from a precise key (so that a facade can record what a rule
 * read about which object, for an incremental cache):
 *
 * | method | key |
 * |---|---|
 * | `get`, `find`, `resolve`, `secret`, `configMap` | kind, namespace, name (and group) |
 * | `named` | kind, name (any namespace) |
 * | `sameIdentity`, `isNearest`, `nearestEach` | the identities of the objects given |
 * | `list` | kind (and namespace, and group) |
 * | `inDirectory` | kind, namespace, directory |
 * | `closestName` | kind, namespace (and group): the names of that list (through their deletion forms, or by length) |
 * | `workloads` | namespace (and kinds skipped) |
 * | `workloadsInDirectory` | namespace, directory |
 * | `workloadsWithLabel` | pod label key and value (and namespace) |
 * | `workloadsMatching`, `workloadsSelectedBy` | the selector's narrowing label (see {@link CompiledSelector.narrowing}), else the namespace's workloads |
 * | `servicesSelecting`, `pdbsSelecting`, `networkPoliciesSelecting` | kind, namespace, and the label pairs given |
 * | `hpasTargeting` | namespace, target kind and name |
 * | `namespaces` | the namespaces of the input (and which hold workloads) |
 * | `hasWorkloads`, `hasWorkloadsInDirectory` | whether the namespace (in a directory) holds workloads (of the kinds not skipped) |
 * | `customResources` | namespace: its custom resources |
 * | `position` | none: only the relative order of two objects, which no change of other objects alters |
 *
 * All answers are in index order and memoised; returned arrays are shared
 * and must not be modified. `add()` clears the memos. `all` is for building
 * whole-input tables (once per index), not for per-object checks.
 */
export class ObjectIndex extends IndexStore {
  /** An object's position in the index (its order in `all`), to put answers gathered from several lookups in index order. */
  position(o: MO): number {
    return this.positions.get(o) ?? -1;
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
    return identityOf(o);
  }

  /** Every object (input and context) with the same identity as `o`, `o` included, in index order. */
  sameIdentity(o: MO): MO[] {
    const id = ObjectIndex.identity(o);
    this.byIdentity ??= new Map();
    let same = this.byIdentity.get(id);
    if (!same) {
      // the objects of o's kind, (scope's) namespace and name, of its API group; a generator's output is not a second definition
      same = (this.byKey.get(this.key(o.kind, o.namespace, o.name)) ?? NONE).filter((x) => !x.generated && x.group === o.group);
      this.byIdentity.set(id, same);
    }
    return same.length ? same : [o];
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
    return nearestFirst(list, from);
  }

  /** The objects of a list, keeping of each identity only the one nearest to `from` (first in the list on a tie), in list order. */
  nearestEach(list: MO[], from: ManifestObject<unknown>): MO[] {
    return nearestOfEach(list, from);
  }

  /** Whether no other object of `target`'s identity is nearer to `from` than `target` (a tie counts as nearest). */
  isNearest(target: MO, from: ManifestObject<unknown>): boolean {
    return isNearestOf(this.sameIdentity(target), target, from);
  }

  /** Objects of a kind, optionally in one namespace, and of one API group when given. The returned array is shared: do not modify it. */
  list(kind: string, namespace?: string, group?: string): MO[] {
    const l = this.byKind.get(kind) ?? [];
    if (namespace === undefined) return l;
    const key = group === undefined ? `${kind}\u0000${namespace}` : `${kind}\u0000${namespace}\u0000${group}`;
    let out = this.listCache.get(key);
    if (!out)
      this.listCache.set(
        key,
        (out =
          group === undefined ? l.filter((o) => o.namespace === namespace) : this.list(kind, namespace).filter((o) => o.group === group)),
      );
    return out;
  }

  /** Objects of a kind in a namespace that are in `from`'s directory or file (see {@link sameDirectory}), in index order. */
  inDirectory(kind: string, namespace: string, from: ManifestObject<unknown>): MO[] {
    this.derived.byDir ??= groupBy(this.all, (o) => `${o.kind}\u0000${o.namespace}\u0000${dirKey(o)}`);
    return this.derived.byDir.get(`${kind}\u0000${namespace}\u0000${dirKey(from)}`) ?? [];
  }

  /** Workloads of a namespace in `from`'s directory or file (see {@link sameDirectory}), in index order. */
  workloadsInDirectory(namespace: string, from: ManifestObject<unknown>): MO[] {
    this.derived.workloadsByDir ??= groupBy(this.workloads(), (o) => `${o.namespace}\u0000${dirKey(o)}`);
    return this.derived.workloadsByDir.get(`${namespace}\u0000${dirKey(from)}`) ?? [];
  }

  /**
   * "Did you mean": the name of an object of a kind in a namespace (of one API
   * group, when given) closest to `word`, as {@link closest} chooses it over
   * `list(kind, namespace, group)`'s names, from a table built on first use
   * that compares the word with few of them (src/model/closest-name.ts).
   */
  closestName(kind: string, namespace: string, word: string, group?: string): string | undefined {
    const key = `${kind}\u0000${namespace}\u0000${group ?? '\u0001'}`;
    let table = this.derived.names.get(key);
    if (!table) this.derived.names.set(key, (table = new NameTable(this.list(kind, namespace, group).map((o) => o.name))));
    return table.closest(word);
  }

  /**
   * Workloads whose pod template has the label `key` with the value `value`
   * (as a selector compares it, see {@link labelString}), in index order: in
   * one namespace, or in every namespace when `namespace` is undefined.
   */
  workloadsWithLabel(key: string, value: string, namespace?: string): MO[] {
    if (!this.derived.labelAll) {
      const { all, byNs } = labelTables(this.workloads());
      this.derived.labelAll = all;
      this.derived.labelNs = byNs;
    }
    return (
      (namespace === undefined
        ? this.derived.labelAll.get(`${key}\u0000${value}`)
        : this.derived.labelNs!.get(`${namespace}\u0000${key}\u0000${value}`)) ?? []
    );
  }

  /** Workloads in a namespace whose pod labels a compiled label selector matches, in index order (narrowed through {@link workloadsWithLabel}). */
  workloadsMatching(namespace: string, selector: CompiledSelector): MO[] {
    return workloadsMatching(this, namespace, selector);
  }

  /**
   * The namespaces of the input, sorted: those of Namespace objects (core
   * group) and of every namespaced object; and which of them hold workloads.
   */
  namespaces(): { all: readonly string[]; withWorkloads: ReadonlySet<string> } {
    this.derived.namespaces ??= namespacesOf(this.all, this.workloads());
    return this.derived.namespaces;
  }

  /** Custom resources (of a group not Kubernetes' own; see operators.ts) in a namespace, in index order: the objects operators may create pods from. */
  customResources(namespace: string): MO[] {
    this.derived.customResources ??= customResourcesByNamespace(this.all);
    return this.derived.customResources.get(namespace) ?? NONE;
  }

  /** Whether a namespace holds a workload of a kind not in `skip` (what `workloads(namespace, skip).length > 0` says). */
  hasWorkloads(namespace: string, skip?: readonly string[]): boolean {
    return this.workloads(namespace, skip).length > 0;
  }

  /** Whether `from`'s directory holds a workload of the namespace of a kind not in `skip` (see {@link workloadsInDirectory}). */
  hasWorkloadsInDirectory(namespace: string, from: ManifestObject<unknown>, skip?: readonly string[]): boolean {
    return this.workloadsInDirectory(namespace, from).some((w) => !skip?.includes(w.kind));
  }

  /** The selector table of a kind in a namespace (see {@link SelectorTable}). */
  private selectorTable(kind: 'Service' | 'PodDisruptionBudget' | 'NetworkPolicy', namespace: string): SelectorTable {
    const key = `${kind}\u0000${namespace}`;
    let t = this.derived.selectors.get(key);
    if (!t) this.derived.selectors.set(key, (t = SelectorTable.of(kind, this.list(kind, namespace))));
    return t;
  }

  /** Objects of a kind with a name, in every namespace, in index order. The returned array is shared: do not modify it. */
  named(kind: string, name: string): MO[] {
    let names = this.nameCache.get(kind);
    if (!names) this.nameCache.set(kind, (names = groupBy(this.byKind.get(kind) ?? [], (o) => o.name)));
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
    return workloadsSelectedBy(this, namespace, selector, kind);
  }

  /**
   * Workloads, optionally in one namespace, leaving out the kinds in `skip`
   * (e.g. PodTemplate, which creates no pods). The returned array is shared: do not modify it.
   */
  workloads(namespace?: string, skip?: readonly string[]): MO[] {
    if (skip && skip.length) {
      const key = `${namespace ?? '\u0001'}\u0000${skip.join('\u0000')}`;
      let l = this.listCache.get(`\u0001workloads\u0000${key}`);
      if (!l) this.listCache.set(`\u0001workloads\u0000${key}`, (l = this.workloads(namespace).filter((w) => !skip.includes(w.kind))));
      return l;
    }
    let out = this.workloadCache.get(namespace);
    if (!out) {
      // (filled once per index, whatever was asked before: a per-namespace answer must not depend on the order of the calls)
      if (!this.workloadsFilled && namespace !== undefined) this.workloadsByNamespace();
      out = this.workloadCache.get(namespace);
      if (!out) this.workloadCache.set(namespace, (out = namespace === undefined ? this.all.filter((o) => isWorkload(o)) : []));
    }
    return out;
  }

  /** Services in the namespace whose selector selects the given pod labels. */
  servicesSelecting(namespace: string, podLabels: Record<string, unknown>): MO[] {
    return this.selectorTable('Service', namespace).selecting(podLabels);
  }

  /**
   * HorizontalPodAutoscalers whose scaleTargetRef names the workload. When
   * several objects share the workload's identity (per-provider variants,
   * overlays), an HPA counts only for the one nearest to it.
   */
  hpasTargeting(w: MO): MO[] {
    this.hpaCache ??= hpasByTarget(this.byKind.get('HorizontalPodAutoscaler') ?? []);
    return (this.hpaCache.get(`${w.namespace}\u0000${w.kind}\u0000${w.name}`) ?? []).filter((h) =>
      targetsWorkload(h, w, (t, f) => this.isNearest(t, f)),
    );
  }

  /** PodDisruptionBudgets selecting the pod labels. */
  pdbsSelecting(namespace: string, podLabels: Record<string, unknown>): MO[] {
    return this.selectorTable('PodDisruptionBudget', namespace).selecting(podLabels);
  }

  /** NetworkPolicies whose podSelector selects the pod labels. */
  networkPoliciesSelecting(namespace: string, podLabels: Record<string, unknown>): MO[] {
    return this.selectorTable('NetworkPolicy', namespace).selecting(podLabels);
  }

  ingresses(namespace: string): MO[] {
    return this.list('Ingress', namespace);
  }

  /** cert-manager Certificates (any cert-manager.io version). */
  certificates(namespace: string): MO[] {
    return this.list('Certificate', namespace, 'cert-manager.io');
  }

  limitRanges(namespace: string): MO[] {
    return this.list('LimitRange', namespace, '');
  }
}
