/** docs/migration/<peer>.md are fresh, and every peer id named in rule metadata or src/data/migration.json is one the peer has. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RuleRegistry } from '../src/engine/registry';
import { generateMigrationDocs, migrationProblems, migrationRows, type MigrationData } from '../src/docs';
import { ROOT } from './helpers';

const registry = new RuleRegistry();
const data = JSON.parse(fs.readFileSync(path.join(ROOT, 'src/data/migration.json'), 'utf8')) as MigrationData;
const dir = path.join(ROOT, 'docs/migration');

test('docs/migration is up to date (run `npm run docs`)', () => {
  const docs = generateMigrationDocs(registry, data);
  const onDisk = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.md'))
        .sort()
    : [];
  expect(onDisk).toEqual([...docs.keys()].sort());
  for (const [name, text] of docs) expect({ name, text: fs.readFileSync(path.join(dir, name), 'utf8') }).toEqual({ name, text });
});

test('peer ids are spelled as the peers name their checks, and every reason belongs to a covered check', () => {
  expect(migrationProblems(registry, data)).toEqual([]);
});

test('a misspelt equivalent, an unknown rule and a reason without a rule are reported', () => {
  const bad: MigrationData = {
    peers: { 'kube-linter': { title: 'kube-linter', url: 'u', config: 'c', checks: ['run-as-non-root', 'ssh-port', 'no-such-check'] } },
    covered: [{ peer: 'kube-linter', id: 'run-as-non-root', rule: 'no-such-rule' }],
    differences: [{ peer: 'kube-linter', id: 'no-such-check', reason: 'r' }],
  };
  const problems = migrationProblems(registry, bad);
  expect(problems).toContain('covered: kube-linter run-as-non-root → unknown rule "no-such-rule"');
  expect(problems).toContain('differences: kube-linter no-such-check has a reason but no rule covers it');
  // rules whose kube-linter ids are not in this (short) list are named
  expect(problems.some((p) => /^rbac-wildcard: meta.equivalents.kube-linter names "wildcard-in-rules"/.test(p))).toBe(true);
});

test('rows join meta.equivalents and the data file, and the page renders the arrow form of a difference', () => {
  const rows = migrationRows(registry, data, 'kube-linter');
  expect(rows.find((r) => r.check === 'wildcard-in-rules')!.rules.map((r) => r.meta.id)).toEqual(['rbac-wildcard']);
  expect(rows.find((r) => r.check === 'docker-sock')!.rules.map((r) => r.meta.id)).toEqual(['host-path']);
  const page = generateMigrationDocs(registry, data).get('kube-linter.md')!;
  expect(page).toContain('- kube-linter `env-var-secret` → k8s-gold `literal-secret`: ');
  expect(page).toMatch(/\| `ssh-port` \| \[ssh-port\]\(\.\.\/rules\/ssh-port\.md\) \| no \(`all`\) \|/);
});

test('measured agreement and the fixtures of a difference are rendered', () => {
  const d: MigrationData = {
    peers: { 'kube-linter': { title: 'kube-linter', url: 'u', config: 'c', checks: ['ssh-port', 'docker-sock'] } },
    covered: [{ peer: 'kube-linter', id: 'docker-sock', rule: 'host-path' }],
    differences: [
      {
        peer: 'kube-linter',
        id: 'docker-sock',
        reason: 'Every hostPath.',
        fixtures: ['tests/checks/docker-sock.yml Deployment/dont-fire'],
      },
    ],
    measured: {
      'kube-linter': {
        checks: 2,
        mapped: 2,
        asserted: 2,
        compared: 2,
        fixtures: 8,
        agree: 7,
        deliberate: 1,
        checksAt95: 2,
        revision: 'abc',
      },
    },
  };
  const docs = generateMigrationDocs(registry, d);
  expect(docs.get('README.md')).toContain(
    '| [kube-linter](kube-linter.md) | 2 of 2 (100.0%) | 2 of 2 | 8 | 87.5% | 1 | 100.0% | 2 (100.0% of the tested checks) |',
  );
  const page = docs.get('kube-linter.md')!;
  expect(page).toContain('(revision abc), k8s-gold gives the same verdict on 7 of 8 (87.5%)');
  expect(page).toContain(
    "Every hostPath. Differs on this fixture of kube-linter's own tests: `tests/checks/docker-sock.yml Deployment/dont-fire`.",
  );
  // without a measured block there is no agreement section
  expect(generateMigrationDocs(registry, { ...d, measured: undefined }).get('README.md')).not.toContain('Agreement');
});
