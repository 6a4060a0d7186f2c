/**
 * The per-file incremental cache behind `--cache` (cache.ts keeps the state file, linter.ts calls the hooks).
 *
 * A run records, for every input file (by absolute path and content hash): its objects' values, its early
 * findings, the findings of every rule on every object, and the keys each cross-object check read from
 * the index (index-reads.ts). The next run, with the same cache key, re-reads only the changed, added and
 * deleted files; the keys their old and new objects answer are "dirty". A check on an unchanged object is
 * re-run when what it read meets a dirty key, else its findings are replayed. Unchanged objects stand in
 * the index with their stored values, and are parsed again only if a position of theirs is needed (a
 * re-run check reports on them, a suppression is applied). A file whose findings come out the same as
 * before keeps its stored result (suppressions are re-run only for files whose findings changed).
 *
 * Read sets are recorded per check ("pair" rules, reviewed to compute nothing across objects) or per rule:
 * a rule that memoises something over the index (a memo keyed by the index, or by another object) may
 * read keys in one check and use them in another, so each of its checks counts as reading the union of
 * what all its checks read. Plug-in and policy rules (unknown code) are re-run on every change.
 * Anything the state cannot represent (renders, kustomize trees read raw) lints afresh.
 */
import type { DiscoveredFile } from '../load/discover.js';
import { decode } from '../load/read.js';
import * as fs from 'node:fs';
import type { ObjectIndex } from '../model/index.js';
import { ManifestObject, type Obj, type SourceFile } from '../model/object.js';
import type { ParsedDocument } from '../parse/parse.js';
import type { Path, PathSeg, Range } from '../parse/source.js';
import type { CheckTrace, Counters } from './check.js';
import type { LoadedFile, Pending } from './load.js';
import { ALL, EXISTENCE, answeredKeys, existenceKeys, recordingIndex, type ReadRecorder } from './index-reads.js';
import type { LintResult } from './result.js';
import type { AnyRule } from './rule.js';

export const INCREMENTAL_FORMAT = 2;

/**
 * Rules whose every check reads the index only through its own calls (no memo over the index or over
 * other objects that one check fills and another reuses): their read sets are recorded per check.
 */
const PER_CHECK_RULES = new Set([
  'automount-service-account-token',
  'duplicate-object',
  'ingress-backend',
  'min-replicas',
  'missing-references',
  'missing-probes',
  'network-policy-missing',
  'networkpolicy-port',
  'pdb-blocks-eviction',
  'pdb-missing',
  'replicas-with-hpa',
  'resource-requests-limits',
  'rolling-update-unavailable',
  'secret-subpath-mount',
  'service-selector',
  'statefulset-headless-service',
  'topology-spread-constraints',
]);

/** Thrown when a run cannot use the previous state after all; the caller lints afresh. */
export class IncrementalRestart extends Error {
  override name = 'IncrementalRestart';
}

/** A finding as stored: its object by position in the file. */
type StoredPending = Omit<Pending, 'obj'> & { o?: number };

export interface StoredObject {
  doc: number;
  base: PathSeg[];
  data: Obj;
  keys: string[];
  /** the ranges asked for (`rangeOf`), by path and valueOnly: a stand-in answers them without a parse */
  ranges: Record<string, { range: Range; exact: boolean }>;
}

const rangeKey = (path: Path, valueOnly: boolean): string => `${valueOnly ? 1 : 0}${JSON.stringify(path)}`;

/** Makes a parsed object record the ranges it gives into its stored form. */
function recordRanges(o: ManifestObject<Obj>, s: StoredObject): void {
  const rangeOf = o.rangeOf;
  o.rangeOf = (path: Path, valueOnly = false) => {
    const r = rangeOf.call(o, path, valueOnly);
    s.ranges[rangeKey(path, valueOnly)] = r;
    return r;
  };
}

export interface StoredCheck {
  /** object position, rule id */
  o: number;
  r: string;
  /** keys read (per-check rules only) */
  reads?: string[];
  p: StoredPending[];
  nv: number;
  inl?: boolean;
}

/** What the run needs of a file's checks when none of them runs again: the union of their reads, and their counts. */
export interface CheckSummary {
  reads: string[];
  nv: number;
  inl: string[];
}

export function summarize(checks: readonly StoredCheck[]): CheckSummary {
  const reads = new Set<string>();
  const inl: string[] = [];
  let nv = 0;
  for (const c of checks) {
    if (c.reads) for (const k of c.reads) reads.add(k);
    nv += c.nv;
    if (c.inl) inl.push(c.r);
  }
  return { reads: [...reads], nv, inl };
}

export interface FileEntry {
  hash: string;
  display: string;
  objects: StoredObject[];
  early: StoredPending[];
  checks: StoredCheck[];
  /** ids of the rules that checked an object of the file */
  rules: string[];
  result: LintResult;
  notManifest?: boolean;
  /** of `checks`, when the entry was read from the state (its checks are then decoded only when used) */
  summary?: CheckSummary;
}

const summaryOf = (e: FileEntry): CheckSummary => e.summary ?? summarize(e.checks);

export interface IncrementalState {
  format: number;
  key: string;
  /** digest of every non-input file the run read (context, CRDs, policies, charts) and the discovery notes */
  others: string;
  files: Record<string, FileEntry>;
  /** per-rule read sets of the rules not recorded per check */
  ruleReads: Record<string, string[]>;
}

interface FileRun {
  abs: string;
  hash: string | undefined;
  /** read afresh: every check runs */
  fresh: boolean;
  prev?: FileEntry;
  /** unchanged but some check must run again */
  touched: boolean;
  objects: StoredObject[];
  objIndex: Map<ManifestObject<Obj>, number>;
  checks: StoredCheck[];
  prevChecks: Map<string, StoredCheck>;
  rules: Set<string>;
  /** a check run again gave other findings than before (or the set of checks changed) */
  changed: boolean;
  /** the first pass over a re-checked file: only the checks to run again run (see startProbe) */
  probing: boolean;
  /** what the checks run in the first pass gave, by object position and rule id */
  rerun: Map<string, StoredCheck>;
  entry?: FileEntry;
}

function ser(p: Pending, pos: Map<ManifestObject<Obj>, number>): StoredPending {
  const { obj, ...rest } = p;
  const out: StoredPending = rest;
  if (obj) out.o = pos.get(obj) ?? -1;
  return out;
}

/** Whether a check's record says anything (no findings, counts or reads: nothing to store). */
function worthKeeping(c: StoredCheck): boolean {
  return c.p.length > 0 || c.nv > 0 || Boolean(c.inl) || c.reads !== undefined;
}

/** Whether a check run again reported what it reported before (its read set aside). */
function sameOutput(prev: StoredCheck | undefined, c: StoredCheck): boolean {
  if (!prev) return c.p.length === 0 && c.nv === 0 && !c.inl;
  return c.nv === prev.nv && Boolean(c.inl) === Boolean(prev.inl) && JSON.stringify(c.p) === JSON.stringify(prev.p);
}

function scopeOf(ruleId: string): 'check' | 'rule' | 'all' {
  if (ruleId.includes('/')) return 'all';
  return PER_CHECK_RULES.has(ruleId) ? 'check' : 'rule';
}

/** An object of an unchanged file: its stored values, positions from a parse made only when asked for. */
class StandInObject extends ManifestObject<Obj> {
  constructor(
    file: SourceFile,
    private readonly pos: number,
    private readonly stored: StoredObject,
    defaultNamespace: string,
    private readonly realFile: () => LoadedFile,
  ) {
    super(file, undefined as unknown as ParsedDocument, stored.base, stored.data, defaultNamespace);
    Object.defineProperty(this, 'doc', { get: () => this.real().doc, enumerable: true, configurable: true });
  }

  private real(): ManifestObject<Obj> {
    const o = this.realFile().objects[this.pos];
    if (!o) throw new IncrementalRestart(`${this.file.path} changed during the run`);
    return o;
  }

  override locate(path: Path): import('../parse/tape.js').Located {
    return this.real().locate(path);
  }

  override rangeOf(path: Path, valueOnly = false): { range: Range; exact: boolean } {
    const key = rangeKey(path, valueOnly);
    const known = this.stored.ranges[key];
    if (known) return known;
    return (this.stored.ranges[key] = this.real().rangeOf(path, valueOnly));
  }
}

export class Incremental {
  /** false once the run turned out not to fit the state (renders, kustomize trees, stdin): nothing is recorded */
  active = true;
  private readonly rec: ReadRecorder = { reads: undefined };
  private readonly facades = new Map<AnyRule, { index: ObjectIndex; facade: ObjectIndex }>();
  private readonly runs = new Map<LoadedFile, FileRun>();
  private dirty = new Set<string>();
  private readonly ruleReads = new Map<string, Set<string>>();
  private readonly dirtyRules = new Map<string, boolean>();
  /** counts for tests and the bench: files read afresh, unchanged files re-checked, checks run */
  readonly stats = { fresh: 0, touched: 0, replayed: 0, checksRun: 0, byRule: {} as Record<string, number> };

  constructor(
    private readonly prev: IncrementalState | undefined,
    private readonly key: string,
    private readonly others: string,
    private readonly hashes: Record<string, string>,
  ) {}

  /** Whether a previous state is in use (a restart must then lint afresh). */
  get usingPrevious(): boolean {
    return this.prev !== undefined;
  }

  /** The run does not fit the state: stop recording; with a previous state in use, start afresh. */
  disable(why: string): void {
    this.active = false;
    if (this.prev) throw new IncrementalRestart(why);
  }

  /** The input files in discovery order: changed ones read with `read`, unchanged ones as stand-ins. */
  load(files: DiscoveredFile[], read: (f: DiscoveredFile) => LoadedFile, defaultNamespace: string): LoadedFile[] {
    const prevFiles = this.prev?.files ?? {};
    const out: LoadedFile[] = [];
    const seen = new Set<string>();
    // how many old objects answering each key left, and new ones came (for the existence keys)
    const removed = new Map<string, number>();
    const added = new Map<string, number>();
    const count = (m: Map<string, number>, objects: StoredObject[]): void => {
      for (const o of objects) for (const k of o.keys) m.set(k, (m.get(k) ?? 0) + 1);
    };
    for (const f of files) {
      seen.add(f.abs);
      const hash = this.hashes[f.abs];
      const prev = Object.hasOwn(prevFiles, f.abs) ? prevFiles[f.abs] : undefined;
      if (prev && hash !== undefined && prev.hash === hash && prev.display === f.display) {
        const l = this.standIn(f, prev, read, defaultNamespace);
        const run = this.fileRun(f.abs, hash, false, prev, prev.objects);
        l.objects.forEach((o, i) => run.objIndex.set(o, i));
        this.runs.set(l, run);
        out.push(l);
        continue;
      }
      const l = read(f);
      const objects: StoredObject[] = l.objects.map((o) => ({
        doc: o.doc.index,
        base: o.basePath,
        data: o.data,
        keys: answeredKeys(o),
        ranges: {},
      }));
      const run = this.fileRun(f.abs, hash, true, undefined, objects);
      l.objects.forEach((o, i) => {
        run.objIndex.set(o, i);
        recordRanges(o, objects[i]!);
      });
      this.runs.set(l, run);
      this.stats.fresh++;
      if (this.prev) {
        for (const o of objects) for (const k of o.keys) this.dirty.add(k);
        count(added, objects);
        if (prev) {
          for (const o of prev.objects) for (const k of o.keys) this.dirty.add(k);
          count(removed, prev.objects);
        }
      }
      out.push(l);
    }
    // deleted files: their objects' keys
    for (const [abs, e] of Object.entries(prevFiles)) {
      if (seen.has(abs)) continue;
      for (const o of e.objects) for (const k of o.keys) this.dirty.add(k);
      count(removed, e.objects);
    }
    if (this.prev) this.existenceFlips(prevFiles, removed, added);
    if (this.prev) for (const [id, keys] of Object.entries(this.prev.ruleReads)) this.ruleReads.set(id, new Set(keys));
    // whether each rule read, somewhere, what changed: decided once, before any check runs
    for (const id of this.ruleReads.keys()) this.ruleDirty(id);
    // which unchanged files have a check to run again
    for (const [l, r] of this.runs) {
      if (r.fresh || !r.prev) continue;
      r.touched = r.prev.rules.some((id) => this.ruleDirty(id)) || this.meets(summaryOf(r.prev).reads);
      if (r.touched) {
        this.stats.touched++;
        for (const c of r.prev.checks) r.prevChecks.set(`${c.o}\0${c.r}`, c);
      } else this.stats.replayed++;
      void l;
    }
    // a rule re-run everywhere gets a fresh read set
    for (const [id, d] of this.dirtyRules) if (d) this.ruleReads.set(id, new Set());
    return out;
  }

  /**
   * The keys whose answering objects went from none to some or back make their derived keys dirty
   * (see index-reads.ts, EXISTENCE): counted over the previous input, less what left, plus what came.
   */
  private existenceFlips(prevFiles: Record<string, FileEntry>, removed: Map<string, number>, added: Map<string, number>): void {
    const before = new Map<string, number>();
    for (const k of this.dirty) if (k.startsWith(EXISTENCE)) before.set(k, 0);
    if (before.size === 0) return;
    for (const e of Object.values(prevFiles)) {
      for (const o of e.objects) {
        for (const k of o.keys) {
          const c = before.get(k);
          if (c !== undefined) before.set(k, c + 1);
        }
      }
    }
    for (const [k, c] of before) {
      const now = c - (removed.get(k) ?? 0) + (added.get(k) ?? 0);
      if (c > 0 !== now > 0) for (const d of existenceKeys(k)) this.dirty.add(d);
    }
  }

  private fileRun(abs: string, hash: string | undefined, fresh: boolean, prev: FileEntry | undefined, objects: StoredObject[]): FileRun {
    // filled for the unchanged files with checks to run again (load)
    const prevChecks = new Map<string, StoredCheck>();
    return {
      abs,
      hash,
      fresh,
      prev,
      touched: false,
      objects,
      objIndex: new Map(),
      checks: [],
      prevChecks,
      rules: new Set(),
      changed: false,
      probing: false,
      rerun: new Map(),
    };
  }

  private standIn(f: DiscoveredFile, prev: FileEntry, read: (f: DiscoveredFile) => LoadedFile, defaultNamespace: string): LoadedFile {
    let real: LoadedFile | undefined;
    const realFile = (): LoadedFile => {
      if (!real) {
        real = read(f);
        if (real.objects.length !== prev.objects.length) throw new IncrementalRestart(`${f.display} changed during the run`);
      }
      return real;
    };
    const file: SourceFile = {
      path: f.display,
      absPath: f.abs,
      get parse() {
        return realFile().file.parse;
      },
    };
    const objects = prev.objects.map((o, i) => new StandInObject(file, i, o, defaultNamespace, realFile));
    let text: string | undefined | null = null;
    const l: LoadedFile = {
      file,
      objects,
      early: prev.early.map((p) => this.unser(p, objects)),
      get text(): string | undefined {
        if (text === null) {
          try {
            const d = decode(fs.readFileSync(f.abs));
            text = d.ok ? d.text : undefined;
          } catch {
            text = undefined;
          }
        }
        return text;
      },
    };
    if (prev.notManifest) l.notManifest = true;
    return l;
  }

  private unser(p: StoredPending, objects: ManifestObject<Obj>[]): Pending {
    const { o, ...rest } = p;
    const out: Pending = { ...rest };
    if (o !== undefined) {
      const obj = objects[o];
      if (!obj) throw new IncrementalRestart('the incremental cache is inconsistent');
      out.obj = obj;
    }
    return out;
  }

  private meets(keys: Iterable<string>): boolean {
    if (this.dirty.size === 0) return false;
    for (const k of keys) if (k === ALL || this.dirty.has(k)) return true;
    return false;
  }

  private ruleDirty(id: string): boolean {
    let d = this.dirtyRules.get(id);
    if (d === undefined) {
      const scope = scopeOf(id);
      d = scope === 'all' ? this.dirty.size > 0 : scope === 'rule' ? this.meets(this.ruleReads.get(id) ?? []) : false;
      this.dirtyRules.set(id, d);
    }
    return d;
  }

  // --- hooks called by the engine

  /** The stored result of an unchanged file none of whose checks must run again. */
  replayFile(l: LoadedFile, counters: Counters): LintResult | undefined {
    const r = this.runs.get(l);
    if (!r || r.fresh || r.touched || !r.prev) return undefined;
    const sum = summaryOf(r.prev);
    counters.notValidated += sum.nv;
    for (const id of sum.inl) counters.inlineMessages.add(id);
    r.entry = r.prev;
    return r.prev.result;
  }

  readonly trace: CheckTrace = {
    indexFor: (rule: AnyRule, index: ObjectIndex): ObjectIndex => {
      let f = this.facades.get(rule);
      if (!f || f.index !== index) this.facades.set(rule, (f = { index, facade: recordingIndex(index, this.rec) }));
      return f.facade;
    },
    pair: (l: LoadedFile, obj: ManifestObject<Obj>, rule: AnyRule, pending: Pending[], counters: Counters, run: () => void): void => {
      const r = this.runs.get(l);
      if (!r) {
        run();
        return;
      }
      const id = rule.meta.id;
      r.rules.add(id);
      let pos = r.objIndex.get(obj);
      if (pos === undefined) r.objIndex.set(obj, (pos = l.objects.indexOf(obj)));
      const scope = scopeOf(id);
      const key = `${pos}\0${id}`;
      const prev = r.prevChecks.get(key);
      if (!r.fresh && !this.ruleDirty(id) && !(prev?.reads && this.meets(prev.reads))) {
        if (r.probing) return;
        if (prev) {
          for (const p of prev.p) pending.push(this.unser(p, l.objects));
          counters.notValidated += prev.nv;
          if (prev.inl) counters.inlineMessages.add(id);
          r.checks.push(prev);
        }
        return;
      }
      const done = r.rerun.get(key);
      if (done) {
        // run in the first pass
        for (const p of done.p) pending.push(this.unser(p, l.objects));
        counters.notValidated += done.nv;
        if (done.inl) counters.inlineMessages.add(id);
        if (worthKeeping(done)) r.checks.push(done);
        return;
      }
      this.stats.checksRun++;
      this.stats.byRule[id] = (this.stats.byRule[id] ?? 0) + 1;
      const reads = new Set<string>();
      const start = pending.length;
      const nv = counters.notValidated;
      const hadInline = counters.inlineMessages.delete(id);
      this.rec.reads = reads;
      try {
        run();
      } finally {
        this.rec.reads = undefined;
      }
      const inl = counters.inlineMessages.has(id);
      if (hadInline) counters.inlineMessages.add(id);
      const c: StoredCheck = { o: pos, r: id, p: pending.slice(start).map((p) => ser(p, r.objIndex)), nv: counters.notValidated - nv };
      if (inl) c.inl = true;
      if (scope === 'check' && reads.size) c.reads = [...reads];
      if (scope !== 'check' && reads.size) this.addRuleReads(id, reads);
      if (!r.fresh && !r.changed && !sameOutput(prev, c)) r.changed = true;
      if (r.probing) {
        // the first pass only looks: its findings and counts are taken from the store or from the second pass
        pending.length = start;
        counters.notValidated = nv;
        if (!hadInline) counters.inlineMessages.delete(id);
        r.rerun.set(key, c);
        return;
      }
      if (worthKeeping(c)) r.checks.push(c);
    },
  };

  private addRuleReads(id: string, reads: Iterable<string>): void {
    let s = this.ruleReads.get(id);
    if (!s) this.ruleReads.set(id, (s = new Set()));
    for (const k of reads) s.add(k);
  }

  /**
   * Starts the first pass over an unchanged file with checks to run again: only those run, and when each
   * reports what it reported before, the file keeps its stored result ({@link endProbe}) without its
   * other checks being replayed one by one.
   */
  startProbe(l: LoadedFile): boolean {
    const r = this.runs.get(l);
    if (!r || r.fresh || !r.prev || !r.touched) return false;
    r.probing = true;
    return true;
  }

  /** Ends the first pass: the stored result when nothing changed (its counts added), else undefined (a second pass follows). */
  endProbe(l: LoadedFile, counters: Counters): LintResult | undefined {
    const r = this.runs.get(l)!;
    r.probing = false;
    if (r.changed || !r.prev) return undefined;
    const checks: StoredCheck[] = [];
    for (const c of r.prev.checks) {
      const n = r.rerun.get(`${c.o}\0${c.r}`);
      if (!n) checks.push(c);
      else if (worthKeeping(n)) checks.push(n);
    }
    for (const [k, n] of r.rerun) if (!r.prevChecks.has(k) && worthKeeping(n)) checks.push(n);
    for (const c of checks) {
      counters.notValidated += c.nv;
      if (c.inl) counters.inlineMessages.add(c.r);
    }
    r.entry = { ...r.prev, checks, rules: [...r.rules], summary: undefined };
    return r.prev.result;
  }

  /** After the checks of a re-checked unchanged file: its stored result when its findings are the same. */
  sameFindings(l: LoadedFile): LintResult | undefined {
    const r = this.runs.get(l);
    if (!r || r.fresh || !r.prev) return undefined;
    if (r.changed) return undefined;
    r.entry = { ...r.prev, checks: r.checks, rules: [...r.rules], summary: undefined };
    return r.prev.result;
  }

  /** A file's result, linted (in part) again. */
  finish(l: LoadedFile, result: LintResult): void {
    const r = this.runs.get(l);
    if (!r || r.hash === undefined || r.hash.startsWith('unreadable:') || l.early.some((e) => e.ruleId === 'unreadable-file')) return;
    r.entry = {
      hash: r.hash,
      display: l.file.path,
      objects: r.objects,
      early: l.early.map((p) => ser(p, r.objIndex)),
      checks: r.checks,
      rules: [...r.rules],
      result,
    };
    if (l.notManifest) r.entry.notManifest = true;
  }

  /** The state to store after the run, or undefined when the run does not fit it. */
  state(): IncrementalState | undefined {
    if (!this.active) return undefined;
    const files: Record<string, FileEntry> = {};
    for (const r of this.runs.values()) if (r.entry) files[r.abs] = r.entry;
    const ruleReads: Record<string, string[]> = {};
    for (const [id, s] of this.ruleReads) if (s.size) ruleReads[id] = [...s];
    return { format: INCREMENTAL_FORMAT, key: this.key, others: this.others, files, ruleReads };
  }
}
