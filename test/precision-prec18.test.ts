/** Precision round 10 (helper prec18): findings on held-out repositories that were wrong or named the wrong object. */
import { lintPaths, only, writeTree } from './helpers';

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
