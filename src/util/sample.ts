/** Short lists for messages: a few samples, then how many more. */

/** `a, b, c and 4 more` (the first `max` items, in the given order). */
export function sampleList(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${String(items.length - max)} more`;
}

/** {@link sampleList} of `items` formatted by `format`, formatting only the items it quotes. */
export function sampleOf<T>(items: readonly T[], format: (item: T) => string, max = 3): string {
  const shown = items.slice(0, max).map(format);
  return items.length > max ? `${shown.join(', ')} and ${String(items.length - max)} more` : shown.join(', ');
}

/** `{a=1, b=2, …}`: at most `max` labels of a map, for messages. */
export function sampleLabels(labels: Record<string, unknown>, max = 3): string {
  const ks = Object.keys(labels);
  if (ks.length === 0) return '{}';
  const shown = ks.slice(0, max).map((k) => `${k}=${String(labels[k])}`);
  return `{${shown.join(', ')}${ks.length > max ? `, +${String(ks.length - max)}` : ''}}`;
}
