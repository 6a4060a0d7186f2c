/**
 * A pure function of a string, memoised: names and values recur across the objects of an input. The table is
 * bounded (cleared when it reaches `limit` entries), so a huge input cannot grow it without limit.
 */
export function memoizeString<T>(fn: (s: string) => T, limit = 10000): (s: string) => T {
  const table = new Map<string, T>();
  return (s) => {
    if (table.has(s)) return table.get(s) as T;
    if (table.size >= limit) table.clear();
    const v = fn(s);
    table.set(s, v);
    return v;
  };
}
