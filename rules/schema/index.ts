import { defineRule, type TypedRuleContext } from '../../src/engine/rule.js';
import type { ManifestObject, Obj } from '../../src/model/object.js';
import { isObj } from '../../src/model/object.js';
import type { Path } from '../../src/parse/source.js';
import { schemaOf, validatorFor, unknownFields, kindsOf } from '../../src/schema/builtin.js';
import { crdRegistry, compiled, crdUnknownFields } from '../../src/schema/crd.js';
import { describeErrors, nullRequired, type RawText } from '../../src/schema/errors.js';
import { neverServed } from '../../src/schema/versions.js';
import { podTemplateMissingSpec } from '../../src/model/workload.js';
import { closest } from '../../src/util/strings.js';

const OBJECT_META = 'IoK8sApimachineryPkgApisMetaV1ObjectMeta';
const underStatus = (p: Path): boolean => p[0] === 'status';

/** Messages; the texts of schema violations are composed from the JSON Schema error by src/schema/errors.ts. */
const MESSAGES = {
  invalid: '{{message}}',
  nullRequired: '{{message}}',
  unknownField: '{{message}}',
  noPodSpec: '{{message}}',
  invalidMetadata: 'metadata.{{message}}',
  versionNotServed: 'version {{version}} of {{kind}} is not served by CustomResourceDefinition {{crd}} (served: false); the API server rejects it; use a served version',
  unknownVersion: '{{kind}} has no version {{version}} in its CustomResourceDefinition (it defines {{versions}}); the API server rejects it',
  neverServed: '{{reason}}. The API server rejects the object ("no matches for kind")',
  unknownKind: '{{apiVersion}} has no kind "{{kind}}"; did you mean "{{guess}}"? The API server rejects the object ("no matches for kind")',
} as const;
type Ctx = TypedRuleContext<Record<string, never>, keyof typeof MESSAGES>;

/** the scalar at a path as written in the source */
function rawText(obj: ManifestObject<Obj>, base: Path = []): RawText {
  return (p) => {
    const loc = obj.locate([...base, ...p]);
    if (!loc.exact || loc.span.vs < 0) return undefined;
    return obj.file.parse.source.text.slice(loc.span.vs, loc.span.ve).trim();
  };
}

function validateBuiltin(obj: ManifestObject<Obj>, schema: string, ctx: Ctx): boolean {
  const validate = validatorFor(schema);
  if (!validate) return false;
  if (!validate(obj.data)) {
    const errors = validate.errors ?? [];
    for (const f of describeErrors(errors, obj.data, underStatus, rawText(obj))) ctx.report({ path: f.path, messageId: 'invalid', data: { message: f.message } });
    for (const f of nullRequired(validate, errors, obj.data, underStatus)) ctx.report({ path: f.path, messageId: 'nullRequired', data: { message: f.message } });
  }
  for (const u of unknownFields(obj.data, schema)) ctx.report({ path: u.path, messageId: 'unknownField', data: { message: u.message } });
  const missing = podTemplateMissingSpec(obj);
  if (missing) ctx.report({ path: missing.path, messageId: 'noPodSpec', data: { message: missing.message } });
  return true;
}

export default defineRule({
  meta: {
    id: 'schema',
    severity: 'error',
    category: 'schema',
    description: 'Objects must match the Kubernetes OpenAPI schema of their kind, or the schema of their CustomResourceDefinition.',
    rationale:
      'The API server rejects an object whose fields have the wrong type, miss a required field or use a value outside an enum, so `kubectl apply` fails in the middle of a rollout. ' +
      'A misspelt field is worse: under non-strict validation it is silently dropped, so `timeoutSecond: 5` leaves the probe at its 1-second default and nobody notices until the pod restarts under load. ' +
      'Custom resources are checked against the `openAPIV3Schema` of their CustomResourceDefinition (from the input, `--context`, `--crd` or the config\'s `crds:`); the API server prunes fields the schema does not declare. ' +
      'Custom resources without a known schema are counted as "not validated" in the summary, never treated as valid. ' +
      'Also reported: a required field that is present but empty (`selector:` or `containers[0].name:` with no value, as an empty Helm value renders), which the API server rejects as "Required value" although a JSON Schema validator accepts the key; a pod template without `spec` (the API server requires its containers); and an apiVersion that no Kubernetes version ever served for a kind of a built-in group (`policy/v1` PodSecurityPolicy, `apps/v1beta3` Deployment, `extensions/v1` Ingress), judged from the schemas this tool carries plus the removed versions of the deprecation guide. A version newer than every served one of the kind, and alpha versions, are not reported: a later Kubernetes release may serve them.',
    remediation:
      'Fix the field the message names: use the suggested spelling, the expected type (quote strings such as `"1.0"`, unquote numbers), one of the listed enum values, or add the missing required field. ' +
      '`kubectl explain <kind>.<field>` shows the schema. For custom resources, pass the CRD with `--crd path` or list it under `crds:` in `.k8s-gold.yaml`.',
    tags: ['schema', 'correctness'],
    defaultOptions: {},
    messages: MESSAGES,
    precision: 'very-high',
  },
  check(obj, ctx) {
    if (!obj.apiVersion || !obj.kind) return; // invalid-object reports it
    const schema = schemaOf(obj.apiVersion, obj.kind);
    if (schema) {
      if (!validateBuiltin(obj, schema, ctx)) ctx.notValidated?.();
      return;
    }
    const crds = crdRegistry(ctx.index);
    const found = crds.lookup(obj.group, obj.version, obj.kind);
    if (found.version) {
      const v = found.version;
      if (!v.served) {
        ctx.report({ path: ['apiVersion'], messageId: 'versionNotServed', data: { version: v.version, kind: v.kind, crd: v.crd.name } });
        return;
      }
      const validate = compiled(v);
      if (!validate) {
        ctx.notValidated?.();
        return;
      }
      const data = obj.data as Obj;
      if (!validate(data)) {
        const errors = validate.errors ?? [];
        for (const f of describeErrors(errors, data, underStatus, rawText(obj))) ctx.report({ path: f.path, messageId: 'invalid', data: { message: f.message } });
        for (const f of nullRequired(validate, errors, data, underStatus)) ctx.report({ path: f.path, messageId: 'nullRequired', data: { message: f.message } });
      }
      for (const u of crdUnknownFields(data, v.schema, v.kind)) ctx.report({ path: u.path, messageId: 'unknownField', data: { message: u.message } });
      if (isObj(data.metadata)) {
        const meta = validatorFor(OBJECT_META);
        if (meta && !meta(data.metadata)) {
          for (const f of describeErrors(meta.errors ?? [], data.metadata, undefined, rawText(obj, ['metadata']))) ctx.report({ path: ['metadata', ...f.path], messageId: 'invalidMetadata', data: { message: f.message } });
        }
        for (const u of unknownFields(data.metadata, OBJECT_META, ['metadata'], [])) ctx.report({ path: u.path, messageId: 'unknownField', data: { message: u.message } });
      }
      return;
    }
    if (found.known) {
      ctx.report({
        path: ['apiVersion'],
        messageId: 'unknownVersion',
        data: { kind: obj.kind, version: obj.version, versions: found.known.join(', ') },
      });
      return;
    }
    const unserved = neverServed(obj.apiVersion, obj.kind);
    if (unserved) {
      ctx.report({ path: ['apiVersion'], messageId: 'neverServed', data: { reason: unserved } });
      return;
    }
    const builtinKinds = kindsOf(obj.apiVersion);
    const guess = builtinKinds ? closest(obj.kind, builtinKinds) : undefined;
    if (guess && guess !== obj.kind) {
      ctx.report({ path: ['kind'], messageId: 'unknownKind', data: { apiVersion: obj.apiVersion, kind: obj.kind, guess } });
      return;
    }
    ctx.notValidated?.();
  },
});
