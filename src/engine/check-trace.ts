// What the check stage (check.ts) counts, and how the incremental cache (incremental.ts) sees its checks.
import type { ObjectIndex } from '../model/index.js';
import type { ManifestObject, Obj } from '../model/object.js';
import type { LoadedFile, Pending } from './load.js';
import type { AnyRule } from './rule.js';

export interface Counters {
  notValidated: number;
  /** namespaced rules (plugins, policies) that reported inline prose instead of a messageId */
  inlineMessages: Set<string>;
}

/**
 * How the incremental cache (incremental.ts) sees the checks: the index each rule reads through, and
 * each check of a rule on an object, which it runs (`run`) or replays (pushing the stored findings).
 */
export interface CheckTrace {
  indexFor(rule: AnyRule, index: ObjectIndex): ObjectIndex;
  pair(l: LoadedFile, obj: ManifestObject<Obj>, rule: AnyRule, pending: Pending[], counters: Counters, run: () => void): void;
  /** the check running now builds a fix or a suggestion: an edit of its file's text, at its positions */
  sourceRead(): void;
}
