/** The schema and deprecated-api rules beyond their fixtures: CRD sources, the summary, target versions, the generated field table. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { cli, lintText, only, ROOT, writeTree } from './helpers';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
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
                size: {type: string, enum: [small, large]}
`;
const CR = `apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  size: huge
  colour: red
`;

describe('custom resources', () => {
  test('without a CRD are counted as not validated, not reported', async () => {
    const dir = writeTree({ 'cr.yaml': CR });
    const r = await cli(['lint', '--no-config', 'cr.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 not validated (no schema)');
  });

  test.each([
    ['--crd', (dir: string) => ['lint', '--no-config', '--crd', 'crds/widget.yaml', 'cr.yaml'], {}],
    ['config crds:', () => ['lint', 'cr.yaml'], { '.k8s-gold.yaml': 'crds: [crds]\n' }],
  ])('are validated against a CRD given with %s, which is not itself linted', async (_how, argv, extra) => {
    const dir = writeTree({
      'crds/widget.yaml': CRD.replace('  name: widgets.example.com\n', '  name: widgets.example.com\n  labels: {x: 1}\n'),
      'cr.yaml': CR,
      ...extra,
    });
    const r = await cli([...argv(dir), '-f', 'json'], { cwd: dir });
    const res = JSON.parse(r.stdout);
    expect(res.map((f: { filePath: string }) => f.filePath)).toEqual(['cr.yaml']);
    const got = res[0].messages.map((m: { line: number; column: number; message: string }) => `${m.line}:${m.column} ${m.message}`);
    expect(got).toEqual([
      '6:3 spec.size: the string "huge" is not allowed; use one of "small", "large" (per the CustomResourceDefinition at crds/widget.yaml:2)',
      '7:3 unknown field "colour" in spec (Widget schema of the CustomResourceDefinition at crds/widget.yaml:2); known fields: size. The API server prunes fields its schema does not declare, so the setting is silently lost',
    ]);
  });

  test('a version newer than every one of a CRD in another directory is an info (a later release may serve it); older, or the own CRD: an error', async () => {
    // nginx/kubernetes-ingress: examples/waf-plm use appprotect.f5.com/v1, which another product's CRDs serve; deploy/ has v1beta1
    const crd = CRD.replace('    - name: v1\n', '    - name: v1beta1\n');
    const at = (v: string, name: string) =>
      CR.replace('example.com/v1', `example.com/${v}`).replace('name: w', `name: ${name}`).replace('  colour: red\n', '');
    const dir = writeTree({
      'deploy/crds.yaml': crd,
      'examples/new.yaml': at('v1', 'new'),
      'examples/old.yaml': at('v1alpha1', 'old'),
      'deploy/app/own.yaml': at('v1', 'own'),
    });
    const r = await cli(['lint', '--no-config', '-f', 'json', '.'], { cwd: dir });
    const got = (JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string; level: string; message: string }[] }[])
      .flatMap((f) => f.messages.filter((m) => m.ruleId === 'schema').map((m) => `${f.filePath} ${m.level} ${m.message.split(':')[0]}`))
      .sort();
    expect(got).toEqual([
      'deploy/app/own.yaml error Widget has no version v1 in its CustomResourceDefinition (it defines v1beta1); the API server rejects it',
      'examples/new.yaml info Widget v1 is newer than every version of its CustomResourceDefinition in the input (v1beta1, at deploy/crds.yaml',
      'examples/old.yaml error Widget has no version v1alpha1 in its CustomResourceDefinition (it defines v1beta1); the API server rejects it',
    ]);
  });

  test('of several definitions of a CRD in the input, the nearest is used; findings another definition does not have are notes', async () => {
    // releases/ keeps an old definition (no colour), app/crds the current one (colour); docs/ is as far from both
    const current = CRD.replace(
      'size: {type: string, enum: [small, large]}',
      'size: {type: string, enum: [small, large, huge]}\n                colour: {type: string}',
    );
    const dir = writeTree({
      'app/crds/widget.yaml': current,
      'app/cr.yaml': CR,
      'releases/v0.1.yaml': CRD,
      'docs/cr.yaml': CR,
      'docs/bad.yaml': CR.replace('colour: red', 'shape: round'),
    });
    const r = await cli(['lint', '--no-config', '-f', 'json', '.'], { cwd: dir });
    const res = JSON.parse(r.stdout) as {
      filePath: string;
      messages: { ruleId: string; severity: number; line: number; message: string }[];
    }[];
    const got = (f: string) =>
      res
        .find((x) => x.filePath === f)!
        .messages.filter((m) => m.ruleId === 'schema')
        .map((m) => `${m.severity} ${m.line} ${m.message}`);
    // the nearest definition (app/crds) accepts the object
    expect(got('app/cr.yaml')).toEqual([]);
    // docs/ is nearer to releases/ (the old one): its findings are notes, since app/crds accepts the object
    expect(got('docs/cr.yaml')).toEqual([
      '1 6 spec.size: the string "huge" is not allowed; use one of "small", "large" (per the CustomResourceDefinition at releases/v0.1.yaml:2; the one at app/crds/widget.yaml:2 accepts the object, and which of them the cluster has is not known)',
      '1 7 unknown field "colour" in spec (Widget schema); known fields: size. The API server prunes fields its schema does not declare, so the setting is silently lost (per the CustomResourceDefinition at releases/v0.1.yaml:2; the one at app/crds/widget.yaml:2 accepts the object, and which of them the cluster has is not known)',
    ]);
    // a field neither definition has stays an error, reported by the definition with the fewest findings (the current one
    // knows colour and huge, so only shape remains)
    expect(got('docs/bad.yaml')).toEqual([
      '2 7 unknown field "shape" in spec (Widget schema of the CustomResourceDefinition at app/crds/widget.yaml:2); known fields: colour, size. The API server prunes fields its schema does not declare, so the setting is silently lost',
    ]);
  });

  test('the only definition, a Go test fixture (testdata/) of another directory, gives notes; in its own directory, errors', async () => {
    const bad = CR.replace('colour: red', 'shape: round');
    const dir = writeTree({
      'cmd/testdata/cluster_info/widgets.yaml': CRD,
      'cmd/testdata/cluster_info/cr.yaml': bad,
      'cmd/testdata/create/cr.yaml': bad,
    });
    const r = await cli(['lint', '--no-config', '-f', 'json', '.'], { cwd: dir });
    const res = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string; level: string; message: string }[] }[];
    const got = (f: string) =>
      res
        .find((x) => x.filePath === f)!
        .messages.filter((m) => m.ruleId === 'schema')
        .map((m) => `${m.level} ${m.message.replace(/^.*?\(per/, '(per')}`);
    expect(got('cmd/testdata/cluster_info/cr.yaml').map((m) => m.split(' ')[0])).toEqual(['error', 'error']);
    expect(got('cmd/testdata/create/cr.yaml')).toEqual([
      "info (per the CustomResourceDefinition at cmd/testdata/cluster_info/widgets.yaml:2, the only one in the input: a test fixture of another directory, so the cluster's definition may differ; pass it with --crd)",
      "info (per the CustomResourceDefinition at cmd/testdata/cluster_info/widgets.yaml:2, the only one in the input: a test fixture of another directory, so the cluster's definition may differ; pass it with --crd)",
    ]);
  });

  test('a CRD among the test resources of the Maven layout (src/test/resources) is a fixture too: notes elsewhere', async () => {
    // the Flink operator keeps its pre-upgrade CRD there; the examples' FlinkDeployments follow the current one
    const bad = CR.replace('colour: red', 'shape: round');
    const dir = writeTree({
      'operator-api/src/test/resources/old-crd.yml': CRD,
      'operator-api/src/test/resources/cr.yaml': bad,
      'examples/cr.yaml': bad,
    });
    const r = await cli(['lint', '--no-config', '-f', 'json', '.'], { cwd: dir });
    const res = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string; level: string; message: string }[] }[];
    const levels = (f: string) =>
      res
        .find((x) => x.filePath === f)!
        .messages.filter((m) => m.ruleId === 'schema')
        .map((m) => m.level);
    expect(levels('operator-api/src/test/resources/cr.yaml')).toEqual(['error', 'error']);
    expect(levels('examples/cr.yaml')).toEqual(['info', 'info']);
  });

  test('a missing --crd path is a usage error', async () => {
    const dir = writeTree({ 'cr.yaml': CR });
    const r = await cli(['lint', '--no-config', '--crd', 'nope.yaml', 'cr.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.yaml');
  });
});

describe('schema', () => {
  test('never throws on hostile data', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
  __proto__: {x: 1}
  constructor: 1
spec:
  containers: "x"
  volumes: [null, 1, {name: v, __proto__: 2}]
  nodeSelector: {constructor: 1}
`;
    const r = lintText(text, { rules: only('schema') });
    const msgs = r.results.flatMap((x) => x.messages).map((m) => m.message);
    expect(r.internalErrors).toEqual([]);
    expect(msgs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^unknown field "__proto__" in metadata/),
        expect.stringMatching(/^spec\.containers must be a list, not the string "x"/),
      ]),
    );
  });

  test('the generated field table is up to date with the installed kubernetes-models', () => {
    const file = path.join(ROOT, 'src/data/k8s-fields.json');
    const before = fs.readFileSync(file, 'utf8');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/gen-k8s-fields.mjs')], { cwd: ROOT, stdio: 'pipe' });
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('deprecated-api', () => {
  const PDB = 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: {minAvailable: 1}\n';
  test.each([
    ['1.20', []],
    [
      '1.21',
      [
        'warning: policy/v1beta1 PodDisruptionBudget is deprecated since Kubernetes 1.21 and removed in 1.25 (target cluster 1.21): use policy/v1 before upgrading',
      ],
    ],
    [
      'v1.25',
      [
        'error: policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25 and is not served by the target cluster (1.25): use policy/v1',
      ],
    ],
  ])('targets kubernetesVersion %s from the config', (version, want) => {
    const r = lintText(PDB, { config: { kubernetesVersion: version }, rules: only('deprecated-api') });
    const got = r.results.flatMap((x) => x.messages).map((m) => `${m.level}: ${m.message.replace(/ \(in policy\/v1.*$/, '')}`);
    expect(got).toEqual(want);
  });

  test('--kubernetes-version overrides the config', async () => {
    const dir = writeTree({ '.k8s-gold.yaml': 'kubernetesVersion: "1.30"\n', 'pdb.yaml': PDB });
    const r = await cli(['lint', '-f', 'json', '--kubernetes-version', '1.22', 'pdb.yaml'], { cwd: dir });
    const m = JSON.parse(r.stdout)[0].messages.filter((x: { ruleId: string }) => x.ruleId === 'deprecated-api');
    expect(m.map((x: { level: string; line: number; column: number }) => `${x.level} ${x.line}:${x.column}`)).toEqual(['warning 1:1']);
    const bad = await cli(['lint', '--kubernetes-version', 'latest', 'pdb.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--kubernetes-version takes a version such as 1.29');
  });

  test('every table entry cites the deprecation guide and names versions in order', () => {
    const data = JSON.parse(fs.readFileSync(path.join(ROOT, 'src/data/deprecations.json'), 'utf8')) as {
      entries: { source: string; deprecatedIn: string; removedIn: string }[];
    };
    for (const e of data.entries) {
      expect(e.source).toMatch(/^https:\/\/kubernetes\.io\/docs\/reference\/using-api\/deprecation-guide\/#v1-\d+$/);
      expect(Number(e.deprecatedIn.split('.')[1])).toBeLessThan(Number(e.removedIn.split('.')[1]));
      expect(e.source.endsWith(`#v1-${e.removedIn.split('.')[1]}`)).toBe(true);
    }
  });
});
