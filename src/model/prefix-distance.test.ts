/** PrefixDistances (src/model/prefix-distance.ts) gives boundedLevenshtein's answer for every name, in any order. */
import { boundedLevenshtein } from '../util/strings';
import { PrefixDistances } from './prefix-distance';

let seed = 11;
const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const word = (alphabet: string, max: number): string =>
  Array.from({ length: Math.floor(rand() * max) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');

describe('PrefixDistances', () => {
  test.each([
    ['ab', 6],
    ['abc-12', 10],
    ['svc-0123456789', 12],
  ])('the distance within the limit, else limit + 1, as boundedLevenshtein (alphabet %s)', (alphabet, max) => {
    for (let round = 0; round < 200; round++) {
      const w = word(alphabet, max);
      const limit = Math.floor(rand() * 4);
      const names = Array.from({ length: 30 }, () => word(alphabet, max));
      // sorted (shared prefixes, as NameTable gives them) and as they come
      for (const list of [[...names].sort(), names]) {
        const pd = new PrefixDistances(w, limit);
        for (const n of list) {
          const want = boundedLevenshtein(w, n, limit);
          expect([w, n, limit, pd.distance(n)]).toEqual([w, n, limit, want > limit ? limit + 1 : want]);
        }
      }
    }
  });

  test('names sharing a prefix with the one before, and names that repeat', () => {
    const pd = new PrefixDistances('svc-120', 2);
    expect(['svc-12', 'svc-120', 'svc-120', 'svc-1203', 'svc-133', 'svc-183', 'svc-2', 'web-0', ''].map((n) => pd.distance(n))).toEqual([
      1, 0, 0, 1, 2, 2, 2, 3, 3,
    ]);
  });
});
