#!/usr/bin/env node
// k8s-gold benchmark: ratios measured in the same run on this machine (see docs/performance.md).
//   npm run bench [-- --runs 3 --skip-20k --json]
// Every ratio compares commands run interleaved (A, B, A, B, ...), so that machine noise hits them alike.
// The shared material (corpus generator, real-world corpus) is found at ../shared relative to the
// repository root, or at $K8S_GOLD_SHARED; the CRD-heavy tree and the policy set come from bench/generate.mjs.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCrdSet, writePolicySet } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const shared = process.env.K8S_GOLD_SHARED ? path.resolve(process.env.K8S_GOLD_SHARED) : path.resolve(repoRoot, '../shared');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const resources = Number(opt('resources', '5000'));
const large = Number(opt('large', '20000'));
const runs = Number(opt('runs', '5'));
const asJson = args.includes('--json');
/** --skip-20k (or --quick): leave out the large corpus (cold/parse and peak RSS at 20,000 resources) */
const skipLarge = args.includes('--skip-20k') || args.includes('--quick');
const FORMATS = ['stylish', 'json', 'sarif', 'github', 'junit'];
const TARGET = { cold: 0.5, warm: 0.1, changed: 0.15, small: 2.5, rssMb: 300, crd: 2, allRules: 1.1 };

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
function generate(n) {
  const dir = path.join(work, `corpus-${n}`);
  const g = spawnSync(process.execPath, [gen, '--out', dir, '--resources', String(n)], { encoding: 'utf8' });
  if (g.status !== 0) {
    console.error(g.stderr);
    process.exit(2);
  }
  return dir;
}
const corpus = generate(resources);
const corpusLarge = skipLarge ? undefined : generate(large);
const crdSet = writeCrdSet(path.join(work, 'crd-heavy'));
writePolicySet(path.join(work, 'policies'));
const realworld = path.join(shared, 'corpus', 'realworld');

/** Runs a node process once; wall time in ms, and CPU/peak RSS of the whole process (all threads). Output goes to a file, not through a pipe into this process. */
function measure(nodeArgs, { cwd = work, env = {} } = {}) {
  const ru = path.join(work, `rusage-${process.pid}.json`);
  const outFd = fs.openSync(path.join(work, 'stdout.txt'), 'w');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', rusage, ...nodeArgs], {
    cwd,
    env: { ...process.env, K8S_GOLD_RUSAGE: ru, ...env },
    encoding: 'utf8',
    stdio: ['ignore', outFd, 'pipe'],
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  fs.closeSync(outFd);
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
/** Interleaves the measured commands so that machine noise hits them alike; medians per command (peak RSS: the largest). */
function compare(n, fns) {
  const samples = fns.map(() => []);
  for (let i = 0; i < n; i++) fns.forEach((f, k) => samples[k].push(f()));
  return samples.map((s) => ({
    wallMs: median(s.map((x) => x.wallMs)),
    cpuMs: s[0].cpuMs === undefined ? undefined : median(s.map((x) => x.cpuMs)),
    maxRssMb: s[0].maxRssMb === undefined ? undefined : Math.max(...s.map((x) => x.maxRssMb)),
    samples: s.map((x) => Math.round(x.wallMs)),
  }));
}

const lintArgs = (target, extra = []) => [bin, 'lint', '--no-config', ...extra, target];
const filesOf = (dir) =>
  fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();
const out = {
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    memGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
  },
  corpus: {
    resources,
    files: filesOf(corpus).length,
    large: skipLarge ? undefined : { resources: large, files: filesOf(corpusLarge).length },
    crdHeavy: crdSet,
  },
  runs,
  results: {},
};

// 1. at 5,000 resources, interleaved: cold lint, parse-only, warm --cache, one changed file with --cache, 50 policies
const warmCache = path.join(work, 'warm.cache');
const changedCache = path.join(work, 'changed.cache');
measure(lintArgs(corpus, ['--cache', '--cache-location', warmCache]));
// the changed-file runs edit a copy of the corpus, so that the warm runs stay warm
const changedCorpus = path.join(work, 'corpus-changed');
fs.cpSync(corpus, changedCorpus, { recursive: true });
measure(lintArgs(changedCorpus, ['--cache', '--cache-location', changedCache]));
// one file of the 500 changes before each run (a comment line that differs every time), then --cache re-lints
const changedFile = path.join(changedCorpus, filesOf(changedCorpus)[Math.floor(filesOf(changedCorpus).length / 2)]);
const changedOriginal = fs.readFileSync(changedFile, 'utf8');
let edits = 0;
const changedRun = () => {
  fs.writeFileSync(changedFile, `${changedOriginal}# bench edit ${++edits}\n`);
  return measure(lintArgs(changedCorpus, ['--cache', '--cache-location', changedCache]));
};
const policiesArgs = ['--context', path.join(work, 'policies')];
const group1 = [
  () => measure(lintArgs(corpus)),
  () => measure([parseOnly, corpus]),
  () => measure(lintArgs(corpus, ['--cache', '--cache-location', warmCache])),
  changedRun,
  () => measure(lintArgs(corpus, policiesArgs)),
];
const [cold, base, warm, changed, policies] = compare(runs, group1);
fs.writeFileSync(changedFile, changedOriginal);
out.results.cold = { lint: cold, parseOnly: base, ratio: cold.wallMs / base.wallMs, cpuPerResourceMs: cold.cpuMs / resources };
out.results.warmCache = { lint: warm, ratio: warm.wallMs / cold.wallMs };
out.results.oneChangedFile = { lint: changed, ratio: changed.wallMs / cold.wallMs };
out.results.policies = {
  lint: policies,
  ratio: policies.wallMs / cold.wallMs,
  addedMs: policies.wallMs - cold.wallMs,
  addedCpuMs: policies.cpuMs - cold.cpuMs,
};

// 2. at 20,000 resources: cold lint vs parse-only, to see that the ratio does not grow with the input
if (corpusLarge) {
  const [coldL, baseL] = compare(runs, [() => measure(lintArgs(corpusLarge)), () => measure([parseOnly, corpusLarge])]);
  out.results.coldLarge = { lint: coldL, parseOnly: baseL, ratio: coldL.wallMs / baseL.wallMs, cpuPerResourceMs: coldL.cpuMs / large };
}
if (fs.existsSync(realworld)) {
  const [rw, rwBase] = compare(runs, [() => measure(lintArgs(realworld)), () => measure([parseOnly, realworld])]);
  out.results.realworld = { lint: rw, parseOnly: rwBase, ratio: rw.wallMs / rwBase.wallMs };
}

// share of the input read by the fast reader (the rest goes to the yaml parser)
const coverage = (target) =>
  JSON.parse(spawnSync(process.execPath, [path.join(here, 'fast-coverage.cjs'), target], { encoding: 'utf8' }).stdout);
out.results.fastReader = { synthetic: coverage(corpus), realworld: fs.existsSync(realworld) ? coverage(realworld) : undefined };

// 3. one small file vs node -e 0
const small = path.join(work, 'small');
fs.mkdirSync(small);
fs.copyFileSync(path.join(corpus, filesOf(corpus)[0]), path.join(small, 'one.yaml'));
const [one, e0] = compare(Math.max(runs * 3, 10), [() => measure(lintArgs(path.join(small, 'one.yaml'))), nodeE0]);
out.results.smallFile = { lint: one, nodeE0: e0, ratio: one.wallMs / e0.wallMs };

// 4. CRD-heavy input: custom resources with their CRDs (--crd) vs the same resources without them
const crdDir = path.join(work, 'crd-heavy');
const [noCrd, withCrd] = compare(runs, [
  () => measure(lintArgs(path.join(crdDir, 'resources'))),
  () => measure(lintArgs(path.join(crdDir, 'resources'), ['--crd', path.join(crdDir, 'crds')])),
]);
out.results.crdHeavy = { without: noCrd, with: withCrd, ratio: withCrd.wallMs / noCrd.wallMs };

// 8. every rule on (`extends: all`) vs the default rules (`extends: recommended`), cold, per output format:
// both runs read a config file, so that the ratio is the cost of the rules and their findings alone
const allRulesFormats = ['stylish', 'json'];
const recommendedConfig = path.join(work, 'recommended.yaml');
const allConfig = path.join(work, 'all.yaml');
fs.writeFileSync(recommendedConfig, 'extends: recommended\n');
fs.writeFileSync(allConfig, 'extends: all\n');
out.results.allRules = {};
for (const format of allRulesFormats) {
  const withConfig = (config) => () => measure([bin, 'lint', '--config', config, '--format', format, corpus]);
  const [def, all] = compare(runs, [withConfig(recommendedConfig), withConfig(allConfig)]);
  out.results.allRules[format] = { default: def, all, ratio: all.wallMs / def.wallMs, cpuRatio: all.cpuMs / def.cpuMs };
}

// 5. peak RSS per output format (one run each; stylish at 5,000 is the largest of the cold runs above)
out.results.peakRssMb = {};
for (const [n, dir] of [[resources, corpus], ...(corpusLarge ? [[large, corpusLarge]] : [])]) {
  const row = {};
  for (const f of FORMATS) row[f] = f === 'stylish' && n === resources ? cold.maxRssMb : measure(lintArgs(dir, ['--format', f])).maxRssMb;
  out.results.peakRssMb[n] = row;
}

fs.rmSync(work, { recursive: true, force: true });
if (asJson) {
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
} else {
  const f = (x) => x.toFixed(0);
  const r = out.results;
  const met = (ok) => (ok ? 'met' : 'NOT met');
  const rssMax = Math.max(...Object.values(r.peakRssMb).flatMap((row) => Object.values(row)));
  const lines = [
    `machine: ${out.machine.cpus} × ${out.machine.model}, ${out.machine.memGb} GB, node ${out.machine.node}, ${out.machine.platform}; load average at the start ${out.machine.loadavg.join(', ')}, at the end ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')}`,
    `corpus: ${resources} resources in ${out.corpus.files} files` +
      (out.corpus.large ? `, ${large} resources in ${out.corpus.large.files} files` : '') +
      ` (medians of ${runs} interleaved runs)`,
    '',
    `1. cold lint of ${resources} ${f(r.cold.lint.wallMs)} ms vs parse-only ${f(r.cold.parseOnly.wallMs)} ms: ${r.cold.ratio.toFixed(2)}×   target <= ${TARGET.cold}×: ${met(r.cold.ratio <= TARGET.cold)}`,
    `   CPU ${f(r.cold.lint.cpuMs)} ms = ${r.cold.cpuPerResourceMs.toFixed(3)} ms per resource (kubeconform: 0.76 ms)`,
    r.coldLarge
      ? `   cold lint of ${large} ${f(r.coldLarge.lint.wallMs)} ms vs parse-only ${f(r.coldLarge.parseOnly.wallMs)} ms: ${r.coldLarge.ratio.toFixed(2)}×   ${r.coldLarge.ratio > r.cold.ratio ? 'WORSE' : 'not worse'} than at ${resources} (${r.cold.ratio.toFixed(2)}×); CPU ${r.coldLarge.cpuPerResourceMs.toFixed(3)} ms per resource`
      : `   ${large} resources: skipped (--skip-20k)`,
    r.realworld
      ? `   real-world corpus: lint ${f(r.realworld.lint.wallMs)} ms vs parse-only ${f(r.realworld.parseOnly.wallMs)} ms: ${r.realworld.ratio.toFixed(2)}×`
      : '   real-world corpus: not found',
    `   fast reader: ${r.fastReader.synthetic.fast} of ${r.fastReader.synthetic.files} synthetic files` +
      (r.fastReader.realworld
        ? `, ${r.fastReader.realworld.fast} of ${r.fastReader.realworld.files} real-world files (${((100 * r.fastReader.realworld.fastBytes) / r.fastReader.realworld.bytes).toFixed(0)}% of the bytes)`
        : ''),
    `2. warm --cache ${f(r.warmCache.lint.wallMs)} ms vs cold ${f(r.cold.lint.wallMs)} ms: ${r.warmCache.ratio.toFixed(3)}×   target <= ${TARGET.warm}×: ${met(r.warmCache.ratio <= TARGET.warm)}`,
    `3. one changed file of ${out.corpus.files}, --cache ${f(r.oneChangedFile.lint.wallMs)} ms vs cold ${f(r.cold.lint.wallMs)} ms: ${r.oneChangedFile.ratio.toFixed(3)}×   target <= ${TARGET.changed}×: ${met(r.oneChangedFile.ratio <= TARGET.changed)}`,
    `4. one small file ${f(r.smallFile.lint.wallMs)} ms vs node -e 0 ${f(r.smallFile.nodeE0.wallMs)} ms: ${r.smallFile.ratio.toFixed(2)}×   target <= ${TARGET.small}×: ${met(r.smallFile.ratio <= TARGET.small)}`,
    `5. peak RSS (MB), target < ${TARGET.rssMb} MB everywhere: ${met(rssMax < TARGET.rssMb)}`,
    ...Object.entries(r.peakRssMb).map(
      ([n, row]) =>
        `   ${n.padStart(6)} resources: ${FORMATS.map((x) => `${x} ${f(row[x])}${row[x] >= TARGET.rssMb ? '!' : ''}`).join(', ')}`,
    ),
    `6. CRD-heavy (${out.corpus.crdHeavy.crds} CRDs, ${(out.corpus.crdHeavy.crdBytes / 1e6).toFixed(1)} MB of schemas; ${out.corpus.crdHeavy.customResources} custom resources): with --crd ${f(r.crdHeavy.with.wallMs)} ms vs without ${f(r.crdHeavy.without.wallMs)} ms: ${r.crdHeavy.ratio.toFixed(2)}×   target <= ${TARGET.crd}×: ${met(r.crdHeavy.ratio <= TARGET.crd)}`,
    `7. 50 ValidatingAdmissionPolicies (+ bindings, --context) over ${resources} resources: ${f(r.policies.lint.wallMs)} ms vs ${f(r.cold.lint.wallMs)} ms without: ${r.policies.ratio.toFixed(2)}×, +${f(r.policies.addedMs)} ms wall, +${f(r.policies.addedCpuMs)} ms CPU`,
    `8. every rule on (extends: all) vs the default rules (extends: recommended), cold lint of ${resources}, target <= ${TARGET.allRules}×:`,
    ...Object.entries(r.allRules).map(
      ([format, x]) =>
        `   ${format.padEnd(7)} ${f(x.all.wallMs)} ms vs ${f(x.default.wallMs)} ms: ${x.ratio.toFixed(2)}× (CPU ${f(x.all.cpuMs)} vs ${f(x.default.cpuMs)} ms: ${x.cpuRatio.toFixed(2)}×)   ${met(x.ratio <= TARGET.allRules)}`,
    ),
  ].filter((l) => l !== undefined);
  process.stdout.write(lines.join('\n') + '\n');
}
