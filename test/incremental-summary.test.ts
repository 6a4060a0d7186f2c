/**
 * The state header's packed read sets (incremental-state.ts, packSummary): they read back as the lists
 * they were, and the search for dirty keys in the packed text finds a key exactly when the list holds it.
 */
import * as fc from 'fast-check';
import { packSummary, readsMeet, readsToken, unpackSummary, type CheckSummary } from '../src/engine/incremental-state';

// keys as index-reads.ts makes them (parts joined by NUL), with the packing's separator and empty parts among them
const part = fc.oneof(fc.constantFrom('', 'a', 'team-0', 'Deployment', '\u0001', 'x\u0001y', 'é'), fc.string({ maxLength: 4 }));
const key = fc.array(part, { minLength: 1, maxLength: 4 }).map((ps) => ps.join('\u0000'));

const roundTrip = (s: CheckSummary): CheckSummary => unpackSummary(structuredClone(packSummary(s)));

test('packed read sets read back as they were, and meet exactly the dirty keys they hold', () => {
  fc.assert(
    fc.property(fc.uniqueArray(key, { maxLength: 12 }), fc.uniqueArray(key, { maxLength: 6 }), (reads, dirty) => {
      const s = roundTrip({ reads, nv: 2, inl: ['r'] });
      expect(s.reads).toEqual(reads);
      expect([s.nv, s.inl]).toEqual([2, ['r']]);
      // written again without being read: the same packed form
      expect(packSummary(roundTrip({ reads, nv: 0, inl: [] }))).toEqual(packSummary({ reads, nv: 0, inl: [] }));
      const has = (k: string) => dirty.includes(k);
      const meets = readsMeet(
        roundTrip({ reads, nv: 0, inl: [] }),
        dirty.map((k) => [k, readsToken(k)]),
        has,
      );
      expect(meets).toBe(reads.some(has));
    }),
    { numRuns: 500 },
  );
});
