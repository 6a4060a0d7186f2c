// The incremental cache's stored state (objects, checks, file entries) and the helpers that record and compare it.
import type { ManifestObject, Obj } from '../model/object.js';
import type { Path, PathSeg, Range } from '../parse/source.js';
import type { Pending } from './load.js';
import type { FileFindings } from './finding.js';
import { EXISTENCE } from './index-reads.js';

export const INCREMENTAL_FORMAT = 11;

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
export type StoredPending = Omit<Pending, 'obj'> & { o?: number };

export interface StoredObject {
  doc: number;
  base: PathSeg[];
  data: Obj;
  /** of a stored object whose value is decoded when read: what a ManifestObject reads of it when made (kind, names) */
  head?: Obj;
  /** what the index's tables read of every object of a kind, so that a stand-in answers it without its value: pod labels, an HPA's target */
  proj?: { labels?: Obj; target?: string | null };
  keys: string[];
  /** the ranges asked for (`rangeOf`), by path and valueOnly: a stand-in answers them without a parse */
  ranges: Record<string, { range: Range; exact: boolean }>;
}

export const rangeKey = (path: Path, valueOnly: boolean): string => `${valueOnly ? 1 : 0}${JSON.stringify(path)}`;

export interface StoredCheck {
  /** object position, rule id */
  o: number;
  r: string;
  /** keys read (per-check rules only) */
  reads?: string[];
  p: StoredPending[];
  nv: number;
  inl?: boolean;
  /**
   * the check read its own file's source (a position or the parsed document of an object of that file, or the
   * text, to build a fix): its findings may change with an edit that leaves every value as it was
   */
  src?: true;
}

/** What the run needs of a file's checks when none of them runs again: the union of their reads, and their counts. */
export interface CheckSummary {
  reads: string[];
  nv: number;
  inl: string[];
}

export {
  loadSummary,
  packSummary,
  readsMeet,
  readsToken,
  storeSummaries,
  unpackSummary,
  type PackedSummary,
  type StoredSummary,
} from './incremental-summary.js';

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
  result: FileFindings;
  notManifest?: boolean;
  /** of `checks`, when the entry was read from the state (its checks are then decoded only when used) */
  summary?: CheckSummary;
  /**
   * the file holds no kustomization and no chainsaw Test, and is not named as a kustomization: the stages that look for
   * those over every object of the input skip its objects (LoadedFile.plain), which are then made only when read
   */
  plain?: true;
  /** the previous entry whose objects this one's are (an unchanged file): its objects are counted as they were, not read */
  objectsOf?: FileEntry;
}

/**
 * The entry of an unchanged file whose checks ran again with the same findings: the previous one with these checks. Its
 * objects and early findings are the previous entry's, read through it (a stored entry decodes them when first read).
 */
export function recheckedEntry(prev: FileEntry, checks: StoredCheck[], rules: string[]): FileEntry {
  const e: FileEntry = {
    hash: prev.hash,
    display: prev.display,
    get objects() {
      return prev.objects;
    },
    get early() {
      return prev.early;
    },
    checks,
    rules,
    result: prev.result,
    objectsOf: prev.objectsOf ?? prev,
  };
  if (prev.notManifest) e.notManifest = true;
  if (prev.plain) e.plain = true;
  return e;
}

export const summaryOf = (e: FileEntry): CheckSummary => e.summary ?? summarize(e.checks);

export interface IncrementalState {
  format: number;
  key: string;
  /** digest of every non-input file the run read (context, CRDs, policies, charts) and the discovery notes */
  others: string;
  files: Record<string, FileEntry>;
  /** per-rule read sets of the rules not recorded per check */
  ruleReads: Record<string, string[]>;
  /** how many objects of `files` answer each existence key (index-reads.ts, EXISTENCE) */
  exist?: Record<string, number>;
}

/**
 * The existence counts of the next state: the previous counts, less the objects of the entries that left
 * or were replaced, plus those of the new entries (an entry whose objects are the previous entry's
 * counts as it did); counted afresh when there are no previous counts.
 */
export function existenceCounts(prev: IncrementalState | undefined, files: Record<string, FileEntry>): Record<string, number> {
  const exist: Record<string, number> = prev?.exist ? { ...prev.exist } : {};
  const add = (e: FileEntry, by: number): void => {
    for (const o of e.objects) for (const k of o.keys) if (k.startsWith(EXISTENCE)) exist[k] = (exist[k] ?? 0) + by;
  };
  // by the entry whose objects they are (an unchanged file's objects are not read: a stored entry decodes them then)
  const kept = new Set<FileEntry>();
  if (prev?.exist) {
    const now = new Set<FileEntry>();
    for (const e of Object.values(files)) now.add(e.objectsOf ?? e);
    for (const e of Object.values(prev.files)) {
      if (now.has(e.objectsOf ?? e)) kept.add(e.objectsOf ?? e);
      else add(e, -1);
    }
  }
  for (const e of Object.values(files)) if (!kept.has(e.objectsOf ?? e)) add(e, 1);
  for (const k of Object.keys(exist)) if (exist[k] === 0) delete exist[k];
  return exist;
}

export interface FileRun {
  abs: string;
  hash: string | undefined;
  /** read afresh: every check runs */
  fresh: boolean;
  prev?: FileEntry;
  /** unchanged but some check must run again */
  touched: boolean;
  /**
   * of a file read afresh: the positions of its objects that stand where they stood with the same value (a comment
   * edit), whose stored checks are replayed unless they read the file's source or a dirty key (Incremental.trace)
   */
  reuse?: Set<number>;
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

export function ser(p: Pending, pos: Map<ManifestObject<Obj>, number>): StoredPending {
  const { obj, ...rest } = p;
  const out: StoredPending = rest;
  if (obj) out.o = pos.get(obj) ?? -1;
  return out;
}

/** Whether a check's record says anything (no findings, counts or reads: nothing to store). */
export function worthKeeping(c: StoredCheck): boolean {
  return c.p.length > 0 || c.nv > 0 || Boolean(c.inl) || c.reads !== undefined || c.src === true;
}

/** Whether a check run again reported what it reported before (its read set aside). */
export function sameOutput(prev: StoredCheck | undefined, c: StoredCheck): boolean {
  if (!prev) return c.p.length === 0 && c.nv === 0 && !c.inl;
  return c.nv === prev.nv && Boolean(c.inl) === Boolean(prev.inl) && JSON.stringify(c.p) === JSON.stringify(prev.p);
}

export function scopeOf(ruleId: string): 'check' | 'rule' | 'all' {
  if (ruleId.includes('/')) return 'all';
  return PER_CHECK_RULES.has(ruleId) ? 'check' : 'rule';
}
