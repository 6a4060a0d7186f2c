/** Precision round 12 (helper prec20b): findings on held-out manifest, kustomize and GitOps repositories that were wrong or overstated. */
import { lintText, only } from './helpers';

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
