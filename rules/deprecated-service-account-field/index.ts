import { defineRule } from '../../src/engine/rule.js';
import type { ObjectIndex } from '../../src/model/index.js';
import { isObj, type ManifestObject, type Obj } from '../../src/model/object.js';
import { podTemplate } from '../../src/model/workload.js';

/**
 * Whether serviceAccountName is serviceAccount with the prefix and suffix a kustomize build gave the names of its
 * resources (namePrefix, nameSuffix): the build renamed the ServiceAccount, which it holds, and serviceAccountName with
 * it, but not the deprecated field, which kustomize does not know. The object's own name has the same prefix and suffix.
 */
function renamedByKustomize(obj: ManifestObject<Obj>, value: string, other: string, index: ObjectIndex): boolean {
  if (!obj.render?.includes('[kustomize build')) return false;
  const at = other.indexOf(value);
  if (at < 0 || other.length === value.length) return false;
  const prefix = other.slice(0, at);
  const suffix = other.slice(at + value.length);
  if (!(obj.name.startsWith(prefix) && obj.name.endsWith(suffix) && obj.name.length > prefix.length + suffix.length)) return false;
  const inBuild = (name: string): boolean => index.get('ServiceAccount', obj.namespace, name).some((o) => o.render === obj.render);
  return inBuild(other) && !inBuild(value);
}

/**
 * An object as the API server returns it (`kubectl get -o yaml`: metadata.uid and resourceVersion, which only the
 * server sets), as test data and backups hold: the server writes serviceAccount beside serviceAccountName itself.
 */
function asServed(obj: ManifestObject<Obj>): boolean {
  const m = obj.data.metadata;
  return isObj(m) && typeof m.uid === 'string' && m.uid !== '' && typeof m.resourceVersion === 'string' && m.resourceVersion !== '';
}

export default defineRule({
  meta: {
    id: 'deprecated-service-account-field',
    severity: 'warning',
    category: 'correctness',
    description: 'Pod specs should name their service account with `serviceAccountName`, not the deprecated `serviceAccount` alias.',
    rationale:
      '`serviceAccount` is a deprecated alias kept for old clients. When both fields are set with different values the API server keeps `serviceAccountName` and the other value is silently ignored, so the pod does not run as the account the author wrote; tools that read only one of the fields (policy engines, RBAC reviews) see a different account from the one that runs. ' +
      "A kustomize build whose `namePrefix` or `nameSuffix` renames the ServiceAccount renames `serviceAccountName` with it but not `serviceAccount`, which kustomize does not know: when the two differ by just that prefix and suffix (the object's own name has them too, and the build holds the renamed ServiceAccount, not the other), the pod runs as the account meant, and the finding is a warning. An object as the API server returns it (`kubectl get -o yaml`, with metadata.uid and resourceVersion: test data, backups) has both fields because the server writes serviceAccount itself: an info.",
    remediation: 'Rename `serviceAccount` to `serviceAccountName`; when both are set, keep the one you mean and delete the other.',
    tags: ['correctness', 'service-account', 'deprecated'],
    appliesTo: ['PodSpecHolder'],
    presets: ['recommended'],
    equivalents: { 'kube-linter': ['deprecated-service-account-field'] },
    messages: {
      deprecated: '{{kind}} {{name}} sets the deprecated serviceAccount: {{value}}; rename it to serviceAccountName.',
      mismatch: {
        text: '{{kind}} {{name}} sets serviceAccount: {{value}} but serviceAccountName: {{other}}; the pod runs as {{other}} and {{value}} is ignored. Delete serviceAccount.',
        severity: 'error',
      },
      duplicate:
        '{{kind}} {{name}} sets the deprecated serviceAccount next to serviceAccountName with the same value; delete serviceAccount.',
      /** an object as the API server returns it (uid, resourceVersion): the server wrote serviceAccount */
      served: {
        text: '{{kind}} {{name}} is an object as the API server returns it (metadata.uid, resourceVersion), which writes the deprecated serviceAccount beside serviceAccountName itself; delete serviceAccount (and the server-set fields) before applying it again.',
        severity: 'info',
      },
      /** a kustomize build renamed serviceAccountName (namePrefix/nameSuffix) and not the deprecated field, which it does not know */
      renamed: {
        text: '{{kind}} {{name}} sets the deprecated serviceAccount: {{value}} next to serviceAccountName: {{other}}, the ServiceAccount {{value}} as this kustomize build renames it (namePrefix/nameSuffix; kustomize does not rename serviceAccount); the pod runs as {{other}}, as meant. Delete serviceAccount.',
        severity: 'warning',
      },
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'very-high',
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl) return;
    const value = tpl.spec.serviceAccount;
    if (typeof value !== 'string' || value === '') return;
    const other = tpl.spec.serviceAccountName;
    const path = [...tpl.specPath, 'serviceAccount'];
    const data = { kind: obj.kind, name: obj.name, value, other: typeof other === 'string' ? other : undefined };
    if (typeof other !== 'string' || other === '') ctx.report({ path, messageId: 'deprecated', data });
    else if (other !== value)
      ctx.report({ path, messageId: renamedByKustomize(obj, value, other, ctx.index) ? 'renamed' : 'mismatch', data });
    else ctx.report({ path, messageId: asServed(obj) ? 'served' : 'duplicate', data });
  },
});
