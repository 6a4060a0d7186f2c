/**
 * Discovery resolves real paths only where a symlink may be involved (the
 * inputs, symlinked files and directories): a plain file or directory found
 * by a walk gets its real path from its directory's. Duplicates reached
 * through symlinks and symlink loops are still caught.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discover } from '../src/load/discover';
import { writeTree } from './helpers';

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n';

describe('discovery and real paths', () => {
  test('a walk of plain files resolves only its root, and symlinks are still deduplicated', () => {
    const tree: Record<string, string> = {};
    for (let i = 0; i < 40; i++) tree[`d/s${String(i % 4)}/f${String(i)}.yaml`] = CM;
    const dir = writeTree(tree);
    const plain = fs.realpathSync(dir);
    // Node's own module object (the test's and discover's `import * as fs` read through to it)
    const spy = jest.spyOn(require('node:fs') as typeof fs, 'realpathSync');
    try {
      const d = discover(['d'], { cwd: plain, baseDir: plain, ignorePatterns: [] });
      expect(d.files).toHaveLength(40);
      // the input directory only: not one call per file or subdirectory
      expect(spy.mock.calls.length).toBe(1);
      spy.mockClear();
      // a file symlink, a directory symlink to a sibling and one to an ancestor (a loop), and an explicit duplicate
      fs.symlinkSync(path.join(plain, 'd', 's0', 'f0.yaml'), path.join(plain, 'd', 'link.yaml'));
      fs.symlinkSync(path.join(plain, 'd', 's1'), path.join(plain, 'd', 's9'));
      fs.symlinkSync('..', path.join(plain, 'd', 's2', 'up'));
      const again = discover(['d', 'd/s3/f3.yaml', './d/s3/f3.yaml'], { cwd: plain, baseDir: plain, ignorePatterns: [] });
      // every file once: the link (met first) stands for its target, the files of s9 are s1's
      const want = d.files.map((f) => (f.display === 'd/s0/f0.yaml' ? 'd/link.yaml' : f.display)).sort();
      expect(again.files.map((f) => f.display)).toEqual(want);
      expect(again.loops).toEqual(['d/s2/up']);
      // the input directory, the three symlinks and the two explicit files
      expect(spy.mock.calls.length).toBe(6);
    } finally {
      spy.mockRestore();
    }
  });

  test("a walk passes over a Go module's vendor/ (vendor/modules.txt), not other vendor directories; a path under it named on the command line is read", () => {
    const dir = writeTree({
      'deploy/app.yaml': CM,
      'vendor/modules.txt': '# k8s.io/kubernetes v1.33.0\n',
      'vendor/k8s.io/kubernetes/test/e2e/testing-manifests/etcd.yaml': CM,
      'vendor/github.com/x/y/.travis.yml': 'script:\n  - [[ -d a ]] || b\n',
      'charts/vendor/x.yaml': CM,
    });
    const d = discover(['.'], { cwd: dir, baseDir: dir, ignorePatterns: [] });
    expect(d.files.map((f) => f.display)).toEqual(['charts/vendor/x.yaml', 'deploy/app.yaml']);
    const named = discover(['vendor/k8s.io'], { cwd: dir, baseDir: dir, ignorePatterns: [] });
    expect(named.files.map((f) => f.display)).toEqual(['vendor/k8s.io/kubernetes/test/e2e/testing-manifests/etcd.yaml']);
  });

  test("a walk passes over jsonnet-bundler's vendor directory (beside jsonnetfile.json, any name with vendor in it), not others", () => {
    const dir = writeTree({
      'jsonnetfile.json': '{"version": 1, "dependencies": []}\n',
      'vendor_jsonnet/kube-libsonnet/tests/golden/out.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'g' },
      }),
      'vendor/github.com/x/lib/example.yaml': CM,
      'deploy/app.yaml': CM,
      'lib/vendor/x.yaml': CM,
      'other/vendor_jsonnet/y.yaml': CM,
    });
    const d = discover(['.'], { cwd: dir, baseDir: dir, ignorePatterns: [] });
    expect(d.files.map((f) => f.display)).toEqual([
      'deploy/app.yaml',
      'jsonnetfile.json',
      'lib/vendor/x.yaml',
      'other/vendor_jsonnet/y.yaml',
    ]);
    const named = discover(['vendor_jsonnet'], { cwd: dir, baseDir: dir, ignorePatterns: [] });
    expect(named.files.map((f) => f.display)).toEqual(['vendor_jsonnet/kube-libsonnet/tests/golden/out.json']);
  });

  test('a walk passes over the files of .github/workflows (decided per directory), not those of similar directories', () => {
    const dir = fs.realpathSync(
      writeTree({
        '.github/workflows/ci.yaml': CM,
        '.github/workflows/sub/deploy.yaml': CM,
        '.github/other/x.yaml': CM,
        'a/.github/workflows/y.yml': CM,
        'workflows/z.yaml': CM,
        'github/workflows/w.yaml': CM,
      }),
    );
    const d = discover(['.', './.github/workflows/'], { cwd: dir, baseDir: dir, ignorePatterns: [] });
    expect(d.files.map((f) => f.display)).toEqual([
      '.github/other/x.yaml',
      '.github/workflows/sub/deploy.yaml',
      'github/workflows/w.yaml',
      'workflows/z.yaml',
    ]);
    // named explicitly, a workflow is read
    expect(discover(['.github/workflows/ci.yaml'], { cwd: dir, baseDir: dir, ignorePatterns: [] }).files).toHaveLength(1);
  });
});

test('the paths a walk finds are those path.join makes, whatever form the input directory is given in', () => {
  const dir = fs.realpathSync(writeTree({ 'd/s/f.yaml': CM, 'd/g.yaml': CM, 'd/t/u/h.yml': CM }));
  const want = ['d/g.yaml', 'd/s/f.yaml', 'd/t/u/h.yml'].map((p) => path.join(dir, p));
  for (const input of ['d', './d/', 'd//', 'd/./s/..', path.join(dir, 'd'), `${dir}//d/`]) {
    const d = discover([input], { cwd: dir, baseDir: dir, ignorePatterns: [] });
    expect(d.files.map((f) => f.abs).sort()).toEqual(want);
    expect(d.files.map((f) => f.display).sort()).toEqual(['d/g.yaml', 'd/s/f.yaml', 'd/t/u/h.yml']);
  }
});
