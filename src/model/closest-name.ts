/**
 * "Did you mean" over the names of one kind in one namespace: the answer of {@link closest} over all the
 * names, without comparing the word with every name (which made a missing-reference check quadratic in the
 * names of a namespace).
 *
 * closest() ranks by case-insensitive edit distance (ci), then case-sensitive distance (cs), then code-unit
 * order, among names with ci <= limit. The table finds that minimum exactly:
 * - short words with a limit of at most 2: through deletion forms (a name within k edits shares a form
 *   with k code points deleted at most, on each side);
 * - otherwise, first the names within one edit, through their one-deletion forms (L + 1 per name): when
 *   the best of those is within one edit, no other name can rank higher;
 * - else every name is at least 2 edits away, and the names are scanned in code-unit order, stopping at
 *   the first with ci = cs = 2 when the word and the names are ASCII (then ci <= cs, so every later name
 *   ranks lower; lower-casing `İ` or a final `Σ` can make ci > cs).
 */
import { boundedLevenshtein, closest, cpLength, defaultMaxDistance, levenshtein } from '../util/strings.js';

/** Up to this many edits, and for names up to DELETION_NAME_LENGTH code points, short words go through deletion forms (a few per name). */
const MAX_DELETIONS = 2;
const DELETION_NAME_LENGTH = 10;

/** The forms of `s` with up to `k` code points deleted, `s` included. */
export function deletions(s: string, k: number): Set<string> {
  const out = new Set<string>([s]);
  // code points: a surrogate pair is one (what closest() counts); plain strings are sliced directly
  const split = /[\ud800-\udfff]/.test(s) ? (x: string): string[] => Array.from(x) : undefined;
  let level = [s];
  for (let n = 0; n < k; n++) {
    const next: string[] = [];
    for (const w of level) {
      const cps = split ? split(w) : undefined;
      const m = cps ? cps.length : w.length;
      for (let i = 0; i < m; i++) {
        const d = cps ? cps.slice(0, i).join('') + cps.slice(i + 1).join('') : w.slice(0, i) + w.slice(i + 1);
        if (out.has(d)) continue;
        out.add(d);
        next.push(d);
      }
    }
    level = next;
  }
  return out;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function addTo(table: Map<string, string[]>, form: string, name: string): void {
  const l = table.get(form);
  if (!l) table.set(form, [name]);
  else if (l[l.length - 1] !== name) l.push(name);
}

export class NameTable {
  /** the distinct names, in code-unit order */
  private readonly names: string[];
  private readonly lowers: string[];
  /** code points of each lower-cased name */
  private readonly lengths: Int32Array;
  /** deletion forms (up to `limit` deletions) of the short names, by limit */
  private readonly byDeletion = new Map<number, Map<string, string[]>>();
  /** one-deletion forms of every name */
  private byDeletion1: Map<string, string[]> | undefined;
  /** every name is ASCII, whose lower-casing maps each character to one, so that ci <= cs */
  private readonly ascii: boolean;

  constructor(names: Iterable<string>) {
    this.names = [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.lowers = this.names.map((n) => n.toLowerCase());
    this.lengths = Int32Array.from(this.lowers, cpLength);
    this.ascii = this.names.every(isAscii);
  }

  /** closest(word, names): the best "did you mean" for `word`, or undefined. */
  closest(word: string): string | undefined {
    const limit = defaultMaxDistance(word);
    const lower = word.toLowerCase();
    const len = cpLength(lower);
    // a name within `limit` edits is at most len + limit long: all such names are in the short names' table
    if (limit <= MAX_DELETIONS && len + limit <= DELETION_NAME_LENGTH) {
      const table = this.shortTable(limit);
      const near = new Set<string>();
      for (const d of deletions(lower, limit)) for (const name of table.get(d) ?? []) near.add(name);
      return closest(word, near);
    }
    // every name within one edit of the word shares a one-deletion form with it
    const table1 = this.oneDeletionTable();
    const near = new Set<string>();
    for (const d of deletions(lower, 1)) for (const name of table1.get(d) ?? []) near.add(name);
    const best1 = closest(word, near);
    if (limit <= 1 || (best1 !== undefined && boundedLevenshtein(lower, best1.toLowerCase(), 1) <= 1)) return best1;
    // no name within one edit: scan in code-unit order (the ranking of closest()), stop at a best possible one
    let best: string | undefined;
    let bestCi = Infinity;
    let bestCs = Infinity;
    const { names, lowers, lengths } = this;
    for (let i = 0; i < names.length; i++) {
      if (Math.abs(lengths[i]! - len) > limit) continue;
      const ci = boundedLevenshtein(lower, lowers[i]!, limit);
      if (ci > limit || ci > bestCi) continue;
      const cs = levenshtein(word, names[i]!);
      // names come in code-unit order: a later one with the same distances ranks lower
      if (ci < bestCi || cs < bestCs) {
        best = names[i];
        bestCi = ci;
        bestCs = cs;
        if (ci === 2 && cs === 2 && this.ascii && isAscii(word)) break;
      }
    }
    return best;
  }

  private shortTable(limit: number): Map<string, string[]> {
    let table = this.byDeletion.get(limit);
    if (!table) {
      table = new Map();
      for (let i = 0; i < this.names.length; i++) {
        if (this.lengths[i]! > DELETION_NAME_LENGTH) continue;
        for (const d of deletions(this.lowers[i]!, limit)) addTo(table, d, this.names[i]!);
      }
      this.byDeletion.set(limit, table);
    }
    return table;
  }

  private oneDeletionTable(): Map<string, string[]> {
    if (!this.byDeletion1) {
      const table = new Map<string, string[]>();
      for (let i = 0; i < this.names.length; i++) for (const d of deletions(this.lowers[i]!, 1)) addTo(table, d, this.names[i]!);
      this.byDeletion1 = table;
    }
    return this.byDeletion1;
  }
}
