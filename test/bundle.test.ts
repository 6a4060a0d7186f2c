/**
 * The start-up path of the built CLI (docs/performance.md, "Start-up"): bin/k8s-gold.js runs the esbuild bundle
 * dist/k8s-gold.cjs with a V8 code cache, else the tsc output dist/src/cli.js. Both are built from the same
 * sources by `npm run build`; these tests make sure they cannot drift apart, and that kubernetes-models'
 * validators behave the same with the lazy @kubernetes-models/validate (src/schema/lazy-formats.ts).
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

beforeAll(() => {
  // npm run build (and prepare) makes both
  expect(fs.existsSync(BUNDLE)).toBe(true);
  expect(fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli.js'))).toBe(true);
});

describe('bundle and unbundled CLI', () => {
  test.each(['json', 'sarif'])('give byte-identical %s output on examples/', (format) => {
    const tmp = tmpdir('k8s-gold-jscache-');
    const bundled = node([BIN, 'lint', '-f', format, 'examples/'], { env: { TMPDIR: tmp } });
    const plain = node([BIN, 'lint', '-f', format, 'examples/'], { env: { K8S_GOLD_NO_BUNDLE: '1' } });
    expect(bundled.stderr).toBe('');
    expect(plain.stderr).toBe('');
    expect(bundled.code).toBe(1);
    expect(plain.code).toBe(1);
    expect(bundled.stdout.length).toBeGreaterThan(1000);
    expect(bundled.stdout).toBe(plain.stdout);
  });

  test('rules, explain and --version agree', () => {
    for (const args of [['rules'], ['explain', 'schema'], ['--version']]) {
      const a = node([BIN, ...args]);
      const b = node([BIN, ...args], { env: { K8S_GOLD_NO_BUNDLE: '1' } });
      expect(a.code).toBe(0);
      expect(a.stdout.length).toBeGreaterThan(4);
      expect(a.stdout).toBe(b.stdout);
    }
  });

  test('bin works when the bundle is absent', () => {
    // a package layout without dist/k8s-gold.cjs
    const pkg = tmpdir('k8s-gold-nobundle-');
    fs.mkdirSync(path.join(pkg, 'bin'));
    fs.copyFileSync(BIN, path.join(pkg, 'bin', 'k8s-gold.js'));
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
    fs.mkdirSync(path.join(pkg, 'dist'));
    for (const d of ['dist/src', 'dist/rules', 'node_modules', 'schemas']) fs.symlinkSync(path.join(ROOT, d), path.join(pkg, d), 'dir');
    expect(fs.existsSync(path.join(pkg, 'dist', 'k8s-gold.cjs'))).toBe(false);
    const v = node([path.join(pkg, 'bin', 'k8s-gold.js'), '--version']);
    expect(v.stdout).toMatch(/^v\d+\.\d+\.\d+\n$/);
    const plain = node([path.join(pkg, 'bin', 'k8s-gold.js'), 'lint', '-f', 'json', 'examples/']);
    const bundled = node([BIN, 'lint', '-f', 'json', 'examples/']);
    expect(plain.stderr).toBe('');
    expect(plain.code).toBe(1);
    expect(plain.stdout).toBe(bundled.stdout);
  });
});

describe('code cache of the bundle', () => {
  const dir = writeTree({
    'm/a.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  replicas: "2"\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n      containers: [{name: a, image: "a:1"}]\n',
  });
  const lintA = (env: NodeJS.ProcessEnv) => node([BIN, 'lint', '--no-config', '-f', 'json', 'm'], { cwd: dir, env });

  test('is written on the first run, used on the next, and a corrupt one is replaced', () => {
    const tmp = tmpdir('k8s-gold-jscache-');
    const env = { TMPDIR: tmp, NODE_COMPILE_CACHE: '' };
    const first = lintA(env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(1);
    expect(JSON.parse(first.stdout)[0].messages.map((m: { ruleId: string }) => m.ruleId)).toContain('schema');
    const nodeHasCompileCache = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';
    const cacheFiles = () =>
      fs
        .readdirSync(tmp, { recursive: true })
        .map(String)
        .filter(
          (f) =>
            (nodeHasCompileCache
              ? f.startsWith('node-compile-cache')
              : // inode, device, size, mtime and ctime (ns), node version, arch, a hash of the path, ASCII
                /^k8s-gold-cache-[^/]+\/k8s-gold\.cjs-\d+-\d+-\d+-\d+-\d+-v[\d.]+-\w+-[0-9a-f]+-a\.jscache$/.test(f)) &&
            fs.statSync(path.join(tmp, f)).isFile(),
        );
    expect(cacheFiles().length).toBeGreaterThan(0);
    expect(lintA(env)).toEqual(first);
    if (!nodeHasCompileCache) {
      const file = path.join(tmp, cacheFiles()[0]!);
      // private to the user
      expect(fs.statSync(path.dirname(file)).mode & 0o077).toBe(0);
      fs.writeFileSync(file, Buffer.alloc(4096, 7));
      expect(lintA(env)).toEqual(first);
      expect(fs.readFileSync(file).equals(Buffer.alloc(4096, 7))).toBe(false);
      expect(lintA(env)).toEqual(first);
    }
  });

  test('two checkouts of the same bundle keep separate caches (stack traces name their own bundle)', () => {
    // a second checkout: the same bin and bundle, byte for byte, at another path
    const pkg = tmpdir('k8s-gold-checkout-');
    fs.mkdirSync(path.join(pkg, 'bin'));
    fs.mkdirSync(path.join(pkg, 'dist'));
    fs.copyFileSync(BIN, path.join(pkg, 'bin', 'k8s-gold.js'));
    fs.copyFileSync(BUNDLE, path.join(pkg, 'dist', 'k8s-gold.cjs'));
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
    for (const d of ['dist/src', 'dist/rules', 'node_modules', 'schemas', 'src'])
      fs.symlinkSync(path.join(ROOT, d), path.join(pkg, d), 'dir');
    const tmp = tmpdir('k8s-gold-jscache-');
    const env = { TMPDIR: tmp, NODE_COMPILE_CACHE: '' };
    const here = lintA(env);
    const there = node([path.join(pkg, 'bin', 'k8s-gold.js'), 'lint', '--no-config', '-f', 'json', 'm'], { cwd: dir, env });
    expect(there.stderr).toBe('');
    expect(there.stdout).toBe(here.stdout);
    const nodeHasCompileCache = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';
    // Node's own compile cache keys entries by the module's path; ours must too
    if (nodeHasCompileCache) return;
    const files = fs
      .readdirSync(tmp, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.jscache'));
    expect(files).toHaveLength(2);
    // each checkout reuses its own entry: a third run of either writes nothing new
    lintA(env);
    expect(
      fs
        .readdirSync(tmp, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.jscache')),
    ).toHaveLength(2);
  });

  test('a cache directory others can write to is not used', () => {
    const tmp = tmpdir('k8s-gold-jscache-');
    const uid = process.getuid?.() ?? os().userInfo().username;
    const shared = path.join(tmp, `k8s-gold-cache-${uid}`);
    fs.mkdirSync(shared);
    fs.chmodSync(shared, 0o777);
    const r = lintA({ TMPDIR: tmp, NODE_COMPILE_CACHE: '' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(fs.readdirSync(shared)).toEqual([]);
  });
});

function os(): typeof import('node:os') {
  return require('node:os') as typeof import('node:os');
}

describe('lazy @kubernetes-models/validate', () => {
  // in a child process: jest has its own module registry, the CLI uses Node's
  const script = (body: string) => node(['-e', body]);

  test('its formats are, key by key, those of the package', () => {
    const r = script(`
      const path = require('node:path');
      const Module = require('node:module');
      const { installLazyValidate, DRAFT2019_FORMATS } = require('./dist/src/schema/lazy-formats.js');
      const models = path.dirname(require.resolve('kubernetes-models/package.json'));
      installLazyValidate(models);
      const req = Module.createRequire(path.join(models, 'package.json'));
      const index = req.resolve('@kubernetes-models/validate');
      const lazy = req('@kubernetes-models/validate');
      const loaded = () => Object.keys(require.cache).filter((f) => /ajv-i18n|ajv-formats-draft2019/.test(f)).length;
      const before = loaded();
      const lazyKeys = Object.keys(lazy.formats).sort();
      const used = ['int32', 'int64', 'double', 'date-time', 'byte', 'quantity'].map((k) => lazy.formats[k]);
      const afterUsed = loaded();
      // the package's own, loaded afresh (dist/formats.js is not kept in the cache by the shim)
      const real = Module.createRequire(index)('./formats.js').formats;
      const draft = Module.createRequire(path.join(path.dirname(index), 'formats.js'))('ajv-formats-draft2019/formats/index.js');
      const same = (a, b) => a === b || (a instanceof RegExp && b instanceof RegExp && a.source === b.source) || (typeof a === 'object' && typeof b === 'object' && a.type === b.type && String(a.validate) === String(b.validate)) || (typeof a === 'function' && String(a) === String(b));
      const differ = Object.keys(real).filter((k) => !same(lazy.formats[k], real[k]));
      console.log(JSON.stringify({ before, afterUsed, lazyKeys, realKeys: Object.keys(real).sort(), draftKeys: Object.keys(draft), listed: DRAFT2019_FORMATS, differ, used: used.every(Boolean), run: typeof lazy.runValidateFunc }));
    `);
    expect(r.stderr).toBe('');
    const o = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(o.before).toBe(0);
    expect(o.afterUsed).toBe(0);
    expect(o.used).toBe(true);
    expect(o.lazyKeys).toEqual(o.realKeys);
    expect(o.draftKeys).toEqual(o.listed);
    // one deliberate difference: byte reads base64 as the API server does, skipping line breaks (src/schema/base64.ts)
    expect(o.differ).toEqual(['byte']);
    expect(o.run).toBe('function');
  });

  test('a lint of built-in kinds does not load ajv-i18n or the draft-2019 formats, and still validates', () => {
    const dir = writeTree({
      'a.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {a: 1}\ndata:\n  k: v\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: "2"\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      containers: [{name: d, image: "d:1", resources: {limits: {memory: 12XB}}}]\n',
    });
    // (declared first: the CLI may write before run() returns its promise; json is streamed)
    const r = script(`
      let out = '';
      require('./dist/src/cli.js').run(['lint', '--no-config', '-f', 'json', ${JSON.stringify(path.join(dir, 'a.yaml'))}], { stdout: (s) => { out += s; }, stderr: (s) => process.stderr.write(s), readStdin: async () => '', cwd: process.cwd(), env: {}, isTTY: false }).then(() => {
        const heavy = Object.keys(require.cache).filter((f) => /ajv-i18n|ajv-formats-draft2019/.test(f));
        console.log(JSON.stringify({ heavy, messages: JSON.parse(out)[0].messages.filter((m) => m.ruleId === 'schema').map((m) => m.line) }));
      });
    `);
    expect(r.stderr).toBe('');
    const o = JSON.parse(r.stdout) as { heavy: string[]; messages: number[] };
    expect(o.heavy).toEqual([]);
    // labels value 1 (not a string), replicas "2" (not an integer), memory 12XB (not a quantity)
    expect(o.messages).toEqual([5, 13, 18]);
  });
});
