/** Precision round 10 (helper prec18): findings on held-out repositories that were wrong or named the wrong object. */
import type { LintResult } from '../src/engine/result';
import { cli, lintPaths, only, writeTree } from './helpers';
import { describeWithTools } from './helpers/tools';

function findings(files: Record<string, string>, rule: string) {
  const dir = writeTree(files);
  return lintPaths([dir], { cwd: dir, rules: only(rule) }).results.flatMap((r) =>
    r.messages.map((m) => `${r.filePath}:${m.line} ${m.level} ${m.message}`),
  );
}

const role = (verbs: string) =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: controller\nrules:\n  - apiGroups: ["*"]\n    resources: ["*"]\n    verbs: [${verbs}]\n`;
const binding =
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: controller\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: controller\nsubjects:\n  - kind: ServiceAccount\n    name: controller\n    namespace: ops\n';

// argoproj/argo-cd: the binding in manifests/cluster-rbac/application-controller/ was judged against (and named) the
// ClusterRole of a bundle at the top (manifests/core-install-with-hydrator.yaml), not the one beside it
test('rbac-cluster-admin-binding judges the bound role nearest to the binding', () => {
  const far = `---\n${role('"*"')}`;
  expect(
    findings({ 'a-bundle.yaml': far, 'rbac/binding.yaml': binding, 'rbac/role.yaml': role('get, list') }, 'rbac-cluster-admin-binding'),
  ).toEqual([]);
  const got = findings(
    { 'a-bundle.yaml': role('get, list'), 'rbac/binding.yaml': binding, 'rbac/role.yaml': role('"*"') },
    'rbac-cluster-admin-binding',
  );
  expect(got).toHaveLength(1);
  expect(got[0]).toMatch(/^rbac\/binding\.yaml:8 warning .*binds ClusterRole controller \(rbac\/role\.yaml\)/);
});

// longhorn/longhorn's chart: NetworkPolicies for `longhorn.io/component=instance-manager` pods, which longhorn-manager
// creates at run time, were warnings that they protect nothing
test('networkpolicy-port: a selector of an operator API group label selecting nothing is an info', () => {
  const ds =
    'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: manager\n  namespace: storage\nspec:\n  selector:\n    matchLabels: {app: manager}\n  template:\n    metadata:\n      labels: {app: manager}\n    spec:\n      containers:\n        - name: m\n          image: example/manager:1.0\n';
  const policy = (key: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: im\n  namespace: storage\nspec:\n  podSelector:\n    matchLabels: {${key}: instance-manager}\n  ingress:\n    - from:\n        - podSelector: {}\n`;
  const crd =
    'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: instancemanagers.longhorn.io\nspec:\n  group: longhorn.io\n  names: {kind: InstanceManager, plural: instancemanagers}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}\n';
  const levels = (files: Record<string, string>) => findings(files, 'networkpolicy-port').map((f) => f.split(' ').slice(0, 2).join(' '));
  const got = findings({ 'ds.yaml': ds, 'policy.yaml': policy('longhorn.io/component'), 'crds.yaml': crd }, 'networkpolicy-port');
  expect(got.map((f) => f.split(' ').slice(0, 2).join(' '))).toEqual(['policy.yaml:7 info']);
  expect(got[0]).toContain('is of API group longhorn.io (CustomResourceDefinition instancemanagers.longhorn.io, crds.yaml:2)');
  // without the CRD, or with a label key of another domain, it stays a warning
  expect(levels({ 'ds.yaml': ds, 'policy.yaml': policy('longhorn.io/component') })).toEqual(['policy.yaml:7 warning']);
  expect(levels({ 'ds.yaml': ds, 'policy.yaml': policy('example.com/component'), 'crds.yaml': crd })).toEqual(['policy.yaml:7 warning']);
});

// linkerd/linkerd2's charts/patch renders the JSON patch its proxy injector applies: helm template cannot split it
describeWithTools('a chart whose template renders a list', ({ helm }) => {
  const lint = async (template: string) => {
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
      'patch/Chart.yaml': 'apiVersion: v1\nname: patch\nversion: 0.1.0\n',
      'patch/values.yaml': 'prefix: ""\n',
      'patch/templates/patch.json': template,
    });
    const r = await cli(['lint', '-f', 'json', '.'], { cwd: dir });
    return (JSON.parse(r.stdout) as LintResult[]).flatMap((x) => x.messages.map((m) => `${x.filePath}:${m.line} ${m.level} ${m.message}`));
  };
  test('is an info naming the template, not a helm-render error', async () => {
    const got = await lint('[\n  {"op": "add", "path": "{{ .Values.prefix }}/metadata", "value": {}}\n]\n');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^patch\/templates\/patch\.json:1 info patch\/templates\/patch\.json renders a list/);
  });
  test('another parse error of a template stays an error', async () => {
    const got = await lint('{"op": "add", "path": [}\n');
    expect(got.map((m) => m.split(' ').slice(1, 2).join())).toEqual(['error']);
  });
});

// kubeflow/manifests' katib chart: `prometheus.io/port` in the template and in the default values' annotations
describeWithTools('a key a chart writes twice', ({ helm }) => {
  test('with the same value is a warning; with another value, or in a plain file, an error', async () => {
    const svc = (annotations: string) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    prometheus.io/port: "8080"\n    {{- toYaml .Values.annotations | nindent 4 }}\nspec:\n  selector: {app: web}\n  ports:\n    - port: 80\n# ${annotations}\n`;
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
      'same/Chart.yaml': 'apiVersion: v2\nname: same\nversion: 0.1.0\n',
      'same/values.yaml': 'annotations:\n  prometheus.io/port: "8080"\n',
      'same/templates/svc.yaml': svc('same'),
      'other/Chart.yaml': 'apiVersion: v2\nname: other\nversion: 0.1.0\n',
      'other/values.yaml': 'annotations:\n  prometheus.io/port: "9090"\n',
      'other/templates/svc.yaml': svc('other'),
      'plain/svc.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: plain\n  annotations:\n    prometheus.io/port: "8080"\n    prometheus.io/port: "8080"\nspec:\n  selector: {app: web}\n  ports:\n    - port: 80\n',
    });
    const r = await cli(['lint', '-f', 'json', '.'], { cwd: dir });
    const got = (JSON.parse(r.stdout) as LintResult[]).flatMap((x) =>
      x.messages.filter((m) => m.ruleId === 'duplicate-key').map((m) => `${x.filePath.split('/')[0]} ${m.level}`),
    );
    expect(got.sort()).toEqual(['other error', 'plain error', 'same warning']);
  });
});
