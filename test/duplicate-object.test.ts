/** duplicate-object: how sure the input is that two definitions are applied together decides the severity. */
import { lintPaths, only, writeTree } from './helpers';

const cm = (key: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  ${key}: "1"\n`;

function findings(files: Record<string, string>) {
  const dir = writeTree(files);
  return lintPaths([dir], { cwd: dir, rules: only('duplicate-object') })
    .results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.level}`))
    .sort();
}

test('in one file: a warning (kubectl apply -f file applies both)', () => {
  expect(findings({ 'a.yaml': `${cm('A')}---\n${cm('B')}` })).toEqual(['a.yaml:11 warning']);
});

test('two files of one directory (recipe and sample directories hold alternatives): an info', () => {
  expect(findings({ 'recipes/one.yaml': cm('A'), 'recipes/two.yaml': cm('B') })).toEqual(['recipes/two.yaml:4 info']);
});

test('identical copies in two files: nothing', () => {
  expect(findings({ 'x/one.yaml': cm('A'), 'y/two.yaml': cm('A') })).toEqual([]);
});

test('a directory and one below it (kubectl apply -R -f applies both): an info; directories side by side: nothing', () => {
  // the later in input order is reported (deploy/one.yaml is read after deploy/extra/)
  expect(findings({ 'deploy/one.yaml': cm('A'), 'deploy/extra/two.yaml': cm('B') })).toEqual(['deploy/one.yaml:4 info']);
  expect(findings({ 'examples/a/one.yaml': cm('A'), 'examples/b/two.yaml': cm('B') })).toEqual([]);
});
