/**
 * plainScalar() answers most scalars without the resolution tables (document.ts quickPlain): its value and
 * its ambiguity records must be exactly those of resolveV2() and ambiguity() for every scalar.
 */
import { plainScalar, type Ambiguity } from './document';
import { ambiguity, resolveV2 } from './goyaml';

function reference(raw: string): { value: unknown; ambiguous: boolean } {
  const r = resolveV2(raw);
  return { value: r.value, ambiguous: ambiguity(raw, r) !== undefined };
}

function viaPlainScalar(raw: string): { value: unknown; ambiguous: boolean } {
  const found: Ambiguity[] = [];
  const value = plainScalar(raw, false, ['a'], 0, raw.length, found, false);
  return { value, ambiguous: found.length > 0 };
}

const words = [
  '',
  '~',
  'null',
  'Null',
  'NULL',
  'nUll',
  'nullable',
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'yEs',
  'yaml',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'nO',
  'name',
  'namespace',
  'nginx',
  'on',
  'On',
  'ON',
  'oN',
  'off',
  'Off',
  'OFF',
  'oFF',
  'only',
  'true',
  'True',
  'TRUE',
  'tRUE',
  'truex',
  'tcp',
  'false',
  'False',
  'FALSE',
  'fALSE',
  'falsey',
  'foo',
  'TCP',
  'Always',
  'metadata',
  'app.kubernetes.io/name',
  '0',
  '00',
  '0644',
  '0o644',
  '0x1F',
  '0b101',
  '1',
  '9',
  '10',
  '80',
  '8080',
  '123456789012345',
  '1234567890123456',
  '12345678901234567890',
  '99999999999999999999',
  '1_000',
  '1e3',
  '1.5',
  '1.',
  '1.5e3',
  '10Gi',
  '500m',
  '1:2',
  '22:22',
  '2024-01-01',
  '+1',
  '-1',
  '-0',
  '+0',
  '-0644',
  '.5',
  '.inf',
  '-.inf',
  '+.inf',
  '.nan',
  '.NaN',
  '1.0.0',
  '9a',
  '1 2',
  '٣',
  '1\u00a0',
  '*',
  '<<',
  '/bin/sh',
  '"x"',
  '@x',
  'Ünïcode',
  '😀',
];

describe('plainScalar', () => {
  test.each(words)('%j reads as resolveV2 and ambiguity() read it', (raw) => {
    expect(viaPlainScalar(raw)).toEqual(reference(raw));
  });

  test('every two-character scalar over digits, signs, dots, letters and underscores', () => {
    const alphabet = '0123456789+-._eExXoObBnNyYtTfFaz~ ';
    let n = 0;
    for (const a of alphabet) {
      for (const b of alphabet) {
        for (const c of ['', ...alphabet]) {
          const raw = a + b + c;
          const got = viaPlainScalar(raw);
          const want = reference(raw);
          if (!Object.is(got.value, want.value) || got.ambiguous !== want.ambiguous)
            throw new Error(`${JSON.stringify(raw)}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
          n++;
        }
      }
    }
    expect(n).toBe(alphabet.length * alphabet.length * (alphabet.length + 1));
  });
});
