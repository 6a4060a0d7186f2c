// The summaries of a file's checks (the union of their reads, their counts) as the state's header keeps them (incremental-store.ts).
import type { CheckSummary } from './incremental-state.js';

/**
 * A summary packed: the reads as one string, each key between two U+0001 (one string for the serializer to copy,
 * not one per key: tens of thousands in all), split into a list only when a file's reads are listed, and searched for
 * the run's dirty keys without being split ({@link readsMeet}): exactly, as no key of a packed list holds U+0001 (such
 * a list is kept as it is).
 */
export type PackedSummary = [reads: string | string[], nv: number, inl: string[]];

/**
 * A summary as the header stores it: a packed list of reads whose characters are all one byte each (every one, in
 * practice) as a range of one latin1 buffer shared by the header's summaries, else as it is. V8's deserializer made
 * the 500 strings of about 3 kB of the bench's state in about 9 ms; the buffer is searched as it is.
 */
export type StoredSummary = [reads: [off: number, len: number] | string | string[], nv: number, inl: string[]];

const SEP = '\u0001';
const WIDE = /[^\u0000-\u00ff]/;
/** a summary read back: its packed reads, as a string (unpackSummary) or as latin1 bytes of the header's buffer (loadSummary) */
const packedReads = new WeakMap<CheckSummary, string | Buffer>();

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

/** The stored forms of `list`, and the buffer their reads' ranges are in (a summary read from a buffer: its bytes copied). */
export function storeSummaries(list: readonly CheckSummary[]): { reads: Buffer; stored: StoredSummary[] } {
  const parts: Buffer[] = [];
  let at = 0;
  const stored = list.map((s): StoredSummary => {
    const known = packedReads.get(s);
    let bytes: Buffer;
    if (known !== undefined && typeof known !== 'string') bytes = known;
    else {
      const [r] = packSummary(s);
      if (typeof r !== 'string' || WIDE.test(r)) return [r, s.nv, s.inl];
      bytes = Buffer.from(r, 'latin1');
    }
    parts.push(bytes);
    at += bytes.length;
    return [[at - bytes.length, bytes.length], s.nv, s.inl];
  });
  return { reads: Buffer.concat(parts, at), stored };
}

/** A stored summary (`reads`: the buffer of {@link storeSummaries}). */
export function loadSummary(reads: Buffer, [r, nv, inl]: StoredSummary): CheckSummary {
  if (typeof r === 'string' || typeof r[0] !== 'number') return unpackSummary([r as string | string[], nv, inl]);
  const [off, len] = r as [number, number];
  if (!(Number.isInteger(off) && Number.isInteger(len) && off >= 0 && len >= 0 && off + len <= reads.length))
    throw new Error('the state is inconsistent');
  return lazySummary(reads.subarray(off, off + len), nv, inl);
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
