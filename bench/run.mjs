#!/usr/bin/env node
// k8s-gold benchmark: ratios measured in the same run on this machine (see docs/performance.md).
//   npm run bench [-- --resources 5000 --runs 5 --json]
// The shared material (corpus generator, real-world corpus) is found at ../shared relative to the
// repository root, or at $K8S_GOLD_SHARED.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const shared = process.env.K8S_GOLD_SHARED ? path.resolve(process.env.K8S_GOLD_SHARED) : path.resolve(repoRoot, '../shared');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const resources = Number(opt('resources', '5000'));
const runs = Number(opt('runs', '5'));
const asJson = args.includes('--json');

const bin = path.join(repoRoot, 'bin', 'k8s-gold.js');
const parseOnly = path.join(here, 'parse-only.cjs');
const rusage = path.join(here, 'rusage.cjs');
if (!fs.existsSync(path.join(repoRoot, 'dist', 'src', 'cli.js'))) {
  console.error('dist/ is missing: run npm run build first');
  process.exit(2);
}
const gen = path.join(shared, 'bench', 'gen-corpus.mjs');
if (!fs.existsSync(gen)) {
  console.error(`corpus generator not found at ${gen}; set K8S_GOLD_SHARED to the shared folder`);
  process.exit(2);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-gold-bench-'));
const corpus = path.join(work, 'corpus');
const g = spawnSync(process.execPath, [gen, '--out', corpus, '--resources', String(resources)], { encoding: 'utf8' });
if (g.status !== 0) {
  console.error(g.stderr);
  process.exit(2);
}
const realworld = path.join(shared, 'corpus', 'realworld');

/** Runs a node process once; wall time in ms, and CPU/peak RSS of the whole process (all threads). */
function measure(nodeArgs, { cwd = work, env = {} } = {}) {
  const ru = path.join(work, `rusage-${process.pid}.json`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', rusage, ...nodeArgs], { cwd, env: { ...process.env, K8S_GOLD_RUSAGE: ru, ...env }, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${nodeArgs.join(' ')} exited ${r.status}: ${r.stderr}`);
  const u = JSON.parse(fs.readFileSync(ru, 'utf8'));
  return { wallMs, cpuMs: u.cpuMs, maxRssMb: u.maxRssKb / 1024, status: r.status };
}
function nodeE0() {
  const t0 = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0']);
  return { wallMs: Number(process.hrtime.bigint() - t0) / 1e6 };
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Interleaves the measured commands so that machine noise hits them alike; medians per command. */
function compare(n, fns) {
  const samples = fns.map(() => []);
  for (let i = 0; i < n; i++) fns.forEach((f, k) => samples[k].push(f()));
  return samples.map((s) => ({ wallMs: median(s.map((x) => x.wallMs)), cpuMs: s[0].cpuMs === undefined ? undefined : median(s.map((x) => x.cpuMs)), maxRssMb: s[0].maxRssMb === undefined ? undefined : Math.max(...s.map((x) => x.maxRssMb)) }));
}

const lintArgs = (target, extra = []) => [bin, 'lint', '--no-config', ...extra, target];
const out = { machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` }, corpus: { resources, files: 0 }, results: {} };
out.corpus.files = fs.readdirSync(corpus, { recursive: true }).filter((f) => /\.(ya?ml|json)$/.test(String(f))).length;

// 1. cold full lint vs parse-only, synthetic corpus and real-world corpus
const [cold, base, single] = compare(runs, [() => measure(lintArgs(corpus)), () => measure([parseOnly, corpus]), () => measure(lintArgs(corpus), { env: { K8S_GOLD_WORKERS: String(Math.max(1, os.cpus().length - 1)) } })]);
out.results.cold = { lint: cold, parseOnly: base, ratio: cold.wallMs / base.wallMs, cpuPerResourceMs: cold.cpuMs / resources, withWorkers: single, workersRatio: single.wallMs / base.wallMs };
if (fs.existsSync(realworld)) {
  const [rw, rwBase] = compare(runs, [() => measure(lintArgs(realworld)), () => measure([parseOnly, realworld])]);
  out.results.realworld = { lint: rw, parseOnly: rwBase, ratio: rw.wallMs / rwBase.wallMs };
}

// share of the input read by the fast reader (the rest goes to the yaml parser)
const coverage = (target) => JSON.parse(spawnSync(process.execPath, [path.join(here, 'fast-coverage.cjs'), target], { encoding: 'utf8' }).stdout);
out.results.fastReader = { synthetic: coverage(corpus), realworld: fs.existsSync(realworld) ? coverage(realworld) : undefined };

// 2. one small file vs node -e 0
const small = path.join(work, 'small');
fs.mkdirSync(small);
fs.copyFileSync(path.join(corpus, fs.readdirSync(corpus, { recursive: true }).map(String).find((f) => f.endsWith('.yaml'))), path.join(small, 'one.yaml'));
const [one, e0] = compare(Math.max(runs * 3, 10), [() => measure(lintArgs(path.join(small, 'one.yaml'))), nodeE0]);
out.results.smallFile = { lint: one, nodeE0: e0, ratio: one.wallMs / e0.wallMs };

// 3. warm --cache vs cold
const cacheFile = path.join(work, 'cache.json');
measure(lintArgs(corpus, ['--cache', '--cache-location', cacheFile]));
const [warm] = compare(runs, [() => measure(lintArgs(corpus, ['--cache', '--cache-location', cacheFile]))]);
out.results.warmCache = { lint: warm, cold: cold, ratio: warm.wallMs / cold.wallMs };

// 4. peak memory of the cold lint
out.results.peakRssMb = cold.maxRssMb;

fs.rmSync(work, { recursive: true, force: true });
if (asJson) {
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
} else {
  const f = (x) => x.toFixed(0);
  const r = out.results;
  const lines = [
    `machine: ${out.machine.cpus} × ${out.machine.model}, ${out.machine.memGb} GB, node ${out.machine.node}, ${out.machine.platform}`,
    `corpus: ${resources} resources in ${out.corpus.files} files (medians of ${runs} runs)`,
    '',
    `1. cold lint ${f(r.cold.lint.wallMs)} ms vs parse-only ${f(r.cold.parseOnly.wallMs)} ms: ${r.cold.ratio.toFixed(2)}× (target <= 0.5×)`,
    `   with worker threads (K8S_GOLD_WORKERS=${Math.max(1, os.cpus().length - 1)}): ${f(r.cold.withWorkers.wallMs)} ms: ${r.cold.workersRatio.toFixed(2)}×; peak RSS ${f(r.cold.withWorkers.maxRssMb)} MB`,
    `   CPU ${f(r.cold.lint.cpuMs)} ms = ${r.cold.cpuPerResourceMs.toFixed(3)} ms per resource (kubeconform: 0.76 ms)`,
    r.realworld ? `   real-world corpus: lint ${f(r.realworld.lint.wallMs)} ms vs parse-only ${f(r.realworld.parseOnly.wallMs)} ms: ${r.realworld.ratio.toFixed(2)}×` : '   real-world corpus: not found',
    `   fast reader: ${r.fastReader.synthetic.fast} of ${r.fastReader.synthetic.files} synthetic files` + (r.fastReader.realworld ? `, ${r.fastReader.realworld.fast} of ${r.fastReader.realworld.files} real-world files (${((100 * r.fastReader.realworld.fastBytes) / r.fastReader.realworld.bytes).toFixed(0)}% of the bytes)` : ''),
    `2. one small file ${f(r.smallFile.lint.wallMs)} ms vs node -e 0 ${f(r.smallFile.nodeE0.wallMs)} ms: ${r.smallFile.ratio.toFixed(2)}× (target <= 2.5×)`,
    `3. warm --cache ${f(r.warmCache.lint.wallMs)} ms vs cold ${f(r.cold.lint.wallMs)} ms: ${r.warmCache.ratio.toFixed(3)}× (target <= 0.1×)`,
    `4. peak RSS of the cold lint: ${f(r.peakRssMb)} MB (target < 300 MB)`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
