import type { ObjectIndex } from '../../src/model/index.js';
import { own, type ManifestObject, type Obj } from '../../src/model/object.js';
import { podLabels } from '../../src/model/workload.js';
import { closest } from '../../src/util/strings.js';

/** A selector or label value as text, to compare (a number or boolean as YAML wrote it; null as ''); undefined for a collection. */
export const labelStr = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === null ? '' : undefined;

/** A workload whose pod labels miss a selector entry by a typo: `app: fronted` for `frontend`, `ap: frontend` for `app`. */
export function nearMiss(workloads: ManifestObject<Obj>[], selector: Obj, entries: string[]): boolean {
  const want = entries.flatMap((k) => {
    const v = labelStr(selector[k]);
    return v === undefined || v === '' ? [] : [[k, v] as const];
  });
  for (const w of workloads) {
    if (w.kind === 'PodTemplate') continue;
    const labels = podLabels(w);
    for (const [k, v] of want) {
      const have = Object.hasOwn(labels, k) ? labelStr(own(labels, k)) : undefined;
      if (have !== undefined && have !== v && closest(v, [have]) !== undefined) return true;
      for (const lk of Object.keys(labels)) if (lk !== k && labelStr(own(labels, lk)) === v && closest(k, [lk]) !== undefined) return true;
    }
  }
  return false;
}

/**
 * The first workload (in index order) of the list agreeing with the most selector entries (at least one),
 * asking the label index for the workloads holding each entry rather than going through the list.
 */
export function bestAgreeing(
  index: ObjectIndex,
  ns: string,
  selector: Obj,
  entries: string[],
  workloads: () => ManifestObject<Obj>[],
): ManifestObject<Obj> | undefined {
  const agreeing = (w: ManifestObject<Obj>): number => {
    const labels = podLabels(w);
    return entries.filter((k) => Object.hasOwn(labels, k) && labelStr(own(labels, k)) === labelStr(selector[k])).length;
  };
  let best: { w: ManifestObject<Obj>; agree: number } | undefined;
  if (entries.some((k) => labelStr(selector[k]) === undefined)) {
    // an entry that is no label value agrees with a label that is none either: go through every workload
    for (const w of workloads()) {
      const agree = agreeing(w);
      if (agree > 0 && (!best || agree > best.agree)) best = { w, agree };
    }
    return best?.w;
  }
  const order = new Map<ManifestObject<Obj>, number>();
  for (const k of entries) {
    for (const w of index.workloadsWithLabel(k, labelStr(selector[k])!, ns)) if (w.kind !== 'PodTemplate' && !order.has(w)) order.set(w, 0);
  }
  if (order.size === 0) return undefined;
  // in index order, as going through the namespace's workloads would meet them
  for (const w of [...order.keys()].sort((a, b) => index.position(a) - index.position(b))) {
    const agree = agreeing(w);
    if (agree > 0 && (!best || agree > best.agree)) best = { w, agree };
  }
  return best?.w;
}

/** ` (it has KEY: did you mean that?)` for a label key of the pod template within a typo of `k`, else '' */
export function closestKey(k: string, labels: Obj): string {
  const g = closest(k, Object.keys(labels));
  return g !== undefined ? ` (it has ${g}: did you mean that?)` : '';
}
