/**
 * scripts/peer-agreement.mjs reads the three peers' suite layouts and compares verdicts. Run here on a
 * small tree written in each peer's layout (our own manifests, not the peers' files).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, writeTree } from './helpers';

const deployment = (name: string, container: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n${container}`;
const plain = '        - {name: app, image: "registry.example.com/app:1.0.0"}\n';
const privileged = '        - name: app\n          image: registry.example.com/app:1.0.0\n          securityContext: {privileged: true}\n';
const pod = (extra: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${extra}  containers:\n${plain.replace(/^ {6}/, '  ')}`;

function tree(): string {
  return writeTree({
    // kube-linter: bats tests name the check (--include) and the reports (Kind[ name]: message)
    'kube-linter/e2etests/bats-tests.sh': [
      '@test "privileged-container" {',
      '  tmp="tests/checks/privileged.yml"',
      '  cmd="${KUBE_LINTER_BIN} lint --include privileged-container --do-not-auto-add-defaults --format json ${tmp}"',
      '  [[ "${message1}" == "Deployment: container "app" is privileged" ]]',
      '  [[ "${count}" == "1" ]]',
      '}',
      '',
      '@test "host-ipc" {',
      '  tmp="tests/checks/ipc.yml"',
      '  cmd="${KUBE_LINTER_BIN} lint --include host-ipc --do-not-auto-add-defaults --format json ${tmp}"',
      '  [[ "${actual_messages[0]}" == "Pod p: resource shares host\'s IPC namespace" ]]',
      '  [[ "${count}" == "1" ]]',
      '}',
      '',
    ].join('\n'),
    'kube-linter/tests/checks/privileged.yml': `${deployment('dont-fire', plain)}---\n${deployment('app', privileged)}`,
    'kube-linter/tests/checks/ipc.yml': pod(''), // the suite says it fires; it has no hostIPC: a disagreement
    // Polaris: success*.yaml must pass, failure*.yaml fail
    'polaris/test/checks/hostIPCSet/success.yaml': pod(''),
    'polaris/test/checks/hostIPCSet/failure.yaml': pod('  hostIPC: true\n'),
    'polaris/test/checks/hostIPCSet/mutated.yaml': pod(''),
    // kube-score: testExpectedScore calls, including a loop over values
    'kube-score/score/security_test.go': [
      'func TestPrivileged(t *testing.T) {',
      '\ttestExpectedScore(t, "pod-privileged.yaml", "Container Security Context Privileged", scorecard.GradeCritical)',
      '}',
      'func TestNotPrivileged(t *testing.T) {',
      '\tfor _, v := range []string{"a", "b"} {',
      '\t\ttestExpectedScore(t, "pod-plain-"+v+".yaml", "Container Security Context Privileged", scorecard.GradeAllOK)',
      '\t}',
      '}',
      '',
    ].join('\n'),
    'kube-score/score/testdata/pod-privileged.yaml': `${deployment('web', privileged)}`,
    'kube-score/score/testdata/pod-plain-a.yaml': pod(''),
    'kube-score/score/testdata/pod-plain-b.yaml': pod(''),
  });
}

function run(dir: string, migration: string, extra: string[] = []) {
  const args = [
    path.join(ROOT, 'scripts/peer-agreement.mjs'),
    '--kube-linter',
    path.join(dir, 'kube-linter'),
    '--polaris',
    path.join(dir, 'polaris'),
    '--kube-score',
    path.join(dir, 'kube-score'),
    '--migration',
    migration,
    '--json',
    ...extra,
  ];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  return {
    status: r.status,
    stderr: r.stderr,
    report: r.stdout ? JSON.parse(r.stdout.slice(0, r.stdout.lastIndexOf('}') + 1)) : undefined,
  };
}

test('verdicts per object (kube-linter), per file (Polaris) and per test call (kube-score); an unexplained disagreement fails', () => {
  const dir = tree();
  const migration = path.join(dir, 'migration.json');
  fs.copyFileSync(path.join(ROOT, 'src/data/migration.json'), migration);
  const r = run(dir, migration);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(1);
  const kl = r.report['kube-linter'];
  expect(kl.fixtures).toBe(3); // dont-fire, app, p
  expect(kl.agree).toBe(2);
  expect(kl.disagreements).toEqual([
    {
      check: 'host-ipc',
      rules: ['host-namespaces', 'pss-host-namespaces'],
      unit: 'tests/checks/ipc.yml Pod/p',
      peer: 'fire',
      k8sGold: 'silent',
      deliberate: false,
    },
  ]);
  expect(r.report.polaris).toMatchObject({ fixtures: 2, agree: 2, disagreements: [] }); // mutated*.yaml is not read
  expect(r.report['kube-score']).toMatchObject({ fixtures: 3, agree: 3, compared: 1 });
});

test("a disagreement listed under a difference's fixtures is deliberate; --record writes the numbers", () => {
  const dir = tree();
  const migration = path.join(dir, 'migration.json');
  const data = JSON.parse(fs.readFileSync(path.join(ROOT, 'src/data/migration.json'), 'utf8'));
  data.differences.push({ peer: 'kube-linter', id: 'host-ipc', reason: 'test', fixtures: ['tests/checks/ipc.yml Pod/p'] });
  fs.writeFileSync(migration, JSON.stringify(data));
  const r = run(dir, migration, ['--record', '--revision-polaris', 'abc']);
  expect(r.status).toBe(0);
  expect(r.report['kube-linter']).toMatchObject({ agree: 2, deliberate: 1, checksAt95: 2 });
  const written = JSON.parse(fs.readFileSync(migration, 'utf8'));
  expect(written.measured['kube-linter']).toMatchObject({ fixtures: 3, agree: 2, deliberate: 1 });
  expect(written.measured.polaris.revision).toBe('abc');
});
