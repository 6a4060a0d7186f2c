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
import type { ObjectIndex } from '../model/index.js';
import type { ManifestObject, Obj } from '../model/object.js';
import type { CheckTrace, Counters } from './check.js';
import type { LoadedFile, Pending } from './load.js';
import { recordingIndex } from './index-reads.js';
import { IncrementalBase } from './incremental-load.js';
import * as path from 'node:path';
import { KUSTOMIZATION_NAMES, isKustomization } from '../load/kustomize-files.js';
import {
  INCREMENTAL_FORMAT,
  existenceCounts,
  recheckedEntry,
  sameOutput,
  scopeOf,
  ser,
  summaryOf,
  worthKeeping,
  type FileEntry,
  type IncrementalState,
  type StoredCheck,
} from './incremental-state.js';
import type { FileFindings } from './finding.js';
import type { AnyRule } from './rule.js';

export {
  INCREMENTAL_FORMAT,
  IncrementalRestart,
  summarize,
  type CheckSummary,
  type FileEntry,
  type IncrementalState,
  type StoredCheck,
  type StoredObject,
} from './incremental-state.js';

export class Incremental extends IncrementalBase {
  private readonly facades = new Map<AnyRule, { index: ObjectIndex; facade: ObjectIndex }>();

  // --- hooks called by the engine

  /** The stored result of an unchanged file none of whose checks must run again. */
  replayFile(l: LoadedFile, counters: Counters): FileFindings | undefined {
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
    sourceRead: (): void => {
      if (this.rec.reads) this.rec.src = true;
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
      const unread = !this.ruleDirty(id) && !(prev?.reads && this.meets(prev.reads));
      // an unchanged file's check, or one of an object of a changed file that stands as it stood, and read nothing of
      // its file's source (a stored check is kept when it did; none stored: it reported nothing and read no source)
      if (unread && (r.fresh ? r.reuse?.has(pos) === true && !prev?.src : true)) {
        if (r.probing) return;
        if (r.fresh) this.stats.reused++;
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
      this.rec.file = r.abs;
      this.rec.src = false;
      try {
        run();
      } finally {
        this.rec.reads = undefined;
      }
      const inl = counters.inlineMessages.has(id);
      if (hadInline) counters.inlineMessages.add(id);
      const c: StoredCheck = { o: pos, r: id, p: pending.slice(start).map((p) => ser(p, r.objIndex)), nv: counters.notValidated - nv };
      if (inl) c.inl = true;
      if (this.rec.src) c.src = true;
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
  endProbe(l: LoadedFile, counters: Counters): FileFindings | undefined {
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
    r.entry = recheckedEntry(r.prev, checks, [...r.rules]);
    return r.prev.result;
  }

  /** After the checks of a re-checked unchanged file: its stored result when its findings are the same. */
  sameFindings(l: LoadedFile): FileFindings | undefined {
    const r = this.runs.get(l);
    if (!r || r.fresh || !r.prev) return undefined;
    if (r.changed) return undefined;
    r.entry = recheckedEntry(r.prev, r.checks, [...r.rules]);
    return r.prev.result;
  }

  /** A file's result, linted (in part) again. */
  finish(l: LoadedFile, result: FileFindings): void {
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
    // an unchanged file's objects are the previous entry's
    if (!r.fresh && r.prev) r.entry.objectsOf = r.prev.objectsOf ?? r.prev;
    if (plainFile(l)) r.entry.plain = true;
  }

  /** The state to store after the run, or undefined when the run does not fit it. */
  state(): IncrementalState | undefined {
    if (!this.active) return undefined;
    const files: Record<string, FileEntry> = {};
    for (const r of this.runs.values()) if (r.entry) files[r.abs] = r.entry;
    const ruleReads: Record<string, string[]> = {};
    for (const [id, s] of this.ruleReads) if (s.size) ruleReads[id] = [...s];
    return { format: INCREMENTAL_FORMAT, key: this.key, others: this.others, files, ruleReads, exist: existenceCounts(this.prev, files) };
  }
}

/**
 * Whether a file holds no object the whole-input stages look for (a kustomization, a chainsaw Test) and is not named as a
 * kustomization (LoadedFile.plain): those stages skip it when it stands in for an unchanged file.
 */
function plainFile(l: LoadedFile): boolean {
  if (KUSTOMIZATION_NAMES.has(path.basename(l.file.absPath))) return false;
  return l.objects.every((o) => !isKustomization(o) && !(o.kind === 'Test' && o.group === 'chainsaw.kyverno.io'));
}
