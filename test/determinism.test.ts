/**
 * Same input, byte-identical output: whatever the order the inputs are
 * given in.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, ROOT, writeTree } from './helpers';

function tree(): string {
  const files: Record<string, string> = {};
  for (let i = 0; i < 12; i++) {
    files[`apps/app${i}.yaml`] = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app${i}
  namespace: ns${i % 3}
  labels: {app: app${i}}
spec:
  replicas: ${i % 4}
  selector:
    matchLabels: {app: app${i}}
  template:
    metadata:
      labels: {app: app${i}, flag: ${i % 2 ? 'on' : '"on"'}}
    spec:
      containers:
      - name: app
        image: nginx${i % 3 ? ':1.27' : ''}
        env:
        - {name: MODE, value: ${i % 2 ? 'yes' : '"yes"'}}
        - {name: MODE, value: "dup"}
---
apiVersion: v1
kind: Service
metadata:
  name: app${i}
  namespace: ns${(i + 1) % 3}
spec:
  selector: {app: app${i}}
  ports: [{port: 80, targetPort: 8080}]
`;
  }
  files['bad/syntax.yaml'] = 'a: [\n';
  files['bad/dup.yaml'] = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata:\n  a: 1\n  a: 2\n';
  files['z/list.json'] = JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'j' }, data: { x: 'y' } }, 5],
  });
  return writeTree(files);
}

describe('deterministic output', () => {
  const dir = tree();
  const all = (sub: string) => fs.readdirSync(path.join(dir, sub)).map((f) => `${sub}/${f}`);
  const files = [...all('apps'), ...all('bad'), ...all('z')].sort();
  const orders: string[][] = [
    ['.'],
    files,
    [...files].reverse(),
    [...files.filter((_, i) => i % 2), ...files.filter((_, i) => i % 2 === 0)],
    ['z', 'bad', 'apps'],
  ];

  test.each(['json', 'sarif'])('%s output is byte-identical for every input order (in process)', async (format) => {
    const outs = new Set<string>();
    let code: number | undefined;
    for (const order of orders) {
      const r = await cli(['lint', '--no-config', '-f', format, ...order], { cwd: dir });
      code ??= r.code;
      expect(r.code).toBe(code);
      outs.add(r.stdout);
    }
    expect(code).toBe(1);
    expect(outs.size).toBe(1);
    const out = [...outs][0]!;
    expect(out.length).toBeGreaterThan(1000);
  });

  // the real binary (the bundle) gives the in-process output, in any order
  test.each(['json', 'sarif'])('%s output of the built binary is the in-process output', async (format) => {
    const inProcess = await cli(['lint', '--no-config', '-f', format, '.'], { cwd: dir });
    const bin = path.join(ROOT, 'bin', 'k8s-gold.js');
    for (const order of [['.'], [...files].reverse()]) {
      const r = spawnSync(process.execPath, [bin, 'lint', '--no-config', '-f', format, ...order], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(1);
      // the version and tool path may differ between the build and the sources; the findings may not
      expect(r.stdout).toBe(inProcess.stdout);
    }
  });
});
