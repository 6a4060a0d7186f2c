/**
 * The pre-commit hook (.pre-commit-hooks.yaml), run by the real pre-commit
 * framework: `pre-commit try-repo <this repo> k8s-gold --files ...` in a
 * temporary git repository. pre-commit installs the hook the way it does for
 * users: a git clone of the commit, `npm install` (devDependencies included,
 * so `prepare` builds with tsc), `npm pack`, `npm install -g <tarball>` into
 * an environment that uses the system node (language_version: system is
 * pre-commit's default when node and npm are on PATH), so only the npm
 * registry is needed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, tmpdir, writeTree } from './helpers';
import { tools } from './helpers/tools';

const BROKEN = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: api',
  '  labels:',
  '    app: api',
  '    app: api-v2',
  'spec: {}',
  '',
].join('\n');
const CLEAN = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: settings', 'data:', '  mode: "on"', ''].join('\n');

const gitEnv = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...gitEnv, ...env }, encoding: 'utf8', timeout: 280_000 }); // a first run installs the hook (npm install of every dependency): minutes on a loaded 2-core machine
  if (r.error) throw r.error;
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test('.pre-commit-hooks.yaml declares the hook as pre-commit expects', () => {
  const { parse } = require('yaml') as typeof import('yaml');
  const hooks = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
  expect(hooks).toHaveLength(1);
  const h = hooks[0]!;
  expect(h).toMatchObject({ id: 'k8s-gold', language: 'node', require_serial: true, entry: 'k8s-gold lint' });
  const files = new RegExp(h.files as string);
  // a chart's helper templates too: a changed _helpers.tpl lints its chart
  for (const f of ['a.yaml', 'dir/b.yml', 'c.json', 'charts/web/templates/_helpers.tpl']) expect(files.test(f)).toBe(true);
  for (const f of ['a.txt', 'yaml.md', 'Chart.lock']) expect(files.test(f)).toBe(false);
});

test('pre-commit try-repo: a broken manifest fails with the rule and line, a clean one passes', () => {
  const home = tmpdir('k8s-gold-pre-commit-home-');
  const repo = writeTree({ 'deploy/broken.yaml': BROKEN, 'deploy/clean.yaml': CLEAN, 'README.txt': 'not a manifest\n' });
  expect(sh('git', ['init', '-q'], repo, {}).code).toBe(0);
  expect(sh('git', ['add', '.'], repo, {}).code).toBe(0);
  expect(sh('git', ['commit', '-qm', 'init'], repo, {}).code).toBe(0);
  const env = { PRE_COMMIT_HOME: home, NO_COLOR: '1' };

  const bad = sh(
    'pre-commit',
    ['try-repo', ROOT, 'k8s-gold', '--files', 'deploy/broken.yaml', 'deploy/clean.yaml', 'README.txt'],
    repo,
    env,
  );
  expect(bad.out).toMatch(/k8s-gold\.+Failed/);
  expect(bad.out).toContain('deploy/broken.yaml:7:5');
  expect(bad.out).toContain('duplicate-key');
  expect(bad.out).not.toContain('README.txt');
  expect(bad.code).toBe(1);

  const good = sh('pre-commit', ['try-repo', ROOT, 'k8s-gold', '--files', 'deploy/clean.yaml', 'README.txt'], repo, env);
  expect(good.out).toMatch(/k8s-gold\.+Passed/);
  expect(good.code).toBe(0);
}, 600_000);

test('pre-commit run with `args: [--context, .]`: a changed file is checked against the objects in unchanged files', () => {
  const head = sh('git', ['rev-parse', 'HEAD'], ROOT, {}).out.trim();
  const sts = [
    'apiVersion: apps/v1',
    'kind: StatefulSet',
    'metadata: {name: db}',
    'spec:',
    '  replicas: 3',
    '  serviceName: db',
    '  selector: {matchLabels: {app: db}}',
    '  template:',
    '    metadata: {labels: {app: db}}',
    '    spec:',
    '      containers:',
    '        - name: db',
    '          image: "db:1"',
    // the replicas address each other by their per-pod names: the governing Service must be headless
    '          env: [{name: PEERS, value: "db-0.db:7000,db-1.db:7000,db-2.db:7000"}]',
    '          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}',
    '          securityContext: {allowPrivilegeEscalation: false}',
    '',
  ].join('\n');
  // a ClusterIP Service: a StatefulSet of several replicas needs a headless one (one replica is a warning)
  const svc = [
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: db}',
    'spec:',
    '  selector: {app: db}',
    '  ports: [{port: 5432}]',
    '',
  ].join('\n');
  const config = (args: string) => `repos:\n  - repo: ${ROOT}\n    rev: ${head}\n    hooks:\n      - id: k8s-gold\n        args: ${args}\n`;
  const repo = writeTree({ 'k8s/sts.yaml': sts, 'k8s/svc.yaml': svc });
  const home = tmpdir('k8s-gold-pre-commit-home-');
  const env = { PRE_COMMIT_HOME: home, NO_COLOR: '1' };
  expect(sh('git', ['init', '-q'], repo, {}).code).toBe(0);

  // without context the Service is not in the input: only a warning ("no such Service"), the hook passes
  fs.writeFileSync(path.join(repo, '.pre-commit-config.yaml'), config('[]'));
  expect(sh('git', ['add', '.'], repo, {}).code).toBe(0);
  const alone = sh('pre-commit', ['run', 'k8s-gold', '--files', 'k8s/sts.yaml'], repo, env);
  expect(alone.out).toMatch(/k8s-gold\.+Passed/);
  expect(alone.code).toBe(0);

  // with the repository as context the changed StatefulSet is checked against the unchanged Service
  fs.writeFileSync(path.join(repo, '.pre-commit-config.yaml'), config('[--context, .]'));
  expect(sh('git', ['add', '.'], repo, {}).code).toBe(0);
  const ctx = sh('pre-commit', ['run', 'k8s-gold', '--files', 'k8s/sts.yaml'], repo, env);
  expect(ctx.out).toMatch(/k8s-gold\.+Failed/);
  expect(ctx.out).toMatch(/k8s\/sts\.yaml:6:3 +error +serviceName "db" names a ClusterIP Service/);
  // the context file gets no findings of its own (messages do name it, as the Service's place)
  expect(ctx.out).not.toMatch(/^\s*k8s\/svc\.yaml:\d+:\d+/m);
  expect(ctx.out).toContain('(k8s/svc.yaml:2)');
  expect(ctx.code).toBe(1);
}, 600_000);

test('pre-commit run on a changed chart helper (.tpl) and a changed kustomize base: the hook lints the chart and the overlays', () => {
  const t = tools();
  if (!t.ok) throw new Error(`the real helm and kubectl are needed: ${t.why}`);
  const head = sh('git', ['rev-parse', 'HEAD'], ROOT, {}).out.trim();
  const repo = writeTree({
    '.k8s-gold.yaml': `helm:\n  command: ${t.helm}\nkustomize:\n  command: [${t.kubectl}, kustomize]\n`,
    '.pre-commit-config.yaml': `repos:\n  - repo: ${ROOT}\n    rev: ${head}\n    hooks:\n      - id: k8s-gold\n`,
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'charts/web/templates/_helpers.tpl': '{{- define "web.image" -}}nginx:latest{{- end -}}\n',
    'charts/web/templates/pod.yaml':
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: {{ include "web.image" . }}\n',
    'k/base/kustomization.yaml': 'resources: [cm.yaml]\n',
    'k/base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: "fast"\n',
    'k/prod/kustomization.yaml': 'resources: [../base, pod.yaml]\n',
    'k/prod/pod.yaml':
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: job\nspec:\n  containers:\n    - name: job\n      image: busybox:1.36\n',
  });
  const env = { PRE_COMMIT_HOME: tmpdir('k8s-gold-pre-commit-home-'), NO_COLOR: '1' };
  expect(sh('git', ['init', '-q'], repo, {}).code).toBe(0);
  expect(sh('git', ['add', '.'], repo, {}).code).toBe(0);
  const tpl = sh('pre-commit', ['run', 'k8s-gold', '--files', 'charts/web/templates/_helpers.tpl'], repo, env);
  expect(tpl.out).toMatch(/k8s-gold\.+Failed/);
  // the image the helper writes, at the template line that includes it
  expect(tpl.out).toMatch(
    /charts\/web\/templates\/pod\.yaml:8:7 +warning +image "nginx:latest" of container "web" uses the moving tag :latest/,
  );
  expect(tpl.out).not.toContain('_helpers.tpl:');
  expect(tpl.code).toBe(1);
  // the base alone is clean; a change to it builds the overlay that uses it, whose own pod has an error
  const base = sh('pre-commit', ['run', 'k8s-gold', '--files', 'k/base/cm.yaml'], repo, env);
  expect(base.out).toMatch(/k8s-gold\.+Failed/);
  expect(base.out).toMatch(/k\/prod\/pod\.yaml:7:7 +error +container job does not set requests/);
  expect(base.out).not.toContain('k/base/cm.yaml:');
  expect(base.code).toBe(1);
}, 600_000);
