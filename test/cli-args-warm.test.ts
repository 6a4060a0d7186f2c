/**
 * The warm path reads its four flags without parseArgs (src/cli-args.ts scanWarmFlags): wherever it gives an answer,
 * the answer is parse()'s, on hand-picked command lines and on random ones made of the real options.
 */
import { parse, scanWarmFlags } from '../src/cli-args';

const pick = (v: Record<string, unknown>) => ({
  cache: v.cache as boolean | undefined,
  'cache-location': v['cache-location'] as string | undefined,
  config: v.config as string | undefined,
  'no-config': v['no-config'] as boolean | undefined,
});

function agrees(argv: string[]): 'same' | 'declined' | 'invalid' {
  let parsed: Record<string, unknown>;
  try {
    parsed = parse(argv).values as Record<string, unknown>;
  } catch {
    return 'invalid';
  }
  const scanned = scanWarmFlags(argv);
  if (scanned === undefined) return 'declined';
  expect({ argv, flags: scanned }).toEqual({ argv, flags: pick(parsed) });
  return 'same';
}

describe('scanWarmFlags', () => {
  test('reads the cache, config and cache file flags as parse() does', () => {
    const cases: string[][] = [
      ['lint', '--cache', '.'],
      ['lint', '--no-config', '--cache', '--cache-location', '/tmp/x.cache', 'corpus'],
      ['lint', '--cache-location=/tmp/y', '--cache', 'a', 'b'],
      ['lint', '-c', 'conf.yaml', '--cache', '.'],
      ['lint', '--config', 'a.yaml', '--config=b.yaml', '--cache', '.'],
      ['lint', '--cache', '-f', 'json', '-o', 'sarif=r.sarif', '.'],
      ['lint', '--format', 'json', '--cache', '--', '--cache-location', 'x'],
      ['lint', '.', '--cache', '--cache-location', 'a', '--cache-location', 'b'],
      ['lint', '-', '--cache'],
      ['lint', '--cache', '-q', '--max-warnings', '0', '.'],
      ['lint', '.'],
    ];
    for (const argv of cases) expect(agrees(argv)).toBe('same');
  });

  test('declines forms it does not follow', () => {
    expect(scanWarmFlags(['lint', '-qc', 'x.yaml', '--cache', '.'])).toBeUndefined();
    expect(scanWarmFlags(['lint', '--cache', '--unknown', '.'])).toBeUndefined();
    expect(scanWarmFlags(['lint', '--cache', '--cache-location'])).toBeUndefined();
  });

  test('random command lines: the same answer, or none', () => {
    const words = [
      'lint',
      '.',
      'a.yaml',
      '-',
      '--',
      '--cache',
      '--no-config',
      '-c',
      'x.yaml',
      '--config',
      '--config=y.yaml',
      '--cache-location',
      '--cache-location=z',
      'loc',
      '-f',
      'json',
      '--format=sarif',
      '-q',
      '-qv',
      '--quiet',
      '--rule',
      'a=off',
      '--fix',
      '-o',
      'out.txt',
      '--max-warnings',
      '3',
      '--cache=1',
      '--bogus',
    ];
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const seen = { same: 0, declined: 0, invalid: 0 };
    for (let i = 0; i < 3000; i++) {
      const argv = Array.from({ length: 1 + rnd(7) }, () => words[rnd(words.length)]!);
      seen[agrees(argv)]++;
    }
    // the generator reaches all three outcomes (so the check above ran on many valid command lines)
    expect(seen.same).toBeGreaterThan(300);
    expect(seen.invalid).toBeGreaterThan(100);
  });
});
