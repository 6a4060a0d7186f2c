// The summaries of a file's checks (the union of their reads, their counts) as the state's header keeps them (incremental-store.ts).
import type { CheckSummary } from './incremental-state.js';
import type { Ref } from './incremental-pack.js';

/**
 * A summary packed: the reads as one string, each key between two U+0001 (one string for the serializer to copy,
 * not one per key: tens of thousands in all), split into a list only when a file's reads are listed, and searched for
 * the run's dirty keys without being split ({@link readsMeet}): exactly, as no key of a packed list holds U+0001 (such
 * a list is kept as it is).
 */
export type PackedSummary = [reads: string | string[], nv: number, inl: string[]];

/**
 * A summary as the header stores it: a packed list of reads whose characters are all one byte each (every one, in
 * practice) as a record of the state (latin1 bytes, read up front with the pack's head: an unchanged file's is named
 * again, not written again), else as it is. V8's deserializer made the 500 strings of about 3 kB of the bench's state in
 * about 9 ms; the bytes are searched as they are.
 */
export type StoredSummary = [reads: Ref | string | string[], nv: number, inl: string[]];

/** Adds a record (`bytes`), or names a record of the state read again (`ref`); returns where the next state has it. */
export type PutRecord = (bytes: Buffer | undefined, ref?: Ref) => Ref;

const SEP = '\u0001';
const WIDE = /[^\u0000-\u00ff]/;
/** a summary read back: its packed reads, as a string (unpackSummary) or as latin1 bytes of a record (loadSummary) */
const packedReads = new WeakMap<CheckSummary, string | Buffer>();
/** the record a summary's packed reads were read from (loadSummary) */
const readsRefs = new WeakMap<CheckSummary, Ref>();

export function packSummary(s: CheckSummary): PackedSummary {
  const known = packedReads.get(s);
  if (known !== undefined) return [typeof known === 'string' ? known : known.toString('latin1'), s.nv, s.inl];
  const reads = s.reads;
  // no reads: '' (not two separators, which hold one empty key)
  const packed = reads.length === 0 ? '' : reads.some((k) => k.includes(SEP)) ? reads : `${SEP}${reads.join(SEP)}${SEP}`;
  return [packed, s.nv, s.inl];
}

/** A summary whose reads are split from their packed form when first listed. */
function lazySummary(packed: string | Buffer, nv: number, inl: string[]): CheckSummary {
  let reads: string[] | undefined;
  const s = {
    get reads(): string[] {
      if (reads) return reads;
      const text = typeof packed === 'string' ? packed : packed.toString('latin1');
      return (reads = text === '' ? [] : text.slice(1, -1).split(SEP));
    },
    nv,
    inl,
  };
  packedReads.set(s, packed);
  return s;
}

export function unpackSummary([packed, nv, inl]: PackedSummary): CheckSummary {
  return typeof packed === 'string' ? lazySummary(packed, nv, inl) : { reads: packed, nv, inl };
}

/** The stored forms of `list`, their one-byte reads put as records (a summary read from a record names it again). */
export function storeSummaries(list: readonly CheckSummary[], put: PutRecord): StoredSummary[] {
  return list.map((s): StoredSummary => {
    const ref = readsRefs.get(s);
    if (ref) return [put(undefined, ref), s.nv, s.inl];
    const [r] = packSummary(s);
    if (typeof r !== 'string' || WIDE.test(r)) return [r, s.nv, s.inl];
    return [put(Buffer.from(r, 'latin1')), s.nv, s.inl];
  });
}

/** A stored summary (`read`: a record's bytes). */
export function loadSummary(read: (ref: Ref) => Buffer, [r, nv, inl]: StoredSummary): CheckSummary {
  if (typeof r === 'string' || typeof r[0] !== 'number') return unpackSummary([r as string | string[], nv, inl]);
  const ref = r as Ref;
  const s = lazySummary(read(ref), nv, inl);
  readsRefs.set(s, ref);
  return s;
}

/** A key as readsMeet looks for it. */
export const readsToken = (k: string): string => `${SEP}${k}${SEP}`;

/** the tokens of a list of keys (readsMeet) as latin1 bytes; undefined for a token no packed buffer can hold */
const tokenBytes = new WeakMap<readonly [string, string][], (Buffer | undefined)[]>();

/** Whether a summary's reads hold one of `keys`, given with their tokens (readsToken): a packed summary is searched for them. */
export function readsMeet(s: CheckSummary, keys: readonly [string, string][], has: (k: string) => boolean): boolean {
  const packed = packedReads.get(s);
  if (packed === undefined || keys.length > 64) {
    for (const k of s.reads) if (has(k)) return true;
    return false;
  }
  if (typeof packed === 'string') {
    for (const [k, token] of keys) if (!k.includes(SEP) && packed.includes(token)) return true;
    return false;
  }
  let tokens = tokenBytes.get(keys);
  if (!tokens)
    tokenBytes.set(keys, (tokens = keys.map(([k, t]) => (k.includes(SEP) || WIDE.test(t) ? undefined : Buffer.from(t, 'latin1')))));
  for (const t of tokens) if (t && packed.indexOf(t) >= 0) return true;
  return false;
}
