/** relativePath (src/load/relative.ts) answers what path.relative answers, for any pair of paths. */
import * as path from 'node:path';
import * as fc from 'fast-check';
import { relativePath } from '../src/load/relative';

const seg = fc.constantFrom('a', 'b', 'ab', '.', '..', '', '.x', 'x.', '...', 'a b');
const abs = fc.array(seg, { maxLength: 5 }).map((s) => `/${s.join('/')}`);
const withTail = fc
  .tuple(abs, fc.array(seg, { maxLength: 4 }), fc.boolean())
  .map(([a, t, slash]) => `${a}/${t.join('/')}${slash ? '/' : ''}`);

test('relativePath is path.relative', () => {
  fc.assert(
    fc.property(abs, fc.oneof(abs, withTail), (from, to) => {
      expect(relativePath(from, to)).toBe(path.relative(from, to));
    }),
    { numRuns: 3000 },
  );
  // under `from`, with `from` a prefix of `to` (the case sliced directly)
  fc.assert(
    fc.property(abs, fc.array(seg, { minLength: 1, maxLength: 4 }), (from, tail) => {
      const to = `${from}/${tail.join('/')}`;
      expect(relativePath(from, to)).toBe(path.relative(from, to));
    }),
    { numRuns: 3000 },
  );
  expect(relativePath('/w/c5k', '/w/c5k/part-1.yaml')).toBe('part-1.yaml');
  expect(relativePath('/', '/a')).toBe('a');
  expect(relativePath('/w', '/w')).toBe('');
});
