/**
 * The incremental cache's state file (`<cache>.inc`): read, used for one run, written back.
 *
 * Values are stored with V8's serializer, which keeps every value a YAML parse yields (NaN, ±Infinity,
 * -0, large integers) exactly, as stand-in objects must read like the parsed ones. Each file's entry is
 * two records: what only a change of the file changes (hash, objects, early findings, result), written
 * again byte for byte when the file is unchanged, and what a re-check changes (checks, ranges).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import { INCREMENTAL_FORMAT, Incremental, IncrementalRestart, type FileEntry, type IncrementalState, type StoredObject } from './incremental.js';
import type { LintRun } from './linter.js';

interface Header {
  format: number;
  key: string;
  others: string;
  ruleReads: IncrementalState['ruleReads'];
  /** per file: its path and the byte lengths of its two records */
  files: [string, number, number][];
}

type Base = Omit<FileEntry, 'checks' | 'rules' | 'objects'> & { objects: Omit<StoredObject, 'ranges'>[] };
interface Dyn {
  checks: FileEntry['checks'];
  rules: string[];
  ranges: StoredObject['ranges'][];
}

/** The base record each decoded entry came from, reused when the entry's base is unchanged. */
const rawBase = new WeakMap<StoredObject[], { buf: Buffer; result: FileEntry['result']; early: FileEntry['early'] }>();

function decodeState(buf: Buffer): IncrementalState {
  const hlen = buf.readUInt32LE(0);
  const h = v8.deserialize(buf.subarray(4, 4 + hlen)) as Header;
  const files: Record<string, FileEntry> = {};
  let at = 4 + hlen;
  for (const [abs, blen, dlen] of h.files) {
    const braw = buf.subarray(at, at + blen);
    const b = v8.deserialize(braw) as Base;
    const d = v8.deserialize(buf.subarray(at + blen, at + blen + dlen)) as Dyn;
    at += blen + dlen;
    const objects = b.objects.map((o, i) => ({ ...o, ranges: d.ranges[i] ?? {} }));
    rawBase.set(objects, { buf: braw, result: b.result, early: b.early });
    files[abs] = { ...b, objects, checks: d.checks, rules: d.rules };
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
      const { checks: _c, rules: _r, objects, ...rest } = e;
      b = v8.serialize({ ...rest, objects: objects.map(({ ranges: _g, ...o }) => o) } satisfies Base);
    }
    const d = v8.serialize({ checks: e.checks, rules: e.rules, ranges: e.objects.map((o) => o.ranges) } satisfies Dyn);
    parts.push(b, d);
    list.push([abs, b.length, d.length]);
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
  lint: (inc?: Incremental) => LintRun,
  write: (file: string, data: Buffer) => void,
): LintRun {
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
  let inc = new Incremental(prev, key, othersDigest, hashes);
  let run: LintRun;
  try {
    run = lint(inc);
  } catch (e) {
    if (!(e instanceof IncrementalRestart)) throw e;
    inc = new Incremental(undefined, key, othersDigest, hashes);
    run = lint(inc);
  }
  lastStats = inc.stats;
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
export let lastStats: Incremental['stats'] | undefined;
