/**
 * The render plan: which files kustomize builds consume, and which files in a kustomize tree are never
 * applied (no real tools needed: planning only reads kustomization files).
 */
import { discover } from '../src/load/discover';
import { planRenders } from '../src/render/index';
import { writeTree } from './helpers';

test('a patch file below a kustomization that uses it nowhere (kubebuilder scaffolding) is not linted raw', () => {
  const dir = writeTree({
    'config/crd/kustomization.yaml': 'resources: [bases/widgets.yaml]\n#patches:\n#- path: patches/webhook_in_widgets.yaml\n',
    'config/crd/bases/widgets.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: w}\n',
    'config/crd/patches/webhook_in_widgets.yaml':
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\n',
    'config/crd/extra/manager_auth_proxy_patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: m}\n',
    // not named as a patch, in a directory without a kustomization of its own: linted as it stands
    'config/crd/extra/standalone.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\n',
    'other/plain.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: p}\n',
  });
  const disc = discover(['.'], { cwd: dir, baseDir: dir, ignorePatterns: [] });
  const plan = planRenders(disc, dir);
  expect(plan.unlisted.map((f) => f.display).sort()).toEqual([
    'config/crd/extra/manager_auth_proxy_patch.yaml',
    'config/crd/patches/webhook_in_widgets.yaml',
  ]);
  expect(disc.files.map((f) => f.display).sort()).toEqual(['config/crd/extra/standalone.yaml', 'other/plain.yaml']);
  expect(plan.kustomizations.map((k) => k.display)).toEqual(['config/crd']);
});
