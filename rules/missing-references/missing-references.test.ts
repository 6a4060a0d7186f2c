import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintText, only } from '../../test/helpers';

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
