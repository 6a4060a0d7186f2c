/** The tables the ObjectIndex builds on first use: objects grouped by a key, workloads by pod label, namespaces, custom resources, HPAs by target. */
import { labelString } from '../util/selector.js';
import type { NameTable } from './closest-name.js';
import { isObj, type ManifestObject, type Obj } from './object.js';
import { isCustomResource } from './operators.js';
import { isClusterScoped } from './scope.js';
import type { SelectorTable } from './selector-table.js';
import { podLabels } from './workload.js';

type MO = ManifestObject<Obj>;

/** The derived tables of an ObjectIndex, built on first use; cleared by add(). */
export interface DerivedTables {
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
}

/** The objects of `list` grouped by `keyOf` (skipping those it gives undefined), each group in list order. */
export function groupBy(list: Iterable<MO>, keyOf: (o: MO) => string | undefined): Map<string, MO[]> {
  const m = new Map<string, MO[]>();
  for (const o of list) {
    const k = keyOf(o);
    if (k === undefined) continue;
    // a group made with its first object holds one slot (`[]` and push() reserve 17): most groups are small
    const l = m.get(k);
    if (l) l.push(o);
    else m.set(k, [o]);
  }
  return m;
}

/** Workloads by pod label key\0value, in all namespaces and by namespace\0key\0value. */
export function labelTables(workloads: readonly MO[]): { all: Map<string, MO[]>; byNs: Map<string, MO[]> } {
  const all = new Map<string, MO[]>();
  const byNs = new Map<string, MO[]>();
  const push = (m: Map<string, MO[]>, k: string, w: MO): void => {
    const l = m.get(k);
    if (l) l.push(w);
    else m.set(k, [w]);
  };
  for (const w of workloads) {
    const labels = podLabels(w);
    for (const k of Object.keys(labels)) {
      const v = labelString(labels[k]);
      if (v === undefined) continue;
      // joined: flat keys (a template literal's pieces stay alive as long as the key)
      push(all, [k, v].join('\u0000'), w);
      push(byNs, [w.namespace, k, v].join('\u0000'), w);
    }
  }
  return { all, byNs };
}

/** The namespaces of the input, sorted (those of Namespace objects and of every namespaced object), and which hold workloads. */
export function namespacesOf(all: readonly MO[], workloads: readonly MO[]): { all: string[]; withWorkloads: Set<string> } {
  const names = new Set<string>();
  for (const o of all) {
    if (o.kind === 'Namespace' && o.group === '') names.add(o.name);
    else if (!isClusterScoped(o.kind)) names.add(o.namespace);
  }
  return { all: [...names].sort(), withWorkloads: new Set(workloads.map((w) => w.namespace)) };
}

/** Custom resources (see operators.ts) by namespace, in index order. */
export function customResourcesByNamespace(all: readonly MO[]): Map<string, MO[]> {
  const m = new Map<string, MO[]>();
  for (const o of all) {
    if (!isCustomResource(o)) continue;
    const l = m.get(o.namespace);
    if (l) l.push(o);
    else m.set(o.namespace, [o]);
  }
  return m;
}

/** HorizontalPodAutoscalers by namespace\0scaleTargetRef kind\0name, in index order. */
export function hpasByTarget(hpas: readonly MO[]): Map<string, MO[]> {
  const m = new Map<string, MO[]>();
  for (const h of hpas) {
    const target = scaleTarget(h);
    if (target === undefined) continue;
    const key = `${h.namespace}\u0000${target}`;
    const l = m.get(key);
    if (l) l.push(h);
    else m.set(key, [h]);
  }
  return m;
}

const targetMemo = new WeakMap<MO, string | null>();

/** An HPA's scaleTargetRef as `kind\0name` (both strings), else undefined; memoised per object. */
export function scaleTarget(h: MO): string | undefined {
  let t = targetMemo.get(h);
  if (t === undefined) {
    const spec = h.data.spec;
    const ref = isObj(spec) ? spec.scaleTargetRef : undefined;
    t = isObj(ref) && typeof ref.kind === 'string' && typeof ref.name === 'string' ? `${ref.kind}\u0000${ref.name}` : null;
    targetMemo.set(h, t);
  }
  return t ?? undefined;
}

/** Gives an HPA its scaleTarget as computed before from the same value (a stand-in of the incremental cache). */
export function rememberScaleTarget(h: MO, target: string | undefined): void {
  targetMemo.set(h, target ?? null);
}

/**
 * Whether an HPA's scaleTargetRef names the workload (namespace, kind, name and, when its apiVersion is
 * given, API group), and the workload is the one of its identity nearest to the HPA (`isNearest`).
 */
export function targetsWorkload(h: MO, w: MO, isNearest: (target: MO, from: MO) => boolean): boolean {
  const spec = h.data.spec;
  const ref = isObj(spec) ? spec.scaleTargetRef : undefined;
  if (h.namespace !== w.namespace || !isObj(ref) || ref.kind !== w.kind || ref.name !== w.name) return false;
  if (!isNearest(w, h)) return false;
  if (typeof ref.apiVersion === 'string' && ref.apiVersion !== '') {
    const g = ref.apiVersion.includes('/') ? ref.apiVersion.slice(0, ref.apiVersion.lastIndexOf('/')) : '';
    return g === w.group;
  }
  return true;
}
