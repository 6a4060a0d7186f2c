/**
 * "Did you mean" over the names of one kind in one namespace: the answer of {@link closest} over all the
 * names, without comparing the word with every name (which made a missing-reference check quadratic in the
 * names of a namespace).
 *
 * closest() ranks by case-insensitive edit distance (ci), then case-sensitive distance (cs), then code-unit
 * order, among names with ci <= limit. The table finds that minimum exactly:
 * - first the names within one edit, through their one-deletion forms (L + 1 per name): when the best of
 *   those is within one edit, no other name can rank higher;
 * - else every name is at least 2 edits away, and the names are scanned in code-unit order, stopping at
 *   the first with ci = cs = 2 when the word and the names are ASCII (then ci <= cs, so every later name
 *   ranks lower; lower-casing `İ` or a final `Σ` can make ci > cs);
 * - a short word (a limit of at most 2) gives the scan a few names, then goes through deletion forms (a
 *   name within k edits shares a form with k code points deleted at most, on each side).
 */
import { PrefixDistances } from './prefix-distance.js';
import { boundedLevenshtein, closest, cpLength, defaultMaxDistance, levenshtein } from '../util/strings.js';

/** Up to this many edits, and for names up to DELETION_NAME_LENGTH code points, short words go through deletion forms (a few per name). */
const MAX_DELETIONS = 2;
const DELETION_NAME_LENGTH = 10;
/** Distance computations the scan may spend on a short word before its deletion table is used. */
const SHORT_SCAN = 32;
/**
 * Distance computations per name that plain scans may spend on a table before its deletion tables are built:
 * a table asked a few times (a namespace with a few dangling references) is answered by scanning its names,
 * which costs less than building the tables; one asked often builds them (at most twice the cheaper way).
 */
const SCAN_CREDIT = 16;
/**
 * Fewer names than this are always scanned: a scan of a hundred names costs about what one lookup in the
 * deletion tables does (the deletion forms of the word, and the names that share one), and the tables cost
 * more to build (measured: 500 missing HPA targets over 25 namespaces of 100 Deployments each, 4x faster).
 */
const SCAN_ONLY_BELOW = 200;

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
  /** distance computations spent by plain scans (see SCAN_CREDIT) */
  private scanned = 0;

  private readonly scanCredit: number;

  /**
   * `scanCredit`: SCAN_CREDIT, or Infinity (scans only) for fewer than SCAN_ONLY_BELOW names (the tests give 0, for
   * the deletion tables from the first word, and Infinity, for scans only)
   */
  constructor(names: Iterable<string>, scanCredit?: number) {
    this.names = [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.scanCredit = scanCredit ?? (this.names.length < SCAN_ONLY_BELOW ? Infinity : SCAN_CREDIT);
    this.lowers = this.names.map((n) => n.toLowerCase());
    this.lengths = Int32Array.from(this.lowers, cpLength);
    this.ascii = this.names.every(isAscii);
  }

  /** closest(word, names): the best "did you mean" for `word`, or undefined. */
  closest(word: string): string | undefined {
    const limit = defaultMaxDistance(word);
    const lower = word.toLowerCase();
    const len = cpLength(lower);
    // a table asked a few times: closest() over every name, in code-unit order, without the early stop (which
    // holds only once no name is known to be within one edit)
    if (this.scanned < this.names.length * this.scanCredit) return this.scan(word, lower, len, limit, Infinity, false).best;
    // every name within one edit of the word shares a one-deletion form with it
    const table1 = this.oneDeletionTable();
    const near1 = new Set<string>();
    for (const d of deletions(lower, 1)) for (const name of table1.get(d) ?? []) near1.add(name);
    const best1 = closest(word, near1);
    if (limit <= 1 || (best1 !== undefined && boundedLevenshtein(lower, best1.toLowerCase(), 1) <= 1)) return best1;
    // a name within `limit` edits is at most len + limit long: all such names are in the short names' table,
    // whose lookup does not depend on how many names there are; the scan stops early when a name two edits
    // away comes soon in code-unit order, so it goes first, for a few names
    const short = limit <= MAX_DELETIONS && len + limit <= DELETION_NAME_LENGTH;
    const scanned = this.scan(word, lower, len, limit, short ? SHORT_SCAN : Infinity, true);
    if (scanned.done) return scanned.best;
    const table = this.shortTable(limit);
    const near = new Set<string>();
    for (const d of deletions(lower, limit)) for (const name of table.get(d) ?? []) near.add(name);
    return closest(word, near);
  }

  /**
   * closest() over the names in code-unit order; `noneWithinOne`: no name is within one edit (then it may stop at
   * the first name two edits away); done: false when it gave up after `budget` distance computations.
   */
  private scan(
    word: string,
    lower: string,
    len: number,
    limit: number,
    budget: number,
    noneWithinOne: boolean,
  ): { done: boolean; best?: string } {
    let best: string | undefined;
    let bestCi = Infinity;
    let bestCs = Infinity;
    const { names, lowers, lengths } = this;
    const ascii = this.ascii && isAscii(word);
    const early = noneWithinOne && ascii;
    // ASCII: the names' common prefixes share their rows of the distance computation
    const prefixed = ascii ? new PrefixDistances(lower, limit) : undefined;
    for (let i = 0; i < names.length; i++) {
      if (Math.abs(lengths[i]! - len) > limit) continue;
      if (budget-- <= 0) return { done: false };
      this.scanned++;
      const ci = prefixed ? prefixed.distance(lowers[i]!) : boundedLevenshtein(lower, lowers[i]!, limit);
      if (ci > limit || ci > bestCi) continue;
      const cs = levenshtein(word, names[i]!);
      // names come in code-unit order: a later one with the same distances ranks lower
      if (ci < bestCi || cs < bestCs) {
        best = names[i];
        bestCi = ci;
        bestCs = cs;
        if (ci === 2 && cs === 2 && early) break;
      }
    }
    return { done: true, best };
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
