/**
 * What scripts/bundle.mjs does to the bundle for the start-up, and how bin/k8s-gold.js keys its code cache
 * (docs/performance.md, "Start-up"): the bundle is ASCII (read into a one-byte string, no UTF-8 decoding),
 * built-in modules are used as they are (a namespace object only where a default import reads it), and the cache entry follows the bundle file (a rebuilt
 * bundle gets a new entry, never the old code); the V8 flags bin sets do not make V8 reject the cache it wrote.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { ROOT, tmpdir, writeTree } from './helpers';

const BIN = path.join(ROOT, 'bin', 'k8s-gold.js');
const BUNDLE = path.join(ROOT, 'dist', 'k8s-gold.cjs');

function node(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, args, {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', ...opts.env },
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the bundles are ASCII, and use a built-in module as is, or through one namespace object where its default is read', () => {
  for (const file of [BUNDLE, path.join(ROOT, 'dist', 'k8s-gold-warm.cjs')]) {
    const bytes = fs.readFileSync(file);
    const firstNonAscii = bytes.findIndex((b) => b > 0x7f);
    expect(firstNonAscii).toBe(-1);
    const code = bytes.toString('latin1');
    expect(code).not.toMatch(/__toESM\(require\("node:[a-z_/]+"\)\)/);
    // `import * as fs from 'node:fs'`: the module itself (no object with a getter per export)
    expect(code).toMatch(/ = require\("node:fs"\);/);
    expect(code).not.toMatch(/__toESMNode\(require\("node:fs"\)\)/);
  }
  // `import Module from 'node:module'` reads the default: a namespace object, shared
  expect(fs.readFileSync(BUNDLE, 'latin1')).toMatch(/__toESMNode\(require\("node:module"\)\)/);
});

test('a rebuilt bundle gets its own code cache entry and runs its own code', () => {
  const nodeHasCompileCache = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';
  const pkg = tmpdir('k8s-gold-checkout-');
  fs.mkdirSync(path.join(pkg, 'bin'));
  fs.mkdirSync(path.join(pkg, 'dist'));
  fs.copyFileSync(BIN, path.join(pkg, 'bin', 'k8s-gold.js'));
  fs.copyFileSync(BUNDLE, path.join(pkg, 'dist', 'k8s-gold.cjs'));
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
  for (const d of ['dist/src', 'dist/rules', 'node_modules', 'schemas', 'src'])
    fs.symlinkSync(path.join(ROOT, d), path.join(pkg, d), 'dir');
  const dir = writeTree({ 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  mode: 0644\n' });
  const tmp = tmpdir('k8s-gold-jscache-');
  const env = { TMPDIR: tmp, NODE_COMPILE_CACHE: '' };
  const run = () => node([path.join(pkg, 'bin', 'k8s-gold.js'), 'lint', '--no-config', '-f', 'json', 'a.yaml'], { cwd: dir, env });
  const first = run();
  expect(first.stderr).toBe('');
  expect(JSON.parse(first.stdout)[0].messages.map((m: { ruleId: string }) => m.ruleId)).toContain('ambiguous-yaml-value');
  expect(run()).toEqual(first);
  // a rebuild that changes what the CLI prints: same length, so only the file's identity tells the versions apart
  const bundle = path.join(pkg, 'dist', 'k8s-gold.cjs');
  const code = fs.readFileSync(bundle, 'latin1');
  const from = 'is read by Kubernetes (YAML 1.1) as';
  expect(code.includes(from)).toBe(true);
  fs.rmSync(bundle);
  fs.writeFileSync(bundle, code.split(from).join('IS READ BY KUBERNETES (YAML 1.1) AS'), 'latin1');
  const rebuilt = run();
  expect(rebuilt.stderr).toBe('');
  expect(rebuilt.stdout).toContain('IS READ BY KUBERNETES');
  if (nodeHasCompileCache) return;
  expect(
    fs
      .readdirSync(tmp, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.jscache')),
  ).toHaveLength(2);
});

test('the code cache a run writes is accepted by the next runs (bin sets its V8 flags before compiling the bundle)', () => {
  if (typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function') return;
  const dir = writeTree({ 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n' });
  const tmp = tmpdir('k8s-gold-jscache-');
  const log = path.join(tmp, 'compiles.log');
  // records, for each compile of the bundle, whether V8 was given a cache and took it (V8 rejects a cache made under other flags)
  const watch = path.join(tmp, 'watch-vm.cjs');
  fs.writeFileSync(
    watch,
    `const vm = require('node:vm');
const fs = require('node:fs');
const Script = vm.Script;
vm.Script = function (code, opts) {
  const s = new Script(code, opts);
  if (String(opts && opts.filename).endsWith('k8s-gold.cjs'))
    fs.appendFileSync(${JSON.stringify(log)}, (!opts.cachedData ? 'none' : s.cachedDataRejected ? 'rejected' : 'accepted') + '\\n');
  return s;
};
`,
  );
  const env = { TMPDIR: tmp, NODE_COMPILE_CACHE: '' };
  for (let i = 0; i < 3; i++) {
    const r = node(['-r', watch, BIN, 'lint', '--no-config', '-f', 'json', 'a.yaml'], { cwd: dir, env });
    expect(r.stderr).toBe('');
  }
  expect(fs.readFileSync(log, 'utf8').split('\n').filter(Boolean)).toEqual(['none', 'accepted', 'accepted']);
});

test('a run that finds its code cache entry neither scans the bundle for ASCII again nor makes the cache directory; a non-ASCII bundle gets its own entry', () => {
  if (typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function') return;
  const pkg = tmpdir('k8s-gold-checkout-');
  fs.mkdirSync(path.join(pkg, 'bin'));
  fs.mkdirSync(path.join(pkg, 'dist'));
  fs.copyFileSync(BIN, path.join(pkg, 'bin', 'k8s-gold.js'));
  fs.copyFileSync(BUNDLE, path.join(pkg, 'dist', 'k8s-gold.cjs'));
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
  for (const d of ['dist/src', 'dist/rules', 'node_modules', 'schemas', 'src'])
    fs.symlinkSync(path.join(ROOT, d), path.join(pkg, d), 'dir');
  const dir = writeTree({ 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  mode: 0644\n' });
  const tmp = tmpdir('k8s-gold-jscache-');
  const log = path.join(tmp, 'calls.log');
  // records the ASCII scans and the directories made
  const watch = path.join(tmp, 'watch.cjs');
  fs.writeFileSync(
    watch,
    `const fs = require('node:fs');
const buffer = require('node:buffer');
const isAscii = buffer.isAscii;
const mkdirSync = fs.mkdirSync;
buffer.isAscii = (b) => { fs.appendFileSync(${JSON.stringify(log)}, 'isAscii\\n'); return isAscii(b); };
fs.mkdirSync = (...a) => { fs.appendFileSync(${JSON.stringify(log)}, 'mkdir\\n'); return mkdirSync(...a); };
`,
  );
  const env = { TMPDIR: tmp, NODE_COMPILE_CACHE: '' };
  const calls = () => {
    const c = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
    fs.rmSync(log, { force: true });
    return c;
  };
  const run = () =>
    node(['-r', watch, path.join(pkg, 'bin', 'k8s-gold.js'), 'lint', '--no-config', '-f', 'json', 'a.yaml'], { cwd: dir, env });
  const entries = () =>
    fs
      .readdirSync(tmp, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.jscache'))
      .map((f) => /-[au]\.jscache$/.exec(f)?.[0]);
  const first = run();
  expect(first.stderr).toBe('');
  expect(calls()).toEqual(['mkdir', 'isAscii']);
  expect(entries()).toEqual(['-a.jscache']);
  expect(run()).toEqual(first);
  expect(calls()).toEqual([]);
  // the same length and text, one character outside ASCII in a comment: decoded as UTF-8, cached under its own entry
  const bundle = path.join(pkg, 'dist', 'k8s-gold.cjs');
  const code = fs.readFileSync(bundle, 'latin1');
  const at = code.indexOf('\n//');
  expect(at).toBeGreaterThan(0);
  fs.rmSync(bundle);
  fs.writeFileSync(
    bundle,
    Buffer.concat([Buffer.from(code.slice(0, at + 3), 'latin1'), Buffer.from('\u00b5', 'utf8'), Buffer.from(code.slice(at + 5), 'latin1')]),
  );
  const wide = run();
  expect(wide).toEqual(first);
  expect(calls()).toEqual(['isAscii']);
  expect(entries().sort()).toEqual(['-a.jscache', '-u.jscache']);
  expect(run()).toEqual(first);
  expect(calls()).toEqual(['isAscii']);
});

describe('exit', () => {
  // a task for the event loop, queued before the CLI runs: it runs only if the process lets the event loop go on
  const preload = (): string => {
    const f = path.join(tmpdir('k8s-gold-exit-'), 'loop.cjs');
    fs.writeFileSync(f, "setImmediate(() => process.stderr.write('event loop ran\\n'));\n");
    return f;
  };

  test('a lint with the built-in formats exits once its output is written, with its exit code, not after the event loop', () => {
    const dir = writeTree({
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  mode: 0644\n',
    });
    const loop = preload();
    for (const format of ['stylish', 'json', 'sarif']) {
      const r = node(['-r', loop, BIN, 'lint', '--no-config', '-f', format, 'a.yaml'], { cwd: dir });
      const plain = node([BIN, 'lint', '--no-config', '-f', format, 'a.yaml'], { cwd: dir });
      // the SARIF log (575 kB) is more than a pipe takes at once: the event loop writes the rest, and may run the task
      if (format !== 'sarif') expect(r.stderr).toBe('');
      expect(r.code).toBe(plain.code);
      expect(r.stdout).toBe(plain.stdout);
      expect(r.stdout.length).toBeGreaterThan(format === 'sarif' ? 200_000 : 100);
    }
    const clean = writeTree({ 'b.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n' });
    const ok = node(['-r', loop, BIN, 'lint', '--no-config', 'b.yaml'], { cwd: clean });
    expect(ok).toEqual({ code: 0, stdout: node([BIN, 'lint', '--no-config', 'b.yaml'], { cwd: clean }).stdout, stderr: '' });
  });

  test('a plug-in formatter, or a run that is not a lint, lets the event loop finish', () => {
    const dir = writeTree({
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
      'fmt.cjs': 'module.exports = (results) => `${results.length} results\\n`;\n',
    });
    const loop = preload();
    const r = node(['-r', loop, BIN, 'lint', '--no-config', '-f', './fmt.cjs', 'a.yaml'], { cwd: dir });
    expect(r.stdout).toBe('1 results\n');
    expect(r.stderr).toBe('event loop ran\n');
    expect(node(['-r', loop, BIN, 'rules'], { cwd: dir }).stderr).toBe('event loop ran\n');
  });
});

test('yaml and diff are chunks beside the bundle: compiled, with their own code cache, only by a run that needs them', () => {
  const code = fs.readFileSync(BUNDLE, 'latin1');
  expect(code).not.toContain('// node_modules/yaml/');
  expect(code).not.toContain('// node_modules/diff/');
  expect(code).toContain('require("./k8s-gold-yaml.cjs")');
  expect(code).toContain('require("./k8s-gold-diff.cjs")');
  if (typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function') return;
  // the fast reader takes the ConfigMap; anchors and aliases go to the yaml package; a dry-run fix prints a diff
  const dir = writeTree({
    'plain.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  mode: 0644\n',
    'anchors.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: &n b\n  labels: {app: *n}\ndata:\n  mode: 0644\n',
  });
  const tmp = tmpdir('k8s-gold-jscache-');
  const log = path.join(tmp, 'compiles.log');
  const watch = path.join(tmp, 'watch-vm.cjs');
  fs.writeFileSync(
    watch,
    `const vm = require('node:vm');
const fs = require('node:fs');
const Script = vm.Script;
vm.Script = function (code, opts) {
  const s = new Script(code, opts);
  fs.appendFileSync(${JSON.stringify(log)}, require('node:path').basename(opts.filename) + ' ' + (!opts.cachedData ? 'none' : s.cachedDataRejected ? 'rejected' : 'accepted') + '\\n');
  return s;
};
`,
  );
  const env = { TMPDIR: tmp, NODE_COMPILE_CACHE: '' };
  const compiles = (args: string[]) => {
    const r = node(['-r', watch, BIN, 'lint', '--no-config', ...args], { cwd: dir, env });
    const plain = node([BIN, 'lint', '--no-config', ...args], { cwd: dir, env: { K8S_GOLD_NO_BUNDLE: '1' } });
    expect(r).toEqual(plain);
    const c = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
    fs.rmSync(log);
    return c;
  };
  expect(compiles(['-f', 'json', 'plain.yaml'])).toEqual(['k8s-gold.cjs none']);
  expect(compiles(['-f', 'json', 'plain.yaml'])).toEqual(['k8s-gold.cjs accepted']);
  expect(compiles(['-f', 'json', 'anchors.yaml'])).toEqual(['k8s-gold.cjs accepted', 'k8s-gold-yaml.cjs none']);
  expect(compiles(['-f', 'json', 'anchors.yaml'])).toEqual(['k8s-gold.cjs accepted', 'k8s-gold-yaml.cjs accepted']);
  const dry = compiles(['--fix-dry-run', '--rule', 'ambiguous-yaml-value=error', 'plain.yaml']);
  expect(dry).toContain('k8s-gold-diff.cjs none');
  expect(fs.readFileSync(path.join(dir, 'plain.yaml'), 'utf8')).toContain('mode: 0644');
});
