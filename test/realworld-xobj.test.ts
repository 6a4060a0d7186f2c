/**
 * Cross-object rules on real-world layouts (test/realworld/xobj): same-named
 * objects in different files (samples repositories, per-provider installers),
 * pods created by operators from custom resources, and `--context .` runs.
 * Every finding of the cross-object rules is listed: a false positive fixed
 * here must not come back, and the true ones must stay.
 */
import * as path from 'node:path';
import { loadSource } from '../src/engine/linter';
import { ObjectIndex, distance } from '../src/model/index';
import { podSources } from '../src/model/operators';
import { cli, lintPaths, lintText, only, writeTree } from './helpers';

const ROOT = path.join(__dirname, 'realworld', 'xobj');
const RULES = [
  'missing-references',
  'service-selector',
  'networkpolicy-port',
  'statefulset-headless-service',
  'duplicate-object',
  'probe-timeout-vs-client-timeout',
  'secret-subpath-mount',
];

function findings(run: ReturnType<typeof lintPaths>): string[] {
  return run.results
    .flatMap((r) => r.messages.filter((m) => RULES.includes(m.ruleId)).map((m) => `${r.filePath}:${m.line} ${m.ruleId}:${m.level}`))
    .sort();
}

function messages(run: ReturnType<typeof lintPaths>, ruleId: string): string[] {
  return run.results.flatMap((r) => r.messages.filter((m) => m.ruleId === ruleId).map((m) => m.message));
}

describe('the whole tree', () => {
  const run = lintPaths(['.'], { cwd: ROOT, rules: only(...RULES) });

  test('exactly these cross-object findings', () => {
    expect(findings(run)).toEqual(
      [
        // a custom resource without a pod template: its pods' labels are unknown, so "selects nothing" is an info
        'generic/webapp.yaml:57 service-selector:info',
        // per-provider variants of one Deployment and Service, and same-named objects of sibling tutorials: alternatives
        // in directories side by side, not reported by duplicate-object
        // a typo in a selector, but the namespace holds pod-creating custom resources: info
        'operators/monitoring.yaml:87 service-selector:info',
        // a ServiceAccount missing while the namespace's other ServiceAccounts are in other tutorials: weak evidence, info
        'samples/archived/search/search.yaml:14 missing-references:info',
        // a PDB selecting nothing while its own directory has a workload: a true warning, kept
        'samples/archived/search/search.yaml:25 missing-references:warning',
        // the older tutorial's ReplicationController carries the labels but not the port name: info
        'samples/guestbook/go/redis.yaml:9 service-selector:info',
        // a key no ConfigMap of the name has: a true error, kept
        'samples/tutorials/b/deployment.yaml:22 missing-references:error',
        // tutorial c's own ConfigMap lacks the key that tutorial a's has: ambiguous, so a warning (not an error) naming both
        'samples/tutorials/c/app.yaml:27 missing-references:warning',
        // the same for a StatefulSet whose own directory's Service is not headless while another tutorial's is
        'statefulsets/m-tutorial/cache.yaml:15 statefulset-headless-service:warning',
        // the equally near ConfigMaps disagree: info naming both
        'samples/tutorials/shared/deployment.yaml:20 missing-references:info',
        // another tutorial's Service with no workload in its directory: info
        'statefulsets/a-tutorial/service.yaml:7 service-selector:info',
      ].sort(),
    );
  });

  test('a key lookup resolves to the ConfigMap of the same tutorial, and messages name the other file and line', () => {
    const mr = messages(run, 'missing-references');
    expect(mr.find((m) => m.includes('"SHAPE"'))).toContain('(samples/tutorials/b/configmap.yaml:2)');
    expect(mr.find((m) => m.includes('"SHAPE"'))).toContain('nor do the 2 others of that name');
    const amb = mr.find((m) => m.includes('"COLOR"'))!;
    expect(amb).toContain('samples/tutorials/a/configmap.yaml:2');
    expect(amb).toContain('samples/tutorials/b/configmap.yaml:2');
    expect(mr.every((m) => m.length < 400)).toBe(true);
  });

  test('a key no definition has: an error naming both definitions', () => {
    const cm = (d: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {${d}: "1"}\n`;
    const dep =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: acme/c:1.0.0\n          env:\n            - name: LOG_LEVEL\n              valueFrom: {configMapKeyRef: {name: cfg, key: LOG_LEVEL}}\n';
    const dir = writeTree({ 'x/cm.yaml': cm('TIMEOUT'), 'x/dep.yaml': dep, 'y/cm.yaml': cm('COLOR') });
    const r = lintPaths(['.'], { cwd: dir, rules: only('missing-references') });
    const ms = r.results.flatMap((f) => f.messages.map((m) => `${f.filePath}:${m.line} ${m.level} ${m.message}`));
    expect(ms).toEqual([
      'x/dep.yaml:12 error env LOG_LEVEL of container "c" needs key "LOG_LEVEL" of ConfigMap "cfg" (x/cm.yaml:2), which has no such key (it has TIMEOUT), nor does the other ConfigMap of that name (y/cm.yaml:2): the pod fails to start (CreateContainerConfigError); fix the key or mark the reference optional: true.',
    ]);
  });

  test('a key missing from the only definition: an error in the directory line, a warning from a sibling directory', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {TIMEOUT: "1"}\n';
    const dep =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: acme/c:1.0.0\n          env:\n            - name: LOG_LEVEL\n              valueFrom: {configMapKeyRef: {name: cfg, key: LOG_LEVEL}}\n';
    const level = (files: Record<string, string>) =>
      lintPaths(['.'], { cwd: writeTree(files), rules: only('missing-references') }).results.flatMap((f) =>
        f.messages.map((m) => `${f.filePath}:${m.line} ${m.level}`),
      );
    expect(level({ 'app/cm.yaml': cm, 'app/dep.yaml': dep })).toEqual(['app/dep.yaml:12 error']);
    expect(level({ 'app/cm.yaml': cm, 'app/prod/dep.yaml': dep })).toEqual(['app/prod/dep.yaml:12 error']);
    expect(level({ 'svc-a/cm.yaml': cm, 'svc-b/dep.yaml': dep })).toEqual(['svc-b/dep.yaml:12 warning']);
  });

  test('duplicate-object: per-provider variants in sibling directories are alternatives, not reported', () => {
    expect(messages(run, 'duplicate-object')).toEqual([]);
  });

  test('the pod sources of a namespace: known operators and a custom resource with a pod template', () => {
    const idx = new ObjectIndex();
    for (const f of ['operators/monitoring.yaml', 'operators/postgres.yaml', 'generic/webapp.yaml']) {
      const text = require('node:fs').readFileSync(path.join(ROOT, f), 'utf8') as string;
      for (const o of loadSource(f, path.join(ROOT, f), text, 'default').objects) idx.add(o);
    }
    const prom = podSources(idx, 'monitoring').find((s) => s.obj.kind === 'Prometheus')!;
    expect(prom.known).toBe(true);
    expect(prom.labelSets[0]).toMatchObject({
      'app.kubernetes.io/name': 'prometheus',
      prometheus: 'k8s',
      'operator.prometheus.io/name': 'k8s',
      'app.kubernetes.io/part-of': 'kube-prometheus',
    });
    const pg = podSources(idx, 'data').find((s) => s.obj.kind === 'Cluster')!;
    expect(pg.labelSets).toContainEqual(expect.objectContaining({ 'cnpg.io/cluster': 'pg', 'cnpg.io/instanceRole': 'primary' }));
    const web = podSources(idx, 'web');
    expect(web.map((s) => [s.obj.kind, s.known, s.labelSets])).toEqual([
      ['WebApp', false, [{ app: 'shop-web' }]],
      ['RedisCluster', false, []],
    ]);
  });
});

describe('operator table', () => {
  const sources = (text: string) => {
    const idx = new ObjectIndex(loadSource('o.yaml', '/r/o.yaml', text, 'default').objects);
    return podSources(idx, 'default');
  };

  test("ECK Elasticsearch: cluster-name and type labels plus the nodeSets' podTemplate labels", () => {
    const s = sources(
      'apiVersion: elasticsearch.k8s.elastic.co/v1\nkind: Elasticsearch\nmetadata: {name: logs}\nspec:\n  nodeSets:\n    - name: hot\n      podTemplate: {metadata: {labels: {tier: hot}}}\n',
    );
    expect(s.map((x) => x.labelSets)).toEqual([
      [{ tier: 'hot', 'elasticsearch.k8s.elastic.co/cluster-name': 'logs', 'common.k8s.elastic.co/type': 'elasticsearch' }],
    ]);
  });

  test('Strimzi Kafka: broker, ZooKeeper and entity-operator pods', () => {
    const s = sources('apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata: {name: events}\nspec: {kafka: {replicas: 3}}\n');
    expect(s[0]!.labelSets.map((l) => l['strimzi.io/name'])).toEqual(['events-kafka', 'events-zookeeper', 'events-entity-operator']);
    expect(s[0]!.labelSets[0]).toMatchObject({ 'strimzi.io/cluster': 'events', 'strimzi.io/kind': 'Kafka' });
  });

  test('custom resources known to create no pods are no pod source', () => {
    const s = sources(
      'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m}\nspec: {}\n---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: c}\nspec: {}\n',
    );
    expect(s).toEqual([]);
  });
});

describe('--context . (pre-commit passes the changed files only)', () => {
  test('a changed Deployment resolves its ConfigMap in its own tutorial; context files are not reported', () => {
    const run = lintPaths(['samples/tutorials/b/deployment.yaml'], { cwd: ROOT, rules: only(...RULES), context: ['.'] });
    expect(run.results.map((r) => r.filePath)).toEqual(['samples/tutorials/b/deployment.yaml']);
    expect(findings(run)).toEqual(['samples/tutorials/b/deployment.yaml:22 missing-references:error']);
  });

  test('a changed ConfigMap duplicated in a sibling tutorial (a context file) is an alternative: not reported', () => {
    for (const input of ['samples/tutorials/a/configmap.yaml', 'samples/tutorials/b/configmap.yaml']) {
      const run = lintPaths([input], { cwd: ROOT, rules: only('duplicate-object'), context: ['.'] });
      expect(findings(run)).toEqual([]);
    }
  });

  test('a changed ConfigMap duplicated in a context file of an enclosing directory is reported, naming the context file', () => {
    const cm = (key: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  ${key}: "1"\n`;
    const dir = writeTree({ 'deploy/config.yaml': cm('A'), 'deploy/extra/config.yaml': cm('B') });
    const run = lintPaths(['deploy/extra/config.yaml'], { cwd: dir, rules: only('duplicate-object'), context: ['.'] });
    expect(findings(run)).toEqual(['deploy/extra/config.yaml:4 duplicate-object:info']);
    expect(messages(run, 'duplicate-object')[0]).toContain('at deploy/config.yaml:2, in a directory that holds this one or below it');
  });

  test('the StatefulSet resolves its governing Service in its own directory', () => {
    const run = lintPaths(['statefulsets/z-tutorial/db.yaml'], { cwd: ROOT, rules: only('statefulset-headless-service'), context: ['.'] });
    expect(findings(run)).toEqual([]);
  });
});

describe('ObjectIndex.resolve', () => {
  const mk = (file: string, text: string) => loadSource(file, path.join('/r', file), text, 'default').objects;
  const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: ${data}\n`;
  const from = mk('apps/web/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\n')[0]!;
  const far = mk('other/x/cm.yaml', cm('{a: "1"}'))[0]!;
  const sibling = mk('apps/api/cm.yaml', cm('{a: "2"}'))[0]!;
  const sameDir = mk('apps/web/cm.yaml', cm('{a: "3"}'))[0]!;
  const below = mk('apps/web/base/cm.yaml', cm('{a: "4"}'))[0]!;
  const idx = new ObjectIndex([far, sibling, below, sameDir, from]);

  test('orders candidates: same directory, subdirectory, sibling, then farther', () => {
    expect(idx.resolve('ConfigMap', '', 'default', 'c', from)).toEqual([sameDir, below, sibling, far]);
    expect(idx.configMap('default', 'c', from)).toBe(sameDir);
    // without a referring object: index order, as before
    expect(idx.configMap('default', 'c')).toBe(far);
    expect(distance(from, from)).toBe(0);
  });

  test('nearestEach keeps one object per identity', () => {
    expect(idx.nearestEach([far, sibling, sameDir], from)).toEqual([sameDir]);
  });

  test('an HPA counts for the nearest of same-named workloads only (per-provider variants)', () => {
    const dep = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: 1}\n';
    const cloud = mk(
      'provider/cloud/deploy.yaml',
      dep +
        '---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: x}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: x}, minReplicas: 3, maxReplicas: 6}\n',
    );
    const bare = mk('provider/baremetal/deploy.yaml', dep);
    const i2 = new ObjectIndex([...bare, ...cloud]);
    expect(i2.hpasTargeting(cloud[0]!)).toEqual([cloud[1]]);
    expect(i2.hpasTargeting(bare[0]!)).toEqual([]);
    expect(i2.sameIdentity(bare[0]!)).toEqual([bare[0], cloud[0]]);
  });

  test('context objects are marked', () => {
    const i2 = new ObjectIndex();
    i2.add(far, { context: true });
    i2.add(sameDir);
    expect([i2.isContext(far), i2.isContext(sameDir)]).toEqual([true, false]);
  });
});

describe('settings.podCreatingResources', () => {
  const text = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: api, namespace: q}',
    'spec:',
    '  selector: {matchLabels: {app: api}}',
    '  template:',
    '    metadata: {labels: {app: api}}',
    '    spec: {containers: [{name: api, image: "acme/api:1.0.0"}]}',
    '---',
    'apiVersion: queue.example.com/v1',
    'kind: Broker',
    'metadata: {name: jobs, namespace: q}',
    'spec: {size: 3}',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: jobs, namespace: q}',
    'spec:',
    '  selector: {broker.example.com/name: jobs}',
    '  ports: [{port: 5672}]',
  ].join('\n');

  test('an unknown custom resource makes "selects nothing" an info; configuring its pod labels silences it', () => {
    const plain = lintText(text, { rules: only('service-selector') });
    expect(plain.results[0]!.messages.map((m) => `${m.line} ${m.level}`)).toEqual(['19 info']);
    const configured = lintText(text, {
      rules: only('service-selector'),
      config: {
        settings: {
          podCreatingResources: [{ group: 'queue.example.com', kind: 'Broker', labels: { 'broker.example.com/name': '{{name}}' } }],
        },
      },
    });
    expect(configured.results[0]!.messages).toEqual([]);
  });

  test('without the custom resource: an info when nothing in the namespace resembles the selector, a warning on a near miss', () => {
    const noCr = text.replace(/apiVersion: queue[\s\S]*?---\n/, '');
    const levels = (t: string) => lintText(t, { rules: only('service-selector') }).results[0]!.messages.map((m) => `${m.line} ${m.level}`);
    expect(levels(noCr)).toEqual(['14 info']);
    // the Deployment's pods carry the label with a typo of the value: the Service was meant to select them
    expect(levels(noCr.replace('{labels: {app: api}}', '{labels: {app: api, broker.example.com/name: job}}'))).toEqual(['14 warning']);
  });

  test('the config schema checks the entries', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': 'settings:\n  podCreatingResources:\n    - {group: x.io, kind: Foo, labelz: {a: b}}\n',
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    });
    const r = await cli(['lint', '.'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown property "labelz"');
  });
});
