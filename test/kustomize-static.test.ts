/**
 * Kustomize trees linted raw (issue 10, part 3; `kustomize.render: false`, and
 * kustomizations read from --context): files a kustomization uses as
 * patches or as transformer configuration are not linted as objects (one
 * note per kustomization), and the ConfigMaps and Secrets of its generators
 * count as present, with their keys.
 */
import { lintPaths, writeTree } from './helpers';

/** kustomize.render: false, the raw mode (a kustomization in --context is always read raw) */
const RAW = { kustomize: { render: false } };

const deployment = (env: string) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: api}',
    'spec:',
    '  replicas: 2',
    '  selector: {matchLabels: {app: api}}',
    '  template:',
    '    metadata: {labels: {app: api}}',
    '    spec:',
    '      containers:',
    '        - name: api',
    '          image: example/api:1.0',
    '          env:',
    env,
    '',
  ].join('\n');

const keyRef = (cm: string, key: string, name = key) =>
  `            - name: ${name}\n              valueFrom: {configMapKeyRef: {name: ${cm}, key: ${key}}}`;

const tree = (overrides: Record<string, string> = {}) =>
  writeTree({
    'base/kustomization.yaml': [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources: [deployment.yaml]',
      'configMapGenerator:',
      '  - name: api-config',
      '    literals: [LOG_LEVEL=info]',
      '    files: [config.json, TIMEOUTS=timeouts.txt]',
      '    envs: [api.env]',
      '',
    ].join('\n'),
    'base/deployment.yaml': deployment(
      [
        keyRef('api-config', 'LOG_LEVEL'),
        keyRef('api-config', 'config.json', 'CONFIG'),
        keyRef('api-config', 'TIMEOUTS'),
        keyRef('api-config', 'DB_HOST'),
      ].join('\n'),
    ),
    'base/api.env': '# database\nDB_HOST=db\n',
    'base/config.json': '{}\n',
    'base/timeouts.txt': '5s\n',
    'overlays/prod/kustomization.yaml': [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'namespace: prod',
      'resources: [../../base]',
      'patches:',
      '  - path: replicas.yaml',
      'patchesJson6902:',
      '  - path: drop-probe.yaml',
      '    target: {group: apps, version: v1, kind: Deployment, name: api}',
      'transformers: [labels.yaml]',
      '',
    ].join('\n'),
    // a strategic-merge patch: a partial Deployment (no selector, no image)
    'overlays/prod/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: 5\n',
    // a JSON 6902 patch: a list of operations, not an object
    'overlays/prod/drop-probe.yaml': '- op: remove\n  path: /spec/template/spec/containers/0/livenessProbe\n',
    'overlays/prod/labels.yaml':
      'apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: labels}\nlabels: {env: prod}\nfieldSpecs: [{path: metadata/labels, create: true}]\n',
    ...overrides,
  });

const on = {
  'missing-references': 'warning',
  schema: 'error',
  'invalid-object': 'error',
  'duplicate-object': 'warning',
  'kustomize-patch': 'info',
  'yaml-syntax': 'error',
} as const;
const rulesOnly = (extra: Record<string, 'error' | 'warning' | 'info'> = {}) => {
  const { RuleRegistry } = require('../src/engine/registry') as typeof import('../src/engine/registry');
  const all: Record<string, 'off' | 'error' | 'warning' | 'info'> = {};
  for (const r of new RuleRegistry().all()) all[r.meta.id] = 'off';
  return { ...all, ...on, ...extra };
};

test('patches, JSON patches and transformer configuration are not linted as objects; one note on the kustomization', () => {
  const dir = tree();
  const run = lintPaths(['.'], { cwd: dir, rules: rulesOnly(), config: RAW });
  const by = Object.fromEntries(run.results.map((r) => [r.filePath, r]));
  for (const f of ['overlays/prod/replicas.yaml', 'overlays/prod/drop-probe.yaml', 'overlays/prod/labels.yaml']) {
    expect([f, by[f]!.messages]).toEqual([f, []]);
    expect(by[f]!.skipped).toBe('kustomize-patch');
  }
  const note = by['overlays/prod/kustomization.yaml']!.messages;
  expect(note.map((m) => [m.ruleId, m.level, m.line])).toEqual([['kustomize-patch', 'info', 6]]);
  expect(note[0]!.message).toBe(
    '3 file(s) of this kustomization are not linted as objects: patches overlays/prod/replicas.yaml; JSON patches overlays/prod/drop-probe.yaml; transformer configuration overlays/prod/labels.yaml. kustomize merges patches into resources and reads its configuration itself, so none of them is applied as it stands; render the overlay to lint the result: kubectl kustomize overlays/prod | k8s-gold lint -',
  );
  expect(run.summary.skipped).toBe(4); // the three, and base/config.json (a generator's input, not a manifest)
  // the generator's keys: literals, files (named or by base name) and env files
  expect(by['base/deployment.yaml']!.messages).toEqual([]);
});

test('without the kustomization the same patch is linted as an object (the control)', () => {
  const dir = tree();
  const run = lintPaths(['overlays/prod/replicas.yaml', 'overlays/prod/drop-probe.yaml'], { cwd: dir, rules: rulesOnly(), config: RAW });
  const ids = run.results.flatMap((r) => r.messages.map((m) => `${r.filePath} ${m.ruleId}:${m.level}`));
  expect([...new Set(ids)]).toEqual(['overlays/prod/replicas.yaml schema:error']);
  // a JSON patch has no apiVersion or kind anywhere: another tool's file
  expect(run.results.find((r) => r.filePath === 'overlays/prod/drop-probe.yaml')!.skipped).toBe('not-a-manifest');
});

test('a kustomization in --context makes a changed patch a patch (pre-commit with --context .)', () => {
  const dir = tree();
  const run = lintPaths(['overlays/prod/replicas.yaml'], { cwd: dir, rules: rulesOnly(), context: ['.'], config: RAW });
  expect(run.results.map((r) => [r.filePath, r.skipped, r.messages.length])).toEqual([
    ['overlays/prod/replicas.yaml', 'kustomize-patch', 0],
  ]);
});

test('a key the generator does not create is still reported, at the generator entry', () => {
  const dir = tree({ 'base/deployment.yaml': deployment(keyRef('api-config', 'LOG_LEVL')) });
  const run = lintPaths(['base'], { cwd: dir, rules: rulesOnly(), config: RAW });
  const msgs = run.results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId} ${m.message}`));
  expect(msgs).toHaveLength(1);
  expect(msgs[0]).toMatch(/^base\/deployment\.yaml:\d+ missing-references /);
  expect(msgs[0]).toContain('LOG_LEVL');
  expect(msgs[0]).toContain('base/kustomization.yaml:5');
});

test('a generator whose env file cannot be read has unknown keys: no key finding', () => {
  const dir = tree({ 'base/deployment.yaml': deployment(keyRef('api-config', 'ANYTHING')), 'base/api.env': '' });
  require('node:fs').rmSync(require('node:path').join(dir, 'base/api.env'));
  const run = lintPaths(['base'], { cwd: dir, rules: rulesOnly(), config: RAW });
  expect(run.results.flatMap((r) => r.messages)).toEqual([]);
});

test('a name no generator or file defines is still missing', () => {
  const dir = tree({ 'base/deployment.yaml': deployment(keyRef('other-config', 'X')) });
  const run = lintPaths(['base'], { cwd: dir, rules: rulesOnly(), config: RAW });
  expect(run.results.flatMap((r) => r.messages.map((m) => m.ruleId))).toEqual(['missing-references']);
});

describe('commonLabels and labels', () => {
  const base = {
    'base/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deployment.yaml, service.yaml]\n',
    // kubebuilder style: the selector comes from commonLabels
    'base/deployment.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  template:\n    metadata: {labels: {tier: web}}\n    spec:\n      containers: [{name: web, image: "example/web:1.0"}]\n',
    'base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {tier: web}\n  ports: [{port: 80}]\n',
  };
  const kust = (extra: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../../base]\n${extra}`;
  const findings = (files: Record<string, string>) => {
    const dir = writeTree(files);
    const run = lintPaths(['.'], {
      cwd: dir,
      rules: rulesOnly({ 'selector-template-mismatch': 'error', 'service-selector': 'warning' }),
      config: RAW,
    });
    return run.results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId} ${m.message}`));
  };

  test('a Deployment whose selector commonLabels creates is not missing its selector', () => {
    expect(findings({ ...base, 'overlays/prod/kustomization.yaml': kust('commonLabels: {app: web}\n') })).toEqual([]);
    expect(
      findings({ ...base, 'overlays/prod/kustomization.yaml': kust('labels:\n  - pairs: {app: web}\n    includeSelectors: true\n') }),
    ).toEqual([]);
  });

  test('overlays that disagree on the value still each create a selector', () => {
    expect(
      findings({
        ...base,
        'overlays/dev/kustomization.yaml': kust('commonLabels: {env: dev}\n'),
        'overlays/prod/kustomization.yaml': kust('commonLabels: {env: prod}\n'),
      }),
    ).toEqual([]);
  });

  test('the control: labels without includeSelectors create no selector, one build without commonLabels leaves it missing', () => {
    const a = findings({ ...base, 'overlays/prod/kustomization.yaml': kust('labels:\n  - pairs: {app: web}\n') });
    expect(a).toHaveLength(1);
    expect(a[0]).toMatch(/^base\/deployment\.yaml:\d+ schema spec is missing the required field "selector"/);
    const b = findings({
      ...base,
      'overlays/dev/kustomization.yaml': kust(''),
      'overlays/prod/kustomization.yaml': kust('commonLabels: {app: web}\n'),
    });
    expect(b).toHaveLength(1);
    expect(b[0]).toMatch(/schema spec is missing the required field "selector"/);
  });

  test('a Service selecting the label only some builds add is left as written (no selector is widened)', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: web-dev}\nspec:\n  selector: {tier: web}\n  ports: [{port: 80}]\n';
    const got = findings({
      ...base,
      'overlays/dev/kustomization.yaml': kust('commonLabels: {env: dev}\nresources: [../../base, service.yaml]\n').replace(
        'resources: [../../base]\n',
        '',
      ),
      'overlays/dev/service.yaml': svc,
      'overlays/prod/kustomization.yaml': kust('commonLabels: {env: prod}\n'),
    });
    expect(got).toEqual([]);
  });
});

test('a patch file no kustomization uses (kubebuilder scaffolding) is a patch, noted on the nearest kustomization', () => {
  const dir = writeTree({
    'config/crd/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [bases/widgets.yaml]\n#patches:\n#- path: patches/webhook_in_widgets.yaml\n',
    'config/crd/bases/widgets.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stands-for-a-crd}\n',
    'config/crd/patches/webhook_in_widgets.yaml':
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\nspec:\n  conversion: {strategy: Webhook}\n',
    // not named as a patch: linted as it stands
    'config/crd/extra.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {}\n',
  });
  const run = lintPaths(['.'], { cwd: dir, rules: rulesOnly(), config: RAW });
  const by = Object.fromEntries(run.results.map((r) => [r.filePath, r]));
  expect(by['config/crd/patches/webhook_in_widgets.yaml']!.skipped).toBe('kustomize-patch');
  expect(by['config/crd/patches/webhook_in_widgets.yaml']!.messages).toEqual([]);
  expect(by['config/crd/kustomization.yaml']!.messages.map((m) => m.message)).toEqual([
    '1 file(s) of this kustomization are not linted as objects: patch files no kustomization uses config/crd/patches/webhook_in_widgets.yaml. kustomize merges patches into resources and reads its configuration itself, so none of them is applied as it stands; render the overlay to lint the result: kubectl kustomize config/crd | k8s-gold lint -',
  ]);
  expect(by['config/crd/extra.yaml']!.messages.map((m) => m.ruleId)).toContain('schema');
});

test('a kustomization.yaml without apiVersion and kind (kubebuilder) is a kustomization, not another tool file', () => {
  const dir = writeTree({
    'config/default/kustomization.yaml':
      '# Adds namespace to all resources.\nnamespace: system\nresources: [../manager]\npatchesStrategicMerge:\n- manager_auth_proxy_patch.yaml\n',
    'config/default/manager_auth_proxy_patch.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: controller-manager}\nspec:\n  template:\n    spec:\n      containers: [{name: kube-rbac-proxy, image: "example/proxy:1.0"}]\n',
    'config/manager/kustomization.yaml': 'resources: [manager.yaml]\ncommonLabels: {control-plane: controller-manager}\n',
    'config/manager/manager.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: controller-manager}\nspec:\n  template:\n    spec:\n      containers: [{name: manager, image: "example/manager:1.0"}]\n',
  });
  const run = lintPaths(['.'], { cwd: dir, rules: { ...rulesOnly(), 'non-manifest-file': 'info' }, config: RAW });
  const got = run.results.map((r) => [r.filePath, r.skipped ?? '', r.messages.map((m) => m.ruleId)]);
  expect(got).toEqual([
    ['config/default/kustomization.yaml', '', ['kustomize-patch']],
    ['config/default/manager_auth_proxy_patch.yaml', 'kustomize-patch', []],
    ['config/manager/kustomization.yaml', '', []],
    ['config/manager/manager.yaml', '', []],
  ]);
  expect(run.results[0]!.messages[0]!.line).toBe(5); // the patchesStrategicMerge entry
});
