/**
 * Mutating admission webhooks run before the API server validates an object against its schema. Operators built
 * on Go types (Tekton, Knative, Crossplane) decode the object and encode it again in their defaulting webhook, so
 * a field the CRD marks required because its Go field has no `omitempty` (Tekton's `steps[].name`) comes back
 * present, and the object is accepted although the manifest leaves it out.
 */
import type { ObjectIndex } from '../model/index.js';
import { asArray, isObj, type ManifestObject } from '../model/object.js';

/**
 * A MutatingWebhookConfiguration of the input that may mutate objects of an API group: one whose rules name the
 * group (or `*`), or, when its rules are filled in at run time (knative's webhook library leaves them out of the
 * manifest), one whose name ends with the group's domain (`webhook.pipeline.tekton.dev` for `tekton.dev`).
 */
export function mutatingWebhookFor(index: ObjectIndex, group: string): ManifestObject<unknown> | undefined {
  if (group === '') return undefined;
  const domain = group.split('.').slice(-2).join('.');
  // a domain many groups share (k8s.io) says nothing about whose webhook it is
  const byName = domain !== 'k8s.io' && domain !== 'x-k8s.io' && domain.includes('.');
  for (const o of index.list('MutatingWebhookConfiguration')) {
    if (o.group !== 'admissionregistration.k8s.io' || !isObj(o.data)) continue;
    const hooks = asArray(o.data.webhooks).filter(isObj);
    for (const h of hooks) {
      const rules = asArray(h.rules).filter(isObj);
      if (rules.some((r) => asArray(r.apiGroups).some((g) => g === group || g === '*'))) return o;
      const names = [o.name, typeof h.name === 'string' ? h.name : ''];
      if (byName && rules.length === 0 && names.some((n) => n === domain || n.endsWith(`.${domain}`))) return o;
    }
  }
  return undefined;
}
