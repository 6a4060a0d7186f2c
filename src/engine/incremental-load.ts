// The incremental run's start: the input files loaded against the previous state, and the keys and rules made dirty.
import type { DiscoveredFile } from '../load/discover.js';
import { decode } from '../load/read.js';
import * as fs from 'node:fs';
import type { ManifestObject, Obj, SourceFile } from '../model/object.js';
import type { LoadedFile, Pending } from './load.js';
import { EXISTENCE, ALL, answeredKeys, existenceKeys, type ReadRecorder } from './index-reads.js';
import {
  IncrementalRestart,
  scopeOf,
  readsMeet,
  readsToken,
  summaryOf,
  type CheckSummary,
  type FileEntry,
  type FileRun,
  type IncrementalState,
  type StoredCheck,
  type StoredObject,
  type StoredPending,
} from './incremental-state.js';
import { StandInObject, recordRanges, watchParse, type PositionRead } from './incremental-standin.js';
import { changedObjects, positionKey, projectionOf } from './incremental-diff.js';

/** What {@link Incremental} starts from: the previous state, the files loaded against it, and what changed. */
export class IncrementalBase {
  /** false once the run turned out not to fit the state (renders, kustomize trees, stdin): nothing is recorded */
  active = true;
  protected readonly runs = new Map<LoadedFile, FileRun>();
  private dirty = new Set<string>();
  /** what the check running now reads (set by Incremental's trace) */
  protected readonly rec: ReadRecorder = { reads: undefined };
  /** a position of an object of the file `abs` was read: by a check of another file, that is a read of its position key */
  protected readonly positionRead: PositionRead = (abs) => {
    const reads = this.rec.reads;
    if (!reads) return;
    if (this.rec.file !== abs) reads.add(positionKey(abs));
    // of its own file: the check's findings may change with an edit that changes no value (see FileRun.reuse)
    else this.rec.src = true;
  };
  protected readonly ruleReads = new Map<string, Set<string>>();
  private readonly dirtyRules = new Map<string, boolean>();
  /** counts for tests and the bench: files read afresh, unchanged files re-checked, checks run */
  readonly stats = { fresh: 0, touched: 0, replayed: 0, checksRun: 0, reused: 0, byRule: {} as Record<string, number> };

  constructor(
    protected readonly prev: IncrementalState | undefined,
    protected readonly key: string,
    protected readonly others: string,
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
        // its objects' positions (objIndex) are filled only if a check of it runs again (below)
        const run = this.fileRun(f.abs, hash, false, prev, undefined);
        this.runs.set(l, run);
        out.push(l);
        continue;
      }
      const l = read(f);
      watchParse(l, this.positionRead);
      const objects: StoredObject[] = l.objects.map((o) => ({
        doc: o.doc.index,
        base: o.basePath,
        data: o.data,
        keys: answeredKeys(o),
        ranges: {},
        proj: projectionOf(o),
      }));
      const run = this.fileRun(f.abs, hash, true, undefined, objects);
      l.objects.forEach((o, i) => {
        run.objIndex.set(o, i);
        recordRanges(o, objects[i]!, this.positionRead);
      });
      this.runs.set(l, run);
      this.stats.fresh++;
      if (this.prev) {
        this.dirty.add(positionKey(f.abs));
        // an object left as it was (a comment edit) changes no answer of the index: only the others make their keys dirty
        const changed = prev ? changedObjects(prev.objects, objects) : undefined;
        if (prev && changed) this.reuse(run, prev, changed);
        const now = changed ? changed.map((i) => objects[i]!) : objects;
        for (const o of now) for (const k of o.keys) this.dirty.add(k);
        count(added, now);
        if (prev) {
          const before = changed ? changed.map((i) => prev.objects[i]!) : prev.objects;
          for (const o of before) for (const k of o.keys) this.dirty.add(k);
          count(removed, before);
        }
      }
      out.push(l);
    }
    // deleted files: their objects' keys
    for (const [abs, e] of Object.entries(prevFiles)) {
      if (seen.has(abs)) continue;
      this.dirty.add(positionKey(abs));
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
      r.touched = r.prev.rules.some((id) => this.ruleDirty(id)) || this.meetsSummary(summaryOf(r.prev));
      if (r.touched) {
        this.stats.touched++;
        l.objects.forEach((o, i) => r.objIndex.set(o, i));
        for (const c of r.prev.checks) r.prevChecks.set(`${c.o}\0${c.r}`, c);
      } else this.stats.replayed++;
    }
    // a rule re-run everywhere gets a fresh read set
    for (const [id, d] of this.dirtyRules) if (d) this.ruleReads.set(id, new Set());
    return out;
  }

  /** The objects of a changed file that stand as they stood (`changed`: the others): their stored checks may be replayed. */
  private reuse(run: FileRun, prev: FileEntry, changed: number[]): void {
    const reuse = new Set<number>();
    for (let i = 0; i < run.objects.length; i++) if (!changed.includes(i)) reuse.add(i);
    if (reuse.size === 0) return;
    run.reuse = reuse;
    for (const c of prev.checks) if (reuse.has(c.o)) run.prevChecks.set(`${c.o}\0${c.r}`, c);
  }

  /**
   * The keys whose answering objects went from none to some or back make their derived keys dirty
   * (see index-reads.ts, EXISTENCE): counted over the previous input, less what left, plus what came.
   */
  private existenceFlips(prevFiles: Record<string, FileEntry>, removed: Map<string, number>, added: Map<string, number>): void {
    const before = new Map<string, number>();
    const counts = this.prev?.exist;
    for (const k of this.dirty) if (k.startsWith(EXISTENCE)) before.set(k, counts?.[k] ?? 0);
    // no stored counts: count over every previous object
    if (before.size && !counts)
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

  /** `objects`: of a file read afresh; an unchanged file's are its previous entry's (a stored entry decodes them when first read) */
  private fileRun(abs: string, hash: string | undefined, fresh: boolean, prev: FileEntry | undefined, objects?: StoredObject[]): FileRun {
    // filled for the unchanged files with checks to run again (load)
    const prevChecks = new Map<string, StoredCheck>();
    return {
      abs,
      hash,
      fresh,
      prev,
      touched: false,
      get objects() {
        return objects ?? prev?.objects ?? [];
      },
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
    // its objects and early findings are made when first read: a replayed file's, usually never (LoadedFile.plain)
    let objects: ManifestObject<Obj>[] | undefined;
    let early: Pending[] | undefined;
    const made = (): ManifestObject<Obj>[] =>
      (objects ??= prev.objects.map((o, i) => new StandInObject(file, i, o, defaultNamespace, realFile, this.positionRead)));
    let text: string | undefined | null = null;
    const unser = (p: StoredPending): Pending => this.unser(p, made());
    const l: LoadedFile = {
      file,
      get objects(): ManifestObject<Obj>[] {
        return made();
      },
      set objects(v: ManifestObject<Obj>[]) {
        objects = v;
      },
      get early(): Pending[] {
        return (early ??= prev.early.map(unser));
      },
      set early(v: Pending[]) {
        early = v;
      },
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
    if (prev.plain) l.plain = true;
    l.unchanged = true;
    return l;
  }

  protected unser(p: StoredPending, objects: ManifestObject<Obj>[]): Pending {
    const { o, ...rest } = p;
    const out: Pending = { ...rest };
    if (o !== undefined) {
      const obj = objects[o];
      if (!obj) throw new IncrementalRestart('the incremental cache is inconsistent');
      out.obj = obj;
    }
    return out;
  }

  /** the dirty keys and ALL, with their tokens (for readsMeet) */
  private dirtyTexts: [string, string][] | undefined;

  private meetsSummary(sum: CheckSummary): boolean {
    if (this.dirty.size === 0) return false;
    this.dirtyTexts ??= [ALL, ...this.dirty].map((k) => [k, readsToken(k)]);
    return readsMeet(sum, this.dirtyTexts, (k) => k === ALL || this.dirty.has(k));
  }

  protected meets(keys: Iterable<string>): boolean {
    if (this.dirty.size === 0) return false;
    for (const k of keys) if (k === ALL || this.dirty.has(k)) return true;
    return false;
  }

  protected ruleDirty(id: string): boolean {
    let d = this.dirtyRules.get(id);
    if (d === undefined) {
      const scope = scopeOf(id);
      d = scope === 'all' ? this.dirty.size > 0 : scope === 'rule' ? this.meets(this.ruleReads.get(id) ?? []) : false;
      this.dirtyRules.set(id, d);
    }
    return d;
  }
}
