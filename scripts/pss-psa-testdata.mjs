// Compares the pss-* rules with the Pod Security admission controller's own test data, read from a
// local checkout of k8s.io/pod-security-admission (nothing is downloaded or copied):
//
//   npm run build && node scripts/pss-psa-testdata.mjs <checkout>/test/testdata
//
// Every pod in <level>/v1.<minor>/pass must give no pss-* finding under `extends: pss-<level>` and
// `kubernetesVersion: 1.<minor>`; every pod in .../fail at least one. The fail files are named after
// the PSA check they exercise; the report also counts how often the matching rule is among the
// findings (the rest are the documented cases where a restricted rule leaves a field to its
// baseline rule). Exit code 1 when a verdict differs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { lint } = require(path.join(root, 'dist/src/engine/linter.js'));
const { RuleRegistry } = require(path.join(root, 'dist/src/engine/registry.js'));

const CHECK_RULE = {
  allowprivilegeescalation: 'pss-privilege-escalation',
  apparmorprofile: 'pss-apparmor',
  capabilities_baseline: 'pss-capabilities-baseline',
  capabilities_restricted: 'pss-capabilities-restricted',
  hostnamespaces: 'pss-host-namespaces',
  hostpathvolumes: 'pss-host-path-volumes',
  hostports: 'pss-host-ports',
  hostprobesandhostlifecycle: 'pss-host-probes',
  privileged: 'pss-privileged',
  procmount: 'pss-proc-mount',
  procmount_restricted: 'pss-proc-mount-restricted',
  restrictedvolumes: 'pss-volume-types',
  runasnonroot: 'pss-run-as-non-root',
  runasuser: 'pss-run-as-user',
  seccompprofile_baseline: 'pss-seccomp-baseline',
  seccompprofile_restricted: 'pss-seccomp-restricted',
  selinuxoptions: 'pss-selinux',
  sysctls: 'pss-sysctls',
  windowshostprocess: 'pss-host-process',
};

const dir = process.argv[2];
if (!dir || !fs.existsSync(path.join(dir, 'baseline'))) {
  console.error('usage: node scripts/pss-psa-testdata.mjs <pod-security-admission checkout>/test/testdata');
  process.exit(2);
}

const registry = new RuleRegistry();
let files = 0;
const wrong = [];
const attribution = { exact: 0, other: new Map() };
for (const level of ['baseline', 'restricted']) {
  for (const vdir of fs.readdirSync(path.join(dir, level)).filter((d) => /^v1\.\d+$/.test(d))) {
    const version = vdir.slice(1);
    for (const kind of ['pass', 'fail']) {
      const d = path.join(dir, level, vdir, kind);
      if (!fs.existsSync(d)) continue;
      const run = lint({
        cwd: d,
        inputs: [d],
        config: { data: { extends: [`pss-${level}`], kubernetesVersion: version }, dir: d },
        registry,
      });
      const byFile = new Map(run.results.map((r) => [path.basename(r.filePath), [...new Set(r.messages.map((m) => m.ruleId))]]));
      for (const f of fs
        .readdirSync(d)
        .filter((x) => x.endsWith('.yaml'))
        .sort()) {
        files++;
        const ids = byFile.get(f) ?? [];
        const pss = ids.filter((i) => i.startsWith('pss-'));
        const other = ids.filter((i) => !i.startsWith('pss-'));
        if (other.length || (kind === 'pass' ? pss.length > 0 : pss.length === 0))
          wrong.push(`${level} ${version} ${kind}/${f}: ${ids.join(', ') || 'no finding'}`);
        if (kind === 'fail') {
          const check = f.replace(/\d+\.yaml$/, '');
          if (pss.includes(CHECK_RULE[check])) attribution.exact++;
          else {
            const k = `${check} → ${pss.join(', ')}`;
            attribution.other.set(k, (attribution.other.get(k) ?? 0) + 1);
          }
        }
      }
    }
  }
}
console.log(`${files} pods; verdict differs on ${wrong.length}`);
for (const w of wrong.slice(0, 50)) console.log(`  ${w}`);
console.log(`fail pods whose check's rule fired: ${attribution.exact}; others:`);
for (const [k, n] of attribution.other) console.log(`  ${n} × ${k}`);
process.exit(wrong.length ? 1 : 0);
