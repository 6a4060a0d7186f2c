import { defineRule, type TypedRuleContext } from '../../src/engine/rule.js';
import type { ManifestObject, Obj } from '../../src/model/object.js';
import { isObj } from '../../src/model/object.js';
import { toPointer, type Path } from '../../src/parse/source.js';
import { schemaOf, validatorFor, unknownFields, kindsOf } from '../../src/schema/builtin.js';
import { fastPasses } from '../../src/schema/fast.js';
import { crdRegistry, type CrdLookup, type CrdVersion } from '../../src/schema/crd.js';
import { whereIs } from '../../src/model/nearness.js';
import { crFindings, fitsBetter, foreignFixture, rawText, underStatus } from './crd-check.js';
import { describeErrors, nullRequired } from '../../src/schema/errors.js';
import { compareRank, neverServed, servedApiVersions, servedFromLater, versionRank } from '../../src/schema/versions.js';
import { parseMinor, targetKubernetesVersion } from '../../src/util/kube-version.js';
import { podTemplateMissingSpec } from '../../src/model/workload.js';
import { closest } from '../../src/util/strings.js';
import { isSopsEncrypted, sopsHides } from '../../src/model/sops.js';
import { placeholderKeyAt, substitutionAt } from '../../src/model/substitution.js';
import { mutatingWebhookFor } from '../../src/schema/webhooks.js';
import { additionalBesideProperties, boolAdditionalProperties } from './crd-schema-props.js';
import { apiValidation } from './api-validation.js';
import { MESSAGES } from './messages.js';

const OBJECT_META = 'IoK8sApimachineryPkgApisMetaV1ObjectMeta';

type Ctx = TypedRuleContext<Record<string, never>, keyof typeof MESSAGES>;

/**
 * Fields the OpenAPI schema lists as required (their Go field has no `omitempty`) but the API server's
 * validation does not require: an EndpointSlice without `endpoints` (a slice with no ready endpoint yet) is
 * accepted, and gateway-api's conformance tests apply such slices. Or that the API server defaults before it
 * validates: a RoleBinding's or ClusterRoleBinding's `roleRef.apiGroup` left out or empty becomes
 * rbac.authorization.k8s.io (SetDefaults_RoleBinding in pkg/apis/rbac/v1 and v1beta1). By schema type, the
 * pointer of the object holding the field ('' for the top level) and the field.
 */
const ROLE_REF_GROUP: [string, string][] = [['/roleRef', 'apiGroup']];
const NOT_ENFORCED_REQUIRED: Record<string, [string, string][]> = {
  IoK8sApiDiscoveryV1EndpointSlice: [['', 'endpoints']],
  IoK8sApiRbacV1RoleBinding: ROLE_REF_GROUP,
  IoK8sApiRbacV1ClusterRoleBinding: ROLE_REF_GROUP,
  IoK8sApiRbacV1beta1RoleBinding: ROLE_REF_GROUP,
  IoK8sApiRbacV1beta1ClusterRoleBinding: ROLE_REF_GROUP,
};
function notEnforcedRequired(schema: string, e: { keyword: string; instancePath: string; params: Record<string, unknown> }): boolean {
  return (
    e.keyword === 'required' &&
    (NOT_ENFORCED_REQUIRED[schema]?.some(([at, field]) => at === e.instancePath && field === e.params.missingProperty) ?? false)
  );
}
/** A null-valued field (reported by nullRequired) that the table above lets go unset. */
function notEnforcedNull(schema: string, path: Path): boolean {
  return (
    NOT_ENFORCED_REQUIRED[schema]?.some(([at, field]) => path[path.length - 1] === field && toPointer(path.slice(0, -1)) === at) ?? false
  );
}

function validateBuiltin(obj: ManifestObject<Obj>, schema: string, ctx: Ctx): boolean {
  // the fast path (src/schema/fast.ts): an object it passes, ajv passes with no unknown field; the others get ajv
  if (!fastPasses(obj.data, schema)) {
    const validate = validatorFor(schema);
    if (!validate) return false;
    if (!validate(obj.data)) {
      const errors = (validate.errors ?? []).filter(
        (e) => !notEnforcedRequired(schema, e) && !boolAdditionalProperties(schema, e, obj.data),
      );
      for (const f of describeErrors(errors, obj.data, underStatus, rawText(obj)))
        ctx.report({ path: f.path, messageId: 'invalid', data: { message: f.message } });
      for (const f of nullRequired(validate, errors, obj.data, underStatus))
        if (!notEnforcedNull(schema, f.path)) ctx.report({ path: f.path, messageId: 'nullRequired', data: { message: f.message } });
    }
    for (const u of unknownFields(obj.data, schema)) ctx.report({ path: u.path, messageId: 'unknownField', data: { message: u.message } });
  }
  const missing = podTemplateMissingSpec(obj);
  if (missing) ctx.report({ path: missing.path, messageId: 'noPodSpec', data: { message: missing.message } });
  for (const f of [...apiValidation(obj), ...additionalBesideProperties(obj)])
    ctx.report({ path: f.path, messageId: 'apiValidation', data: { message: f.message } });
  return true;
}

function crdsOf(l: CrdLookup): ManifestObject<Obj>[] {
  return [l.version, ...(l.others ?? [])].filter((v): v is CrdVersion => v !== undefined).map((v) => v.crd);
}

/** A custom resource's finding, naming the definition it comes from (several copies of a CRD may be in the input). */
function perCrd(message: string, v: CrdVersion): string {
  const at = whereIs(v.crd);
  const own = `(${v.kind} schema)`;
  return message.includes(own)
    ? message.replace(own, `(${v.kind} schema of the CustomResourceDefinition at ${at})`)
    : `${message} (per the CustomResourceDefinition at ${at})`;
}

const screens = new WeakMap<Ctx, { ctx: Ctx; data: unknown }>();
/**
 * The rule's context with its reports screened (made once per context, which the engine reuses for every object):
 * nothing about a SOPS-encrypted document's `sops` block or encrypted values, which are not what the cluster gets,
 * and an info for a value that is a substitution variable (`data: ${CNI_RESOURCES}`), which becomes what the
 * script puts there.
 */
function screened(outer: Ctx, obj: ManifestObject<Obj>): Ctx {
  let s = screens.get(outer);
  if (!s) {
    const c = Object.create(outer) as { -readonly [K in keyof Ctx]: Ctx[K] };
    const state: { ctx: Ctx; data: unknown } = { ctx: c, data: undefined };
    c.report = (d) => {
      const data = state.data;
      if (isSopsEncrypted(data) && sopsHides(data, d.path)) return;
      const message = d.data?.message;
      const sub =
        message === undefined
          ? undefined
          : (substitutionAt(data, d.path) ?? placeholderKeyAt(data, d.path, d.messageId === 'unknownField'));
      if (sub === undefined) outer.report(d);
      else outer.report({ path: d.path, messageId: 'substituted', data: { message: String(d.data!.message), value: sub } });
    };
    screens.set(outer, (s = state));
  }
  s.data = obj.data;
  return s.ctx;
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
      "Custom resources are checked against the `openAPIV3Schema` of their CustomResourceDefinition (from the input, `--context`, `--crd` or the config's `crds:`), and each finding names the file and line of the definition it comes from; the API server prunes fields the schema does not declare. When the input holds several definitions of one CRD (old releases, vendored copies), the one nearest to the object is used; if another definition accepts the object its findings are notes (which one the cluster has is not known), and if every definition rejects it, the findings of the one that fits it best are reported (the fewest findings, then the fewest unknown fields, then the deepest: an old release's copy lacks the newer fields the object uses); when the only definition is a Go test fixture (under `testdata/`) in a directory that is not the object's, its findings are infos. " +
      "A version the nearest definition does not serve but another serves (gateway-api's standard and experimental channels) is an info, and the object is checked against the definition that serves it; a version newer than every version of a definition in another directory (a later release, or another product, may serve it) is an info too, while an older version, or one the object's own definition lacks, is an error. " +
      'Custom resources without a known schema are counted as "not validated" in the summary, never treated as valid. ' +
      "A required field missing from a custom resource is an info when a MutatingWebhookConfiguration of the input may mutate objects of its group (its rules name the group, or it has no rules, as knative's webhook library leaves them to run time, and its name ends with the group's domain): the defaulting webhooks of Go operators (Tekton, Knative) encode the object again, writing every field their Go type does not omit, before the API server validates it. " +
      'A SOPS-encrypted document (a top-level `sops` block with its `mac`; Flux, helm-secrets and ksops decrypt it before applying) is checked as the cluster will get it: the `sops` block is not an unknown field, and the `ENC[…]` values, whose decrypted type and content are not known, are not checked. A value that holds a substitution variable (`data: ${CNI_RESOURCES}`, `replicas: ${N:=2}`, `namespace: ${NS:-${NAMESPACE}}`: clusterctl templates, envsubst, Flux postBuild), which a script replaces as text before the YAML is read, or that is an upper-case name in square brackets (`access-key: [YOUR_BASE64_AK_ID]`, which YAML reads as a one-item list) or words between ellipses (`dhparam.pem: "...base64 encoded data..."`), or that is an upper-case key with an empty value (`HELMSUBST_SERVICE_TYPE: ""`, a block a script puts there, as gatekeeper\'s helmify input has: an unknown field, or a mapping of such keys where a list belongs), makes a finding there an info. ' +
      'Also reported: a required field that is present but empty (`selector:` or `containers[0].name:` with no value, as an empty Helm value renders), which the API server rejects as "Required value" although a JSON Schema validator accepts the key; a pod template without `spec` (the API server requires its containers); label keys and values the API server rejects (on the object and its pod template); container port names that are not IANA service names (at most 15 characters) or repeat within a container, container ports and Service target ports outside 1-65535 (a targetPort of 0, like an empty one, is defaulted to the port), and a Service `targetPort` name that is not an IANA service name (a quoted number is a name); a pod template `restartPolicy` its kind does not allow (the pods of a Job or CronJob need OnFailure or Never, so leaving it unset is rejected; Deployments, StatefulSets, DaemonSets, ReplicaSets and ReplicationControllers allow only Always); a built-in kind under a built-in apiVersion that does not serve it (`apiVersion: v1` with `kind: Deployment`); and an apiVersion that no Kubernetes version ever served for a kind of a built-in group (`policy/v1` PodSecurityPolicy, `apps/v1beta3` Deployment, `extensions/v1` Ingress), judged from the schemas this tool carries plus the removed versions of the deprecation guide. A version newer than every served one of the kind, and alpha versions, are not reported: a later Kubernetes release may serve them. A kind that releases newer than these schemas (1.33) serve in a built-in apiVersion (`admissionregistration.k8s.io/v1` MutatingAdmissionPolicy and its binding, from 1.36) is an error only when the target version is older, and is not validated otherwise.',
    remediation:
      'Fix the field the message names: use the suggested spelling, the expected type (quote strings such as `"1.0"`, unquote numbers), one of the listed enum values, or add the missing required field. ' +
      '`kubectl explain <kind>.<field>` shows the schema. For custom resources, pass the CRD with `--crd path` or list it under `crds:` in `.k8s-gold.yaml`.',
    tags: ['schema', 'correctness'],
    defaultOptions: {},
    messages: MESSAGES,
    precision: 'very-high',
  },
  check(obj, outer) {
    if (!obj.apiVersion || !obj.kind) return; // invalid-object reports it
    // a SOPS-encrypted document: its `sops` block and its encrypted values are not what the cluster gets;
    // a value that is a substitution variable (`data: ${CNI_RESOURCES}`) becomes what the script puts there
    const ctx = screened(outer, obj);
    const schema = schemaOf(obj.apiVersion, obj.kind);
    if (schema) {
      if (!validateBuiltin(obj, schema, ctx)) ctx.notValidated?.();
      return;
    }
    const crds = crdRegistry(ctx.index);
    const found = crds.lookup(obj.group, obj.version, obj.kind, obj);
    if (found.version) {
      let v = found.version;
      if (!v.served) {
        // another definition of the CRD in the input serves the version (gateway-api's standard channel stops
        // serving TCPRoute v1alpha2, its experimental channel serves it): which one the cluster has is not known
        const serving = found.others?.find((o) => o.served);
        if (!serving) {
          ctx.report({ path: ['apiVersion'], messageId: 'versionNotServed', data: { version: v.version, kind: v.kind, crd: v.crd.name } });
          return;
        }
        ctx.report({
          path: ['apiVersion'],
          messageId: 'versionServedElsewhere',
          data: { version: v.version, kind: v.kind, chosen: whereIs(v.crd), other: whereIs(serving.crd) },
        });
        v = serving;
      }
      const own = crFindings(v, obj);
      if (own === undefined) {
        ctx.notValidated?.();
        return;
      }
      // other definitions of the CRD in the input (old releases, vendored copies): which one the cluster has is not
      // known here. One that accepts the object makes these findings notes; when every one rejects it, the
      // definition with the fewest findings speaks (the others also report fields it knows)
      let accepting: CrdVersion | undefined;
      let fewest = own;
      let fewestFrom = v;
      for (const o of own.length ? (found.others ?? []) : []) {
        if (!o.served || o.schema === v.schema) continue;
        const theirs = crFindings(o, obj);
        if (theirs === undefined) continue;
        if (theirs.length === 0) {
          accepting = o;
          break;
        }
        if (fitsBetter(theirs, fewest)) {
          fewest = theirs;
          fewestFrom = o;
        }
      }
      // a mutating webhook that may set required fields first, looked up once and only for a missing required field
      let hook: ManifestObject<unknown> | null | undefined;
      const webhook = () => (hook === undefined ? (hook = mutatingWebhookFor(ctx.index, obj.group) ?? null) : hook);
      const fixture = !accepting && !found.others?.length && foreignFixture(v.crd.file.path, obj.file.path);
      for (const f of accepting ? own : fewest) {
        if (accepting)
          ctx.report({
            path: f.path,
            messageId: 'otherCrdAccepts',
            data: { message: f.message, chosen: whereIs(v.crd), other: whereIs(accepting.crd) },
          });
        else if (f.required && webhook()) {
          const h = webhook()!;
          ctx.report({ path: f.path, messageId: 'requiredByWebhook', data: { message: f.message, webhook: h.name, file: whereIs(h) } });
        } else if (fixture) ctx.report({ path: f.path, messageId: 'fixtureCrd', data: { message: f.message, chosen: whereIs(v.crd) } });
        else ctx.report({ path: f.path, messageId: f.messageId, data: { message: perCrd(f.message, fewestFrom) } });
      }
      const data = obj.data as Obj;
      if (isObj(data.metadata) && !fastPasses(data.metadata, OBJECT_META, false)) {
        const meta = validatorFor(OBJECT_META);
        if (meta && !meta(data.metadata)) {
          for (const f of describeErrors(meta.errors ?? [], data.metadata, undefined, rawText(obj, ['metadata'])))
            ctx.report({ path: ['metadata', ...f.path], messageId: 'invalidMetadata', data: { message: f.message } });
        }
        for (const u of unknownFields(data.metadata, OBJECT_META, ['metadata'], []))
          ctx.report({ path: u.path, messageId: 'unknownField', data: { message: u.message } });
      }
      return;
    }
    if (found.known) {
      // a version newer than every one the input's definition has (appprotect.f5.com/v1 against a CRD of v1beta1,
      // whose v1 another product installs): a later release of the CRD may serve it, so which is installed decides
      // and the definition is not the object's own (in its directory or one above it)
      const rank = versionRank(obj.version);
      const newer =
        rank !== undefined &&
        found.known.every((k) => {
          const r = versionRank(k);
          return r !== undefined && compareRank(rank, r) > 0;
        });
      const defs = newer ? found.known.flatMap((k) => crdsOf(crds.lookup(obj.group, k, obj.kind, obj))) : [];
      const foreign =
        defs.length > 0 && defs.every((d) => !obj.file.path.startsWith(d.file.path.slice(0, d.file.path.lastIndexOf('/') + 1)));
      ctx.report({
        path: ['apiVersion'],
        messageId: foreign ? 'newerVersion' : 'unknownVersion',
        data: { kind: obj.kind, version: obj.version, versions: found.known.join(', '), file: foreign ? whereIs(defs[0]!) : '' },
      });
      return;
    }
    const unserved = neverServed(obj.apiVersion, obj.kind);
    if (unserved) {
      ctx.report({ path: ['apiVersion'], messageId: 'neverServed', data: { reason: unserved } });
      return;
    }
    // a kind that Kubernetes releases newer than this tool's schemas serve (not validated on a cluster that new)
    const from = servedFromLater(obj.apiVersion, obj.kind);
    if (from !== undefined) {
      const { text: target, minor } = targetKubernetesVersion(ctx.settings);
      // with no kubernetesVersion configured the target is this tool's schema version, not the cluster's: a kind
      // only newer releases serve says the author targets one (home-ops' MutatingAdmissionPolicy), so an info
      const configured = parseMinor(ctx.settings.kubernetesVersion) !== undefined;
      if (minor < from)
        ctx.report({
          path: ['kind'],
          messageId: configured ? 'laterKind' : 'laterKindDefault',
          data: { apiVersion: obj.apiVersion, kind: obj.kind, from, target },
        });
      else ctx.notValidated?.();
      return;
    }
    const builtinKinds = kindsOf(obj.apiVersion);
    const guess = builtinKinds ? closest(obj.kind, builtinKinds) : undefined;
    if (guess && guess !== obj.kind) {
      ctx.report({ path: ['kind'], messageId: 'unknownKind', data: { apiVersion: obj.apiVersion, kind: obj.kind, guess } });
      return;
    }
    // a built-in kind under a built-in apiVersion that does not serve it (`apiVersion: v1` with `kind: Deployment`)
    const servedAs = builtinKinds ? servedApiVersions(obj.kind).filter((v) => v !== obj.apiVersion) : [];
    if (servedAs.length) {
      ctx.report({
        path: ['apiVersion'],
        messageId: 'wrongApiVersion',
        data: { apiVersion: obj.apiVersion, kind: obj.kind, servedAs: servedAs.join(', ') },
      });
      return;
    }
    ctx.notValidated?.();
  },
});
