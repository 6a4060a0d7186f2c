/** Messages and boundaries from the real-world precision pass (issue 10, parts 5-8) that fixtures cannot express. */
import { lintPaths, lintText, only, writeTree } from './helpers';

function msgs(id: string, text: string): { line: number; level: string; message: string }[] {
  const r = lintText(text, { rules: only(id) });
  expect(r.internalErrors).toEqual([]);
  return r.results
    .flatMap((x) => x.messages)
    .filter((m) => m.ruleId === id)
    .map((m) => ({ line: m.line, level: m.level, message: m.message }));
}

describe('image-tag: the moving-tag harm fits the kind', () => {
  const spec = (kind: string, apiVersion: string, podSpec: string): string => {
    const c = '    containers:\n      - name: app\n        image: nginx:latest\n';
    if (kind === 'Pod') return `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${c.replace(/^ {2}/gm, '')}`;
    return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: w}\nspec:\n  ${podSpec}template:\n    spec:\n${c.replace(/^/gm, '  ')}`;
  };
  test('a bare Pod says nothing of replicas or rollbacks', () => {
    const [m] = msgs('image-tag', spec('Pod', 'v1', ''));
    expect(m!.message).not.toMatch(/replicas|rollback/);
    expect(m!.message).toContain('a re-created pod (or a restarted container) may pull a different build');
  });
  test('a Deployment keeps replicas and rollbacks', () => {
    const [m] = msgs('image-tag', spec('Deployment', 'apps/v1', ''));
    expect(m!.message).toContain('replicas can run different builds and rollbacks do not roll back');
  });
  test('a Job speaks of runs', () => {
    const [m] = msgs('image-tag', spec('Job', 'batch/v1', ''));
    expect(m!.message).toContain('each run (and each retried pod) may pull a different build');
    expect(m!.message).not.toMatch(/rollback/);
  });
  test('a ReplicaSet has replicas but no rollbacks', () => {
    const [m] = msgs('image-tag', spec('ReplicaSet', 'apps/v1', ''));
    expect(m!.message).toContain('replicas can run different builds;');
  });
});

describe('statefulset-headless-service: "peers" only with more than one pod', () => {
  const sts = (replicas: string, image = 'db:1'): string => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: ns}
spec:
  serviceName: db
${replicas}  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: "${image}"}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: ns}
spec:
  selector: {app: db}
  ports: [{port: 5432}]
`;
  test('replicas: 1 speaks of the pod, not of peers', () => {
    const [m] = msgs('statefulset-headless-service', sts('  replicas: 1\n'));
    expect(m!.message).not.toContain('peers');
    expect(m!.message).toContain('nothing can reach the pod by its stable name');
    expect(m!.level).toBe('warning');
  });
  test('no replicas field means 1', () => {
    const [m] = msgs('statefulset-headless-service', sts(''));
    expect(m!.message).toContain('nothing can reach the pod by its stable name');
  });
  test('replicas: 3 of clustered software keeps peers', () => {
    const [m] = msgs('statefulset-headless-service', sts('  replicas: 3\n', 'quay.io/coreos/etcd:v3.5.15'));
    expect(m!.message).toContain('peers cannot find each other');
    expect(m!.level).toBe('error');
  });
  test('replicas: 3 with nothing showing the pods address each other is a warning', () => {
    const [m] = msgs('statefulset-headless-service', sts('  replicas: 3\n'));
    expect(m!.message).toContain('this workload may not need it');
    expect(m!.level).toBe('warning');
  });
});

describe('schema: base64 advice fits the field', () => {
  test('a webhook caBundle gets no Secret/stringData advice', () => {
    const [m] = msgs(
      'schema',
      `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: w}
webhooks:
  - name: w.example.com
    admissionReviewVersions: [v1]
    sideEffects: None
    clientConfig:
      caBundle: "-----BEGIN CERTIFICATE-----"
      service: {name: s, namespace: n}
`,
    );
    expect(m!.message).toContain('is not valid base64');
    expect(m!.message).not.toMatch(/stringData|Secret/);
  });
  test('Secret data keeps the stringData advice', () => {
    const [m] = msgs(
      'schema',
      `apiVersion: v1
kind: Secret
metadata: {name: s}
data:
  password: "not base64!"
`,
    );
    expect(m!.message).toContain('use stringData for plain text');
  });
});

describe('schema: null required fields of custom resources', () => {
  test('a required field left empty in a custom resource is reported; an optional one is not', () => {
    const got = msgs(
      'schema',
      `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: {type: string}
                note: {type: string}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec:
  size:
  note:
`,
    );
    expect(got).toEqual([expect.objectContaining({ line: 27, level: 'error' })]);
    expect(got[0]!.message).toContain('required field "size" of spec is null');
  });
});

describe('a pod template without spec still has its labels', () => {
  const noSpec = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: ns}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: ns}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api, namespace: ns}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: api}}
`;
  test('no selector finding from service-selector or missing-references; schema reports the missing spec', () => {
    const r = lintText(noSpec, { rules: only('service-selector', 'missing-references', 'schema') });
    const got = r.results.flatMap((x) => x.messages).map((m) => `${m.line} ${m.ruleId}`);
    expect(got).toEqual(['6 schema']);
  });
});

describe('resource-requests-limits: the limits.cpu reason is about CPU', () => {
  test('requireCpuLimit gives the throttling/noisy-neighbour reason, not the OOM killer', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: app
      image: x:1
      resources:
        requests: {cpu: 100m, memory: 64Mi}
        limits: {memory: 64Mi}
`;
    const config = { rules: { 'resource-requests-limits': ['error', { requireCpuLimit: true }] } } as never;
    const r = lintText(text, { rules: only('resource-requests-limits'), config });
    const got = r.results.flatMap((x) => x.messages).filter((m) => m.ruleId === 'resource-requests-limits');
    expect(got).toHaveLength(1);
    expect(got[0]!.message).toContain('limits.cpu');
    expect(got[0]!.message).toContain('noisy neighbour');
    expect(got[0]!.message).toContain('many teams run without CPU limits on purpose');
    expect(got[0]!.message).not.toContain('OOM');
  });
  test('a missing memory limit keeps the OOM reason', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: app
      image: x:1
      resources:
        requests: {cpu: 100m, memory: 64Mi}
`;
    const [m] = msgs('resource-requests-limits', text);
    expect(m!.message).toContain('limits.memory');
    expect(m!.message).toContain('OOM killer');
    expect(m!.message).not.toContain('CPU limit');
  });
});

describe('CRD schemas: large repeated subschemas are compiled once and shared', () => {
  // a container-like subschema well over SHARE_MIN_CHARS, used in three places and again under status
  const fieldsYaml = Array.from(
    { length: 120 },
    (_, i) => `                        field${i}: {type: string, description: "field number ${i} of the repeated container-like schema"}`,
  ).join('\n');
  const container = `                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    ports:
                      type: array
                      items: {type: object, properties: {containerPort: {type: integer}}}
                    extra:
                      type: object
                      properties:
${fieldsYaml}`;
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: pipelines.example.com}
spec:
  group: example.com
  names: {kind: Pipeline, plural: pipelines}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                main:
${container}
                sidecar:
${container}
                steps:
                  type: array
                  items:
${container.replace(/^ {2}/gm, '    ')}
            status:
              type: object
              properties:
                last:
${container}
`;
  test('shareSubschemas replaces the repeats by one $ref id', () => {
    const { shareSubschemas, transformSchema } = require('../src/schema/crd') as typeof import('../src/schema/crd');
    const { parse } = require('yaml') as typeof import('yaml');
    const schema = (parse(crd) as { spec: { versions: { schema: { openAPIV3Schema: unknown } }[] } }).spec.versions[0]!.schema
      .openAPIV3Schema;
    const ids = new Map<string, unknown>();
    const stats = { shared: 0 };
    type S = { $ref?: string; properties?: Record<string, S>; items?: S };
    const out = shareSubschemas(transformSchema(schema), (id, s) => ids.set(id, s), stats) as S;
    const deref = (x: S | undefined): S => (x?.$ref ? (ids.get(x.$ref) as S) : x!);
    const p = deref(out.properties!.spec).properties!;
    expect(p.main!.$ref).toBeDefined();
    expect(p.sidecar!.$ref).toBe(p.main!.$ref);
    expect(deref(p.steps).items!.$ref).toBe(p.main!.$ref);
    expect(JSON.stringify(ids.get(p.main!.$ref!))).not.toContain('description');
    expect(stats.shared).toBeGreaterThanOrEqual(4);
  });
  test('findings keep their exact paths through shared subschemas; status is not validated', () => {
    const text = `${crd}---
apiVersion: example.com/v1
kind: Pipeline
metadata: {name: p}
spec:
  main: {name: a, ports: [{containerPort: "80"}]}
  sidecar: {ports: []}
  steps:
    - {name: s1, extra: {field3: 7}}
status:
  last: {ports: "wrong"}
`;
    const base = crd.split('\n').length; // the line of the ---
    const got = msgs('schema', text).map((m) => `${m.line - base} ${m.message.split(' ').slice(0, 3).join(' ')}`);
    expect(got.sort()).toEqual(
      ['5 spec.main.ports[0].containerPort must be', '6 spec.sidecar is missing', '8 spec.steps[0].extra.field3 must be'].sort(),
    );
  });
});

describe('missing-references: an HPA target missing where the kind lives only in other directories', () => {
  const hpa = (target: string): string =>
    `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: hpa\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}\n  minReplicas: 1\n  maxReplicas: 3\n`;
  const deploy = (name: string): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers: [{name: c, image: "x:1"}]\n`;
  const levels = (files: Record<string, string>): string[] => {
    const dir = writeTree(files);
    const run = lintPaths([dir], { rules: only('missing-references') });
    return run.results.flatMap((r) =>
      r.messages.map((m) => `${m.level} ${/all in other directories/.test(m.message) ? 'elsewhere' : 'here'}`),
    );
  };
  test("is an info (kube-state-metrics' test manifests beside its examples)", () => {
    expect(levels({ 'tests/hpa.yaml': hpa('deployment'), 'examples/app.yaml': deploy('app') })).toEqual(['info elsewhere']);
  });
  test('is a warning when a Deployment of the namespace is in its directory', () => {
    expect(levels({ 'tests/hpa.yaml': hpa('deployment'), 'tests/app.yaml': deploy('app') })).toEqual(['warning here']);
  });
});

describe('schema: a built-in kind newer than the schemas', () => {
  const map =
    'apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingAdmissionPolicy\nmetadata:\n  name: sidecar\nspec:\n  failurePolicy: Fail\n';
  test('is not served by an older target cluster, and is left unvalidated on a cluster that serves it', () => {
    const at = (v: string) =>
      lintText(map, { config: { kubernetesVersion: v }, rules: only('schema') }).results.flatMap((r) => r.messages.map((m) => m.message));
    expect(at('1.35')).toEqual([
      expect.stringContaining('is served from Kubernetes 1.36, and the target cluster (1.35) does not serve it'),
    ]);
    expect(at('1.36')).toEqual([]);
  });
});

describe('missing-references: a ConfigMap named after a custom resource of the namespace', () => {
  const crd =
    'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: cephclusters.ceph.rook.io\nspec:\n  group: ceph.rook.io\n  names: {kind: CephCluster, plural: cephclusters}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}\n';
  const rest =
    'apiVersion: security.openshift.io/v1\nkind: SecurityContextConstraints\nmetadata: {name: rook-ceph, namespace: rook-ceph}\n---\n' +
    'apiVersion: ceph.rook.io/v1\nkind: CephCluster\nmetadata: {name: rook-ceph, namespace: rook-ceph}\n---\n' +
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, namespace: rook-ceph}\n---\n' +
    'apiVersion: v1\nkind: Pod\nmetadata: {name: tools, namespace: rook-ceph}\nspec:\n  containers: [{name: c, image: "x:1"}]\n  volumes:\n    - name: mon\n      configMap: {name: rook-ceph-mon-endpoints}\n';
  const got = (text: string) =>
    lintText(text, { rules: only('missing-references') }).results.flatMap((r) => r.messages.map((m) => `${m.level}: ${m.message}`));
  test('is an info naming the resource whose CRD is in the input (its operator makes it)', () => {
    expect(got(`${crd}---\n${rest}`)).toEqual([expect.stringMatching(/^info: .*its name starts with that of CephCluster rook-ceph \(/)]);
  });
  test('without an operator CRD in the input (an OpenShift SecurityContextConstraints of the name), a warning', () => {
    expect(got(rest)).toEqual([expect.stringMatching(/^warning: /)]);
  });
});
