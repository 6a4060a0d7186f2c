/**
 * The incremental cache's state (`<cache>.inc` and `<cache>.inc.pack`, incremental-pack.ts): read, used, written back.
 *
 * Values are stored with V8's serializer, which keeps every value a YAML parse yields (NaN, ±Infinity,
 * -0, large integers) exactly, as stand-in objects must read like the parsed ones. Each file's entry is
 * six records: the read set of its checks (read up front: incremental-summary.ts), its base (the objects' heads, early
 * findings), its objects' values and their keys (read only when a check or the diff needs them), what a re-check changes
 * (checks, ranges), and its result (findings, read and decoded only when a report reads them, possibly after the run:
 * stored-result.ts). All but the read set are decoded only when used (the base when the file's objects are made, which
 * a replayed file's usually never are), and a record not decoded is named again, not written again: a run writes the
 * records of the files it read or re-checked, and the header (which holds what a replayed file needs: its hash and
 * display path, its result's counts and digest, its flags, its checks' counts).
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
import { countsOf, digestOf, lazyResult, noteStored, plainResult, type ResultHead } from './stored-result.js';
import type { FileFindings } from './finding.js';
import type { FindingsRun } from './linter.js';

interface Header {
  format: number;
  key: string;
  others: string;
  ruleReads: IncrementalState['ruleReads'];
  exist: IncrementalState['exist'];
  /**
   * per file: its path, its records (base, values, keys, checks, result), the summary of its checks and the rules that
   * checked it, and what a replayed file needs without its base: its hash and display path, its result's head, its flags
   */
  files: [string, Ref, Ref, Ref, Ref, Ref, StoredSummary, string[], FileHead][];
}

/** [hash, display, result head (its filePath when not the display path), notManifest, plain] */
type FileHead = [string, string, Omit<ResultHead, 'filePath'> & { filePath?: string }, boolean, boolean];

/** What is read of a file when its objects or early findings are: its objects' heads (their values are in the values record), its early findings. */
type Base = Pick<FileEntry, 'early'> & { objects: Omit<StoredObject, 'ranges' | 'keys' | 'data'>[] };
/** The records of an entry read from the state, reused by the next state when its objects (and result) are unchanged. */
interface Raw {
  base: Ref;
  values: Ref;
  keys: Ref;
  res: Ref;
}
/** the records of the entry whose objects an array is (a re-checked file's new entry has them) */
const rawBase = new WeakMap<StoredObject[], Raw>();

/** A file's entry as read: its objects and early findings decoded when first read (usually never), its checks too. */
class StoredEntry implements FileEntry {
  hash: string;
  display: string;
  result: FileEntry['result'];
  notManifest?: boolean;
  plain?: true;
  #checks: FileEntry['checks'] | undefined;
  #base: { objects: StoredObject[]; early: FileEntry['early'] } | undefined;
  readonly #rec: FileRecords;
  constructor(
    head: FileHead,
    result: FileEntry['result'],
    public rules: string[],
    public summary: CheckSummary | undefined,
    rec: FileRecords,
    readonly raw: Raw,
  ) {
    this.hash = head[0];
    this.display = head[1];
    this.result = result;
    if (head[3]) this.notManifest = true;
    if (head[4]) this.plain = true;
    this.#rec = rec;
  }
  #decodeBase(): { objects: StoredObject[]; early: FileEntry['early'] } {
    if (this.#base) return this.#base;
    recordStats.decodedBases++;
    const b = v8.deserialize(this.#rec.r.bytes(this.raw.base, true)) as Base;
    const objects: StoredObject[] = b.objects.map((o, i) => new StoredView(o, this.#rec, i));
    rawBase.set(objects, this.raw);
    return (this.#base = { objects, early: b.early });
  }
  get objects(): StoredObject[] {
    return this.#decodeBase().objects;
  }
  get early(): FileEntry['early'] {
    return this.#decodeBase().early;
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
  // the read sets' records are read up front (the pack's head, or the state file)
  const read = (ref: Ref): Buffer => r.bytes(ref);
  for (const [abs, bref, vref, kref, dref, rref, summary, rules, head] of h.files) {
    const rec = new FileRecords(r, vref, kref, dref);
    const res = head[2];
    const result = lazyResult({ ...res, filePath: res.filePath ?? head[1] }, () => v8.deserialize(r.bytes(rref, true)) as FileFindings);
    const raw = { base: bref, values: vref, keys: kref, res: rref };
    files[abs] = new StoredEntry(head, result, rules, loadSummary(read, summary), rec, raw);
  }
  return { format: h.format, key: h.key, others: h.others, ruleReads: h.ruleReads, exist: h.exist, files };
}

function encodeState(s: IncrementalState, w: PackWriter): ReturnType<PackWriter['finish']> {
  const list: [string, Ref, Ref, Ref, Ref, Ref, CheckSummary, string[], FileHead][] = [];
  // one array per distinct list of rules (most files have the same): the serializer writes a repeated object as a reference
  const ruleLists = new Map<string, string[]>();
  for (const [abs, e] of Object.entries(s.files)) {
    // an unchanged file's entry (or a copy with other checks, recheckedEntry) with its stored result: its records stay, and its
    // objects are not read (they are decoded only when read)
    const from = e instanceof StoredEntry ? e : e.objectsOf instanceof StoredEntry ? e.objectsOf : undefined;
    let raw: Raw | undefined = from && from.result === e.result && digestOf(e.result) !== undefined ? from.raw : undefined;
    let bref: Ref;
    let vref: Ref;
    let kref: Ref;
    let rref: Ref;
    let res: ResultHead;
    if (raw) {
      bref = w.put(false, undefined, raw.base);
      vref = w.put(false, undefined, raw.values);
      kref = w.put(false, undefined, raw.keys);
      rref = w.put(false, undefined, raw.res);
      const [errors, warnings, infos, suppressed] = countsOf(e.result);
      res = {
        filePath: e.result.filePath,
        objectCount: e.result.objectCount,
        digest: digestOf(e.result)!,
        counts: [errors, warnings, infos, suppressed],
      };
      if (e.result.skipped !== undefined) res.skipped = e.result.skipped;
    } else {
      raw = rawBase.get(e.objects);
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
      res = { filePath: e.result.filePath, objectCount: e.result.objectCount, digest, counts };
      if (e.result.skipped !== undefined) res.skipped = e.result.skipped;
      const base: Base = {
        objects: e.objects.map((o) => {
          const so: Base['objects'][number] = { doc: o.doc, base: o.base, head: o.head ?? headOf(o.data) };
          if (o.proj) so.proj = o.proj;
          return so;
        }),
        early: e.early,
      };
      bref = w.put(false, v8.serialize(base));
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
    const { filePath, ...rest } = res;
    const head: FileHead = [e.hash, e.display, filePath === e.display ? rest : res, e.notManifest === true, e.plain === true];
    list.push([abs, bref, vref, kref, dref, rref, summary, rules, head]);
  }
  // the read sets as records read up front, not strings in the header: an unchanged file's are named again, not written
  const stored = storeSummaries(
    list.map((f) => f[6]),
    (bytes, ref) => w.put(true, bytes, ref),
  );
  const files = list.map((f, i): Header['files'][number] => [f[0], f[1], f[2], f[3], f[4], f[5], stored[i]!, f[7], f[8]]);
  return w.finish(
    () => ({ format: s.format, key: s.key, others: s.others, ruleReads: s.ruleReads, exist: s.exist, files }) satisfies Header,
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
  recordStats.decodedBases = 0;
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
    basesDecoded: recordStats.decodedBases,
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
  | (Incremental['stats'] & {
      checksDecoded: number;
      valuesDecoded: number;
      basesDecoded: number;
      usedState: boolean;
      exist?: Record<string, number>;
    })
  | undefined;
