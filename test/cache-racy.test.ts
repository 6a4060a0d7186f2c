/**
 * "Racy" stamps (docs/performance.md, "Cache"): a file written again within the file system's timestamp granularity
 * of the read that stamped it, with the same size, keeps its stamp. Neither `<cache>.idx` (and so the full CLI's
 * replay and the incremental `<cache>.inc`) nor the warm record may then take it for unchanged. The runs here go
 * through the built CLI with test/helpers/frozen-clock.cjs preloaded: under the test's directory every stat reports
 * one modification and change time, so each edit is made "within the same tick" as the read before it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, writeTree } from './helpers';

const BIN = path.join(ROOT, 'bin', 'k8s-gold.js');
const FROZEN = path.join(ROOT, 'test', 'helpers', 'frozen-clock.cjs');

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
// a custom resource: only ambiguous-yaml-value speaks about `flag: on`; `flag: ok` (same size) is not ambiguous
const WIDGET = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: a\nspec:\n  flag: on\n';

function run(argv: string[], dir: string, frozen: boolean) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' };
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  if (frozen) env.K8S_GOLD_TEST_FROZEN_DIR = fs.realpathSync(dir);
  const r = spawnSync(process.execPath, [...(frozen ? ['-r', FROZEN] : []), BIN, ...argv], {
    cwd: fs.realpathSync(dir),
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Writes `content` over `file`: same size, same inode, and (under the frozen clock) the same times. */
function racyEdit(file: string, content: string): void {
  const before = fs.statSync(file);
  fs.writeFileSync(file, content);
  const after = fs.statSync(file);
  expect([after.size, after.ino]).toEqual([before.size, before.ino]);
}

describe('racy stamps', () => {
  test('the frozen clock makes a same-size edit keep its stamp (what the tests below rely on)', () => {
    const dir = writeTree({ 'a.yaml': WIDGET });
    const probe = path.join(dir, 'probe.cjs');
    fs.writeFileSync(
      probe,
      `const fs = require('node:fs'); const f = ${JSON.stringify(path.join(fs.realpathSync(dir), 'a.yaml'))};
       const s = () => { const st = fs.statSync(f, { bigint: true }); return [st.size, st.mtimeNs, st.ctimeNs, st.ino].join(':'); };
       const a = s(); fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('on', 'ok')); process.stdout.write(String(a === s()));`,
    );
    const env = { PATH: process.env.PATH, K8S_GOLD_TEST_FROZEN_DIR: fs.realpathSync(dir) };
    const r = spawnSync(process.execPath, ['-r', FROZEN, probe], { env, encoding: 'utf8' });
    expect(r.stdout).toBe('true');
  });

  test('the warm path and the full replay do not take a racy file for unchanged', () => {
    const dir = writeTree({ 'deploy/web.yaml': DEPLOY, 'deploy/cm.yaml': CM });
    const argv = ['lint', '--cache', '.'];
    const first = run(argv, dir, true);
    expect(first.stdout).toContain('nginx');
    run(argv, dir, true);
    racyEdit(path.join(dir, 'deploy/web.yaml'), DEPLOY.replace('nginx', 'nginz'));
    const after = run(argv, dir, true);
    const without = run(['lint', '.'], dir, false);
    expect(without.stdout).toContain('nginz');
    expect(after).toEqual(without);
    // and once more: the run after a racy one must not replay stale output either
    racyEdit(path.join(dir, 'deploy/web.yaml'), DEPLOY.replace('nginx', 'nginy'));
    expect(run(argv, dir, true)).toEqual(run(['lint', '.'], dir, false));
  });

  test('the incremental cache (<cache>.inc) does not reuse the results of a racy file', () => {
    const dir = writeTree({ 'a.yaml': WIDGET, 'b.yaml': CM });
    const argv = ['lint', '-f', 'json', '--cache', '.'];
    const first = run(argv, dir, true);
    expect(first.stdout).toContain('ambiguous-yaml-value');
    // one file changes size (the run is incremental), the other is edited racily
    fs.writeFileSync(path.join(dir, 'b.yaml'), CM.replace('"1"', '"22"'));
    racyEdit(path.join(dir, 'a.yaml'), WIDGET.replace('flag: on', 'flag: ok'));
    const after = run(argv, dir, true);
    const without = run(['lint', '-f', 'json', '.'], dir, false);
    expect(without.stdout).not.toContain('ambiguous-yaml-value');
    expect(fs.existsSync(path.join(dir, '.k8s-gold-cache.inc'))).toBe(true);
    expect(after).toEqual(without);
  });
});
