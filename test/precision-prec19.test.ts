/** Precision round 11 (helper prec19a): findings on held-out repositories that were wrong or pointed at the wrong line. */
import type { LintResult } from '../src/engine/result';
import { alignPath } from '../src/render/kustomize-map';
import { cli, lintPaths, only, writeTree } from './helpers';
import { describeWithTools } from './helpers/tools';

const ROLE = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: speaker
rules:
  - apiGroups: [example.io]
    resources: [statuses]
    verbs: ["*"]
  - apiGroups: [""]
    resources: [services]
    verbs: [get, list, watch]
  - apiGroups: [discovery.k8s.io]
    resources: [endpointslices]
    verbs: [get, list, watch]
`;

test('alignPath carries a list index over only where the source holds the same item', () => {
  const source = { rules: [{ a: 1 }, { b: 2 }, { c: 3 }], containers: [{ name: 'x', image: 'x:1' }] };
  // two items inserted before: the rendered rules[2] is the source's rules[0]
  const rendered = { rules: [{ n: 1 }, { n: 2 }, { a: 1 }, { b: 2 }, { c: 3 }], containers: [{ name: 'y' }, { name: 'x', image: 'x:2' }] };
  expect(alignPath(source, rendered, ['rules', 2, 'a'])).toEqual(['rules', 0, 'a']);
  expect(alignPath(source, rendered, ['rules', 4])).toEqual(['rules', 2]);
  // an inserted item is not in the source: the path stops at the list
  expect(alignPath(source, rendered, ['rules', 0, 'n'])).toEqual(['rules']);
  // a named item changed on the way is found by its name
  expect(alignPath(source, rendered, ['containers', 1, 'image'])).toEqual(['containers', 0, 'image']);
  // a list of the same length with the item changed in place keeps the index
  expect(alignPath({ r: [{ a: 1 }, { b: 2 }] }, { r: [{ a: 1 }, { b: 3 }] }, ['r', 1, 'b'])).toEqual(['r', 1, 'b']);
});

// metallb/metallb config/prometheus-native: a JSON patch adds two rules at /rules/0 of the speaker ClusterRole, and
// rbac-wildcard on the rendered rules[2] (the source's rules[0], verbs "*") was reported at the source's rules[2]
describeWithTools('a kustomize overlay whose JSON patch inserts list items before the finding', ({ kubectl }) => {
  test('the finding lands on the source item it is about, not on the item at the same index', async () => {
    const patch = (group: string) =>
      `- op: add\n  path: /rules/0\n  value:\n    apiGroups: [${group}]\n    resources: [reviews]\n    verbs: [create]\n`;
    const dir = writeTree({
      '.k8s-gold.yaml': `kustomize:\n  command: [${kubectl}, kustomize]\n`,
      'rbac/kustomization.yaml': 'resources:\n- role.yaml\n',
      'rbac/role.yaml': ROLE,
      'overlay/kustomization.yaml':
        'resources:\n- ../rbac\npatches:\n- target:\n    kind: ClusterRole\n    name: speaker\n  path: p1.yaml\n- target:\n    kind: ClusterRole\n    name: speaker\n  path: p2.yaml\n',
      'overlay/p1.yaml': patch('authentication.k8s.io'),
      'overlay/p2.yaml': patch('authorization.k8s.io'),
    });
    const r = await cli(['lint', '-f', 'json', '--rule', 'rbac-wildcard=warning', 'overlay'], { cwd: dir });
    const got = (JSON.parse(r.stdout) as LintResult[]).flatMap((x) =>
      x.messages
        .filter((m) => m.ruleId === 'rbac-wildcard')
        .map((m) => `${x.filePath}:${m.line}:${m.column} ${/rules\[\d+\]/.exec(m.message)?.[0]}`),
    );
    // the "*" of the example.io rule (verbs: [get, list, watch] of the endpointslices rule is at the same index)
    const line = ROLE.split('\n').indexOf('    verbs: ["*"]') + 1;
    expect(got).toEqual([`rbac/role.yaml:${line}:13 rules[2]`]);
  });
});

// actions/actions-runner-controller charts/gha-runner-scale-set: a helper looks up the controller's Deployment and
// fails when there is none; helm template has no cluster, so the render always stopped there, an error
describeWithTools('a chart whose template fails when lookup finds nothing', ({ helm }) => {
  const helper = (lookup: boolean) =>
    `{{- define "demo.controller" -}}\n{{- $found := "" }}\n${lookup ? '{{- range $i, $d := (lookup "apps/v1" "Deployment" "" "").items }}\n{{- $found = $d.metadata.name }}\n{{- end }}\n' : ''}{{- if not $found }}\n{{- fail "No controller deployment found: set controller.name in values.yaml" }}\n{{- end }}\n{{- $found }}\n{{- end }}\n`;
  const lint = async (lookup: boolean) => {
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
      'demo/Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n',
      'demo/values.yaml': 'controller: {}\n',
      'demo/templates/_helpers.tpl': helper(lookup),
      'demo/templates/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\ndata:\n  controller: {{ .Values.controller.name | default (include "demo.controller" .) }}\n',
    });
    const r = await cli(['lint', '-f', 'json', 'demo'], { cwd: dir });
    return (JSON.parse(r.stdout) as LintResult[]).flatMap((x) =>
      x.messages.filter((m) => m.ruleId === 'helm-render').map((m) => `${x.filePath}:${m.line} ${m.level} ${m.message}`),
    );
  };
  test('is an info naming the lookup: whether it renders on a cluster cannot be known offline', async () => {
    const got = await lint(true);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^demo\/templates\/cm\.yaml:6 info helm template demo stopped \(execution error at/);
    expect(got[0]).toContain('after the template read the cluster with lookup (templates/_helpers.tpl:3)');
  });
  test('the same fail without a lookup before it stays an error', async () => {
    const got = await lint(false);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^demo\/templates\/cm\.yaml:6 error helm template demo failed: execution error at/);
  });
});

// envoyproxy/gateway charts/gateway-helm: values.yaml is git-ignored and generated from values.tmpl.yaml with envsubst,
// so the chart as committed fails (nil pointer) and was an error
describeWithTools('a chart whose values.yaml a build step generates from values.tmpl.yaml', ({ helm }) => {
  const lint = async (files: Record<string, string>, args: string[] = []) => {
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
      'gw/Chart.yaml': 'apiVersion: v2\nname: gw\nversion: 0.1.0\n',
      'gw/templates/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gw\ndata:\n  mode: {{ .Values.config.provider.type | quote }}\n',
      ...files,
    });
    const r = await cli(['lint', '-f', 'json', ...args, 'gw'], { cwd: dir });
    return (JSON.parse(r.stdout) as LintResult[]).flatMap((x) =>
      x.messages.filter((m) => m.ruleId === 'helm-render').map((m) => `${x.filePath}:${m.line} ${m.level} ${m.message}`),
    );
  };
  const tmpl = { 'gw/values.tmpl.yaml': 'image: ${GatewayImage}\nconfig:\n  provider:\n    type: Kubernetes\n' };
  test('fails without it: an info that says to generate the values first', async () => {
    const got = await lint(tmpl);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(
      /^gw\/templates\/cm\.yaml:6 info gw has no values\.yaml, only values\.tmpl\.yaml, from which a build step generates it/,
    );
  });
  test('without the template, or with values given, the failure stays an error', async () => {
    expect((await lint({})).map((f) => f.split(' ').slice(0, 2).join(' '))).toEqual(['gw/templates/cm.yaml:6 error']);
    const given = await lint({ ...tmpl, 'v.yaml': 'other: 1\n' }, ['--values', 'v.yaml']);
    expect(given.map((f) => f.split(' ').slice(0, 2).join(' '))).toEqual(['gw/templates/cm.yaml:6 error']);
  });
});

// envoyproxy/gateway test/e2e/remote_infra/sidecar-patch.yaml (kubectl patch --patch-file) and a Go test's
// securitypolicy_all.patch.yaml: patches outside any kustomization were linted as objects (schema errors for the
// selector and required fields they leave to the object they patch, resource errors for their containers)
test('a file named as a patch whose objects are incomplete is set aside with a note; complete or not so named, it is linted', () => {
  const partial =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: sidecar\n          image: example/sidecar:1.0\n';
  const full =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: example/web:1.0\n';
  const dir = writeTree({
    'e2e/sidecar-patch.yaml': partial,
    'testdata/deploy.patch.yaml': partial,
    'golden/patch-deployment.yaml': full,
    'apps/dispatcher.yaml': partial,
    // a custom resource whose definition is not in the input: its needs are not known, so it is linted (no note)
    'examples/envoy-patch-policy.yaml':
      'apiVersion: gateway.example.io/v1alpha1\nkind: EnvoyPatchPolicy\nmetadata:\n  name: p\nspec:\n  type: JSONPatch\n',
  });
  const run = lintPaths([dir], { cwd: dir, rules: only('schema', 'non-manifest-file') });
  const got = run.results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId} ${m.level}`)).sort();
  expect(got).toEqual([
    'apps/dispatcher.yaml:5 schema error',
    'e2e/sidecar-patch.yaml:1 non-manifest-file info',
    'testdata/deploy.patch.yaml:1 non-manifest-file info',
  ]);
  const note = run.results.find((r) => r.filePath === 'e2e/sidecar-patch.yaml')!.messages[0]!.message;
  expect(note).toMatch(/^this file is a patch \(its name says so, and an object in it lacks fields an object of its kind needs\)/);
});
