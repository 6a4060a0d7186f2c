/**
 * The warm path of `lint --cache` (src/cli-warm.ts, dist/k8s-gold-warm.cjs, tried first by bin/k8s-gold.js): it
 * replays the previous output only when nothing that decides it changed. Each test records a run through the built
 * CLI, then marks the recorded output (so that a replay is visible), changes one thing and checks that the next run
 * prints what a run without the cache prints, and that the warm path itself declines (`warmHit`).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTrailer } from '../src/engine/cache-replay';
import { stampNumbers } from '../src/engine/warm-key';
import { statStamp } from '../src/util/stamp';
import { ROOT, writeTree } from './helpers';

const BIN = path.join(ROOT, 'bin', 'k8s-gold.js');
const WARM = path.join(ROOT, 'dist', 'k8s-gold-warm.cjs');

interface WarmModule {
  warmHit: (io: { argv: string[]; cwd: string; env: NodeJS.ProcessEnv; isTTY: boolean }) => { fd: number } | undefined;
}

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx
`;
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  x: "1"\n';

/** A fixed environment: the one the spawned CLI and warmHit see. */
const baseEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' };
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  return env;
};

function node(argv: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd, env, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let warm: WarmModule;
beforeAll(() => {
  // npm run build makes it
  expect(fs.existsSync(WARM)).toBe(true);
  warm = require(WARM) as WarmModule;
});

/** Whether the warm path would replay this command (it reads only). */
function warmHits(argv: string[], cwd: string, env: NodeJS.ProcessEnv, isTTY = false): boolean {
  const hit = warm.warmHit({ argv, cwd, env, isTTY });
  if (hit) fs.closeSync(hit.fd);
  return hit !== undefined;
}

/**
 * Marks the recorded output in `<cache>.out` (same byte length), so that a replay is visible: "suppressed" in the
 * stylish summary line, "ruleId" in JSON and the annotations' "title=k8s-gold" become upper case. (Not the stylish text of a file, which a later run
 * with changed inputs copies from there for an unchanged file: report-blocks.ts.)
 */
function mark(out: string): void {
  const raw = fs.readFileSync(out);
  const len = Number(raw.subarray(raw.length - 10).toString());
  const body = raw.subarray(0, raw.length - 10 - len).toString('latin1');
  expect(body).toMatch(/suppressed|"ruleId"|title=k8s-gold/);
  const marked = body
    .replace(/suppressed/g, 'SUPPRESSED')
    .replace(/"ruleId"/g, '"RULEID"')
    .replace(/title=k8s-gold/g, 'title=K8S-GOLD');
  fs.writeFileSync(out, Buffer.concat([Buffer.from(marked, 'latin1'), raw.subarray(raw.length - 10 - len)]));
}
const MARKED = /SUPPRESSED|RULEID|K8S-GOLD/;
const marked = (s: string): string =>
  s
    .replace(/suppressed/g, 'SUPPRESSED')
    .replace(/"ruleId"/g, '"RULEID"')
    .replace(/title=k8s-gold/g, 'title=K8S-GOLD');

/**
 * A tree linted twice with the cache (the second run, a replay, makes the warm record usable: the first wrote
 * the cache into the directory it walks), then marked; returns what a run prints now and without the cache.
 */
function setup(argv = ['lint', '--cache', '.'], files: Record<string, string> = { 'deploy/web.yaml': DEPLOY, 'deploy/cm.yaml': CM }) {
  const dir = writeTree(files);
  const env = baseEnv();
  const first = node(argv, dir, env);
  expect([0, 1]).toContain(first.code);
  node(argv, dir, env);
  expect(warmHits(argv, dir, env)).toBe(true);
  mark(path.join(dir, '.k8s-gold-cache.out'));
  return { dir, env, argv, first };
}

/** The next run must be a fresh one: the same as without the cache, and the warm path declines. */
function expectFresh(argv: string[], dir: string, env: NodeJS.ProcessEnv, isTTY = false): void {
  expect(warmHits(argv, dir, env, isTTY)).toBe(false);
  const withCache = node(argv, dir, env);
  const loc = argv.indexOf('--cache-location');
  const without = node(
    argv.filter((a, i) => a !== '--cache' && (loc < 0 || (i !== loc && i !== loc + 1))),
    dir,
    env,
  );
  expect(withCache.stdout).not.toMatch(MARKED);
  expect(withCache).toEqual(without);
}

describe('warm path', () => {
  test('replays the recorded output, byte for byte, with its exit code, on an unchanged tree', () => {
    const { dir, env, argv, first } = setup();
    const again = node(argv, dir, env);
    expect(again.code).toBe(first.code);
    expect(again.stdout).toBe(marked(first.stdout));
    expect(again.stdout).toMatch(MARKED);
    expect(again.stderr).toBe(first.stderr);
  });

  test("a replay ends the process with its exit code, after the 'exit' listeners ran (a preloaded module's)", () => {
    const { dir, env, argv, first } = setup();
    // outside the tree: a file added to it would change its directory's stamp
    const aside = writeTree({});
    const preload = path.join(aside, 'on-exit.cjs');
    const marker = path.join(aside, 'exited.txt');
    fs.writeFileSync(preload, `process.on('exit', (c) => require('node:fs').writeFileSync(${JSON.stringify(marker)}, String(c)));`);
    expect(warmHits(argv, dir, env)).toBe(true);
    const r = spawnSync(process.execPath, ['-r', preload, BIN, ...argv], { cwd: dir, env, encoding: 'utf8' });
    expect(r.stdout).toBe(marked(first.stdout));
    expect(r.status).toBe(first.code);
    expect(fs.readFileSync(marker, 'utf8')).toBe(String(first.code));
  });

  test('a changed file of the same size is linted afresh', () => {
    const { dir, env, argv } = setup();
    fs.writeFileSync(path.join(dir, 'deploy/web.yaml'), DEPLOY.replace('nginx', 'nginz'));
    expectFresh(argv, dir, env);
  });

  test('an added file is linted afresh', () => {
    const { dir, env, argv } = setup();
    fs.writeFileSync(path.join(dir, 'deploy/more.yaml'), DEPLOY.replace(/web/g, 'api'));
    expectFresh(argv, dir, env);
  });

  test('an added file in a new subdirectory is linted afresh', () => {
    const { dir, env, argv } = setup();
    fs.mkdirSync(path.join(dir, 'deploy/sub'));
    fs.writeFileSync(path.join(dir, 'deploy/sub/more.yaml'), DEPLOY.replace(/web/g, 'api'));
    expectFresh(argv, dir, env);
  });

  test('a deleted file is linted afresh', () => {
    const { dir, env, argv } = setup();
    fs.unlinkSync(path.join(dir, 'deploy/cm.yaml'));
    expectFresh(argv, dir, env);
  });

  test('a new or changed config file is used', () => {
    const { dir, env, argv } = setup();
    fs.writeFileSync(path.join(dir, '.k8s-gold.yaml'), 'rules:\n  image-tag: off\n');
    expectFresh(argv, dir, env);
    node(argv, dir, env);
    node(argv, dir, env);
    expect(warmHits(argv, dir, env)).toBe(true);
    fs.writeFileSync(path.join(dir, '.k8s-gold.yaml'), 'rules:\n  image-tag: error\n');
    expectFresh(argv, dir, env);
  });

  test('a config file above the working directory is used', () => {
    const { dir, env } = setup(['lint', '--cache', '.'], { 'app/deploy/web.yaml': DEPLOY });
    const app = path.join(dir, 'app');
    const argv = ['lint', '--cache', '.'];
    node(argv, app, env);
    node(argv, app, env);
    expect(warmHits(argv, app, env)).toBe(true);
    fs.writeFileSync(path.join(dir, '.k8s-gold.yaml'), 'rules:\n  image-tag: off\n');
    expectFresh(argv, app, env);
  });

  test('other arguments, another format or another working directory are not replayed', () => {
    const dir = writeTree({ 'deploy/web.yaml': DEPLOY, 'deploy/cm.yaml': CM });
    const env = baseEnv();
    // absolute paths: the same words find the same cache and files from another directory
    const argv = ['lint', '--cache', '--cache-location', path.join(dir, 'c'), path.join(dir, 'deploy')];
    node(argv, dir, env);
    expect(warmHits(argv, dir, env)).toBe(true);
    mark(path.join(dir, 'c.out'));
    // where the report's paths are relative to
    expectFresh(argv, path.join(dir, 'deploy'), env);
    node(argv, dir, env);
    expect(warmHits(argv, dir, env)).toBe(true);
    mark(path.join(dir, 'c.out'));
    for (const extra of [['--quiet'], ['-f', 'json'], ['--max-warnings', '0'], ['--rule', 'image-tag=off']]) {
      const other = [...argv.slice(0, 2), ...extra, ...argv.slice(2)];
      expectFresh(other, dir, env);
      // and back: the last run recorded its own output
      expectFresh(argv, dir, env);
      expect(warmHits(argv, dir, env)).toBe(true);
      mark(path.join(dir, 'c.out'));
    }
  });

  test('colour: the environment and the terminal decide', () => {
    const { dir, env, argv } = setup();
    const { NO_COLOR: _, ...plain } = env;
    expectFresh(argv, dir, { ...plain, FORCE_COLOR: '1' });
    expect(node(argv, dir, { ...plain, FORCE_COLOR: '1' }).stdout).toContain('\u001b[');
    // stdout a terminal, without NO_COLOR: coloured
    expect(warmHits(argv, dir, plain, false)).toBe(false);
    node(argv, dir, plain);
    node(argv, dir, plain);
    expect(warmHits(argv, dir, plain, false)).toBe(true);
    expect(warmHits(argv, dir, plain, true)).toBe(false);
    expect(warmHits(argv, dir, { ...plain, GITHUB_ACTIONS: 'true' })).toBe(false);
    expect(warmHits(argv, dir, { ...plain, GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md') })).toBe(false);
  });

  test('a kustomization or a chart appearing is rendered', () => {
    const { dir, env, argv } = setup();
    // no extension: not a manifest name, so the directory walk passes over it; the render plan does not
    fs.writeFileSync(path.join(dir, 'deploy/Kustomization'), 'resources:\n  - web.yaml\n  - cm.yaml\n');
    expect(warmHits(argv, dir, env)).toBe(false);
    // a chart above the directory walked (not listed by the walk; asked about by discovery)
    const deploy = ['lint', '--cache', 'deploy'];
    const other = setup(deploy);
    fs.writeFileSync(path.join(other.dir, 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 0.1.0\n');
    expect(warmHits(deploy, other.dir, other.env)).toBe(false);
  });

  test('a repository root appearing above is seen (annotation and SARIF paths are relative to it)', () => {
    // (github, not SARIF: SARIF made from cached results lacks the line/column of fix regions, as on main)
    const argv = ['lint', '--cache', '-f', 'github', 'deploy'];
    const dir = writeTree({ 'app/deploy/web.yaml': DEPLOY });
    const app = path.join(dir, 'app');
    const env = baseEnv();
    node(argv, app, env);
    expect(warmHits(argv, app, env)).toBe(true);
    mark(path.join(app, '.k8s-gold-cache.out'));
    fs.mkdirSync(path.join(dir, '.git'));
    expectFresh(argv, app, env);
    // the paths did change: app/deploy/web.yaml from the new root
    expect(node(argv, app, env).stdout).toContain('file=app/deploy/web.yaml,');
  });

  test('a symlinked directory whose target changes is walked afresh', () => {
    const dir = writeTree({ 'a/web.yaml': DEPLOY, 'b/cm.yaml': CM });
    const env = baseEnv();
    fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'linked'));
    const argv = ['lint', '--cache', 'linked'];
    node(argv, dir, env);
    expect(warmHits(argv, dir, env)).toBe(true);
    mark(path.join(dir, '.k8s-gold-cache.out'));
    fs.unlinkSync(path.join(dir, 'linked'));
    fs.symlinkSync(path.join(dir, 'b'), path.join(dir, 'linked'));
    expectFresh(argv, dir, env);
  });

  test('files named explicitly, and --cache-location, are handled', () => {
    // a file named on the command line (its kustomizations are found by a walk of the whole tree): never warm
    const named = ['lint', '--cache', 'deploy/web.yaml'];
    const dir = writeTree({ 'deploy/web.yaml': DEPLOY });
    const env = baseEnv();
    node(named, dir, env);
    node(named, dir, env);
    expect(warmHits(named, dir, env)).toBe(false);
    // a cache outside the tree: warm from the second run on
    const loc = ['lint', '--cache', '--cache-location', path.join(dir, '..', `${path.basename(dir)}-c`), 'deploy'];
    const r1 = node(loc, dir, env);
    expect(warmHits(loc, dir, env)).toBe(true);
    expect(node(loc, dir, env)).toEqual(r1);
  });

  test('output files are written again by a replay', () => {
    const argv = ['lint', '--cache', '-o', 'json=out/report.json', 'deploy'];
    const { dir, env } = setup(argv);
    const report = path.join(dir, 'out/report.json');
    const before = fs.readFileSync(report, 'utf8');
    fs.rmSync(path.join(dir, 'out'), { recursive: true });
    expect(warmHits(argv, dir, env)).toBe(true);
    node(argv, dir, env);
    expect(fs.readFileSync(report, 'utf8')).toBe(marked(before));
    expect(before).not.toBe(marked(before));
  });

  test('a file stamp converts to the numbers of a plain stat, before 1970 and with any nanoseconds too', () => {
    const dir = writeTree({ 'a.yaml': CM, 'b.yaml': DEPLOY, 'c.yaml': CM });
    // times with sub-millisecond parts, before the epoch, and now
    fs.utimesSync(path.join(dir, 'a.yaml'), 1.5e9 + 0.123456789, 1.5e9 + 0.987654321);
    fs.utimesSync(path.join(dir, 'b.yaml'), -12345.6789, -1.25);
    for (const f of ['a.yaml', 'b.yaml', 'c.yaml', '.', '..'].map((f) => path.join(dir, f))) {
      const stamp = statStamp(f)!;
      const st = fs.statSync(f);
      expect(statStamp(f)).toBe(stamp);
      expect(stampNumbers(stamp)).toEqual([st.size, st.mtimeMs, st.ctimeMs, st.ino, st.dev]);
    }
    expect(stampNumbers('1:2:3:4')).toBeUndefined();
    expect(stampNumbers('1:2:3:4:x')).toBeUndefined();
  });

  test('the stylish blocks stay in the replay file when the warm record is rewritten, and the warm path reads past them', () => {
    const dir = writeTree({ 'deploy/web.yaml': DEPLOY, 'deploy/cm.yaml': CM });
    const env = baseEnv();
    const argv = ['lint', '--cache', '.'];
    const out = path.join(dir, '.k8s-gold-cache.out');
    const trailerOf = (blocks = true) => {
      const fd = fs.openSync(out, 'r');
      try {
        return readTrailer(fd, blocks);
      } finally {
        fs.closeSync(fd);
      }
    };
    node(argv, dir, env);
    const recorded = trailerOf();
    expect(recorded.t.blocks?.map((b) => b[0])).toEqual(['deploy/web.yaml']);
    // the second run replays through the full CLI and puts its warm record into the trailer (rewriteTrailer)
    node(argv, dir, env);
    expect(warmHits(argv, dir, env)).toBe(true);
    {
      const full = trailerOf();
      expect(full.t.warm).toBeDefined();
      expect(full.t.warm).not.toEqual(recorded.t.warm);
      expect(full.t.blocks).toEqual(recorded.t.blocks);
      expect(full.bodyEnd).toBe(recorded.bodyEnd);
      const lean = trailerOf(false);
      expect(lean.t.blocks).toBeUndefined();
      expect(lean.bodyEnd).toBe(full.bodyEnd);
      expect(lean.t.pieces).toEqual(full.t.pieces);
      expect(lean.t.warm).toEqual(full.t.warm);
    }
  });
});
