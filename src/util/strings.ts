/**
 * Small string helpers for "did you mean ...?" suggestions.
 */

/**
 * Levenshtein edit distance (insertions, deletions, substitutions, each cost 1),
 * computed over Unicode code points, not UTF-16 code units.
 */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  // no surrogate pair: code points are code units, and the bounded form with no bound is the same distance
  if (!hasSurrogate(a) && !hasSurrogate(b)) return boundedLevenshtein(a, b, Math.max(a.length, b.length));
  const s = Array.from(a);
  const t = Array.from(b);
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let prev: number[] = Array.from({ length: t.length + 1 }, (_, j) => j);
  let cur: number[] = new Array<number>(t.length + 1).fill(0);
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    const si = s[i - 1];
    for (let j = 1; j <= t.length; j++) {
      const cost = si === t[j - 1] ? 0 : 1;
      const del = (prev[j] as number) + 1;
      const ins = (cur[j - 1] as number) + 1;
      const sub = (prev[j - 1] as number) + cost;
      cur[j] = Math.min(del, ins, sub);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[t.length] as number;
}

/** boundedLevenshtein's rows, kept for strings of up to ROWS_KEPT code units */
const ROWS_KEPT = 4096;
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/**
 * levenshtein(a, b) when it is at most `limit`, else some value above `limit`; stops as soon as
 * every entry of a row is past the limit.
 */
export function boundedLevenshtein(a: string, b: string, limit: number): number {
  if (a === b) return 0;
  if (hasSurrogate(a) || hasSurrogate(b)) return levenshtein(a, b);
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  // two rows reused from call to call (a "did you mean" over a namespace's names makes thousands of calls)
  if (rowA.length <= m && m < ROWS_KEPT) {
    rowA = new Int32Array(2 * m + 2);
    rowB = new Int32Array(2 * m + 2);
  }
  let prev = m < ROWS_KEPT ? rowA : new Int32Array(m + 1);
  let cur = m < ROWS_KEPT ? rowB : new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const sub = prev[j - 1]! + (ai === b.charCodeAt(j - 1) ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      const v = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[m]!;
}

function hasSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}

/** Length in code points (what levenshtein counts). */
export function cpLength(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return Array.from(s).length;
  }
  return s.length;
}

/**
 * Default suggestion threshold, as in rustc's "did you mean": one edit per
 * three code points of the misspelt word, and at least one.
 */
export function defaultMaxDistance(word: string): number {
  return Math.floor(Math.max(cpLength(word), 3) / 3);
}

/**
 * Best "did you mean" candidate for `word`, or undefined if none is close
 * enough. Ranking, most important first:
 *  1. edit distance ignoring case (so "imagepullpolicy" -> "imagePullPolicy"
 *     beats a candidate one case-sensitive edit away),
 *  2. case-sensitive edit distance,
 *  3. code-unit (locale-independent) alphabetical order, for determinism.
 * Only candidates whose case-insensitive distance is <= maxDistance qualify
 * (default {@link defaultMaxDistance}; a negative or NaN maxDistance falls back
 * to the default). A candidate equal to `word` is returned as is.
 */
export function closest(word: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  const limit = maxDistance === undefined || Number.isNaN(maxDistance) || maxDistance < 0 ? defaultMaxDistance(word) : maxDistance;
  const lower = word.toLowerCase();
  const lowerLen = cpLength(lower);
  let best: string | undefined;
  let bestCi = Infinity;
  let bestCs = Infinity;
  const seen = new Set<string>();
  for (const c of candidates) {
    if (typeof c !== 'string' || seen.has(c)) continue;
    seen.add(c);
    const cl = c.toLowerCase();
    // the length difference is a lower bound of the distance: skip the far ones without computing it
    if (Math.abs(cpLength(cl) - lowerLen) > limit) continue;
    const ci = boundedLevenshtein(lower, cl, limit);
    if (ci > limit || ci > bestCi) continue;
    const cs = levenshtein(word, c);
    if (best === undefined || ci < bestCi || cs < bestCs || (cs === bestCs && c < best)) {
      best = c;
      bestCi = ci;
      bestCs = cs;
    }
  }
  return best;
}

/** `1 file`, `3 files` */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
