import { whereIs, type ObjectIndex } from '../../src/model/index.js';
import { nearestFirst } from '../../src/model/nearness.js';
import { asArray, isObj, type ManifestObject, type Obj } from '../../src/model/object.js';

/**
 * A CustomResourceDefinition in the input whose API group owns a label key of the selector (`longhorn.io/component`
 * and group `longhorn.io`, or a group below it such as `storage.longhorn.io`): the operator that serves it labels
 * the pods it creates (or its own pods, at run time) with keys of its domain, so pods the input does not show may
 * match. The nearest such CRD to `from`; undefined when none does.
 */
export function operatorLabelGroup(index: ObjectIndex, podSelector: unknown, from: ManifestObject<unknown>): string | undefined {
  if (!isObj(podSelector)) return undefined;
  const keys = [
    ...(isObj(podSelector.matchLabels) ? Object.keys(podSelector.matchLabels) : []),
    ...asArray(podSelector.matchExpressions).flatMap((e) => (isObj(e) && typeof e.key === 'string' ? [e.key] : [])),
  ];
  const domains = new Set(keys.filter((k) => k.includes('/')).map((k) => k.slice(0, k.indexOf('/'))));
  if (domains.size === 0) return undefined;
  for (const crd of nearestFirst(index.list('CustomResourceDefinition'), from)) {
    const spec = (crd.data as Obj).spec;
    const group = isObj(spec) && typeof spec.group === 'string' ? spec.group : '';
    for (const d of domains)
      if (group === d || group.endsWith(`.${d}`))
        return ` Its label key ${d}/… is of API group ${group} (CustomResourceDefinition ${crd.name}, ${whereIs(crd)}), whose operator may label the pods it selects.`;
  }
  return undefined;
}
