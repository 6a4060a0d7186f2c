/**
 * The per-file incremental cache (src/engine/incremental.ts): after any sequence of edits, additions and
 * deletions, a `--cache` run prints exactly what a cold run prints (json output, byte for byte), while
 * replaying the files nothing changed for.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import * as store from '../src/engine/incremental-store';
import { cli, writeTree } from './helpers';

const NAMES = ['web', 'api', 'db'];
const NSS = ['a', 'b'];

/** One object, drawn so that references across files hit or miss: labels, selectors, names and refs from small sets. */
const objectArb = fc
  .record({
    kind: fc.constantFrom('Deployment', 'StatefulSet', 'Service', 'NetworkPolicy', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'ConfigMap', 'Secret', 'ServiceAccount', 'Ingress'),
    name: fc.constantFrom(...NAMES),
    ns: fc.constantFrom(...NSS),
    app: fc.constantFrom(...NAMES),
    ref: fc.constantFrom(...NAMES),
    port: fc.constantFrom(80, 8080),
    replicas: fc.constantFrom(1, 3),
    ignore: fc.constantFrom('', '', '', 'missing-references', 'service-selector'),
  })
  .map((o) => render(o));

function render(o: { kind: string; name: string; ns: string; app: string; ref: string; port: number; replicas: number; ignore: string }): string {
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
const fileArb = fc.oneof({ weight: 12, arbitrary: fc.array(objectArb, { minLength: 1, maxLength: 3 }).map((docs) => docs.join('---\n')) }, { weight: 1, arbitrary: fc.constant('kind: [unclosed\n') });

type Step = { op: 'edit' | 'add'; file: number; text: string } | { op: 'delete'; file: number } | { op: 'touch'; file: number };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('edit' as const), file: fc.nat(20), text: fileArb }),
  fc.record({ op: fc.constant('add' as const), file: fc.nat(20), text: fileArb }),
  fc.record({ op: fc.constant('delete' as const), file: fc.nat(20) }),
  fc.record({ op: fc.constant('touch' as const), file: fc.nat(20) }),
);

const lintJson = async (dir: string, cache: boolean) => {
  const r = await cli(['lint', '-f', 'json', ...(cache ? ['--cache'] : []), '.'], { cwd: dir });
  return `${r.code}\n${r.stdout}\n${r.stderr}`;
};

describe('incremental --cache', () => {
  test('after random edits, additions and deletions the output is that of a cold run, byte for byte', async () => {
    const totals = { replayed: 0, touched: 0, fresh: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(fileArb, { minLength: 3, maxLength: 8 }), fc.array(stepArb, { minLength: 1, maxLength: 4 }), async (initial, steps) => {
        const files: Record<string, string> = {};
        initial.forEach((t, i) => (files[`dir${i % 2}/f${i}.yaml`] = t));
        const dir = writeTree(files);
        await lintJson(dir, true);
        for (const s of steps) {
          const names = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.yaml')).sort();
          const pick = names.length ? names[s.file % names.length]! : undefined;
          if (s.op === 'add') {
            const p = path.join(dir, `dir${s.file % 3}`, `new${s.file}.yaml`);
            fs.mkdirSync(path.dirname(p), { recursive: true });
            fs.writeFileSync(p, s.text);
          } else if (pick && s.op === 'edit') fs.writeFileSync(path.join(dir, pick), s.text);
          else if (pick && s.op === 'delete') fs.unlinkSync(path.join(dir, pick));
          else if (pick && s.op === 'touch') fs.appendFileSync(path.join(dir, pick), '# touched\n');
          const warm = await lintJson(dir, true);
          const stats = store.lastStats!;
          totals.replayed += stats.replayed;
          totals.touched += stats.touched;
          totals.fresh += stats.fresh;
          const cold = await lintJson(dir, false);
          expect(warm).toBe(cold);
        }
        fs.rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 12, seed: 15 },
    );
    // the cache did its work: unchanged files were replayed or re-checked in part, not all read afresh
    expect(totals.replayed + totals.touched).toBeGreaterThan(0);
    expect(totals.replayed).toBeGreaterThan(0);
  }, 600_000);
});
