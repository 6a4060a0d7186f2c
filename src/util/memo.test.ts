import { memoizeString } from './memo';

test('memoizeString calls the function once per string, caches false and null, and clears at its limit', () => {
  const calls: string[] = [];
  const f = memoizeString((s) => {
    calls.push(s);
    return s === 'n' ? null : s.length > 1;
  }, 3);
  expect([f('ab'), f('ab'), f('a'), f('a'), f('n'), f('n')]).toEqual([true, true, false, false, null, null]);
  expect(calls).toEqual(['ab', 'a', 'n']);
  // the fourth distinct string clears the table: earlier ones are computed again
  f('xyz');
  f('ab');
  expect(calls).toEqual(['ab', 'a', 'n', 'xyz', 'ab']);
});
