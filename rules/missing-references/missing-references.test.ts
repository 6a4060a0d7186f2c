import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintPaths, lintText, only, writeTree } from '../../test/helpers';

const invalid = fs.readFileSync(path.join(__dirname, 'invalid.yaml'), 'utf8');
const valid = fs.readFileSync(path.join(__dirname, 'valid.yaml'), 'utf8');
const run = (text: string, options: Record<string, unknown>) =>
  lintText(text, { rules: only('missing-references'), config: { rules: { 'missing-references': ['warning', options] } } })
    .results.flatMap((r) => r.messages)
    .map((m) => `${m.line}:${m.column} ${m.message.slice(0, 60)}`);

test('checkMissingSecrets reports Secrets missing from the input, but not produced ones', () => {
  const got = run(invalid, { checkMissingSecrets: true });
  expect(got.filter((m) => /references Secret/.test(m)).map((m) => m.split(' ')[0])).toEqual(['30:11', '50:17', '65:19']);
  // sealed, external and cert-manager secrets in valid.yaml count as present; billing has no Secrets
  expect(run(valid, { checkMissingSecrets: true })).toEqual([]);
});

test('requireKindInNamespace: false reports references in namespaces without objects of that kind', () => {
  const got = run(valid, { requireKindInNamespace: false });
  expect(got.map((m) => m.split(' ')[0])).toEqual(['86:7', '93:35']);
  expect(got[0]).toContain('ServiceAccount "ledger"');
  expect(got[1]).toContain('PersistentVolumeClaim "ledger-data"');
});

test('ignoreNames silences a name', () => {
  expect(
    run(invalid, {
      ignoreNames: [
        'api-sa',
        'api-confg',
        'upload',
        'apii',
        'wal',
        'backup-creds',
        'kube-proxy',
        'rook-ceph-mon-endpoints',
        'rook-config-overide',
        'spire-bundle',
        'spire-agent-config',
      ],
    }).map((m) => m.split(' ')[0]),
  ).toEqual(['44:19', '47:46', '59:17', '81:3']);
});

test('a reference from a file of a Go testdata directory is an info: the test may supply the object', () => {
  const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ops}\ndata: {a: "1"}\n`;
  const ds = [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata: {name: driver, namespace: ops}',
    'spec:',
    '  selector: {matchLabels: {app: driver}}',
    '  template:',
    '    metadata: {labels: {app: driver}}',
    '    spec:',
    '      containers: [{name: driver, image: example/driver:1.0.0}]',
    '      volumes:',
    '        - name: extra',
    '          configMap: {name: test-cm}',
    '',
  ].join('\n');
  const dir = writeTree({
    'internal/state/testdata/golden/driver.yaml': `${cm('driver-config')}---\n${ds}`,
    'deploy/driver.yaml': `${cm('driver-config')}---\n${ds}`,
  });
  const got = lintPaths([dir], { cwd: dir, rules: only('missing-references') }).results.flatMap((r) =>
    r.messages.map((m) => `${r.filePath} ${m.level}`),
  );
  expect(got.sort()).toEqual(['deploy/driver.yaml warning', 'internal/state/testdata/golden/driver.yaml info']);
});
