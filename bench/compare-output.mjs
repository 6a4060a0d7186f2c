#!/usr/bin/env node
// Byte-compares the output of two builds of k8s-gold, for a change that must not change any output (a speed-up):
//   node bench/compare-output.mjs OTHER_REPO [--resources 5000]
// OTHER_REPO is another checkout with a build (e.g. a copy of main made before the change). Both lint the synthetic
// corpus (../shared/bench/gen-corpus.mjs, or $K8S_GOLD_SHARED) and ../shared/corpus/realworld with every rule on
// (extends: all) and with the default rules, in every output format; prints one line per run and exits 1 on any
// difference in the bytes or the exit code.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const shared = process.env.K8S_GOLD_SHARED ? path.resolve(process.env.K8S_GOLD_SHARED) : path.resolve(repoRoot, '../shared');
const args = process.argv.slice(2);
const other = args[0] && !args[0].startsWith('--') ? path.resolve(args[0]) : undefined;
if (!other) {
  console.error('usage: node bench/compare-output.mjs OTHER_REPO [--resources N]');
  process.exit(2);
}
const i = args.indexOf('--resources');
const resources = i >= 0 ? Number(args[i + 1]) : 5000;
const bins = { this: path.join(repoRoot, 'bin', 'k8s-gold.js'), other: path.join(other, 'bin', 'k8s-gold.js') };
for (const b of Object.values(bins)) {
  if (!fs.existsSync(b)) {
    console.error(`${b} not found`);
    process.exit(2);
  }
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-gold-compare-'));
const g = spawnSync(
  process.execPath,
  [path.join(shared, 'bench', 'gen-corpus.mjs'), '--out', path.join(work, 'corpus'), '--resources', String(resources)],
  { encoding: 'utf8' },
);
if (g.status !== 0) {
  console.error(`corpus generator failed: ${g.stderr}`);
  process.exit(2);
}
fs.writeFileSync(path.join(work, 'all.yaml'), 'extends: all\n');
const targets = ['corpus', path.join(shared, 'corpus', 'realworld')].filter((t) => fs.existsSync(path.resolve(work, t)));
const configs = [['--config', 'all.yaml'], ['--no-config']];
let differences = 0;
for (const target of targets) {
  for (const config of configs) {
    for (const format of ['json', 'sarif', 'stylish', 'github', 'junit']) {
      // the same cwd and arguments for both: paths in the output are relative to it
      const out = Object.fromEntries(
        Object.entries(bins).map(([k, bin]) => {
          const file = path.join(work, `${k}.out`);
          const fd = fs.openSync(file, 'w');
          const r = spawnSync(process.execPath, [bin, 'lint', ...config, '--format', format, target], {
            cwd: work,
            stdio: ['ignore', fd, fd],
            env: { ...process.env, NO_COLOR: '1' },
          });
          fs.closeSync(fd);
          return [k, { status: r.status, bytes: fs.readFileSync(file) }];
        }),
      );
      const same = out.this.status === out.other.status && out.this.bytes.equals(out.other.bytes);
      if (!same) differences++;
      console.log(
        `${same ? 'same' : 'DIFFERENT'}  ${path.basename(target)} ${config.join(' ')} --format ${format}: ${out.this.bytes.length} bytes, exit ${out.this.status}` +
          (same ? '' : ` (other: ${out.other.bytes.length} bytes, exit ${out.other.status})`),
      );
    }
  }
}
fs.rmSync(work, { recursive: true, force: true });
console.log(differences ? `${differences} difference(s)` : 'no differences');
process.exit(differences ? 1 : 0);
