/** The schema rule's messages. */
/** Messages; the texts of schema violations are composed from the JSON Schema error by src/schema/errors.ts. */
export const MESSAGES = {
  invalid: '{{message}}',
  nullRequired: '{{message}}',
  unknownField: '{{message}}',
  /** the nearest definition of the CRD rejects the object, another definition in the input accepts it */
  otherCrdAccepts: {
    text: '{{message}} (per the CustomResourceDefinition at {{chosen}}; the one at {{other}} accepts the object, and which of them the cluster has is not known)',
    severity: 'info',
  },
  /** the only definition is a Go test fixture (`testdata/`) of another directory: not known to be the cluster's */
  fixtureCrd: {
    text: "{{message}} (per the CustomResourceDefinition at {{chosen}}, the only one in the input: a test fixture of another directory, so the cluster's definition may differ; pass it with --crd)",
    severity: 'info',
  },
  noPodSpec: '{{message}}',
  /** the value is a substitution variable (`${VAR}`) that a script replaces as text before applying */
  substituted: {
    text: '{{message}}; {{value}} is a placeholder (envsubst, clusterctl, Flux postBuild, sed) whose replacement text is not known here, nor what the cluster gets',
    severity: 'info',
  },
  /** a required field of a custom resource left out, where a mutating webhook of the input may set it before validation */
  requiredByWebhook: {
    text: '{{message}}; the API server rejects the object unless MutatingWebhookConfiguration {{webhook}} ({{file}}) sets it first, as the defaulting webhooks of operators such as Tekton and Knative do; set it to be sure',
    severity: 'info',
  },
  /** what the API server's validation rejects beyond the OpenAPI schema (labels, port names, restartPolicy) */
  apiValidation: '{{message}}',
  wrongApiVersion:
    '{{apiVersion}} has no kind {{kind}}, so the API server rejects the object ("no matches for kind"); {{kind}} is served as {{servedAs}}: use that apiVersion',
  invalidMetadata: 'metadata.{{message}}',
  versionNotServed:
    'version {{version}} of {{kind}} is not served by CustomResourceDefinition {{crd}} (served: false); the API server rejects it; use a served version',
  /** the nearest definition does not serve the version, another definition of the CRD in the input does */
  versionServedElsewhere: {
    text: 'version {{version}} of {{kind}} is not served by the CustomResourceDefinition at {{chosen}} (served: false) but is by the one at {{other}}; which one the cluster has is not known here, so the object is checked against the one that serves it. If the first is what you install, the API server rejects the object',
    severity: 'info',
  },
  /** a version newer than every version of the input's CRD: a later release of the CRD may serve it */
  newerVersion: {
    text: "{{kind}} {{version}} is newer than every version of its CustomResourceDefinition in the input ({{versions}}, at {{file}}, in another directory): a later release of the CRD, which the cluster may have, may serve it; with the input's definition the API server rejects the object",
    severity: 'info',
  },
  unknownVersion:
    '{{kind}} has no version {{version}} in its CustomResourceDefinition (it defines {{versions}}); the API server rejects it',
  neverServed: '{{reason}}. The API server rejects the object ("no matches for kind")',
  /** a kind a newer Kubernetes serves in this built-in apiVersion than the target cluster */
  laterKind:
    '{{apiVersion}} {{kind}} is served from Kubernetes 1.{{from}}, and the target cluster ({{target}}) does not serve it, so the API server rejects the object ("no matches for kind"); if the cluster is newer, set kubernetesVersion in the config',
  /** the same, when the target is the default (no kubernetesVersion configured): the cluster may well serve it */
  laterKindDefault: {
    text: '{{apiVersion}} {{kind}} is served from Kubernetes 1.{{from}}, newer than the default target ({{target}}, the version of k8s-gold\'s schemas), so it is not validated; a cluster older than 1.{{from}} rejects it ("no matches for kind"): set kubernetesVersion in the config to check against your cluster',
    severity: 'info',
  },
  unknownKind: '{{apiVersion}} has no kind "{{kind}}"; did you mean "{{guess}}"? The API server rejects the object ("no matches for kind")',
} as const;
