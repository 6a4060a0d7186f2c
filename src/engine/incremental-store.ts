/**
 * The incremental cache's state file (`<cache>.inc`): read, used for one run, written back.
 *
 * Values are stored with V8's serializer, which keeps every value a YAML parse yields (NaN, ±Infinity,
 * -0, large integers) exactly, as stand-in objects must read like the parsed ones. Each file's entry is
 * two records: what only a change of the file changes (hash, objects, early findings, result), written
 * again byte for byte when the file is unchanged, and what a re-check changes (checks, ranges). The second
 * is decoded only when used (a check of the file runs again, a position of one of its objects is asked
 * for), and written back as read when it was not: the header holds what a replayed file needs of it (the
 * union of its checks' reads, their counts).
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
import type { FindingsRun } from './linter.js';

interface Header {
  format: number;
  key: string;
  others: string;
  ruleReads: IncrementalState['ruleReads'];
  /** per file: its path, the byte lengths of its two records, and the summary of its checks */
  files: [string, number, number, CheckSummary, string[]][];
}

type Base = Omit<FileEntry, 'checks' | 'rules' | 'objects' | 'summary'> & { objects: Omit<StoredObject, 'ranges'>[] };
interface Dyn {
  checks: FileEntry['checks'];
  ranges: StoredObject['ranges'][];
}

/** The base record each decoded entry came from, reused when the entry's base is unchanged. */
const rawBase = new WeakMap<StoredObject[], { buf: Buffer; result: FileEntry['result']; early: FileEntry['early'] }>();
/** The second record of each entry read from the state, while it is not decoded. */
const rawDyn = new WeakMap<FileEntry, { buf: Buffer; decoded: () => boolean }>();

/** Defines `prop` on `o` as computed on first read, then a plain value. */
function lazy<T extends object>(o: T, prop: string, get: () => unknown): void {
  Object.defineProperty(o, prop, {
    configurable: true,
    enumerable: true,
    get() {
      const value = get();
      Object.defineProperty(o, prop, { value, writable: true, enumerable: true, configurable: true });
      return value;
    },
    set(value: unknown) {
      Object.defineProperty(o, prop, { value, writable: true, enumerable: true, configurable: true });
    },
  });
}

/** How many files' check records the current run decoded (see lastStats). */
let decodedChecks = 0;

function decodeState(buf: Buffer): IncrementalState {
  const hlen = buf.readUInt32LE(0);
  const h = v8.deserialize(buf.subarray(4, 4 + hlen)) as Header;
  const files: Record<string, FileEntry> = {};
  let at = 4 + hlen;
  for (const [abs, blen, dlen, summary, rules] of h.files) {
    const braw = buf.subarray(at, at + blen);
    const b = v8.deserialize(braw) as Base;
    const draw = buf.subarray(at + blen, at + blen + dlen);
    at += blen + dlen;
    let d: Dyn | undefined;
    const dyn = (): Dyn => {
      if (!d) decodedChecks++;
      return (d ??= v8.deserialize(draw) as Dyn);
    };
    const objects = b.objects.map((o, i) => {
      const so = o as StoredObject;
      lazy(so, 'ranges', () => dyn().ranges[i] ?? {});
      return so;
    });
    rawBase.set(objects, { buf: braw, result: b.result, early: b.early });
    const e = { ...b, objects, rules, summary } as FileEntry;
    lazy(e, 'checks', () => dyn().checks);
    rawDyn.set(e, { buf: draw, decoded: () => d !== undefined });
    files[abs] = e;
  }
  if (at !== buf.length) throw new Error('truncated');
  return { format: h.format, key: h.key, others: h.others, ruleReads: h.ruleReads, files };
}

function encodeState(s: IncrementalState): Buffer {
  const parts: Buffer[] = [];
  const list: Header['files'] = [];
  for (const [abs, e] of Object.entries(s.files)) {
    const raw = rawBase.get(e.objects);
    let b: Buffer;
    if (raw && raw.result === e.result && raw.early === e.early) b = raw.buf;
    else {
      // field by field: reading `checks` or `ranges` would decode the second record
      const base: Base = {
        hash: e.hash,
        display: e.display,
        objects: e.objects.map((o) => ({ doc: o.doc, base: o.base, data: o.data, keys: o.keys })),
        early: e.early,
        result: e.result,
      };
      if (e.notManifest) base.notManifest = true;
      b = v8.serialize(base);
    }
    const rd = rawDyn.get(e);
    let d: Buffer;
    let summary: CheckSummary;
    if (rd && !rd.decoded() && e.summary) {
      d = rd.buf;
      summary = e.summary;
    } else {
      d = v8.serialize({ checks: e.checks, ranges: e.objects.map((o) => o.ranges) } satisfies Dyn);
      summary = summarize(e.checks);
    }
    parts.push(b, d);
    list.push([abs, b.length, d.length, summary, e.rules]);
  }
  const h = v8.serialize({ format: s.format, key: s.key, others: s.others, ruleReads: s.ruleReads, files: list } satisfies Header);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(h.length, 0);
  return Buffer.concat([len, h, ...parts]);
}

/** Lints through the incremental cache at `file`; a missing, stale or corrupt state lints afresh (and records). */
export function runIncremental(
  file: string,
  key: string,
  hashes: Record<string, string>,
  inputs: ReadonlySet<string>,
  lint: (inc?: Incremental) => FindingsRun,
  write: (file: string, data: Buffer) => void,
): FindingsRun {
  const others: Record<string, string> = {};
  for (const [k, v] of Object.entries(hashes)) if (!inputs.has(k)) others[k] = v;
  const othersDigest = crypto.createHash('sha256').update(JSON.stringify(others)).digest('hex');
  let prev: IncrementalState | undefined;
  try {
    const s = decodeState(fs.readFileSync(file));
    if (s.format === INCREMENTAL_FORMAT && s.key === key && s.others === othersDigest) prev = s;
  } catch {
    // no usable state: lint afresh
  }
  decodedChecks = 0;
  let inc = new Incremental(prev, key, othersDigest, hashes);
  let run: FindingsRun;
  try {
    run = lint(inc);
  } catch (e) {
    if (!(e instanceof IncrementalRestart)) throw e;
    inc = new Incremental(undefined, key, othersDigest, hashes);
    run = lint(inc);
  }
  lastStats = { ...inc.stats, checksDecoded: decodedChecks };
  if (process.env.K8S_GOLD_INC_STATS) process.stderr.write(`${JSON.stringify(inc.stats)}\n`);
  const state = inc.state();
  if (state && run.internalErrors.length === 0) write(file, encodeState(state));
  else {
    try {
      fs.unlinkSync(file);
    } catch {
      // none
    }
  }
  return run;
}

/** What the last incremental run did (files read afresh, re-checked, replayed; checks run), for tests and the bench. */
export let lastStats: (Incremental['stats'] & { checksDecoded: number }) | undefined;
