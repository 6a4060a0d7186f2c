/**
 * NameTable.closest(word) must be closest(word, names) exactly (the "did you mean" of missing-references and
 * the other cross-object rules), while comparing the word with few names.
 */
import { NameTable } from './closest-name';
import { closest } from '../util/strings';

let seed = 7;
const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function mutate(s: string, alphabet: string): string {
  const cps = Array.from(s);
  const edits = Math.floor(rand() * 4);
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(rand() * (cps.length + 1));
    const r = rand();
    if (r < 0.33 && cps.length > 1) cps.splice(Math.min(i, cps.length - 1), 1);
    else if (r < 0.66) cps.splice(i, 0, pick([...alphabet]));
    else cps[Math.min(i, cps.length - 1)] = pick([...alphabet]);
  }
  return cps.join('');
}

function check(names: string[], words: string[]): number {
  // the tables from the first word, and as the lint builds them (after a few words compared with every name)
  const table = new NameTable(names, 0);
  const lazy = new NameTable(names);
  let found = 0;
  for (const w of words) {
    const want = closest(w, names);
    const got = table.closest(w);
    expect(lazy.closest(w)).toBe(want);
    if (got !== want)
      throw new Error(`${JSON.stringify(w)} over ${JSON.stringify(names.slice(0, 20))}…: ${String(got)} vs ${String(want)}`);
    if (want !== undefined) found++;
  }
  return found;
}

describe('NameTable', () => {
  test('synthetic names all within a few edits of each other (svc-N)', () => {
    const names = Array.from({ length: 400 }, (_, i) => `svc-${String(i * 17 + 3)}`);
    const long = Array.from({ length: 400 }, (_, i) => `svc-${String(10000 + i * 23)}`);
    const words = [
      ...Array.from({ length: 200 }, (_, i) => `svc-${String(i * 13)}`),
      ...Array.from({ length: 200 }, (_, i) => `svc-${String(10000 + i * 7)}`),
    ];
    expect(check(names, words)).toBeGreaterThan(100);
    expect(check(long, words)).toBeGreaterThan(100);
    expect(check([...names, ...long], words)).toBeGreaterThan(200);
  });

  test('random names, mixed case, surrogates, duplicates and words near them or not', () => {
    const alphabets = ['abc-', 'abcdefghij-0123', 'aAbB-', 'ab😀-', 'İiı-a'];
    let found = 0;
    for (let round = 0; round < 300; round++) {
      const alphabet = pick(alphabets);
      const base = Array.from({ length: 1 + Math.floor(rand() * 6) }, () =>
        Array.from({ length: 3 + Math.floor(rand() * 18) }, () => pick([...alphabet])).join(''),
      );
      const names = Array.from({ length: 1 + Math.floor(rand() * 40) }, () => mutate(pick(base), alphabet));
      const words = Array.from({ length: 20 }, () => (rand() < 0.8 ? mutate(pick(names), alphabet) : mutate(pick(base), alphabet)));
      found += check(names, words);
    }
    expect(found).toBeGreaterThan(1000);
  });

  test('an empty table and an exact match', () => {
    expect(new NameTable([]).closest('web-frontend')).toBeUndefined();
    expect(new NameTable(['web-frontend', 'web-frontenD']).closest('web-frontend')).toBe('web-frontend');
    expect(new NameTable(['Web-Frontend-x', 'web-frontend-y']).closest('WEB-FRONTEND-X')).toBe('Web-Frontend-x');
  });
});
