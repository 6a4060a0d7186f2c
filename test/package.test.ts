/**
 * The npm package as users get it: `npm pack` (from a copy of the source
 * tree, so the worktree's dist/ is left alone), then `npm install <tarball>`
 * into an empty directory (dependencies come from the registry) and
 * `npx k8s-gold ...` there.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, tmpdir, writeTree } from './helpers';

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '' }, encoding: 'utf8', timeout: 400_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tarball = '';
let files: string[] = [];
let project = '';

beforeAll(() => {
  // a copy of the source tree (what a git checkout has), sharing node_modules
  const src = tmpdir('k8s-gold-pack-src-');
  for (const e of fs.readdirSync(ROOT)) {
    if (['node_modules', 'dist', '.git', 'coverage'].includes(e) || e.endsWith('.tgz')) continue;
    fs.cpSync(path.join(ROOT, e), path.join(src, e), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(src, 'node_modules'), 'dir');
  const out = tmpdir('k8s-gold-pack-');
  const pack = run('npm', ['pack', '--json', '--pack-destination', out], src);
  expect(pack.code).toBe(0);
  const info = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(out, info[0]!.filename);
  files = info[0]!.files.map((f) => f.path).sort();

  project = tmpdir('k8s-gold-user-');
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
  const install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], project);
  if (install.code !== 0) throw new Error(`npm install ${tarball} failed:\n${install.stderr}`);
}, 420_000);

test('the tarball holds what users need and nothing else', () => {
  expect(fs.existsSync(tarball)).toBe(true);
  for (const f of [
    'package.json',
    'README.md',
    'LICENSE',
    'bin/k8s-gold.js',
    'dist/k8s-gold.cjs',
    'dist/src/cli.js',
    'dist/src/index.js',
    'dist/src/report/sarif.js',
    'schemas/config.schema.json',
  ])
    expect(files).toContain(f);
  expect(files.some((f) => /^dist\/rules\/[^/]+\/index\.js$/.test(f))).toBe(true);
  const unwanted = files.filter(
    (f) =>
      /^(test|src(?!\/data\/[^/]+\.json$)|rules|examples|\.github|\.ci)\//.test(f) ||
      /\.test\.|\.ts$(?<!\.d\.ts)|\.ya?ml$|jest|tsconfig|\.npmrc|action\.yml|\.pre-commit/.test(f),
  );
  expect(unwanted).toEqual([]);
});

test('npx k8s-gold --version and --help, from the installed package', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const v = run('npx', ['--no-install', 'k8s-gold', '--version'], project);
  expect(v.code).toBe(0);
  expect(v.stdout).toBe(`v${pkg.version}\n`);
  const h = run('npx', ['--no-install', 'k8s-gold', '--help'], project);
  expect(h.code).toBe(0);
  expect(h.stdout).toMatch(/^k8s-gold \[command\] \[options\]/);
  expect(h.stdout).toContain('--output-file');
});

test('npx k8s-gold lint <dir> works from the installed package', () => {
  const dir = writeTree({
    'm/bad.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: a\n  name: b\nspec:\n  x: yes\n',
    'm/good.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
  });
  const r = run('npx', ['--no-install', 'k8s-gold', 'lint', path.join(dir, 'm')], project);
  expect(r.stderr.split('\n').filter((l) => l && !/npm warn/i.test(l))).toEqual([]);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/bad\.yaml:5:3\s+error\s+.*duplicate-key/);
  expect(r.stdout).toMatch(/bad\.yaml:7:6\s+warning\s+.*ambiguous-yaml-value/);
  expect(r.stdout).toContain('2 files, 2 objects, 1 error, 1 warning');
  const s = run('npx', ['--no-install', 'k8s-gold', 'lint', '-f', 'sarif', path.join(dir, 'm', 'good.yaml')], project);
  expect(s.code).toBe(0);
  expect(JSON.parse(s.stdout).runs[0].results).toEqual([]);
  // rules and explain need their metadata only
  const rules = run('npx', ['--no-install', 'k8s-gold', 'explain', 'duplicate-key'], project);
  expect(rules.code).toBe(0);
  expect(rules.stdout).toContain('duplicate-key');
});

test('require("k8s-gold") gives the programmatic API', () => {
  const script = `const k = require('k8s-gold'); const r = k.lint({ cwd: process.cwd(), inputs: ['-'], stdin: { text: 'apiVersion: example.com/v1\\nkind: Widget\\nmetadata:\\n  name: a\\nspec:\\n  x: on\\n' }, config: { data: {}, dir: process.cwd() }, registry: new k.RuleRegistry() }); process.stdout.write(JSON.stringify([typeof k.createRule, typeof k.run, r.results[0].messages.map((m) => m.ruleId + '@' + m.line)]));`;
  const r = run('node', ['-e', script], project);
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual(['function', 'function', ['ambiguous-yaml-value@6']]);
});
