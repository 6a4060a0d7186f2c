// Deterministic benchmark inputs written by k8s-gold itself (nothing copied from other projects):
//   writeCrdSet: a CRD-heavy tree like the ones operators ship: CustomResourceDefinitions with large
//     structural openAPIV3Schemas (nested objects, arrays of objects, enums, patterns, formats, maps,
//     x-kubernetes-validations CEL rules) and custom resources of them, a few of them invalid;
//   writePolicySet: ValidatingAdmissionPolicies with bindings (CEL validations, variables,
//     matchConditions, messageExpression) over the kinds of ../shared/bench/gen-corpus.mjs.
//   node bench/generate.mjs crds OUT [--crds 50] [--per-crd 40]
//   node bench/generate.mjs policies OUT [--policies 50]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

function rng(seed) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const indent = (text, n) => text.replace(/^(?=.)/gm, ' '.repeat(n));

/** A schema node and a matching value, `depth` levels deep; a value with `block` is YAML lines under its key. */
function field(rand, depth, name) {
  const r = rand();
  if (depth <= 0 || r < 0.45) {
    const t = Math.floor(rand() * 6);
    if (t === 0)
      return { schema: 'type: string\nmaxLength: 253\npattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"\n', value: `${name.toLowerCase()}-value` };
    if (t === 1) return { schema: 'type: integer\nformat: int32\nminimum: 0\nmaximum: 65535\n', value: String(Math.floor(rand() * 1000)) };
    if (t === 2) return { schema: 'type: boolean\n', value: rand() < 0.5 ? 'true' : 'false' };
    if (t === 3) return { schema: 'type: string\nenum: [Always, IfNotPresent, Never]\n', value: 'IfNotPresent' };
    if (t === 4) return { schema: 'type: string\nformat: date-time\n', value: '"2024-05-01T10:00:00Z"' };
    return { schema: 'type: object\nadditionalProperties:\n  type: string\n', value: '{team: platform, tier: backend}' };
  }
  if (r < 0.6) {
    const item = object(rand, depth - 1, `${name}Item`, 4);
    const entry = `- ${indent(item.value, 2).slice(2)}`;
    return { schema: `type: array\nmaxItems: 64\nitems:\n${indent(item.schema, 2)}`, value: entry, block: true };
  }
  return object(rand, depth - 1, name, 6);
}

function object(rand, depth, name, width) {
  const n = 2 + Math.floor(rand() * width);
  let props = '';
  let value = '';
  const required = [];
  for (let i = 0; i < n; i++) {
    const key = `${name}${['Spec', 'Config', 'Policy', 'Template', 'Settings', 'Options', 'Limit', 'Ref'][i % 8]}${i}`;
    const f = field(rand, depth, key);
    props += `${key}:\n${indent(f.schema, 2)}`;
    // a custom resource sets the required field and some of the others, as real ones do
    if (i === 0 || rand() < 0.7) value += f.block ? `${key}:\n${indent(f.value, 2)}` : `${key}: ${f.value}\n`;
    if (i === 0) required.push(key);
  }
  return { schema: `type: object\nrequired: [${required.join(', ')}]\nproperties:\n${indent(props, 2)}`, value, block: true };
}

/** CRDs and custom resources: crds/NN-<plural>.yaml (one CRD each) and resources/<plural>.yaml (`perCrd` objects each). */
export function writeCrdSet(dir, { crds = 50, perCrd = 40 } = {}) {
  fs.mkdirSync(path.join(dir, 'crds'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'resources'), { recursive: true });
  let crdBytes = 0;
  let crCount = 0;
  for (let c = 0; c < crds; c++) {
    const rand = rng(1000 + c);
    const kind = `Widget${c}`;
    const plural = `widget${c}s`;
    const group = `ops${c % 7}.example.com`;
    const spec = object(rand, 4, 'w', 9);
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.${group}
spec:
  group: ${group}
  names:
    kind: ${kind}
    listKind: ${kind}List
    plural: ${plural}
    singular: widget${c}
  scope: Namespaced
  versions:
    - name: v1beta1
      served: true
      storage: false
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
    - name: v1
      served: true
      storage: true
      subresources:
        status: {}
      schema:
        openAPIV3Schema:
          type: object
          required: [spec]
          properties:
            apiVersion: {type: string}
            kind: {type: string}
            metadata: {type: object}
            spec:
              x-kubernetes-validations:
                - rule: "self.replicas <= self.maxReplicas"
                  message: replicas must not exceed maxReplicas
                - rule: "!has(self.mode) || self.mode != 'Unsafe' || self.replicas == 1"
                  message: Unsafe mode runs one replica
${indent(spec.schema.replace(/^properties:\n/m, 'properties:\n  replicas: {type: integer, minimum: 0}\n  maxReplicas: {type: integer, minimum: 1}\n  mode: {type: string, enum: [Safe, Unsafe]}\n'), 14)}            status:
              type: object
              properties:
                conditions:
                  type: array
                  items:
                    type: object
                    required: [type, status]
                    properties:
                      type: {type: string}
                      status: {type: string, enum: ["True", "False", Unknown]}
                      reason: {type: string}
                      message: {type: string}
                      lastTransitionTime: {type: string, format: date-time}
`;
    crdBytes += crd.length;
    fs.writeFileSync(path.join(dir, 'crds', `${String(c).padStart(2, '0')}-${plural}.yaml`), crd);
    const docs = [];
    for (let i = 0; i < perCrd; i++) {
      const bad = i % 10 === 7;
      docs.push(`apiVersion: ${group}/v1
kind: ${kind}
metadata:
  name: ${plural.slice(0, -1)}-${i}
  namespace: team-${i % 5}
spec:
  replicas: ${bad ? 9 : 2}
  maxReplicas: 5
  mode: Safe
${indent(spec.value, 2)}`);
      crCount++;
    }
    fs.writeFileSync(path.join(dir, 'resources', `${plural}.yaml`), docs.join('---\n'));
  }
  return { crds, customResources: crCount, crdBytes };
}

const KINDS = {
  deployments: { group: 'apps', kind: 'Deployment', pod: 'object.spec.template.spec' },
  statefulsets: { group: 'apps', kind: 'StatefulSet', pod: 'object.spec.template.spec' },
  services: { group: '', kind: 'Service' },
  configmaps: { group: '', kind: 'ConfigMap' },
  horizontalpodautoscalers: { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' },
  networkpolicies: { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
};

/** Validations per resource, most of them passing on the generated corpus (as in a real cluster), a few failing. */
function validationsFor(resource, i) {
  const pod = KINDS[resource].pod;
  if (pod) {
    const v = [
      `${pod}.containers.all(c, has(c.resources) && has(c.resources.limits) && 'memory' in c.resources.limits)`,
      `${pod}.containers.all(c, !c.image.endsWith(':latest'))`,
      `${pod}.containers.all(c, c.image.startsWith('registry.example.com/'))`,
      `!has(${pod}.hostNetwork) || !${pod}.hostNetwork`,
      `${pod}.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || !c.securityContext.privileged)`,
      `has(object.metadata.labels) && 'app' in object.metadata.labels`,
      `!has(object.spec.replicas) || object.spec.replicas <= ${10 + (i % 5)}`,
      `${pod}.containers.all(c, !has(c.ports) || c.ports.all(p, p.containerPort > 1024))`,
      `${pod}.containers.all(c, has(c.readinessProbe))`,
      `${pod}.containers.all(c, c.name.matches('^[a-z][-a-z0-9]*$'))`,
    ];
    return v[i % v.length];
  }
  const v = {
    services: [
      "!has(object.spec.type) || object.spec.type != 'NodePort'",
      'object.spec.ports.all(p, p.port > 0 && p.port < 65536)',
      '!has(object.spec.externalIPs)',
    ],
    configmaps: [
      '!has(object.data) || object.data.size() < 100',
      'object.metadata.name.size() <= 63',
      "!has(object.data) || object.data.all(k, k.matches('^[-._a-zA-Z0-9]+$'))",
    ],
    horizontalpodautoscalers: ['object.spec.maxReplicas <= 50', 'object.spec.minReplicas <= object.spec.maxReplicas'],
    networkpolicies: [
      'has(object.spec.podSelector)',
      "!has(object.spec.policyTypes) || object.spec.policyTypes.all(t, t in ['Ingress', 'Egress'])",
    ],
  }[resource];
  return v[i % v.length];
}

/** `n` ValidatingAdmissionPolicies, each with a binding, in policies/policies.yaml. */
export function writePolicySet(dir, { policies = 50 } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const resources = Object.keys(KINDS);
  const docs = [];
  for (let i = 0; i < policies; i++) {
    const resource = resources[i % resources.length];
    const k = KINDS[resource];
    const name = `bench-${resource}-${i}`;
    const matchCondition =
      i % 4 === 0
        ? `  matchConditions:\n    - name: not-kube-system\n      expression: "object.metadata.namespace != 'kube-system'"\n`
        : '';
    const variables = i % 3 === 0 ? `  variables:\n    - name: name\n      expression: "object.metadata.name"\n` : '';
    const message =
      i % 3 === 0
        ? `      messageExpression: "'${k.kind} ' + variables.name + ' breaks policy ${i}'"\n`
        : `      message: ${k.kind} breaks policy ${i}\n`;
    docs.push(`apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: ${name}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups: ["${k.group}"]
        apiVersions: ["*"]
        operations: ["CREATE", "UPDATE"]
        resources: ["${resource}"]
${matchCondition}${variables}  validations:
    - expression: ${JSON.stringify(validationsFor(resource, i))}
${message}`);
    docs.push(`apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: ${name}-binding
spec:
  policyName: ${name}
  validationActions: [${['Deny', 'Warn', 'Audit'][i % 3]}]
`);
  }
  fs.writeFileSync(path.join(dir, 'policies.yaml'), docs.join('---\n'));
  return { policies };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [what, out, ...rest] = process.argv.slice(2);
  const opt = (name, def) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? Number(rest[i + 1]) : def;
  };
  if (what === 'crds' && out) console.log(writeCrdSet(out, { crds: opt('crds', 50), perCrd: opt('per-crd', 40) }));
  else if (what === 'policies' && out) console.log(writePolicySet(out, { policies: opt('policies', 50) }));
  else {
    console.error('usage: node bench/generate.mjs crds OUT [--crds 50] [--per-crd 40] | policies OUT [--policies 50]');
    process.exit(2);
  }
}
