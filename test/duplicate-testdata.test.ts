/**
 * duplicate-object: one object defined twice with different content in one file is a warning, but an info in a file of
 * a Go testdata directory, a test's data that may hold versions of one object on purpose (contour's
 * internal/k8s/testdata/configmap-content-change.yaml: the ConfigMap before and after a change).
 */
import { lintPaths, only, writeTree } from './helpers';

test('two versions of one object: a warning in manifests, an info in testdata', () => {
  const twice = (name: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "2"\n`;
  const dir = writeTree({
    'deploy/config.yaml': twice('app'),
    'internal/k8s/testdata/configmap-content-change.yaml': twice('my-configmap'),
  });
  const got = lintPaths([dir], { cwd: dir, rules: only('duplicate-object') }).results.flatMap((r) =>
    r.messages.map((m) => `${r.filePath}:${m.line} ${m.level} ${m.message.split(';')[0]}`),
  );
  expect(got.sort()).toEqual([
    'deploy/config.yaml:11 warning ConfigMap "app" in namespace "default" is defined twice in this file with different content (also at line 2): kubectl apply applies both and this one silently replaces the other',
    'internal/k8s/testdata/configmap-content-change.yaml:11 info ConfigMap "my-configmap" in namespace "default" is defined twice in this file with different content (also at line 2)',
  ]);
});
