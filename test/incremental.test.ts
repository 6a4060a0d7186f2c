/**
 * The per-file incremental cache (src/engine/incremental.ts): after any sequence of edits, additions and
 * deletions, a `--cache` run prints exactly what a cold run prints (json output, byte for byte), while
 * replaying the files nothing changed for.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import * as pack from '../src/engine/incremental-pack';
import * as store from '../src/engine/incremental-store';
import { ALL, answeredKeys, recordingIndex } from '../src/engine/index-reads';
import { ObjectIndex } from '../src/model/index';
import { cli, ROOT, writeTree } from './helpers';

/** K8S_GOLD_PROP_RUNS and K8S_GOLD_PROP_SEED run the property longer or from another seed (e.g. 300 runs, seeds 1 to 5). */
const PROP_RUNS = Number(process.env.K8S_GOLD_PROP_RUNS ?? 12);
const PROP_SEED = Number(process.env.K8S_GOLD_PROP_SEED ?? 15);

const NAMES = ['web', 'api', 'db'];
const NSS = ['a', 'b'];

/** One object, drawn so that references across files hit or miss: labels, selectors, names and refs from small sets. */
const objectArb = fc
  .record({
    kind: fc.constantFrom(
      'Deployment',
      'StatefulSet',
      'Service',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'HorizontalPodAutoscaler',
      'ConfigMap',
      'Secret',
      'ServiceAccount',
      'Ingress',
    ),
    name: fc.constantFrom(...NAMES),
    ns: fc.constantFrom(...NSS),
    app: fc.constantFrom(...NAMES),
    ref: fc.constantFrom(...NAMES),
    port: fc.constantFrom(80, 8080),
    replicas: fc.constantFrom(1, 3),
    ignore: fc.constantFrom('', '', '', 'missing-references', 'service-selector'),
  })
  .map((o) => render(o));

function render(o: {
  kind: string;
  name: string;
  ns: string;
  app: string;
  ref: string;
  port: number;
  replicas: number;
  ignore: string;
}): string {
  const meta = `metadata:\n  name: ${o.name}\n  namespace: ${o.ns}\n`;
  const pod = `    metadata:\n      labels: {app: ${o.app}}\n    spec:\n      serviceAccountName: ${o.ref}\n      containers:\n        - name: c\n          image: nginx:1.27\n          ports: [{name: http, containerPort: ${o.port}}]\n          envFrom: [{configMapRef: {name: ${o.ref}}}, {secretRef: {name: ${o.ref}}}]\n          readinessProbe: {httpGet: {path: /, port: http}}\n`;
  const ign = o.ignore ? `# k8s-gold-ignore ${o.ignore} -- test\n` : '';
  switch (o.kind) {
    case 'Deployment':
      return `${ign}apiVersion: apps/v1\nkind: Deployment\n${meta}spec:\n  replicas: ${o.replicas}\n  selector: {matchLabels: {app: ${o.app}}}\n  template:\n${pod}`;
    case 'StatefulSet':
      return `${ign}apiVersion: apps/v1\nkind: StatefulSet\n${meta}spec:\n  serviceName: ${o.ref}\n  replicas: ${o.replicas}\n  selector: {matchLabels: {app: ${o.app}}}\n  template:\n${pod}`;
    case 'Service':
      return `${ign}apiVersion: v1\nkind: Service\n${meta}spec:\n  selector: {app: ${o.app}}\n  ports: [{port: 80, targetPort: ${o.port === 80 ? 'http' : o.port}}]\n`;
    case 'NetworkPolicy':
      return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n${meta}spec:\n  podSelector: {matchLabels: {app: ${o.app}}}\n  ingress: [{ports: [{port: ${o.port}}]}]\n`;
    case 'PodDisruptionBudget':
      return `apiVersion: policy/v1\nkind: PodDisruptionBudget\n${meta}spec:\n  minAvailable: ${o.replicas}\n  selector: {matchLabels: {app: ${o.app}}}\n`;
    case 'HorizontalPodAutoscaler':
      return `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n${meta}spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${o.ref}}\n  minReplicas: ${o.replicas}\n  maxReplicas: 5\n`;
    case 'ConfigMap':
      return `apiVersion: v1\nkind: ConfigMap\n${meta}data: {x: "1"}\n`;
    case 'Secret':
      return `apiVersion: v1\nkind: Secret\n${meta}type: Opaque\ndata: {x: eA==}\n`;
    case 'ServiceAccount':
      return `apiVersion: v1\nkind: ServiceAccount\n${meta}`;
    default:
      return `apiVersion: networking.k8s.io/v1\nkind: Ingress\n${meta}spec:\n  rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: ${o.ref}, port: {number: ${o.port}}}}}]}}]\n`;
  }
}

/** A file: one to three objects, now and then broken YAML. */
const fileArb = fc.oneof(
  { weight: 12, arbitrary: fc.array(objectArb, { minLength: 1, maxLength: 3 }).map((docs) => docs.join('---\n')) },
  { weight: 1, arbitrary: fc.constant('kind: [unclosed\n') },
);

type Step =
  | { op: 'edit' | 'add'; file: number; text: string }
  | { op: 'delete'; file: number }
  | { op: 'touch'; file: number }
  | { op: 'prepend'; file: number };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('edit' as const), file: fc.nat(20), text: fileArb }),
  fc.record({ op: fc.constant('add' as const), file: fc.nat(20), text: fileArb }),
  fc.record({ op: fc.constant('delete' as const), file: fc.nat(20) }),
  fc.record({ op: fc.constant('touch' as const), file: fc.nat(20) }),
  // a comment line on top: the same values, every position of the file one line down
  fc.record({ op: fc.constant('prepend' as const), file: fc.nat(20) }),
);

const lintJson = async (dir: string, cache: boolean) => {
  const r = await cli(['lint', '-f', 'json', ...(cache ? ['--cache'] : []), '.'], { cwd: dir });
  return `${r.code}\n${r.stdout}\n${r.stderr}`;
};

describe('incremental --cache', () => {
  test('after random edits, additions and deletions the output is that of a cold run, byte for byte', async () => {
    const totals = { replayed: 0, touched: 0, fresh: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(fileArb, { minLength: 3, maxLength: 8 }),
        fc.array(stepArb, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (initial, steps, compactEachRun) => {
          // the state's pack rewritten by every run, or kept while the records added since grow
          pack.compaction.minBytes = compactEachRun ? 0 : 1 << 18;
          pack.compaction.ratio = compactEachRun ? 0 : 0.25;
          const files: Record<string, string> = {};
          initial.forEach((t, i) => (files[`dir${i % 2}/f${i}.yaml`] = t));
          const dir = writeTree(files);
          await lintJson(dir, true);
          for (const s of steps) {
            const names = fs
              .readdirSync(dir, { recursive: true, encoding: 'utf8' })
              .filter((n) => n.endsWith('.yaml'))
              .sort();
            const pick = names.length ? names[s.file % names.length]! : undefined;
            if (s.op === 'add') {
              const p = path.join(dir, `dir${s.file % 3}`, `new${s.file}.yaml`);
              fs.mkdirSync(path.dirname(p), { recursive: true });
              fs.writeFileSync(p, s.text);
            } else if (pick && s.op === 'edit') fs.writeFileSync(path.join(dir, pick), s.text);
            else if (pick && s.op === 'delete') fs.unlinkSync(path.join(dir, pick));
            else if (pick && s.op === 'touch') fs.appendFileSync(path.join(dir, pick), '# touched\n');
            else if (pick && s.op === 'prepend')
              fs.writeFileSync(path.join(dir, pick), `# moved\n${fs.readFileSync(path.join(dir, pick), 'utf8')}`);
            const warm = await lintJson(dir, true);
            const stats = store.lastStats!;
            totals.replayed += stats.replayed;
            totals.touched += stats.touched;
            totals.fresh += stats.fresh;
            const cold = await lintJson(dir, false);
            expect(warm).toBe(cold);
          }
          fs.rmSync(dir, { recursive: true, force: true });
        },
      ),
      { numRuns: PROP_RUNS, seed: PROP_SEED },
    );
    pack.compaction.minBytes = 1 << 18;
    pack.compaction.ratio = 0.25;
    // the cache did its work: unchanged files were replayed or re-checked in part, not all read afresh
    expect(totals.replayed + totals.touched).toBeGreaterThan(0);
    expect(totals.replayed).toBeGreaterThan(0);
  }, 600_000);
});

const DEPLOY = (ns: string, ref: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: ${ns}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: c\n          image: nginx:1.27\n          envFrom: [{configMapRef: {name: ${ref}}}]\n`;
const CM = (ns: string, name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\ndata: {x: "1"}\n`;

describe('incremental --cache: what is replayed', () => {
  test('one changed file is read afresh; a file whose checks read nothing that changed is replayed', async () => {
    const dir = writeTree({
      'a/deploy.yaml': DEPLOY('a', 'cfg'),
      'a/cm.yaml': CM('a', 'cfg'),
      'b/deploy.yaml': DEPLOY('b', 'cfg'),
      'b/cm.yaml': CM('b', 'cfg'),
    });
    await lintJson(dir, true);
    // the ConfigMap of namespace a is renamed: a's Deployment now misses it; b's files read nothing of namespace a
    fs.writeFileSync(path.join(dir, 'a/cm.yaml'), CM('a', 'other'));
    const warm = await lintJson(dir, true);
    const stats = store.lastStats!;
    expect(stats.fresh).toBe(1);
    expect(stats.replayed).toBeGreaterThanOrEqual(2);
    expect(stats.touched).toBeGreaterThanOrEqual(1);
    const cold = await lintJson(dir, false);
    expect(warm).toBe(cold);
    expect(cold).toContain('cfg');
  });

  test('the built CLI: --cache after an edit prints what a cold run prints', () => {
    const dir = writeTree({
      'a/deploy.yaml': DEPLOY('a', 'cfg'),
      'a/cm.yaml': CM('a', 'cfg'),
      'b/deploy.yaml': DEPLOY('b', 'x'),
      'b/cm.yaml': CM('b', 'cfg'),
    });
    const bin = path.join(ROOT, 'bin', 'k8s-gold.js');
    const lint = (cache: boolean) => {
      const r = spawnSync(process.execPath, [bin, 'lint', '-f', 'json', ...(cache ? ['--cache'] : []), '.'], {
        cwd: dir,
        encoding: 'utf8',
      });
      return `${r.status}\n${r.stdout}\n${r.stderr}`;
    };
    const first = lint(true);
    expect(fs.existsSync(path.join(dir, '.k8s-gold-cache.inc'))).toBe(true);
    fs.writeFileSync(path.join(dir, 'b/cm.yaml'), CM('b', 'x'));
    fs.unlinkSync(path.join(dir, 'a/cm.yaml'));
    // one replica: b's Deployment loses its topology-spread-constraints warning
    fs.writeFileSync(path.join(dir, 'b/deploy.yaml'), DEPLOY('b', 'x').replace('replicas: 2', 'replicas: 1'));
    const warm = lint(true);
    expect(warm).toBe(lint(false));
    expect(warm).not.toBe(first);
    expect(first.match(/topology-spread-constraints/g)).toHaveLength(2);
    expect(warm.match(/topology-spread-constraints/g)).toHaveLength(1);
  });
});

describe('the recording index', () => {
  test('records the keys of known methods, and everything for unknown methods and fields', () => {
    const index = new ObjectIndex();
    const rec: { reads: Set<string> | undefined } = { reads: new Set() };
    const facade = recordingIndex(index, rec);
    facade.list('Service', 'a');
    facade.configMap('a', 'cfg');
    expect([...rec.reads!].map((k) => k.replace(/\0/g, '|'))).toEqual(['KN|Service|a', 'KNN|ConfigMap|a|cfg']);
    void facade.all;
    expect(rec.reads!.has(ALL)).toBe(true);
    rec.reads = new Set();
    // a method the table does not know (as one added to the index later) reads everything until it is listed
    (facade as unknown as { toString: () => string }).toString();
    expect([...rec.reads]).toEqual([ALL]);
    rec.reads = undefined;
    expect(() => facade.list('Service')).not.toThrow();
  });

  test('an object answers the keys that read it', () => {
    const dir = writeTree({ 'x.yaml': CM('a', 'cfg') + '---\n' + DEPLOY('a', 'cfg') });
    const { readInput } = require('../src/engine/load') as typeof import('../src/engine/load');
    const l = readInput({ abs: path.join(dir, 'x.yaml'), display: 'x.yaml' }, 1 << 20, 'default');
    const [cm, deploy] = l.objects;
    const rec: { reads: Set<string> | undefined } = { reads: new Set() };
    const facade = recordingIndex(new ObjectIndex(l.objects), rec);
    facade.configMap('a', 'cfg');
    facade.workloads('a');
    facade.sameIdentity(deploy!);
    const [cmKey, wKey, idKey] = [...rec.reads!];
    expect(answeredKeys(cm!)).toContain(cmKey);
    expect(answeredKeys(deploy!)).toEqual(expect.arrayContaining([wKey, idKey]));
    expect(answeredKeys(cm!)).not.toContain(wKey);
  });
});
