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
