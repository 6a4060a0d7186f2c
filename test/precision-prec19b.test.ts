/** Precision round 11 (helper prec19b): findings on held-out manifest and kustomize repositories that were wrong or overstated. */
import type { LintResult } from '../src/engine/result';
import { cli, writeTree } from './helpers';
import { describeWithTools } from './helpers/tools';

async function lint(dir: string, args: string[] = ['.']): Promise<string[]> {
  const r = await cli(['lint', '-f', 'json', ...args], { cwd: dir });
  return (JSON.parse(r.stdout) as LintResult[]).flatMap((x) =>
    x.messages.map((m) => `${x.filePath}:${m.line} ${m.ruleId} ${m.level} ${m.message}`),
  );
}

// OT-CONTAINER-KIT/redis-operator's chainsaw tests apply a Redis, then `apply` a file with only its storage: chainsaw
// merges an apply into an object that exists, so the file is a patch, not an object missing its required fields
test('a chainsaw apply of objects an earlier operation of the test made is a patch, not linted as objects', async () => {
  const redis = (spec: string) => `apiVersion: cache.example.com/v1\nkind: Cache\nmetadata:\n  name: c\nspec:\n${spec}`;
  const crd =
    'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: caches.cache.example.com\nspec:\n  group: cache.example.com\n  names: {kind: Cache, plural: caches}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              required: [image]\n              properties:\n                image: {type: string}\n                size: {type: string}\n';
  const test = (ops: string) =>
    `apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Test\nmetadata: {name: grow}\nspec:\n  steps:\n  - try:\n${ops}`;
  const files = {
    'crds/cache.yaml': crd,
    'e2e/grow/cache.yaml': redis('  image: cache:1.0.0\n  size: 1Gi\n'),
    'e2e/grow/grow.yaml': redis('  size: 2Gi\n'),
  };
  const grown = (ops: string) =>
    lint(writeTree({ ...files, 'e2e/grow/chainsaw-test.yaml': test(ops) })).then((l) =>
      l
        .filter((m) => m.startsWith('e2e/grow/grow.yaml') && !m.includes(' duplicate-object '))
        .map((m) => m.split(' ').slice(0, 3).join(' ')),
    );
  expect(await grown('    - apply: {file: cache.yaml}\n    - apply: {file: grow.yaml}\n')).toEqual([
    'e2e/grow/grow.yaml:1 non-manifest-file info',
  ]);
  // applied first, or after the object was deleted, it creates the object: linted, and its missing field reported
  expect(await grown('    - apply: {file: grow.yaml}\n    - apply: {file: cache.yaml}\n')).toEqual(['e2e/grow/grow.yaml:5 schema error']);
  expect(await grown('    - apply: {file: cache.yaml}\n    - delete: {file: cache.yaml}\n    - apply: {file: grow.yaml}\n')).toEqual([
    'e2e/grow/grow.yaml:5 schema error',
  ]);
  // an object an earlier assert waited for (an operator made it from a custom resource) exists too: the apply merges
  // (the OpenTelemetry operator's e2e tests annotate the Deployments the operator made); an `error` operation proves
  // nothing exists
  expect(await grown('    - apply: {file: other.yaml}\n    - assert: {file: cache.yaml}\n    - apply: {file: grow.yaml}\n')).toEqual([
    'e2e/grow/grow.yaml:1 non-manifest-file info',
  ]);
  expect(await grown('    - error: {file: cache.yaml}\n    - apply: {file: grow.yaml}\n')).toEqual(['e2e/grow/grow.yaml:5 schema error']);
  // a file applied again is no patch of itself: still linted
  expect(await grown('    - apply: {file: grow.yaml}\n    - apply: {file: grow.yaml}\n')).toEqual(['e2e/grow/grow.yaml:5 schema error']);
});

const SA_DEPLOY = (serviceAccount: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: operator\nspec:\n  selector:\n    matchLabels: {app: operator}\n  template:\n    metadata:\n      labels: {app: operator}\n    spec:\n      serviceAccount: ${serviceAccount}\n      serviceAccountName: operator\n      containers:\n        - name: operator\n          image: registry.example.com/operator:1.0.0\n`;

// redis-operator's config/default: namePrefix renames the ServiceAccount and serviceAccountName, not the deprecated
// serviceAccount, so the build holds serviceAccount: operator next to serviceAccountName: prefix-operator
describeWithTools('a deprecated serviceAccount that a kustomize namePrefix left behind', ({ kubectl }) => {
  const run = (serviceAccount: string, prefix = 'namePrefix: redis-\n') =>
    lint(
      writeTree({
        '.k8s-gold.yaml': `kustomize:\n  command: [${kubectl}, kustomize]\n`,
        'config/kustomization.yaml': `${prefix}resources:\n- deployment.yaml\n- sa.yaml\n`,
        'config/deployment.yaml': SA_DEPLOY(serviceAccount),
        'config/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: operator\n',
      }),
    ).then((l) => l.filter((m) => m.includes('deprecated-service-account-field')));
  test('is a warning that the pod runs as the renamed account, not an error that the field is ignored', async () => {
    const got = await run('operator');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(
      /^config\/deployment\.yaml:12 deprecated-service-account-field warning Deployment redis-operator sets the deprecated serviceAccount: operator next to serviceAccountName: redis-operator, the ServiceAccount operator as this kustomize build renames it/,
    );
  });
  test('another account in serviceAccount, or the same values without a prefix, keep their findings', async () => {
    expect((await run('legacy')).map((m) => m.split(' ').slice(1, 3).join(' '))).toEqual(['deprecated-service-account-field error']);
    expect((await run('operator', '')).map((m) => m.split(' ').slice(1, 3).join(' '))).toEqual([
      'deprecated-service-account-field warning',
    ]);
    expect((await run('operator', '')).join()).toContain('with the same value');
  });
});

// kubevirt's staging/src/kubevirt.io/api/apitesting/testdata/HEAD: the round-trip fixtures k8s.io/apimachinery's
// compatibility test writes, every field holding a value named after it (enums too: `name: nameValue`)
test('the data of an API round-trip test (name: nameValue, uid: uidValue) is set aside with a note, not linted', async () => {
  const svc = (name: string, uid: string) =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: namespaceValue\n  uid: ${uid}\n  resourceVersion: resourceVersionValue\nspec:\n  type: typeValue\n  ports:\n    - name: nameValue\n      port: 1\n`;
  const got = await lint(
    writeTree({ 'testdata/HEAD/core.v1.Service.yaml': svc('nameValue', 'uidValue'), 'deploy/svc.yaml': svc('web', 'uidValue') }),
  );
  expect(got.filter((m) => m.startsWith('testdata/')).map((m) => m.split(' ').slice(0, 3).join(' '))).toEqual([
    'testdata/HEAD/core.v1.Service.yaml:1 non-manifest-file info',
  ]);
  expect(got.find((m) => m.startsWith('testdata/'))).toContain('serialization data of an API round-trip test');
  // a name of its own: an object, linted (the enum value is reported)
  expect(got.filter((m) => m.startsWith('deploy/svc.yaml') && m.includes(' schema error'))).not.toEqual([]);
});

// kubernetes-sigs/kubebuilder's testdata/project-v4/config/samples: the kustomization lists a v1 and a v2 sample of one
// kind with one name; the finding said "defined twice in this file (also at line 20)", a line of the build's output
describeWithTools('one object twice in a render', ({ kubectl, helm }) => {
  const sample = (version: string, spec: string) =>
    `apiVersion: crew.example.com/${version}\nkind: FirstMate\nmetadata:\n  name: firstmate-sample\nspec:\n${spec}`;
  const run = (files: Record<string, string>) =>
    lint(
      writeTree({
        '.k8s-gold.yaml': `kustomize:\n  command: [${kubectl}, kustomize]\n`,
        'samples/kustomization.yaml': `resources:\n${Object.keys(files)
          .map((f) => `- ${f}\n`)
          .join('')}`,
        ...Object.fromEntries(Object.entries(files).map(([f, t]) => [`samples/${f}`, t])),
      }),
    ).then((l) => l.filter((m) => m.includes(' duplicate-object ')));
  test('names the other by its source file; written in two versions it is an info', async () => {
    expect(await run({ 'v1.yaml': sample('v1', '  rank: 1\n'), 'v2.yaml': sample('v2', '  rank: 1\n') })).toEqual([
      'samples/v2.yaml:4 duplicate-object info FirstMate.crew.example.com "firstmate-sample" in namespace "default" is in this kustomize build twice with the same content (also from samples/v1.yaml:2): it is applied twice; remove one copy.',
    ]);
    const other = await run({ 'v1.yaml': sample('v1', '  rank: 1\n'), 'v2.yaml': sample('v2', '  rank: {level: 1}\n') });
    expect(other.map((m) => m.split(' ').slice(0, 3).join(' '))).toEqual(['samples/v2.yaml:4 duplicate-object info']);
    expect(other[0]).toContain('is also defined as crew.example.com/v1 at samples/v1.yaml:2, with other content');
  });
  test('in a chart: a warning naming the other template', async () => {
    const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: "${v}"\n`;
    const got = await lint(
      writeTree({
        '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
        'chart/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
        'chart/templates/a.yaml': cm('1'),
        'chart/templates/b.yaml': cm('2'),
      }),
    );
    expect(got.filter((m) => m.includes(' duplicate-object '))).toEqual([
      'chart/templates/b.yaml:4 duplicate-object warning ConfigMap "settings" in namespace "default" is in the chart\'s render twice with different content (also from chart/templates/a.yaml:2): applying it applies both and this one silently replaces the other; merge them or rename one.',
    ]);
  });
});

// kubernetes/kops' bootstrapchannelbuilder test data: kops' channel files have `kind: Addons` and metadata, no apiVersion
test('a kind no Kubernetes release serves, with metadata and no apiVersion, is another tool file: a note, not invalid-object', async () => {
  const got = await lint(
    writeTree({
      'channel/manifest.yaml': 'kind: Addons\nmetadata:\n  name: bootstrap\nspec:\n  addons:\n    - name: coredns\n',
      // a Kubernetes kind that lost its apiVersion is still a broken manifest
      'deploy/web.yaml': 'kind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n',
    }),
  );
  expect(got.map((m) => m.split(' ').slice(0, 3).join(' '))).toEqual([
    'channel/manifest.yaml:1 non-manifest-file info',
    'deploy/web.yaml:1 invalid-object error',
  ]);
  expect(got[0]).toContain('their kind Addons with metadata is no Kubernetes kind');
});

// sourcegraph/deploy-sourcegraph-k8s' old-base component: a patch with `options: allowKindChange` makes the base's
// StatefulSet a Deployment; the findings on its containers were placed at line 1 of the base file
describeWithTools('an object whose kind a kustomize patch changed', ({ kubectl }) => {
  test('its findings are placed at the source lines of the fields', async () => {
    const sts =
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers:\n        - name: db\n          image: postgres:latest\n';
    const got = await lint(
      writeTree({
        '.k8s-gold.yaml': `kustomize:\n  command: [${kubectl}, kustomize]\n`,
        'base/kustomization.yaml': 'resources:\n- db.yaml\n',
        'base/db.yaml': sts,
        'old/kustomization.yaml':
          'resources:\n- ../base\npatches:\n- path: db.Deployment.yaml\n  target:\n    kind: StatefulSet\n    name: db\n  options:\n    allowKindChange: true\n',
        'old/db.Deployment.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: db\nspec:\n  serviceName:\n  strategy:\n    type: Recreate\n',
      }),
      ['old'],
    );
    const tag = got.filter((m) => m.includes(' image-tag '));
    expect(tag).toHaveLength(1);
    expect(tag[0]).toMatch(/^base\/db\.yaml:15 image-tag warning image "postgres:latest"/);
  });
});

// projectcalico/calico's confd mock data: `delete.yaml` names the objects a test deletes, some by identity alone
test('a delete.yaml that names objects by their identity alone is a list of what to delete: a note, not schema errors', async () => {
  const crd =
    'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: peers.net.example.com\nspec:\n  group: net.example.com\n  names: {kind: Peer, plural: peers}\n  scope: Cluster\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          required: [spec]\n          properties:\n            spec: {type: object}\n';
  const peer = 'apiVersion: net.example.com/v1\nkind: Peer\nmetadata:\n  name: edge\n';
  const got = await lint(writeTree({ 'crds.yaml': crd, 'mock/a/delete.yaml': peer, 'mock/b/input.yaml': peer }));
  expect(got.filter((m) => m.startsWith('mock/')).map((m) => m.split(' ').slice(0, 3).join(' '))).toEqual([
    'mock/a/delete.yaml:1 non-manifest-file info',
    'mock/b/input.yaml:2 schema error',
  ]);
  expect(got.find((m) => m.startsWith('mock/a/'))).toContain('a list of objects to delete');
});

// sourcegraph/deploy-sourcegraph-k8s' examples/migrator: kustomize's error prints a Go pointer, another on every run
describeWithTools('a kustomize error that prints a pointer', ({ kubectl }) => {
  test('is reported without it, the same on every run', async () => {
    const got = await lint(
      writeTree({
        '.k8s-gold.yaml': `kustomize:\n  command: [${kubectl}, kustomize]\n`,
        'k/kustomization.yaml': 'configMapGenerator:\n  - name: env\n    behavior: merge\n    literals: [A=b]\n',
      }),
    );
    expect(got).toHaveLength(1);
    expect(got[0]).toContain('failed: merging from generator: id resid.ResId');
    expect(got[0]).not.toMatch(/0x[0-9a-f]/);
  });
});
