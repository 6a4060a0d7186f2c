/**
 * The incremental cache's state (`<cache>.inc` and `<cache>.inc.pack`, incremental-pack.ts): read, used, written back.
 *
 * Values are stored with V8's serializer, which keeps every value a YAML parse yields (NaN, ±Infinity,
 * -0, large integers) exactly, as stand-in objects must read like the parsed ones. Each file's entry is
 * five records: its base (hash, the objects' heads, early findings, the result's counts and digest), its
 * objects' values and their keys (read only when a check or the diff needs them), what a re-check changes
 * (checks, ranges), and its result (findings, read and decoded only when a report reads them, possibly
 * after the run: stored-result.ts). All but the base are decoded only when used, and a record not decoded is named
 * again, not written again: a run writes the records of the files it read or re-checked, and the header
 * (which holds what a replayed file needs of its checks: the union of their reads, their counts).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import {
  INCREMENTAL_FORMAT,
  Incremental,
  IncrementalRestart,
  summarize,
  type CheckSummary,
  type FileEntry,
  type IncrementalState,
  type StoredObject,
} from './incremental.js';
import { PackReader, PackWriter, type Ref } from './incremental-pack.js';
import { FileRecords, StoredView, recordStats, type Dyn, type Values } from './incremental-records.js';
import { loadSummary, storeSummaries, type StoredSummary } from './incremental-summary.js';
import { headOf, jsonSafe } from './incremental-diff.js';
import { lazyResult, noteStored, plainResult, type ResultHead } from './stored-result.js';
import type { FileFindings } from './finding.js';
import type { FindingsRun } from './linter.js';

interface Header {
  format: number;
  key: string;
  others: string;
  ruleReads: IncrementalState['ruleReads'];
  exist: IncrementalState['exist'];
  /** per file: its path, its records (base, values, keys, checks, result), and the summary of its checks and the rules that checked it */
  files: [string, Ref, Ref, Ref, Ref, Ref, StoredSummary, string[]][];
}

/** What is read up front of a file: its objects' heads (their values are in the values record), its early findings, its result's head. */
type Base = Omit<FileEntry, 'checks' | 'rules' | 'objects' | 'summary' | 'result'> & {
  objects: Omit<StoredObject, 'ranges' | 'keys' | 'data'>[];
  res: ResultHead;
};
/** The records each decoded entry came from, reused when the entry's base is unchanged. */
const rawBase = new WeakMap<
  StoredObject[],
  { base: Ref; values: Ref; keys: Ref; res: Ref; result: FileEntry['result']; early: FileEntry['early'] }
>();

/** A file's entry as read: its checks decoded when first read. */
class StoredEntry implements FileEntry {
  hash: string;
  display: string;
  early: FileEntry['early'];
  result: FileEntry['result'];
  notManifest?: boolean;
  #checks: FileEntry['checks'] | undefined;
  readonly #rec: FileRecords;
  constructor(
    b: Omit<Base, 'objects' | 'res'>,
    result: FileEntry['result'],
    public objects: StoredObject[],
    public rules: string[],
    public summary: CheckSummary | undefined,
    rec: FileRecords,
  ) {
    this.hash = b.hash;
    this.display = b.display;
    this.early = b.early;
    this.result = result;
    if (b.notManifest) this.notManifest = true;
    this.#rec = rec;
  }
  /** the check record it was read from, while not decoded (a copy of the entry is not a StoredEntry: its checks are written) */
  get rawChecks(): Ref | undefined {
    return this.#rec.decoded ? undefined : this.#rec.dref;
  }
  get checks(): FileEntry['checks'] {
    return (this.#checks ??= this.#rec.dyn().checks);
  }
  set checks(c: FileEntry['checks']) {
    this.#checks = c;
  }
}

function decodeState(r: PackReader): IncrementalState {
  const h = r.header as Header;
  const files: Record<string, FileEntry> = {};
  for (const [abs, bref, vref, kref, dref, rref, summary, rules] of h.files) {
    const { objects: stored, res, ...b } = v8.deserialize(r.bytes(bref)) as Base;
    const rec = new FileRecords(r, vref, kref, dref);
    const objects: StoredObject[] = stored.map((o, i) => new StoredView(o, rec, i));
    const result = lazyResult(res, () => v8.deserialize(r.bytes(rref, true)) as FileFindings);
    rawBase.set(objects, { base: bref, values: vref, keys: kref, res: rref, result, early: b.early });
    const e = new StoredEntry(b, result, objects, rules, loadSummary(r.side, summary), rec);
    files[abs] = e;
  }
  return { format: h.format, key: h.key, others: h.others, ruleReads: h.ruleReads, exist: h.exist, files };
}

function encodeState(s: IncrementalState, w: PackWriter): ReturnType<PackWriter['finish']> {
  const list: [string, Ref, Ref, Ref, Ref, Ref, CheckSummary, string[]][] = [];
  // one array per distinct list of rules (most files have the same): the serializer writes a repeated object as a reference
  const ruleLists = new Map<string, string[]>();
  for (const [abs, e] of Object.entries(s.files)) {
    const raw = rawBase.get(e.objects);
    let bref: Ref;
    let vref: Ref;
    let kref: Ref;
    let rref: Ref;
    if (raw && raw.result === e.result && raw.early === e.early) {
      bref = w.put(true, undefined, raw.base);
      vref = w.put(false, undefined, raw.values);
      kref = w.put(false, undefined, raw.keys);
      rref = w.put(false, undefined, raw.res);
    } else {
      if (raw) {
        // the same objects: their values and keys records stay
        vref = w.put(false, undefined, raw.values);
        kref = w.put(false, undefined, raw.keys);
      } else {
        // field by field: reading `checks` or `ranges` would decode the check record
        const values = e.objects.map((o) => o.data);
        vref = w.put(
          false,
          v8.serialize((jsonSafe(values) ? { json: values.map((v) => JSON.stringify(v)) } : { data: values }) satisfies Values),
        );
        kref = w.put(false, v8.serialize(e.objects.map((o) => o.keys)));
      }
      const rb = v8.serialize(plainResult(e.result));
      // read only when decoded (a report after the run may decode it: the reader lets it, see PackReader.close)
      rref = w.put(false, rb);
      const { digest, counts } = noteStored(e.result, rb);
      const res: ResultHead = { filePath: e.result.filePath, objectCount: e.result.objectCount, digest, counts };
      if (e.result.skipped !== undefined) res.skipped = e.result.skipped;
      const base: Base = {
        hash: e.hash,
        display: e.display,
        objects: e.objects.map((o) => {
          const so: Base['objects'][number] = { doc: o.doc, base: o.base, head: o.head ?? headOf(o.data) };
          if (o.proj) so.proj = o.proj;
          return so;
        }),
        early: e.early,
        res,
      };
      if (e.notManifest) base.notManifest = true;
      bref = w.put(true, v8.serialize(base));
    }
    const rd = e instanceof StoredEntry ? e.rawChecks : undefined;
    let dref: Ref;
    let summary: CheckSummary;
    if (rd && e.summary) {
      dref = w.put(false, undefined, rd);
      summary = e.summary;
    } else {
      dref = w.put(false, v8.serialize({ checks: e.checks, ranges: e.objects.map((o) => o.ranges) } satisfies Dyn));
      summary = summarize(e.checks);
    }
    const rk = e.rules.join('\0');
    let rules = ruleLists.get(rk);
    if (!rules) ruleLists.set(rk, (rules = e.rules));
    list.push([abs, bref, vref, kref, dref, rref, summary, rules]);
  }
  const { reads, stored } = storeSummaries(list.map((f) => f[6]));
  const files = list.map((f, i): Header['files'][number] => [f[0], f[1], f[2], f[3], f[4], f[5], stored[i]!, f[7]]);
  // the read sets beside the header (PackReader.side), not copied into it by the serializer
  return w.finish(
    () => ({ format: s.format, key: s.key, others: s.others, ruleReads: s.ruleReads, exist: s.exist, files }) satisfies Header,
    reads,
  );
}

/** Lints through the incremental cache at `file`; a missing, stale or corrupt state lints afresh (and records). */
export function runIncremental(
  file: string,
  key: string,
  hashes: Record<string, string>,
  inputs: ReadonlySet<string>,
  lint: (inc?: Incremental) => FindingsRun,
  write: (file: string, data: Buffer[]) => void,
): FindingsRun {
  const others: Record<string, string> = {};
  for (const [k, v] of Object.entries(hashes)) if (!inputs.has(k)) others[k] = v;
  const othersDigest = crypto.createHash('sha256').update(JSON.stringify(others)).digest('hex');
  let prev: IncrementalState | undefined;
  let reader = PackReader.open(file);
  try {
    const h = reader?.header as Header | undefined;
    if (reader && h?.format === INCREMENTAL_FORMAT && h.key === key && h.others === othersDigest) prev = decodeState(reader);
  } catch {
    // no usable state: lint afresh
  }
  if (!prev) {
    reader?.close();
    reader = undefined;
  }
  recordStats.decodedChecks = 0;
  recordStats.decodedValues = 0;
  let inc = new Incremental(prev, key, othersDigest, hashes);
  let run: FindingsRun;
  try {
    run = lint(inc);
  } catch (e) {
    if (!(e instanceof IncrementalRestart)) throw e;
    inc = new Incremental(undefined, key, othersDigest, hashes);
    run = lint(inc);
  }
  const state = inc.state();
  lastStats = {
    ...inc.stats,
    checksDecoded: recordStats.decodedChecks,
    valuesDecoded: recordStats.decodedValues,
    usedState: inc.usingPrevious,
    exist: state?.exist,
  };
  if (process.env.K8S_GOLD_INC_STATS) process.stderr.write(`${JSON.stringify({ ...lastStats, exist: undefined })}\n`);
  try {
    if (state && run.internalErrors.length === 0) {
      // a restarted run used no previous state: its records are all new
      const out = encodeState(state, new PackWriter(inc.usingPrevious ? reader : undefined));
      if (out.pack) write(`${file}.pack`, out.pack);
      write(file, out.state);
    } else {
      try {
        fs.unlinkSync(file);
      } catch {
        // none
      }
    }
  } finally {
    // the stored results of the replayed files are decoded when a report reads them, after the run
    reader?.close(prev !== undefined);
  }
  return run;
}

/** What the last incremental run did (files read afresh, re-checked, replayed; checks run), for tests and the bench. */
export let lastStats:
  | (Incremental['stats'] & { checksDecoded: number; valuesDecoded: number; usedState: boolean; exist?: Record<string, number> })
  | undefined;
