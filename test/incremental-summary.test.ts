/**
 * The state header's packed read sets (incremental-state.ts, packSummary; stored as records, storeSummaries): they read
 * back as the lists they were, and the search for dirty keys in the packed text finds a key exactly when the list holds it.
 */
import * as v8 from 'node:v8';
import * as fc from 'fast-check';
import {
  loadSummary,
  packSummary,
  readsMeet,
  readsToken,
  storeSummaries,
  unpackSummary,
  type CheckSummary,
  type StoredSummary,
} from '../src/engine/incremental-state';
import type { Ref } from '../src/engine/incremental-pack';

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

test('stored in the header, the packed read sets read back as they were, and meet exactly the dirty keys they hold', () => {
  const wide = fc.oneof(part, fc.constantFrom('€', '😀', '\ud800', 'ÿ'));
  const wideKey = fc.array(wide, { minLength: 1, maxLength: 3 }).map((ps) => ps.join('\u0000'));
  const reads = fc.uniqueArray(wideKey, { maxLength: 8 });
  /**
   * Stored through a record store (as PackWriter.put: a record named again is copied from the previous store's bytes) and
   * V8's serializer, as the header is written and read: the bytes of the records, and the summaries read back.
   */
  const storedAndRead = (list: CheckSummary[], before?: Buffer) => {
    const records: Buffer[] = [];
    let at = 0;
    const put = (bytes: Buffer | undefined, ref?: Ref): Ref => {
      const b = bytes ?? before!.subarray(ref![1], ref![1] + ref![2]);
      records.push(b);
      at += b.length;
      return [1, at - b.length, b.length];
    };
    const stored = v8.deserialize(v8.serialize(storeSummaries(list, put))) as StoredSummary[];
    const b = Buffer.concat(records);
    return { b, loaded: stored.map((s) => loadSummary((r) => b.subarray(r[1], r[1] + r[2]), s)) };
  };
  fc.assert(
    fc.property(fc.array(reads, { maxLength: 6 }), fc.uniqueArray(wideKey, { maxLength: 6 }), (sets, dirty) => {
      const list = sets.map((r, i) => ({ reads: r, nv: i, inl: i % 2 ? ['x'] : [] }));
      const { b, loaded } = storedAndRead(list);
      const keys = dirty.map((k): [string, string] => [k, readsToken(k)]);
      loaded.forEach((s, i) => {
        expect(packSummary(s)).toEqual(packSummary(list[i]!));
        expect(readsMeet(s, keys, (k) => dirty.includes(k))).toBe(sets[i]!.some((k) => dirty.includes(k)));
        expect(s.reads).toEqual(sets[i]);
        expect([s.nv, s.inl]).toEqual([list[i]!.nv, list[i]!.inl]);
      });
      // only the one-byte texts are in the buffer; stored again (their bytes copied), the same buffer
      const packed = list.map((s) => packSummary(s)[0]);
      expect(b.length).toBe(packed.reduce((n, r) => n + (typeof r === 'string' && !/[^\u0000-\u00ff]/.test(r) ? r.length : 0), 0));
      const again = storedAndRead(list);
      expect(storedAndRead(again.loaded, again.b).b.equals(b)).toBe(true);
    }),
    { numRuns: 300 },
  );
});
