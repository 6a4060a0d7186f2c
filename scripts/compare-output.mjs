#!/usr/bin/env node
// Byte-compares the output of two builds of k8s-gold on the same inputs, in every format (and
// --fix-dry-run), for a change that must keep the output as it is (issue #9's "Must hold").
// usage: node scripts/compare-output.mjs --base <other checkout>/bin/k8s-gold.js [--head bin/k8s-gold.js] [--config <file>] <path>...
// (--config: lint with that config, e.g. one with `extends: all`, in both builds)
// Both run in the current directory (so reported paths are the same); stdout, stderr and the exit code
// must match. Exits 1 when any differs, naming the corpus and format.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const base = opt('--base');
const head = opt('--head', 'bin/k8s-gold.js');
const config = opt('--config');
if (!base || args.length === 0) {
  console.error(
    'usage: node scripts/compare-output.mjs --base <bin/k8s-gold.js of the other build> [--head bin/k8s-gold.js] [--config <file>] <path>...',
  );
  process.exit(2);
}
// stylish also with colour (its escapes are written per row)
const runs = [...['json', 'sarif', 'stylish', 'github', 'junit'].map((f) => ['-f', f]), ['-f', 'stylish', '--color'], ['--fix-dry-run']];
let differ = 0;
for (const corpus of args) {
  for (const extra of runs) {
    const argv = ['lint', corpus, ...(extra.includes('--color') ? [] : ['--no-color']), ...(config ? ['--config', config] : []), ...extra];
    const out = [base, head].map((bin) =>
      spawnSync(process.execPath, [bin, ...argv], {
        maxBuffer: 1 << 30,
        env: { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' },
      }),
    );
    const [a, b] = out;
    const same = a.status === b.status && a.stdout.equals(b.stdout) && a.stderr.equals(b.stderr);
    if (!same) differ++;
    console.log(
      `${same ? 'same ' : 'DIFF '} ${corpus} ${extra.join(' ')}: ${a.stdout.length}+${a.stderr.length} bytes, exit ${a.status}${same ? '' : ` (other: ${b.stdout.length}+${b.stderr.length} bytes, exit ${b.status})`}`,
    );
  }
}
process.exit(differ ? 1 : 0);
