/**
 * Files in a kustomize directory that no kustomization lists (zalando/postgres-operator's manifests/: the
 * kustomization builds the operator, example manifests beside it are applied one by one): a file of complete objects
 * is linted on its own; a patch (a fragment kustomize merges into an object that has the rest), a file named as a
 * patch, and a custom resource whose required fields are unknown are not, and the note lists them.
 */
import type { LintResult } from '../src/engine/result';
import { lintedUnlisted } from '../src/engine/unlisted';
import { loadSource } from '../src/engine/load';
import { CrdRegistry } from '../src/schema/crd';
import { cli, writeTree } from './helpers';
import { describeWithTools } from './helpers/tools';

const deployment = (name: string, image = 'registry.example.com/app:1.0') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: app\n          image: ${image}\n          securityContext: {privileged: true}\n`;
const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: databases.example.com}
spec:
  group: example.com
  names: {kind: Database, plural: databases}
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
              required: [teamId, instances]
              properties:
                teamId: {type: string}
                instances: {type: integer}
`;

test('which unlisted files hold complete objects', () => {
  const l = (text: string) => loadSource('x.yaml', '/t/x.yaml', text, 'default');
  const crds = new CrdRegistry(l(crd).objects);
  expect(lintedUnlisted(l(deployment('web')), crds)).toBe(true);
  // a strategic merge patch: no selector, no image
  expect(
    lintedUnlisted(
      l(
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          resources: {limits: {memory: 1Gi}}\n',
      ),
      crds,
    ),
  ).toBe(false);
  // a custom resource with the fields its CustomResourceDefinition requires, and one without
  expect(
    lintedUnlisted(l('apiVersion: example.com/v1\nkind: Database\nmetadata: {name: db}\nspec: {teamId: acid, instances: 2}\n'), crds),
  ).toBe(true);
  expect(lintedUnlisted(l('apiVersion: example.com/v1\nkind: Database\nmetadata: {name: db}\nspec: {instances: 3}\n'), crds)).toBe(false);
  // no CustomResourceDefinition in the input: its required fields are unknown
  expect(
    lintedUnlisted(
      l('apiVersion: example.com/v1\nkind: Database\nmetadata: {name: db}\nspec: {teamId: acid, instances: 2}\n'),
      new CrdRegistry([]),
    ),
  ).toBe(false);
  // a CRD patch (kubebuilder's cainjection): no group, names or versions
  expect(
    lintedUnlisted(
      l(
        'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: databases.example.com\n  annotations: {a: b}\n',
      ),
      crds,
    ),
  ).toBe(false);
  // one fragment makes the whole file a fragment; a syntax error keeps it out
  expect(
    lintedUnlisted(
      l(
        `${deployment('a')}---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\n`,
      ),
      crds,
    ),
  ).toBe(false);
  expect(lintedUnlisted(l(`${deployment('a')}  bad: [\n`), crds)).toBe(false);
});

describeWithTools('unlisted files in a kustomize directory', ({ helm, kubectl }) => {
  test('complete ones are linted on their own; patches and fragments are listed in the note', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helm}\nkustomize:\n  command: [${kubectl}, kustomize]\n`,
      'manifests/kustomization.yaml': 'resources:\n- operator.yaml\n- crd.yaml\n',
      'manifests/operator.yaml': deployment('operator'),
      'manifests/crd.yaml': crd,
      'manifests/example-app.yaml': deployment('example'),
      'manifests/minimal-database.yaml':
        'apiVersion: example.com/v1\nkind: Database\nmetadata: {name: db}\nspec: {teamId: acid, instances: 2}\n',
      'manifests/resources.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: operator}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          securityContext: {privileged: true}\n',
      'manifests/replica-patch.yaml': deployment('operator'),
    });
    const r = await cli(['lint', '-f', 'json', 'manifests'], { cwd: dir });
    const results = JSON.parse(r.stdout) as LintResult[];
    const privileged = results.flatMap((x) => x.messages.filter((m) => m.ruleId === 'privileged-container').map(() => x.filePath)).sort();
    expect(privileged).toEqual(['manifests/example-app.yaml', 'manifests/operator.yaml']);
    expect(results.find((x) => x.filePath === 'manifests/minimal-database.yaml')?.objectCount).toBe(1);
    const text = (await cli(['lint', 'manifests'], { cwd: dir })).stdout;
    expect(text).toContain(
      'note: 2 file(s) in kustomize directories are listed in no kustomization and hold patches or incomplete objects (a file of complete objects is linted on its own), so they were not linted: manifests/replica-patch.yaml, manifests/resources.yaml',
    );
  });
});
