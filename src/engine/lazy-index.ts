/**
 * The index of an incremental run that starts from a previous state, filled when first read. A run in which no
 * check reads it (a comment edit: the changed file's checks that run again read its own text, every other file
 * replays its stored findings) then never adds its 5,000 objects (of the bench's corpus): their positions, lists
 * and keys, made and then collected. Filled before any other use (an `add` too), in the order the adds were given.
 */
import type { ObjectIndex } from '../model/index.js';

/** How many lazy indexes the process made and filled (for tests). */
export const lazyIndexStats = { made: 0, filled: 0 };

export function fillOnRead(index: ObjectIndex, fill: (index: ObjectIndex) => void): ObjectIndex {
  let pending: ((index: ObjectIndex) => void) | undefined = fill;
  lazyIndexStats.made++;
  // methods run on the index itself (`this` is never the proxy: its own fields are read without the trap)
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(index, {
    get(target, prop) {
      if (pending) {
        const f = pending;
        pending = undefined;
        lazyIndexStats.filled++;
        f(target);
      }
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function' || prop === 'constructor') return value;
      let b = bound.get(prop);
      if (b === undefined) bound.set(prop, (b = (value as (...a: unknown[]) => unknown).bind(target)));
      return b;
    },
  });
}
