/**
 * A namespace-aware index over every object in the input (and the --context
 * set), for cross-object rules. Built once per run; lookups are map hits.
 */
import * as path from 'node:path';
import { compileSelector, labelString, mapSelectorMatches, type CompiledSelector } from '../util/selector.js';
import { NameTable } from './closest-name.js';
import { isObj, type ManifestObject, type Obj, type SourceFile } from './object.js';
import { isCustomResource } from './operators.js';
import { podLabels, isWorkload } from './workload.js';

type MO = ManifestObject<Obj>;

const NONE: MO[] = [];

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

/** Key of an object's directory: two objects are in the same directory (see {@link sameDirectory}) exactly when their keys are equal. */
export function dirKey(o: ManifestObject<unknown>): string {
  return dirsOf(o.file).join('/');
}

/**
 * How a Service, PodDisruptionBudget or NetworkPolicy selects pod labels: its matcher, and the label pairs
 * one of which a label set must hold to be selected ('always': any label set may be; 'never': none is).
 * The selector tables file objects by it, and the incremental cache keys what selector queries read by it.
 */
export function selectorNarrowing(
  kind: string,
  o: MO,
): { matches: (labels: Obj) => boolean; narrowing: { key: string; values: readonly string[] } | 'always' | 'never' } {
  const spec = o.data.spec;
  if (kind === 'Service') {
    // a map selector: every entry must be equal; an absent or empty one selects nothing
    const sel = isObj(spec) ? spec.selector : undefined;
    const first = isObj(sel) ? Object.keys(sel)[0] : undefined;
    const v = first === undefined ? undefined : labelString((sel as Obj)[first]);
    return {
      matches: (l) => isObj(spec) && mapSelectorMatches(spec.selector as Obj, l),
      narrowing: first === undefined || v === undefined ? 'never' : { key: first, values: [v] },
    };
  }
  const c = isObj(spec) ? compileSelector(kind === 'NetworkPolicy' ? (spec.podSelector ?? {}) : spec.selector) : undefined;
  return { matches: (l) => c !== undefined && c.matches(l), narrowing: !c || !c.valid ? 'never' : (c.narrowing ?? 'always') };
}

/**
 * Objects that carry a label selector, to be asked which of them select a
 * label set: each is filed under the `key=value` pairs its selector requires
 * (its first `In` requirement), or among those always tried when it requires
 * none; a query tries only the buckets of the label set's own pairs, then
 * checks the full selector. Answers keep the order of the objects given.
 */
class SelectorTable {
  private readonly buckets = new Map<string, number[]>();
  private readonly always: number[] = [];

  constructor(
    private readonly objects: readonly MO[],
    private readonly matchers: readonly ((labels: Obj) => boolean)[],
    narrowing: readonly ({ key: string; values: readonly string[] } | 'always' | 'never')[],
  ) {
    narrowing.forEach((n, i) => {
      if (n === 'never') return;
      if (n === 'always') {
        this.always.push(i);
        return;
      }
      for (const v of n.values) {
        const k = `${n.key}\u0000${v}`;
        let l = this.buckets.get(k);
        if (!l) this.buckets.set(k, (l = []));
        l.push(i);
      }
    });
  }

  selecting(labels: unknown): MO[] {
    const l: Obj = isObj(labels) ? labels : {};
    let positions: number[] = this.always;
    let copied = false;
    for (const key of Object.keys(l)) {
      const v = labelString(l[key]);
      if (v === undefined) continue;
      const b = this.buckets.get(`${key}\u0000${v}`);
      if (!b) continue;
      if (!copied) {
        positions = [...positions];
        copied = true;
      }
      for (const p of b) positions.push(p);
    }
    if (copied) positions.sort((a, b) => a - b);
    const out: MO[] = [];
    let last = -1;
    for (const p of positions) {
      if (p === last) continue; // a selector filed under several values of one key is in one bucket per value; a label has one
      last = p;
      if (this.matchers[p]!(l)) out.push(this.objects[p]!);
    }
    return out;
  }
}

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
export class ObjectIndex {
  private byKind = new Map<string, MO[]>();
  /** objects read from --context (and --crd) files: lookups see them, rules never report on them */
  private contextObjects = new WeakSet<MO>();
  private byIdentity: Map<string, MO[]> | undefined;
  private byKey = new Map<string, MO[]>();
  readonly all: MO[] = [];
  /** each object's position in `all` (its first, if added twice) */
  private positions = new WeakMap<MO, number>();
  /** memoised per-namespace lists (kind\0namespace, and workloads per namespace); cleared by add() */
  private listCache = new Map<string, MO[]>();
  private workloadCache = new Map<string | undefined, MO[]>();
  /** whether workloadCache holds every namespace's list */
  private workloadsFilled = false;
  private nameCache = new Map<string, Map<string, MO[]>>();
  /** HorizontalPodAutoscalers by namespace\0scaleTargetRef kind\0name, in index order; cleared by add() */
  private hpaCache: Map<string, MO[]> | undefined;
  /** derived tables, built on first use; cleared by add() */
  private derived: {
    /** kind\0namespace\0directory -> objects; and workloads by namespace\0directory */
    byDir?: Map<string, MO[]>;
    workloadsByDir?: Map<string, MO[]>;
    /** pod label key\0value -> workloads, in all namespaces and by namespace\0key\0value */
    labelAll?: Map<string, MO[]>;
    labelNs?: Map<string, MO[]>;
    /** kind\0namespace\0group? -> its names, for "did you mean" */
    names: Map<string, NameTable>;
    /** kind\0namespace -> selector table */
    selectors: Map<string, SelectorTable>;
    namespaces?: { all: string[]; withWorkloads: Set<string> };
    /** custom resources by namespace */
    customResources?: Map<string, MO[]>;
  } = { names: new Map(), selectors: new Map() };

  constructor(objects: Iterable<MO> = []) {
    for (const o of objects) this.add(o);
  }

  add(o: MO, opts: { context?: boolean } = {}): void {
    if (opts.context) this.contextObjects.add(o);
    this.byIdentity = undefined;
    if (this.listCache.size) this.listCache.clear();
    if (this.workloadCache.size) this.workloadCache.clear();
    this.workloadsFilled = false;
    if (this.nameCache.size) this.nameCache.clear();
    this.hpaCache = undefined;
    this.derived = { names: new Map(), selectors: new Map() };
    if (!this.positions.has(o)) this.positions.set(o, this.all.length);
    this.all.push(o);
    let list = this.byKind.get(o.kind);
    if (!list) this.byKind.set(o.kind, (list = []));
    list.push(o);
    const key = this.key(o.kind, o.namespace, o.name);
    let same = this.byKey.get(key);
    if (!same) this.byKey.set(key, (same = []));
    same.push(o);
  }

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
    if (!this.derived.byDir) {
      const m = new Map<string, MO[]>();
      for (const o of this.all) {
        const k = `${o.kind}\u0000${o.namespace}\u0000${dirKey(o)}`;
        let l = m.get(k);
        if (!l) m.set(k, (l = []));
        l.push(o);
      }
      this.derived.byDir = m;
    }
    return this.derived.byDir.get(`${kind}\u0000${namespace}\u0000${dirKey(from)}`) ?? [];
  }

  /** Workloads of a namespace in `from`'s directory or file (see {@link sameDirectory}), in index order. */
  workloadsInDirectory(namespace: string, from: ManifestObject<unknown>): MO[] {
    if (!this.derived.workloadsByDir) {
      const m = new Map<string, MO[]>();
      for (const o of this.workloads()) {
        const k = `${o.namespace}\u0000${dirKey(o)}`;
        let l = m.get(k);
        if (!l) m.set(k, (l = []));
        l.push(o);
      }
      this.derived.workloadsByDir = m;
    }
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
      const all = new Map<string, MO[]>();
      const byNs = new Map<string, MO[]>();
      const push = (m: Map<string, MO[]>, k: string, w: MO): void => {
        const l = m.get(k);
        if (l) l.push(w);
        else m.set(k, [w]);
      };
      for (const w of this.workloads()) {
        const labels = podLabels(w);
        for (const k of Object.keys(labels)) {
          const v = labelString(labels[k]);
          if (v === undefined) continue;
          push(all, `${k}\u0000${v}`, w);
          push(byNs, `${w.namespace}\u0000${k}\u0000${v}`, w);
        }
      }
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
    if (!selector.valid) return [];
    const n = selector.narrowing;
    if (!n) return this.workloads(namespace).filter((w) => selector.matches(podLabels(w)));
    if (n.values.length === 1) return this.workloadsWithLabel(n.key, n.values[0]!, namespace).filter((w) => selector.matches(podLabels(w)));
    const set = new Set<MO>();
    for (const v of n.values) for (const w of this.workloadsWithLabel(n.key, v, namespace)) set.add(w);
    return this.workloads(namespace).filter((w) => set.has(w) && selector.matches(podLabels(w)));
  }

  /**
   * The namespaces of the input, sorted: those of Namespace objects (core
   * group) and of every namespaced object; and which of them hold workloads.
   */
  namespaces(): { all: readonly string[]; withWorkloads: ReadonlySet<string> } {
    if (!this.derived.namespaces) {
      const all = new Set<string>();
      for (const o of this.all) {
        if (o.kind === 'Namespace' && o.group === '') all.add(o.name);
        else if (!isClusterScoped(o.kind)) all.add(o.namespace);
      }
      this.derived.namespaces = { all: [...all].sort(), withWorkloads: new Set(this.workloads().map((w) => w.namespace)) };
    }
    return this.derived.namespaces;
  }

  /** Custom resources (of a group not Kubernetes' own; see operators.ts) in a namespace, in index order: the objects operators may create pods from. */
  customResources(namespace: string): MO[] {
    if (!this.derived.customResources) {
      const m = new Map<string, MO[]>();
      for (const o of this.all) {
        if (!isCustomResource(o)) continue;
        const l = m.get(o.namespace);
        if (l) l.push(o);
        else m.set(o.namespace, [o]);
      }
      this.derived.customResources = m;
    }
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
    if (!t) {
      const objects = this.list(kind, namespace);
      const matchers: ((labels: Obj) => boolean)[] = [];
      const narrowing: ({ key: string; values: readonly string[] } | 'always' | 'never')[] = [];
      for (const o of objects) {
        const n = selectorNarrowing(kind, o);
        matchers.push(n.matches);
        narrowing.push(n.narrowing);
      }
      this.derived.selectors.set(key, (t = new SelectorTable(objects, matchers, narrowing)));
    }
    return t;
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
    if (kind === 'labelSelector') return this.workloadsMatching(namespace, compileSelector(selector));
    const first = isObj(selector) ? Object.keys(selector)[0] : undefined;
    const v = first === undefined ? undefined : labelString((selector as Obj)[first]);
    if (first === undefined || v === undefined) return [];
    return this.workloadsWithLabel(first, v, namespace).filter((w) => mapSelectorMatches(selector as Obj, podLabels(w)));
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

  /** Fills the workload cache for every namespace in one pass. */
  private workloadsByNamespace(): void {
    this.workloadsFilled = true;
    for (const o of this.all) {
      if (!isWorkload(o)) continue;
      let l = this.workloadCache.get(o.namespace);
      if (!l) this.workloadCache.set(o.namespace, (l = []));
      l.push(o);
    }
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
