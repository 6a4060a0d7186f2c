/** Short, deterministic renderings of labels and label selectors for messages. */
import { asArray, isObj } from '../model/object.js';

/** `{a=1, b=2}` in the map's own key order; `{}` when empty or not a map. */
export function formatLabels(l: unknown): string {
  if (!isObj(l)) return '{}';
  const ks = Object.keys(l);
  return ks.length ? `{${ks.map((k) => `${k}=${String(l[k])}`).join(', ')}}` : '{}';
}

/** A metav1.LabelSelector as `{a=1, b In (x, y), c Exists}`. */
export function formatSelector(sel: unknown): string {
  if (!isObj(sel)) return String(sel);
  const parts: string[] = [];
  if (isObj(sel.matchLabels)) for (const k of Object.keys(sel.matchLabels)) parts.push(`${k}=${String(sel.matchLabels[k])}`);
  for (const e of asArray(sel.matchExpressions)) {
    if (!isObj(e)) continue;
    const vals = Array.isArray(e.values) ? ` (${e.values.map(String).join(', ')})` : '';
    parts.push(`${String(e.key)} ${String(e.operator)}${vals}`);
  }
  return parts.length ? `{${parts.join(', ')}}` : '{}';
}
