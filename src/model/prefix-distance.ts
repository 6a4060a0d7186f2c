/**
 * Edit distances from one word to many names taken in code-unit order (NameTable's scan): the rows of the
 * dynamic programme are indexed by the name's code units, so a name that shares a prefix with the one before
 * it starts from the rows of that prefix (names of one kind in a namespace share long prefixes: svc-133,
 * svc-183, ...). For code units only: the caller gives ASCII strings (code units are code points).
 */
export class PrefixDistances {
  /** rows[i]: the distances from the first i code units of `prev` to each prefix of the word */
  private readonly rows: Int32Array[];
  /** the smallest entry of each row */
  private readonly mins: number[] = [0];
  private prev = '';
  /** rows 0..valid hold the prefixes of `prev` */
  private valid = 0;

  constructor(
    private readonly word: string,
    private readonly limit: number,
  ) {
    const r0 = new Int32Array(word.length + 1);
    for (let j = 0; j <= word.length; j++) r0[j] = j;
    this.rows = [r0];
  }

  /** levenshtein(word, name) when it is at most the limit, else limit + 1 (as boundedLevenshtein decides it). */
  distance(name: string): number {
    const { word, limit, rows, mins } = this;
    const m = word.length;
    const prev = this.prev;
    const max = Math.min(prev.length, name.length, this.valid);
    let p = 0;
    while (p < max && prev.charCodeAt(p) === name.charCodeAt(p)) p++;
    this.prev = name;
    this.valid = p;
    // a row's smallest entry never decreases from row to row: past the limit at p, past it at the end
    if (mins[p]! > limit) return limit + 1;
    for (let i = p + 1; i <= name.length; i++) {
      let row = rows[i];
      if (!row) rows[i] = row = new Int32Array(m + 1);
      const up = rows[i - 1]!;
      const c = name.charCodeAt(i - 1);
      row[0] = i;
      let rowMin = i;
      for (let j = 1; j <= m; j++) {
        const sub = up[j - 1]! + (c === word.charCodeAt(j - 1) ? 0 : 1);
        const del = up[j]! + 1;
        const ins = row[j - 1]! + 1;
        const v = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
        row[j] = v;
        if (v < rowMin) rowMin = v;
      }
      mins[i] = rowMin;
      this.valid = i;
      if (rowMin > limit) return limit + 1;
    }
    const d = rows[name.length]![m]!;
    return d > limit ? limit + 1 : d;
  }
}
