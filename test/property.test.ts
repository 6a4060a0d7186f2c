/**
 * Property-based tests: generated manifests with random types, and YAML text
 * mutated character by character. For every input: no exception escapes,
 * the exit code is 0, 1 or 2, and the json and SARIF outputs parse and have
 * the structure consumers rely on.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { LintResult } from '../src/engine/result';
import { cli, writeTree } from './helpers';

const CWD = writeTree({});

/** A cheap structural check of a SARIF 2.1.0 log (the official validator runs elsewhere). */
export function checkSarif(log: unknown): void {
  const l = log as Record<string, any>;
  expect(l.version).toBe('2.1.0');
  expect(typeof l.$schema).toBe('string');
  expect(Array.isArray(l.runs)).toBe(true);
  expect(l.runs).toHaveLength(1);
  const run = l.runs[0];
  expect(run.tool.driver.name).toBe('k8s-gold');
  const rules = run.tool.driver.rules as { id: string; shortDescription: { text: string } }[];
  expect(Array.isArray(rules)).toBe(true);
  for (const r of rules) {
    expect(typeof r.id).toBe('string');
    expect(typeof r.shortDescription.text).toBe('string');
  }
  expect(Array.isArray(run.results)).toBe(true);
  for (const res of run.results) {
    expect(typeof res.ruleId).toBe('string');
    expect(['error', 'warning', 'note', 'none']).toContain(res.level);
    expect(typeof res.message.text).toBe('string');
    expect(res.message.text.length).toBeGreaterThan(0);
    if (res.ruleIndex !== undefined) expect(rules[res.ruleIndex]!.id).toBe(res.ruleId);
    expect(res.locations).toHaveLength(1);
    const pl = res.locations[0].physicalLocation;
    expect(typeof pl.artifactLocation.uri).toBe('string');
    const reg = pl.region;
    for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) {
      expect(Number.isInteger(reg[k])).toBe(true);
      expect(reg[k]).toBeGreaterThanOrEqual(1);
    }
    expect(reg.endLine).toBeGreaterThanOrEqual(reg.startLine);
    if (reg.endLine === reg.startLine) expect(reg.endColumn).toBeGreaterThan(reg.startColumn);
    expect(typeof res.partialFingerprints['k8sGoldFinding/v1']).toBe('string');
  }
  for (const n of run.invocations[0].toolExecutionNotifications) {
    expect(typeof n.message.text).toBe('string');
  }
}

async function lintBoth(text: string, filename: string): Promise<void> {
  const json = await cli(['lint', '--no-config', '-f', 'json', '--stdin-filename', filename, '-'], { stdin: text, cwd: CWD });
  expect([0, 1, 2]).toContain(json.code);
  expect(json.stderr).not.toMatch(/internal error|\n\s+at /);
  const results = JSON.parse(json.stdout) as LintResult[];
  expect(results).toHaveLength(1);
  for (const m of results[0]!.messages) {
    expect(m.line).toBeGreaterThanOrEqual(1);
    expect(m.column).toBeGreaterThanOrEqual(1);
    expect(m.message.startsWith('internal error')).toBe(false);
  }
  const sarif = await cli(['lint', '--no-config', '-f', 'sarif', '--stdin-filename', filename, '-'], { stdin: text, cwd: CWD });
  expect(sarif.code).toBe(json.code);
  checkSarif(JSON.parse(sarif.stdout));
}

// ---- generated manifests ----

const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 100_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    '',
    'x',
    'on',
    'no',
    '0644',
    '1_000',
    '100m',
    '1Gi',
    '-1',
    'latest',
    'nginx',
    'nginx:latest',
    '__proto__',
    'constructor',
    'a:b',
    '- x',
    '#',
    '*',
    '&',
    '"',
    "'",
    '\t',
    ' \n ',
  ),
  fc.string({ maxLength: 12 }),
);
const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('name', 'image', 'value', 'port', 'key', '__proto__', 'constructor', 'x'), tie('v'), { maxKeys: 3 }),
  ),
})).v;
/** a value that is usually right-ish and sometimes any type at all */
const maybe = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: anyValue });
const optional = (rec: Record<string, fc.Arbitrary<unknown>>) => fc.record(rec, { requiredKeys: [] });

const probe = maybe(
  optional({
    httpGet: maybe(
      optional({ path: maybe(fc.constant('/healthz')), port: maybe(fc.oneof(fc.integer({ min: 0, max: 70000 }), fc.constant('http'))) }),
    ),
    timeoutSeconds: anyValue,
    periodSeconds: anyValue,
    initialDelaySeconds: anyValue,
    failureThreshold: anyValue,
  }),
);
const resources = maybe(
  optional({
    requests: maybe(
      optional({
        cpu: maybe(fc.constantFrom('100m', '1', '0.5', 'x', '1e3')),
        memory: maybe(fc.constantFrom('128Mi', '1Gi', '1.5G', 'lots')),
      }),
    ),
    limits: maybe(optional({ cpu: anyValue, memory: anyValue })),
  }),
);
const container = maybe(
  optional({
    name: maybe(fc.constantFrom('app', 'sidecar', 'app')),
    image: maybe(fc.constantFrom('nginx', 'nginx:1.27', 'nginx:latest', 'r.io/x@sha256:' + 'a'.repeat(64))),
    ports: maybe(fc.array(maybe(optional({ containerPort: anyValue, name: anyValue, protocol: anyValue })), { maxLength: 2 })),
    env: maybe(fc.array(maybe(optional({ name: anyValue, value: anyValue, valueFrom: anyValue })), { maxLength: 3 })),
    envFrom: anyValue,
    resources,
    livenessProbe: probe,
    readinessProbe: probe,
    startupProbe: probe,
    securityContext: maybe(
      optional({
        privileged: anyValue,
        runAsNonRoot: anyValue,
        runAsUser: anyValue,
        allowPrivilegeEscalation: anyValue,
        readOnlyRootFilesystem: anyValue,
        capabilities: anyValue,
      }),
    ),
    volumeMounts: maybe(fc.array(maybe(optional({ name: anyValue, mountPath: anyValue, readOnly: anyValue })), { maxLength: 2 })),
    command: anyValue,
    args: anyValue,
    lifecycle: anyValue,
  }),
);
const podSpec = maybe(
  optional({
    containers: maybe(fc.array(container, { maxLength: 3 })),
    initContainers: maybe(fc.array(container, { maxLength: 2 })),
    volumes: maybe(
      fc.array(maybe(optional({ name: anyValue, configMap: anyValue, secret: anyValue, emptyDir: anyValue, hostPath: anyValue })), {
        maxLength: 2,
      }),
    ),
    securityContext: anyValue,
    serviceAccountName: anyValue,
    hostNetwork: anyValue,
    nodeSelector: anyValue,
    tolerations: anyValue,
    affinity: anyValue,
    topologySpreadConstraints: anyValue,
    terminationGracePeriodSeconds: anyValue,
  }),
);
const labels = maybe(
  fc.dictionary(fc.constantFrom('app', 'tier', 'app.kubernetes.io/name', '__proto__'), maybe(fc.constantFrom('web', 'db', 'on')), {
    maxKeys: 3,
  }),
);
const metadata = maybe(
  optional({
    name: maybe(fc.constantFrom('web', 'db', 'x')),
    namespace: maybe(fc.constantFrom('default', 'prod')),
    labels,
    annotations: anyValue,
  }),
);
const template = maybe(optional({ metadata: maybe(optional({ labels, annotations: anyValue })), spec: podSpec }));
const workload = fc.record({
  apiVersion: maybe(fc.constantFrom('apps/v1', 'v1', 'batch/v1', 'extensions/v1beta1')),
  kind: maybe(fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet')),
  metadata,
  spec: maybe(
    optional({
      replicas: anyValue,
      selector: maybe(optional({ matchLabels: labels, matchExpressions: anyValue })),
      template,
      strategy: anyValue,
      jobTemplate: maybe(optional({ spec: maybe(optional({ template })) })),
      serviceName: anyValue,
    }),
  ),
});
const pod = fc.record({ apiVersion: maybe(fc.constant('v1')), kind: maybe(fc.constant('Pod')), metadata, spec: podSpec });
const service = fc.record({
  apiVersion: maybe(fc.constant('v1')),
  kind: maybe(fc.constant('Service')),
  metadata,
  spec: maybe(optional({ selector: labels, ports: anyValue, type: anyValue })),
});
const manifestSet = fc.array(fc.oneof(workload, pod, service), { minLength: 1, maxLength: 3 });

describe('generated manifests with random types', () => {
  test('as YAML: no exception, exit 0/1/2, outputs parse', async () => {
    await fc.assert(
      fc.asyncProperty(manifestSet, async (objs) => {
        const text = objs.map((o) => stringify(o, { aliasDuplicateObjects: false })).join('---\n');
        await lintBoth(text, 'gen.yaml');
      }),
      { numRuns: 120, seed: 20240601 },
    );
  });

  test('as JSON: no exception, exit 0/1/2, outputs parse', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(workload, pod), async (obj) => {
        await lintBoth(JSON.stringify(obj, null, 1), 'gen.json');
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});

// ---- mutated YAML text ----

const SEEDS = [
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web # k8s-gold-ignore ambiguous-yaml-value -- seed
  labels: &l {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: *l
  template:
    metadata:
      labels:
        <<: *l
        tier: "front"
    spec:
      containers:
      - name: app
        image: nginx:1.27
        ports: [{containerPort: 8080}]
        env:
        - {name: A, value: 'on'}
        resources:
          limits: {memory: 128Mi}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
`,
  `apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  annotations:
    k8s-gold.io/ignore-duplicate-key: "reason"
data:
  script: |
    #!/bin/sh
    echo "hi"
  flag: yes
  mode: 0644
...
`,
];
const INTERESTING = [
  ' ',
  '\t',
  '\n',
  ':',
  '-',
  '"',
  "'",
  '&',
  '*',
  '[',
  ']',
  '{',
  '}',
  ',',
  '#',
  '|',
  '>',
  '!',
  '%',
  '@',
  '`',
  '?',
  '<<',
  '---',
  '...',
  '\r\n',
  '\ufeff',
  'a',
  '0',
  '\u00e9',
  '\ud83d\ude00',
];
type Mutation = { kind: 'insert' | 'replace'; at: number; text: string } | { kind: 'delete'; at: number; len: number };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...INTERESTING), fc.string({ maxLength: 3 })),
  }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: fc.constantFrom(...INTERESTING) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
);

function mutate(seed: string, ms: Mutation[]): string {
  let s = seed;
  for (const m of ms) {
    const at = s.length ? m.at % (s.length + 1) : 0;
    if (m.kind === 'delete') s = s.slice(0, at) + s.slice(at + m.len);
    else if (m.kind === 'insert') s = s.slice(0, at) + m.text + s.slice(at);
    else s = s.slice(0, at) + m.text + s.slice(at + 1);
  }
  return s;
}

describe('mutated YAML text', () => {
  test('inserted, deleted and replaced characters: no exception, exit 0/1/2, outputs parse', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 6 }), async (seed, ms) => {
        await lintBoth(mutate(seed, ms), 'mutated.yaml');
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  test('mutated text read as JSON: no exception', async () => {
    const seed = JSON.stringify(
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x:1' }] } },
      null,
      2,
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (ms) => {
        await lintBoth(mutate(seed, ms), 'mutated.json');
      }),
      { numRuns: 40, seed: 3 },
    );
  });
});
