/** Where an object is: its `path:line` for messages, how far apart two objects are by directory, and the nearest of several. */
import * as path from 'node:path';
import type { ManifestObject, SourceFile } from './object.js';
import { identityOf } from './scope.js';

/** `path:line` of an object (its `kind:` line), for messages that name another object. */
export function whereIs(o: ManifestObject<unknown>): string {
  if (o.origin) return `${o.origin.path}:${o.origin.line}`;
  return `${o.file.path}:${String(o.rangeOf([]).range.line)}`;
}

/** `Kind/name (path:line)`, for messages that name another object. */
export function describeAt(o: ManifestObject<unknown>): string {
  return `${o.kind}/${o.name} (${whereIs(o)})`;
}

/** The directory segments of a file's absolute path, memoised per file. */
const dirSegments = new WeakMap<SourceFile, string[]>();
function dirsOf(f: SourceFile): string[] {
  let d = dirSegments.get(f);
  if (!d) {
    const dir = f.absPath.startsWith('<') ? '' : path.dirname(f.absPath);
    d = dir.split(/[\\/]+/).filter((s) => s !== '');
    dirSegments.set(f, d);
  }
  return d;
}

/**
 * How far `to` is from `from`, for choosing among same-named objects: 0 in
 * the same file; otherwise 1 + 10000 × the directories to climb from `from`'s
 * directory to the nearest common ancestor + the directories to descend from
 * there to `to`'s. So the same file wins, then the same directory, then a
 * subdirectory, then the nearest common ancestor.
 */
export function distance(from: ManifestObject<unknown>, to: ManifestObject<unknown>): number {
  if (from.file === to.file || from.file.absPath === to.file.absPath) return 0;
  const a = dirsOf(from.file);
  const b = dirsOf(to.file);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return 1 + (a.length - common) * 10000 + (b.length - common);
}

/**
 * Whether one object's directory contains the other's (or they share one):
 * a base and the tree below it, as opposed to siblings and cousins such as
 * two tutorials of a samples repository.
 */
export function inLine(a: ManifestObject<unknown>, b: ManifestObject<unknown>): boolean {
  const d = distance(a, b);
  if (d === 0) return true;
  const up = Math.floor((d - 1) / 10000);
  const down = (d - 1) % 10000;
  return up === 0 || down === 0;
}

/** Whether two objects are in the same file or in files of the same directory. */
export function sameDirectory(a: ManifestObject<unknown>, b: ManifestObject<unknown>): boolean {
  return distance(a, b) <= 1;
}

const dirKeys = new WeakMap<SourceFile, string>();

/** Key of an object's directory: two objects are in the same directory (see {@link sameDirectory}) exactly when their keys are equal. */
export function dirKey(o: ManifestObject<unknown>): string {
  // per file: the index groups every object by it
  let k = dirKeys.get(o.file);
  if (k === undefined) dirKeys.set(o.file, (k = dirsOf(o.file).join('/')));
  return k;
}

/** The objects of a list nearest to `from` first (see {@link distance}; ties keep list order). */
export function nearestFirst<T extends ManifestObject<unknown>>(list: T[], from: ManifestObject<unknown>): T[] {
  return list
    .map((o, i) => ({ o, i, d: distance(from, o) }))
    .sort((x, y) => x.d - y.d || x.i - y.i)
    .map((x) => x.o);
}

/** The objects of a list, keeping of each identity only the one nearest to `from` (first in the list on a tie), in list order. */
export function nearestOfEach<T extends ManifestObject<unknown>>(list: T[], from: ManifestObject<unknown>): T[] {
  if (list.length < 2) return list;
  const best = new Map<string, { o: T; d: number }>();
  for (const o of list) {
    const k = identityOf(o);
    const d = distance(from, o);
    const cur = best.get(k);
    if (!cur || d < cur.d) best.set(k, { o, d });
  }
  if (best.size === list.length) return list;
  const keep = new Set([...best.values()].map((b) => b.o));
  return list.filter((o) => keep.has(o));
}

/** Whether no other object of `same` (the objects of `target`'s identity) is nearer to `from` than `target` (a tie counts as nearest). */
export function isNearestOf<T extends ManifestObject<unknown>>(same: T[], target: T, from: ManifestObject<unknown>): boolean {
  if (same.length < 2) return true;
  const d = distance(from, target);
  return same.every((o) => o === target || distance(from, o) >= d);
}
