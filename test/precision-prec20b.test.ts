/** Precision round 12 (helper prec20b): findings on held-out manifest, kustomize and GitOps repositories that were wrong or overstated. */
import type { LintResult } from '../src/engine/result';
import { cli, lintText, only, writeTree } from './helpers';
import { describeWithTools } from './helpers/tools';

const levels = (text: string, config: Record<string, unknown> = {}, rule = 'schema') =>
  lintText(text, { config, rules: only(rule) }).results.flatMap((r) => r.messages.map((m) => `${m.level} ${m.message}`));

// onedr0p/home-ops ships admissionregistration.k8s.io/v1 MutatingAdmissionPolicy (served from 1.36) with no
// kubernetesVersion configured: the default target is the version of the tool's schemas, not the cluster's
describe('schema: a built-in kind newer than the default target', () => {
  const map =
    'apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingAdmissionPolicyBinding\nmetadata:\n  name: mirror\nspec:\n  policyName: mirror\n';
  test('is an info when no kubernetesVersion is configured', () => {
    expect(levels(map)).toEqual([expect.stringMatching(/^info .*served from Kubernetes 1\.36, newer than the default target \(1\.33/)]);
  });
  test('stays an error when the configured target is older', () => {
    expect(levels(map, { kubernetesVersion: '1.33' })).toEqual([
      expect.stringMatching(/^error .*the target cluster \(1\.33\) does not serve it/),
    ]);
  });
});

// scylla-operator's Go-templated ConfigMap: `{{- range }}` … `{{ else }}` then a line `--- Can't read dashboards ---`,
// which YAML reads as a document start: the second "document" is a piece of the template, not a stray string
describe('a document that is only text holding a template action', () => {
  const all = (text: string) =>
    lintText(text, { rules: only('invalid-object', 'yaml-syntax') }).results.flatMap((r) =>
      r.messages.map((m) => `${m.line} ${m.ruleId} ${m.level} ${m.message.slice(0, 60)}`),
    );
  test('is a template placeholder warning, not an invalid-object error', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dashboards\ndata:\n{{- range $k, $v := .dashboards }}\n  "{{ $k }}": "{{ $v }}"\n{{ else }}\n--- no dashboards ---\n{{ end }}\n';
    expect(all(text)).toEqual([
      expect.stringMatching(/^6 yaml-syntax warning \{\{- range/),
      expect.stringMatching(/^9 yaml-syntax warning \{\{ end \}\} is a template placeholder/),
    ]);
  });
  test('a stray string document without one stays an invalid-object error', () => {
    expect(all('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\njust some words\n')).toEqual([
      expect.stringMatching(/^6 invalid-object error document 2 is the string "just some words"/),
    ]);
  });
});

// kubernetes-sigs/kustomize's fn-framework example CRD: `additionalProperties: false` beside properties at every level
// (JSON Schema habit). additionalProperties is a JSONSchemaPropsOrBool: a boolean is no type error; beside properties
// only `true` is allowed, and the custom resources are not to be checked as if `false` closed the object
describe('schema: additionalProperties in a CustomResourceDefinition', () => {
  const crd = (root: string, labels: string) =>
    'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n' +
    '  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n' +
    `      schema:\n        openAPIV3Schema:\n          type: object\n${root}          properties:\n            apiVersion: {type: string}\n` +
    `            kind: {type: string}\n            metadata: {type: object}\n            size: {type: integer}\n            labels:\n              type: object\n${labels}` +
    '              properties:\n                a: {type: string}\n            tags:\n              type: object\n              additionalProperties: false\n';
  const widget = '---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nsize: 1\nextra: 2\n';
  const got = (text: string) =>
    lintText(text, { rules: only('schema') }).results.flatMap((r) => r.messages.map((m) => `${m.line} ${m.message.slice(0, 72)}`));
  test('true beside properties, or false alone, is accepted', () => {
    expect(got(crd('', '              additionalProperties: true\n'))).toEqual([]);
  });
  test('false beside properties is the error Kubernetes gives, and the custom resource is checked by pruning only', () => {
    expect(got(crd('          additionalProperties: false\n', '') + widget)).toEqual([
      '16 additionalProperties: false beside properties: Kubernetes allows only on',
      '35 unknown field "extra" in the object (Widget schema of the CustomResource',
    ]);
  });
  test('a schema beside properties is rejected too', () => {
    expect(got(crd('', '              additionalProperties: {type: string}\n'))).toEqual([
      '23 additionalProperties beside properties: Kubernetes allows only one of th',
    ]);
  });
});

// kubernetes-sigs/kustomize's function examples: a generator that is a KRM function (`kind: Nginx`, an exec or container
// plugin). kustomize runs it only with --enable-alpha-plugins, which k8s-gold does not pass: the kustomization is not
// broken, it was not built; a missing resource stays an error
describeWithTools('kustomize-render: a generator that is an external plugin', ({ kubectl }) => {
  const run = async (files: Record<string, string>) => {
    const dir = writeTree({ '.k8s-gold.yaml': `kustomize:\n  command: [${kubectl}, kustomize]\n`, ...files });
    const r = await cli(['lint', '-f', 'json', '.'], { cwd: dir });
    return (JSON.parse(r.stdout) as LintResult[]).flatMap((x) =>
      x.messages.filter((m) => m.ruleId === 'kustomize-render').map((m) => `${x.filePath}:${m.line} ${m.level} ${m.message}`),
    );
  };
  const fn =
    'apiVersion: example.com/v1\nkind: Nginx\nmetadata:\n  name: web\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./nginx-fn\n';
  test('is an info that it was not built, naming the plugin', async () => {
    expect(await run({ 'app/kustomization.yaml': 'generators:\n- fn.yaml\n', 'app/fn.yaml': fn })).toEqual([
      expect.stringMatching(
        /^app\/kustomization\.yaml:1 info kustomize build app not run: Nginx is an external plugin .*--enable-alpha-plugins/,
      ),
    ]);
  });
  test('a missing resource stays an error', async () => {
    expect(await run({ 'app/kustomization.yaml': 'resources:\n- gone.yaml\n' })).toEqual([
      expect.stringMatching(/^app\/kustomization\.yaml:2 error /),
    ]);
  });
});
