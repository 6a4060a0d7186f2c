/**
 * examples/golden is a realistic stack (MinIO + a Go API) that must pass every
 * default rule; examples/broken is the same stack with mistakes, each marked
 * on its line with `# expect: <rule-id>[:<severity>][@<column>]` as in rule
 * fixtures. Markers for rules not registered (yet) are ignored, so that the
 * test holds before and after those rules are merged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RuleRegistry } from '../src/engine/registry';
import { EXPECT_RE } from '../src/docs';
import { loadConfigFile } from '../src/config/config';
import { lintPaths, ROOT } from './helpers';

const registry = new RuleRegistry();
const GOLDEN = path.join(ROOT, 'examples', 'golden');
const BROKEN = path.join(ROOT, 'examples', 'broken');

/**
 * Rules whose mistakes are written into examples/broken (with markers) but
 * which are developed on other branches. A marker naming a rule that is
 * neither registered nor listed here is a typo and fails the test.
 */
const PENDING_RULES: string[] = [];

/**
 * Registered rules (non-engine, with a check) that need not fire in
 * examples/broken. Keep it empty: every rule should have a mistake there.
 */
const NOT_IN_BROKEN: string[] = [
  // off by default (meta.presets: []): examples/broken is linted with the default config; their fixtures cover them
  'rbac-create-pods',
  'rbac-secrets-access',
  'automount-service-account-token',
  'default-service-account',
  'read-only-root-filesystem',
  'run-as-high-uid',
  'drop-net-raw',
  'privileged-ports',
  'ssh-port',
  'image-pull-policy',
  'allowed-registries',
  'secret-in-env',
  'min-replicas',
  'pdb-missing',
  'pdb-unhealthy-eviction',
  'job-ttl',
  'cronjob-policy',
  'service-exposure',
  'ingress-tls',
  'network-policy-missing',
  'default-namespace',
  'required-labels',
  'priority-class',
  'requests-equal-limits',
  'ephemeral-storage-limits',
  'update-strategy',
  'scc-privileged',
  'node-affinity',
  'dns-config-options',
  'networkpolicy-peer-selector',
  'servicemonitor-selector',
  'linux-hardening',
  'instance-label-mismatch',
  'sorted-keys',
];

interface Marker {
  file: string;
  line: number;
  column: number;
  ruleId: string;
  severity?: string;
}

function markers(dir: string): Marker[] {
  const out: Marker[] = [];
  for (const f of fs
    .readdirSync(dir)
    .filter((x) => /\.ya?ml$/.test(x))
    .sort()) {
    const lines = fs.readFileSync(path.join(dir, f), 'utf8').split('\n');
    lines.forEach((l, i) => {
      const m = EXPECT_RE.exec(l);
      if (!m) return;
      const firstToken = /^(\s*(?:-\s+)*)/.exec(l)![1]!.length + 1;
      for (const part of m[1]!.split(',')) {
        const pm = /^\s*([a-z0-9/.-]+)(?::(error|warning|info))?(?:@(\d+))?\s*$/.exec(part);
        if (!pm) throw new Error(`bad expect marker in ${f}:${i + 1}: ${part}`);
        out.push({ file: f, line: i + 1, ruleId: pm[1]!, severity: pm[2], column: pm[3] ? Number(pm[3]) : firstToken });
      }
    });
  }
  return out;
}

/** A stack's own `.k8s-gold.yaml`, if any (examples/broken turns on the off-by-default Pod Security rules for pss.yaml). */
function stackConfig(dir: string) {
  const file = path.join(dir, '.k8s-gold.yaml');
  return fs.existsSync(file) ? loadConfigFile(file).data : undefined;
}

function findings(dir: string) {
  const run = lintPaths([dir], { cwd: dir, config: stackConfig(dir) });
  expect(run.internalErrors).toEqual([]);
  return run.results.flatMap((r) =>
    r.messages.map((m) => ({
      file: path.basename(r.filePath),
      line: m.line,
      column: m.column,
      ruleId: m.ruleId,
      severity: m.level,
      message: m.message,
    })),
  );
}

const key = (x: { file: string; line: number; column: number; ruleId: string }): string =>
  `${x.file}:${String(x.line)}:${String(x.column)} ${x.ruleId}`;

test('the golden stack passes every default rule', () => {
  expect(fs.readdirSync(GOLDEN).filter((f) => f.endsWith('.yaml')).length).toBeGreaterThan(0);
  expect(findings(GOLDEN).map((f) => `${key(f)}: ${f.message}`)).toEqual([]);
  expect(markers(GOLDEN)).toEqual([]);
});

test('every expect marker in the broken stack names a registered or pending rule', () => {
  const unknown = markers(BROKEN).filter((m) => !registry.has(m.ruleId) && !PENDING_RULES.includes(m.ruleId));
  expect(unknown).toEqual([]);
  // pending rules that got registered must leave the list (keeps it honest)
  expect(PENDING_RULES.filter((id) => registry.has(id))).toEqual([]);
});

test('the broken stack produces exactly its marked findings, for the registered rules', () => {
  const want = markers(BROKEN).filter((m) => registry.has(m.ruleId));
  const got = findings(BROKEN);
  expect(got.map(key).sort()).toEqual(want.map(key).sort());
  const sev = new Map(got.map((g) => [key(g), g.severity]));
  for (const w of want) if (w.severity) expect(`${key(w)}:${String(sev.get(key(w)))}`).toBe(`${key(w)}:${w.severity}`);
});

test('every registered rule with a check fires in the broken stack', () => {
  // a policy's own id (vap/<policy>) counts for its rule
  const fired = new Set(findings(BROKEN).map((f) => registry.groupId(f.ruleId)));
  const expected = registry
    .all()
    .filter((r) => !r.meta.engine && r.check && !NOT_IN_BROKEN.includes(r.meta.id))
    .map((r) => r.meta.id);
  expect(expected.length).toBeGreaterThan(0);
  expect(expected.filter((id) => !fired.has(id))).toEqual([]);
});
