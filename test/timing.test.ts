/**
 * `K8S_GOLD_TIMING` (src/engine/timing.ts, like ESLint's `TIMING`): the time each rule spent in its checks,
 * printed to stderr at exit; the output on stdout is the same as without it.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT, writeTree } from './helpers';

const BIN = path.join(ROOT, 'bin', 'k8s-gold.js');

function lint(dir: string, timing?: string) {
  const r = spawnSync(process.execPath, [BIN, 'lint', '--no-config', dir], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', K8S_GOLD_TIMING: timing ?? '' },
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: web}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1.2.3
`;

test('per-rule check times go to stderr, one row per rule with the number of checks it ran', () => {
  const dir = writeTree({
    'a.yaml': `${deployment('one')}---\n${deployment('two')}`,
    'b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: web}\ndata: {k: v}\n',
  });
  const plain = lint(dir);
  const timed = lint(dir, 'all');
  expect(timed.stdout).toBe(plain.stdout);
  expect(timed.code).toBe(plain.code);
  expect(plain.stderr).not.toMatch(/Time \(ms\)/);
  const lines = timed.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^Rule +\| Time \(ms\) \| Relative \| Checks$/);
  const rows = new Map(
    lines.slice(2).map((l) => {
      const [id, ms, rel, checks] = l.split('|').map((s) => s.trim());
      expect(Number(ms)).toBeGreaterThanOrEqual(0);
      expect(rel).toMatch(/^\d+(\.\d)?%$/);
      return [id!, Number(checks)];
    }),
  );
  // a rule on pod-bearing objects ran on the two Deployments, the schema rule on all three objects
  expect(rows.get('missing-probes')).toBe(2);
  expect(rows.get('schema')).toBe(3);
  // rows are sorted by time, slowest first
  const times = lines.slice(2).map((l) => Number(l.split('|')[1]));
  expect([...times].sort((a, b) => b - a)).toEqual(times);
});

test('a number lists that many rules', () => {
  const dir = writeTree({ 'a.yaml': deployment('one') });
  const timed = lint(dir, '3');
  expect(timed.stderr.trimEnd().split('\n')).toHaveLength(2 + 3);
});
