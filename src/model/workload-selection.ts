/** Which workloads of a namespace a label selector or a map selector selects, through the index's pod label tables. */
import { compileSelector, labelString, mapSelectorMatches, type CompiledSelector } from '../util/selector.js';
import type { ObjectIndex } from './index.js';
import { isObj, type ManifestObject, type Obj } from './object.js';
import { podLabels } from './workload.js';

type MO = ManifestObject<Obj>;

/** See {@link ObjectIndex.workloadsMatching}. */
export function workloadsMatching(index: ObjectIndex, namespace: string, selector: CompiledSelector): MO[] {
  if (!selector.valid) return [];
  const n = selector.narrowing;
  if (!n) return index.workloads(namespace).filter((w) => selector.matches(podLabels(w)));
  if (n.values.length === 1) return index.workloadsWithLabel(n.key, n.values[0]!, namespace).filter((w) => selector.matches(podLabels(w)));
  const set = new Set<MO>();
  for (const v of n.values) for (const w of index.workloadsWithLabel(n.key, v, namespace)) set.add(w);
  return index.workloads(namespace).filter((w) => set.has(w) && selector.matches(podLabels(w)));
}

/** See {@link ObjectIndex.workloadsSelectedBy}. */
export function workloadsSelectedBy(index: ObjectIndex, namespace: string, selector: unknown, kind: 'labelSelector' | 'map'): MO[] {
  if (kind === 'labelSelector') return index.workloadsMatching(namespace, compileSelector(selector));
  const first = isObj(selector) ? Object.keys(selector)[0] : undefined;
  const v = first === undefined ? undefined : labelString((selector as Obj)[first]);
  if (first === undefined || v === undefined) return [];
  return index.workloadsWithLabel(first, v, namespace).filter((w) => mapSelectorMatches(selector as Obj, podLabels(w)));
}
