/**
 * A file's result as the incremental state keeps it (incremental-store.ts): its findings decoded only when
 * read, its counts and a digest of its content known without decoding. The run's summary reads the counts
 * (run-summary.ts), and the stylish report of a `--cache` run copies the previous run's text of a file whose
 * digest is unchanged (report-blocks.ts), so that a replayed file's findings are usually never decoded.
 */
import type { FileFindings, Finding } from './finding.js';

/** errors, warnings, infos, suppressed */
export type ResultCounts = [number, number, number, number];

const counts = new WeakMap<FileFindings, ResultCounts>();
const digests = new WeakMap<FileFindings, string>();
/**
 * A stored result's digest and counts: own properties, not enumerable (a spread copy, which may be changed, does not
 * take them), rather than entries of the WeakMaps above (one per replayed file and run, costly to add and to collect).
 */
const DIGEST = Symbol('digest');
const COUNTS = Symbol('counts');
type Known = { [DIGEST]?: string; [COUNTS]?: ResultCounts };

/** The counts of a result (from the state when it was stored, else counted). */
export function countsOf(r: FileFindings): ResultCounts {
  const known = (r as Known)[COUNTS] ?? counts.get(r);
  if (known) return known;
  const c: ResultCounts = [0, 0, 0, r.suppressed.length];
  for (const f of r.findings) {
    if (f.severity === 'error') c[0]++;
    else if (f.severity === 'warning') c[1]++;
    else c[2]++;
  }
  return c;
}

/** Notes a result's counts, for a result whose findings are not kept (a streamed file's head, stream.ts). */
export function noteCounts(r: FileFindings, c: ResultCounts): void {
  counts.set(r, c);
}

/** The digest of a result's content as stored (undefined for a result the state did not store as it is). */
export function digestOf(r: FileFindings): string | undefined {
  return (r as Known)[DIGEST] ?? digests.get(r);
}

/** node:crypto, loaded by the first digest: a run without the cache digests nothing (about 15 modules to load) */
let crypto: typeof import('node:crypto') | undefined;

/** Notes the digest of a result's stored bytes (and its counts); undefined when the stored bytes do not stand for it. */
export function noteStored(r: FileFindings, bytes: Uint8Array): { digest: string; counts: ResultCounts } {
  crypto ??= require('node:crypto') as typeof import('node:crypto');
  const digest = crypto.createHash('sha1').update(bytes).digest('base64');
  const c = countsOf(r);
  if (Object.hasOwn(r, DIGEST)) {
    (r as Known)[DIGEST] = digest;
    (r as Known)[COUNTS] = c;
  } else {
    digests.set(r, digest);
    counts.set(r, c);
  }
  return { digest, counts: c };
}

/** What a stored result keeps besides its findings (read up front). */
export interface ResultHead {
  filePath: string;
  objectCount: number;
  skipped?: string;
  digest: string;
  counts: ResultCounts;
}

/**
 * A stored result: `findings` and `suppressed` are own enumerable accessors (a spread or JSON.stringify
 * reads them as plain properties) that decode the record on first read; assigning one replaces it.
 */
export function lazyResult(h: ResultHead, decode: () => { findings: Finding[]; suppressed: Finding[] }): FileFindings {
  let body: { findings: Finding[]; suppressed: Finding[] } | undefined;
  const get = () => (body ??= decode());
  // the keys in the order a result has them
  const r = { filePath: h.filePath } as FileFindings;
  Object.defineProperties(r, {
    findings: {
      get: () => get().findings,
      set: (v: Finding[]) => {
        get().findings = v;
        forget(r);
      },
      enumerable: true,
      configurable: true,
    },
    suppressed: {
      get: () => get().suppressed,
      set: (v: Finding[]) => {
        get().suppressed = v;
        forget(r);
      },
      enumerable: true,
      configurable: true,
    },
    [DIGEST]: { value: h.digest, writable: true },
    [COUNTS]: { value: h.counts, writable: true },
  });
  r.objectCount = h.objectCount;
  if (h.skipped !== undefined) r.skipped = h.skipped;
  return r;
}

/** A result changed in place: its stored counts and digest no longer hold. */
export function forget(r: FileFindings): void {
  digests.delete(r);
  counts.delete(r);
  const k = r as Known;
  if (k[DIGEST] !== undefined) k[DIGEST] = k[COUNTS] = undefined;
}

/** A result as plain data (a stored result's accessors read). */
export function plainResult(r: FileFindings): FileFindings {
  const p: FileFindings = { filePath: r.filePath, findings: r.findings, suppressed: r.suppressed, objectCount: r.objectCount };
  if (r.skipped !== undefined) p.skipped = r.skipped;
  return p;
}
