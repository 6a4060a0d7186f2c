// Measures how often k8s-gold agrees with kube-linter, Polaris and kube-score on the peers' own test
// fixtures, read from local checkouts (nothing is downloaded or copied):
//
//   npm run build && node scripts/peer-agreement.mjs --kube-linter <checkout> --polaris <checkout> --kube-score <checkout> [--json]
//     [--record [--revision-<peer> <commit>]]   (writes the numbers to src/data/migration.json `measured`; then `npm run docs`)
//
// For every peer check mapped to k8s-gold rules (each rule's meta.equivalents, and `covered` in
// src/data/migration.json), every fixture the peer's suite asserts something about is linted with only
// those rules on (plus the options the peer's check implies, PEER_OPTIONS below), and the verdict
// (fires / does not fire) is compared with the peer's:
// - kube-linter: e2etests/bats-tests.sh runs each check on tests/checks/<file> and asserts the reports
//   (count, and `Kind[ name]: message` per report). Where a report names its object, the verdict is per
//   object; where it names only the kind, objects named `dont-fire…` must stay silent and every other
//   object of a reported kind must fire (when there are at least as many reports as such objects; with
//   fewer reports the unit is "between 1 and <reports> objects of the kind fire"); objects of kinds
//   without a report must stay silent.
// - Polaris: test/checks/<check>/success*.yaml must give no finding, failure*.yaml at least one (per
//   file, as Polaris's test/schema_test.go asserts; mutated*.yaml are fix outputs, not read).
// - kube-score: score/*_test.go calls testExpectedScore(t, "<file>", "<check>", scorecard.Grade…) with
//   testdata files; GradeCritical and GradeWarning are "fires", GradeAllOK "does not fire" (per test
//   file set, the first object the check grades; the script compares the whole file set).
// A disagreement that src/data/migration.json lists under a difference's `fixtures` is a deliberate
// difference (its reason is on the migration page); every other one counts against agreement.
// Exit code 1 when an unexplained disagreement remains.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { lint } = require(path.join(root, 'dist/src/engine/linter.js'));
const { RuleRegistry } = require(path.join(root, 'dist/src/engine/registry.js'));
const YAML = require('yaml');
// --migration <file>: another copy of src/data/migration.json (the tests use one)
const migArg = process.argv.indexOf('--migration');
const migrationFile = migArg >= 0 ? path.resolve(process.argv[migArg + 1]) : path.join(root, 'src/data/migration.json');
const migration = JSON.parse(fs.readFileSync(migrationFile, 'utf8'));

/** Options a peer's check implies (its threshold or its configured names); rule id → options. */
const PEER_OPTIONS = {
  'kube-linter': {
    'minimum-three-replicas': { 'min-replicas': { minReplicas: 3 } },
    'hpa-minimum-three-replicas': { 'hpa-replicas': { minReplicas: 3 } },
    'required-label-owner': { 'required-labels': { labels: ['owner'], kinds: ['PodSpecHolder'] } },
    'unset-cpu-requirements': { 'resource-requests-limits': { requireCpuLimit: true } },
    'required-annotation-email': { 'required-labels': { annotations: ['email'], kinds: ['PodSpecHolder'] } },
    'priority-class-name': { 'priority-class': { allowedClasses: ['system-cluster-critical', 'system-node-critical'] } },
    'no-liveness-probe': { 'missing-probes': { requireReadiness: 'never', requireLiveness: true, reportIdentical: false } },
    'no-readiness-probe': { 'missing-probes': { requireReadiness: 'always', reportIdentical: false } },
    'no-rolling-update-strategy': { 'update-strategy': { onlyWhenServed: false } },
  },
  polaris: {
    hpaMinAvailability: { 'hpa-replicas': { minReplicas: 2 } },
    cpuLimitsMissing: { 'resource-requests-limits': { requireCpuLimit: true } },
    livenessProbeMissing: { 'missing-probes': { requireReadiness: 'never', requireLiveness: true, reportIdentical: false } },
    readinessProbeMissing: { 'missing-probes': { requireReadiness: 'always', reportIdentical: false } },
  },
  'kube-score': {
    'Container Resources': { 'resource-requests-limits': { requireCpuLimit: true } },
    'Container CPU Requests Equal Limits': { 'requests-equal-limits': { resources: ['cpu'] } },
    'Container Memory Requests Equal Limits': { 'requests-equal-limits': { resources: ['memory'] } },
    'Container Ephemeral Storage Request Equals Limit': { 'requests-equal-limits': { resources: ['ephemeral-storage'] } },
  },
};

/**
 * Where one k8s-gold rule covers several peer checks, the findings that belong to each check (by their
 * message): `resource-requests-limits` reports a missing CPU request and a missing memory limit in one run.
 */
const HOST_SPREAD = /^(?![\s\S]*(spreads them only across nodes|API server rejects|counts no pods and spreads nothing))/;
const MESSAGE_FILTER = {
  'kube-linter': {
    'no-anti-affinity': HOST_SPREAD,
    'restart-policy': /restartPolicy/,
    'invalid-target-ports': /port/,
    'unset-cpu-requirements': /requests\.cpu|limits\.cpu/,
    'unset-memory-requirements': /requests\.memory|limits\.memory/,
  },
  polaris: {
    cpuRequestsMissing: /requests\.cpu/,
    cpuLimitsMissing: /limits\.cpu/,
    memoryRequestsMissing: /requests\.memory/,
    memoryLimitsMissing: /limits\.memory/,
  },
  'kube-score': {
    'CronJob has deadline': /startingDeadlineSeconds/,
    'CronJob RestartPolicy': /restartPolicy/,
    'Container Ports Check': /port name|containerPort/,
    'Label values': /^label /,
    'Deployment has host PodAntiAffinity': HOST_SPREAD,
    'StatefulSet has host PodAntiAffinity': HOST_SPREAD,
    'Pod Topology Spread Constraints': {
      schema: /topologySpreadConstraints/,
      'topology-spread-constraints': /API server rejects|no labelSelector/,
    },
  },
};

const args = process.argv.slice(2);
const json = args.includes('--json');
const dirs = {};
for (const peer of ['kube-linter', 'polaris', 'kube-score']) {
  const i = args.indexOf(`--${peer}`);
  if (i >= 0) dirs[peer] = args[i + 1];
}
if (!Object.keys(dirs).length || Object.values(dirs).some((d) => !d || !fs.existsSync(d))) {
  console.error(
    'usage: node scripts/peer-agreement.mjs [--kube-linter <checkout>] [--polaris <checkout>] [--kube-score <checkout>] [--json] [--record [--revision-<peer> <commit>]]',
  );
  process.exit(2);
}

const registry = new RuleRegistry();

/** peer check → k8s-gold rule ids */
function mapping(peer) {
  const m = new Map();
  const add = (check, id) => {
    if (!m.has(check)) m.set(check, new Set());
    m.get(check).add(id);
  };
  for (const r of registry.all()) for (const id of r.meta.equivalents?.[peer] ?? []) add(id, r.meta.id);
  for (const c of migration.covered) if (c.peer === peer && registry.has(c.rule)) add(c.id, c.rule);
  return m;
}

/** Lints files with only `rules` on; returns the objects of the files and the objects with findings. */
function run(files, rules, options, filter, version) {
  const cfgRules = {};
  for (const id of rules) {
    const meta = registry.get(id).meta;
    cfgRules[id] = options?.[id] ? [meta.severity, options[id]] : meta.severity;
  }
  const cwd = path.dirname(files[0]);
  const res = lint({
    cwd,
    inputs: files,
    config: { data: { extends: [], rules: cfgRules, ...(version ? { kubernetesVersion: version } : {}) }, dir: cwd },
    registry,
  });
  const fired = new Set();
  for (const r of res.results) {
    for (const m of r.messages) {
      const f = filter instanceof RegExp ? filter : filter?.[m.ruleId];
      if (!rules.includes(m.ruleId) || (f && !f.test(m.message))) continue;
      fired.add(
        m.object ? objKey(path.basename(r.filePath), m.object.document, m.object.kind, m.object.name) : `${path.basename(r.filePath)}:?`,
      );
    }
  }
  return fired;
}

const objKey = (file, doc, kind, name) => `${file}:${doc}:${kind}/${name ?? ''}`;

/** The objects of a manifest file, in order: { kind, name } (List items flattened). */
function objectsOf(file) {
  const out = [];
  let document = -1;
  for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    document++;
    let v;
    try {
      v = doc.toJS();
    } catch {
      continue;
    }
    const items = v && typeof v === 'object' && Array.isArray(v.items) ? v.items : [v];
    for (const o of items)
      if (o && typeof o === 'object' && o.kind) out.push({ kind: String(o.kind), name: o.metadata?.name ?? '', document });
  }
  return out;
}

function explained(peer, check, unit) {
  return migration.differences.find((d) => d.peer === peer && d.id === check && (d.fixtures ?? []).includes(unit));
}

// ---- peers' suites → units { check, files, unit, expect: 'fire' | 'silent' | [min,max], match(fired) }

function kubeLinterUnits(dir) {
  const bats = fs.readFileSync(path.join(dir, 'e2etests/bats-tests.sh'), 'utf8');
  const units = [];
  for (const block of bats.split(/\n(?=@test ")/)) {
    const include = /--include ([\w-]+)/.exec(block);
    const tmp = /tmp="(tests\/checks\/[^"]+)"/.exec(block);
    if (!include || !tmp) continue;
    const check = include[1];
    const file = path.join(dir, tmp[1]);
    const reports = [];
    // `[[ "${messageN}" == "Kind[ name]: message" ]]` (only the head is read: messages may contain bash-quoted parts)
    for (const m of block.matchAll(/\[\[ "\$\{(?:message\d+|actual_messages\[\d+\])\}" (?:==|=~) "([A-Za-z]+)(?: ([^:" ]+))?:/g))
      reports.push({ kind: m[1], name: m[2] });
    const count = /\[\[ "\$\{count\}" == "(\d+)" \]\]/.exec(block);
    // a test that asserts more reports than it spells out: objects of the kinds it spells out fire at least once
    // (which ones is not known), and nothing is known about the other kinds
    const partial = Boolean(count && Number(count[1]) > reports.length);
    if (partial && reports.length === 0) continue;
    const base = path.basename(file);
    const objs = objectsOf(file);
    const named = reports.length > 0 && reports.every((r) => r.name);
    if (named) {
      for (const o of objs) {
        const fire = reports.some((r) => r.kind === o.kind && r.name === o.name);
        units.push({
          check,
          files: [file],
          unit: `${tmp[1]} ${o.kind}/${o.name}`,
          expect: fire ? 'fire' : 'silent',
          keys: [objKey(base, o.document, o.kind, o.name)],
        });
      }
      continue;
    }
    const kinds = new Map();
    for (const o of objs) {
      if (/^dont-fire/.test(o.name)) {
        units.push({
          check,
          files: [file],
          unit: `${tmp[1]} ${o.kind}/${o.name}`,
          expect: 'silent',
          keys: [objKey(base, o.document, o.kind, o.name)],
        });
        continue;
      }
      if (!kinds.has(o.kind)) kinds.set(o.kind, []);
      kinds.get(o.kind).push(o);
    }
    for (const [kind, list] of kinds) {
      const n = reports.filter((r) => r.kind === kind).length;
      if (partial) {
        if (n)
          units.push({
            check,
            files: [file],
            unit: `${tmp[1]} ${kind} (${list.map((o) => o.name).join(', ')})`,
            expect: [1, list.length],
            keys: list.map((o) => objKey(base, o.document, kind, o.name)),
          });
        continue;
      }
      if (n === 0 || n >= list.length) {
        for (const o of list)
          units.push({
            check,
            files: [file],
            unit: `${tmp[1]} ${kind}/${o.name}`,
            expect: n ? 'fire' : 'silent',
            keys: [objKey(base, o.document, kind, o.name)],
          });
      } else {
        units.push({
          check,
          files: [file],
          unit: `${tmp[1]} ${kind} (${list.map((o) => o.name).join(', ')})`,
          expect: [1, n],
          keys: list.map((o) => objKey(base, o.document, kind, o.name)),
        });
      }
    }
  }
  return units;
}

function polarisUnits(dir) {
  const base = path.join(dir, 'test/checks');
  const units = [];
  for (const check of fs.readdirSync(base).sort()) {
    if (check.startsWith('_') || !fs.statSync(path.join(base, check)).isDirectory()) continue;
    for (const f of fs.readdirSync(path.join(base, check)).sort()) {
      if (!/^(success|failure).*\.ya?ml$/.test(f)) continue;
      const file = path.join(base, check, f);
      units.push({
        check,
        files: [file],
        unit: `test/checks/${check}/${f}`,
        expect: f.startsWith('failure') ? 'fire' : 'silent',
        keys: null,
      });
    }
  }
  return units;
}

function kubeScoreUnits(dir) {
  const units = [];
  const sdir = path.join(dir, 'score');
  for (const f of fs
    .readdirSync(sdir)
    .filter((x) => x.endsWith('_test.go'))
    .sort()) {
    const go = fs.readFileSync(path.join(sdir, f), 'utf8');
    const pending = [];
    for (const m of go.matchAll(
      /testExpectedScore(WithConfig)?\(t,\s*((?:(?!testExpectedScore|\nfunc )[\s\S])*?)"([^"\n]+)",\s*scorecard\.Grade(\w+)\)/g,
    )) {
      const argsText = m[2];
      let files;
      if (m[1]) files = [...argsText.matchAll(/testFile\("([^"]+)"\)/g)].map((x) => x[1]);
      else {
        const lit = /^"([^"]+)",/.exec(argsText.trim());
        // "prefix"+v+"suffix" inside `for _, v := range []string{...}`: one unit per value
        const loop = /^"([^"]*)"\+v\+"([^"]*)",/.exec(argsText.trim());
        const values = loop ? [...go.slice(0, m.index).matchAll(/range \[\]string\{([^}]*)\}/g)].pop() : null;
        if (loop && values) {
          for (const v of [...values[1].matchAll(/"([^"]+)"/g)].map((x) => x[1])) pending.push([`${loop[1]}${v}${loop[2]}`]);
          files = [];
        } else files = lit ? [lit[1]] : [];
      }
      files = files.length ? [files] : pending.splice(0);
      if (!files.length || /Ignore\w+: *true|checks\.Config\{/.test(argsText)) continue; // variables, or a config that changes the check
      // the run configuration: target version (testExpectedScore sets 1.18; a configuration without one: k8s-gold's default) and thresholds
      const ver = /KubernetesVersion: config\.Semver\{Major: (\d+), Minor: (\d+)\}/.exec(argsText);
      const version = ver ? `${ver[1]}.${ver[2]}` : m[1] ? undefined : '1.18';
      const minRep = /MinReplicasDeployment: (\d+)/.exec(argsText);
      const minHpa = /MinReplicasHPA: (\d+)/.exec(argsText);
      const options = {
        ...(minRep ? { 'min-replicas': { minReplicas: Number(minRep[1]) } } : {}),
        ...(minHpa ? { 'hpa-replicas': { minReplicas: Number(minHpa[1]) } } : {}),
      };
      const grade = m[4];
      if (!['Critical', 'Warning', 'AllOK'].includes(grade)) continue;
      for (const set of files) {
        const abs = set.map((x) => path.join(sdir, 'testdata', x));
        if (!abs.every((x) => fs.existsSync(x))) continue;
        const conf = [
          ver ? `Kubernetes ${version}` : '',
          minRep ? `MinReplicasDeployment ${minRep[1]}` : '',
          minHpa ? `MinReplicasHPA ${minHpa[1]}` : '',
        ]
          .filter(Boolean)
          .join(', ');
        units.push({
          check: m[3],
          files: abs,
          unit: `score/testdata/${set.join('+')}${conf ? ` [${conf}]` : ''} (${f})`,
          expect: grade === 'AllOK' ? 'silent' : 'fire',
          keys: null,
          options,
          version,
        });
      }
    }
  }
  // the same file asserted twice for one check is one unit
  const seen = new Set();
  return units.filter((u) => {
    const k = `${u.check}\0${u.unit.replace(/ \([^()]*\)$/, '')}\0${u.expect}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---- compare

const report = {};
let unexplained = 0;
for (const [peer, dir] of Object.entries(dirs)) {
  const map = mapping(peer);
  const all = peer === 'kube-linter' ? kubeLinterUnits(dir) : peer === 'polaris' ? polarisUnits(dir) : kubeScoreUnits(dir);
  const asserted = new Set(all.map((u) => u.check));
  const checks = new Map();
  const disagreements = [];
  for (const u of all) {
    const rules = map.get(u.check);
    if (!rules) continue;
    const ids = [...rules].sort();
    const fired = run(u.files, ids, { ...PEER_OPTIONS[peer][u.check], ...u.options }, MESSAGE_FILTER[peer][u.check], u.version);
    let got;
    let ok;
    if (u.keys) {
      const n = u.keys.filter((k) => fired.has(k)).length;
      if (Array.isArray(u.expect)) {
        got = `${n} fire`;
        ok = n >= u.expect[0] && n <= u.expect[1];
      } else {
        got = n ? 'fire' : 'silent';
        ok = got === u.expect;
      }
    } else {
      got = fired.size ? 'fire' : 'silent';
      ok = got === u.expect;
    }
    const c = checks.get(u.check) ?? { rules: ids, units: 0, agree: 0, deliberate: 0 };
    c.units++;
    if (ok) c.agree++;
    else {
      const d = explained(peer, u.check, u.unit);
      if (d) c.deliberate++;
      else unexplained++;
      disagreements.push({
        check: u.check,
        rules: ids,
        unit: u.unit,
        peer: Array.isArray(u.expect) ? `${u.expect[0]}-${u.expect[1]} fire` : u.expect,
        k8sGold: got,
        deliberate: Boolean(d),
      });
    }
    checks.set(u.check, c);
  }
  const units = [...checks.values()].reduce((a, c) => a + c.units, 0);
  const agree = [...checks.values()].reduce((a, c) => a + c.agree, 0);
  const deliberate = [...checks.values()].reduce((a, c) => a + c.deliberate, 0);
  const total = migration.peers[peer].checks.length;
  const at95 = [...checks.values()].filter((c) => (c.agree + c.deliberate) / c.units >= 0.95).length;
  report[peer] = {
    checks: total,
    mapped: [...map.keys()].filter((k) => migration.peers[peer].checks.includes(k)).length,
    assertedBySuite: [...asserted].filter((c) => migration.peers[peer].checks.includes(c)).length,
    compared: checks.size,
    fixtures: units,
    agree,
    deliberate,
    agreement: units ? Math.round((1000 * agree) / units) / 10 : 0,
    agreementWithDeliberate: units ? Math.round((1000 * (agree + deliberate)) / units) / 10 : 0,
    checksAt95: at95,
    notCompared: [...map.keys()].filter((k) => !checks.has(k)).sort(),
    perCheck: Object.fromEntries([...checks].sort(([a], [b]) => (a < b ? -1 : 1))),
    disagreements,
  };
}

if (args.includes('--record')) {
  // the measured numbers into src/data/migration.json (the migration pages show them after `npm run docs`)
  migration.measured ??= {};
  for (const [peer, r] of Object.entries(report)) {
    const i = args.indexOf(`--revision-${peer}`);
    migration.measured[peer] = {
      checks: r.checks,
      mapped: r.mapped,
      asserted: r.assertedBySuite,
      compared: r.compared,
      fixtures: r.fixtures,
      agree: r.agree,
      deliberate: r.deliberate,
      checksAt95: r.checksAt95,
      ...(i >= 0 && args[i + 1] ? { revision: args[i + 1] } : {}),
    };
  }
  fs.writeFileSync(migrationFile, `${JSON.stringify(migration, null, 2)}\n`);
}

if (json) console.log(JSON.stringify(report, null, 2));
else {
  for (const [peer, r] of Object.entries(report)) {
    console.log(
      `${peer}: ${r.mapped} of ${r.checks} checks mapped; ${r.assertedBySuite} checks tested by its suite, ${r.compared} of them compared on ${r.fixtures} fixture verdicts; agreement ${r.agreement}% (${r.agreementWithDeliberate}% counting ${r.deliberate} deliberate differences); ${r.checksAt95} checks at >= 95%`,
    );
    if (r.notCompared.length) console.log(`  mapped, no fixture in the suite: ${r.notCompared.join(', ')}`);
    for (const d of r.disagreements)
      console.log(
        `  ${d.deliberate ? 'deliberate' : 'DISAGREE'}  ${d.check} [${d.rules.join(', ')}] ${d.unit}: peer ${d.peer}, k8s-gold ${d.k8sGold}`,
      );
  }
}
process.exit(unexplained ? 1 : 0);
