// Imports are extensionless: jest.config.js has no ".js" -> ".ts" mapper.
import fc from 'fast-check';
import { boundedLevenshtein, closest, defaultMaxDistance, levenshtein } from './strings';

describe('levenshtein', () => {
  test.each<[string, string, number]>([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['abc', 'abc', 0],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['saturday', 'sunday', 3],
    ['limits', 'limts', 1],
    ['imagePullPolicy', 'imagePulPolicy', 1],
    ['Always', 'always', 1],
    ['café', 'cafe', 1],
    ['😀', 'a', 1], // code points, not UTF-16 units
    ['a😀b', 'ab', 1],
    ['abc', 'cba', 2],
  ])('(%p, %p) = %s', (a, b, d) => {
    expect(levenshtein(a, b)).toBe(d);
    expect(levenshtein(b, a)).toBe(d);
  });

  const str = fc.string({ maxLength: 12, unit: fc.constantFrom('a', 'b', 'c', 'A', '😀', 'é') });

  test('metric properties', () => {
    fc.assert(
      fc.property(str, str, str, (a, b, c) => {
        const ab = levenshtein(a, b);
        expect(ab).toBe(levenshtein(b, a));
        expect(ab === 0).toBe(a === b);
        expect(levenshtein(a, c)).toBeLessThanOrEqual(ab + levenshtein(b, c));
        const la = Array.from(a).length;
        const lb = Array.from(b).length;
        expect(ab).toBeGreaterThanOrEqual(Math.abs(la - lb));
        expect(ab).toBeLessThanOrEqual(Math.max(la, lb));
      }),
    );
  });

  test('one edit is distance one', () => {
    fc.assert(
      fc.property(str, fc.nat(), fc.constantFrom('x', 'Z', '😃'), (a, i, ch) => {
        const cps = Array.from(a);
        const at = cps.length === 0 ? 0 : i % (cps.length + 1);
        const inserted = [...cps.slice(0, at), ch, ...cps.slice(at)].join('');
        expect(levenshtein(a, inserted)).toBe(1);
      }),
    );
  });
});

describe('closest', () => {
  const fields = ['imagePullPolicy', 'imagePullSecrets', 'image', 'command', 'args', 'resources', 'limits', 'requests'];

  test('finds typos', () => {
    expect(closest('imagePulPolicy', fields)).toBe('imagePullPolicy');
    expect(closest('limts', fields)).toBe('limits');
    expect(closest('requets', fields)).toBe('requests');
    expect(closest('resouces', fields)).toBe('resources');
    expect(closest('comand', fields)).toBe('command');
  });

  test('case-insensitive matches win', () => {
    expect(closest('IMAGEPULLPOLICY', fields)).toBe('imagePullPolicy');
    expect(closest('Limits', ['limits', 'Limit'])).toBe('limits'); // ci 0 beats cs 1
    expect(closest('always', ['Always', 'Never', 'IfNotPresent'])).toBe('Always');
  });

  test('among equal case-insensitive distance, smaller case-sensitive distance wins', () => {
    expect(closest('ab', ['AB', 'Ab'])).toBe('Ab');
    expect(closest('Ab', ['aB', 'Ab'])).toBe('Ab');
  });

  test('ties are broken alphabetically (code-unit order), independent of input order', () => {
    expect(closest('cat', ['hat', 'eat', 'bat'])).toBe('bat');
    expect(closest('cat', ['bat', 'eat', 'hat'])).toBe('bat');
    expect(closest('x', ['b', 'a', 'B'])).toBe('B'); // 'B' < 'a' < 'b' in code units
  });

  test('nothing close enough', () => {
    expect(closest('foo', fields)).toBeUndefined();
    expect(closest('completelydifferent', fields)).toBeUndefined();
    expect(closest('abc', [])).toBeUndefined();
  });

  test('maxDistance', () => {
    expect(closest('abc', ['xyz'], 3)).toBe('xyz');
    expect(closest('abc', ['xyz'], 2)).toBeUndefined();
    expect(closest('abc', ['abd'], 0)).toBeUndefined();
    expect(closest('abc', ['ABC'], 0)).toBe('ABC');
    expect(closest('abc', ['xyz'], Infinity)).toBe('xyz');
    expect(closest('abc', ['abd'], -1)).toBe('abd'); // invalid -> default (1)
    expect(closest('abc', ['abd'], NaN)).toBe('abd');
  });

  test('default threshold: one edit per three code points, at least one', () => {
    expect(defaultMaxDistance('')).toBe(1);
    expect(defaultMaxDistance('abcde')).toBe(1);
    expect(defaultMaxDistance('abcdef')).toBe(2);
    expect(defaultMaxDistance('imagePullPolicy')).toBe(5);
    expect(closest('ab', ['xy'])).toBeUndefined();
    expect(closest('a', ['b'])).toBe('b');
  });

  test('accepts any iterable and ignores duplicates and non-strings', () => {
    function* gen(): Generator<string> {
      yield 'requests';
      yield 'limits';
      yield 'limits';
    }
    expect(closest('limit', gen())).toBe('limits');
    expect(closest('limit', new Set(['limits']))).toBe('limits');
    expect(closest('limit', ['limits', 5 as unknown as string, null as unknown as string])).toBe('limits');
  });

  test('exact candidate is returned', () => {
    expect(closest('image', fields)).toBe('image');
  });

  test('properties: deterministic under permutation, result within distance', () => {
    const word = fc.string({ maxLength: 8, unit: fc.constantFrom('a', 'b', 'c', 'A', 'B') });
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 10 }), fc.option(fc.nat({ max: 4 }), { nil: undefined }), (w, cands, max) => {
        const r = closest(w, cands, max);
        const reversed = closest(w, [...cands].reverse(), max);
        expect(r).toBe(reversed);
        const sorted = closest(w, [...cands].sort(), max);
        expect(r).toBe(sorted);
        if (r !== undefined) {
          expect(cands).toContain(r);
          expect(levenshtein(w.toLowerCase(), r.toLowerCase())).toBeLessThanOrEqual(max ?? defaultMaxDistance(w));
          for (const c of cands) {
            expect(levenshtein(w.toLowerCase(), c.toLowerCase())).toBeGreaterThanOrEqual(levenshtein(w.toLowerCase(), r.toLowerCase()));
          }
        } else {
          for (const c of cands) {
            expect(levenshtein(w.toLowerCase(), c.toLowerCase())).toBeGreaterThan(max ?? defaultMaxDistance(w));
          }
        }
      }),
    );
  });
});

describe('boundedLevenshtein', () => {
  test('equals levenshtein up to the limit, and is past the limit beyond it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), fc.nat({ max: 6 }), (a, b, limit) => {
        const d = levenshtein(a, b);
        const got = boundedLevenshtein(a, b, limit);
        if (d <= limit) expect(got).toBe(d);
        else expect(got).toBeGreaterThan(limit);
      }),
      { numRuns: 3000 },
    );
  });
  test('strings with characters outside the BMP', () => {
    expect(boundedLevenshtein('a😀b', 'ab', 3)).toBe(1);
  });
});
