/**
 * The check stage: every rule that applies to an object (by `appliesTo` and the configuration for its file
 * and object) runs on it with the object index; reports become findings with the reported path (the
 * locate stage, locate.ts, turns it into a range). A rule that throws becomes an internal-error finding
 * on the object, and the run goes on.
 */
import type { RuleConfigResolver, RuleSetting } from '../config/config.js';
import type { ObjectIndex } from '../model/index.js';
import type { ManifestObject, Obj } from '../model/object.js';
import { appliesTo } from './applies.js';
import { isJsonName, type LoadedFile, type Pending } from './load.js';
import type { AnyRule } from './rule.js';
import { objectFixer, type ObjectFixer } from '../fix/fixer.js';
import { YamlEditor } from '../fix/edits.js';
import { EMPTY_OPTS, newPool, poolOf, RuleCtx } from './rule-context.js';
import { timedCheck, timingOn } from './timing.js';

export type { CheckTrace, Counters } from './check-trace.js';
import type { CheckTrace, Counters } from './check-trace.js';

/** Runs the rules on the objects of one file; returns their findings in report order. */
export function runChecks(
  l: LoadedFile,
  resolver: RuleConfigResolver,
  checkRules: AnyRule[],
  index: ObjectIndex,
  defaultNamespace: string,
  settings: Record<string, unknown>,
  internalErrors: string[],
  counters: Counters,
  /** compute fixes and suggestions (false: the reports' fix functions are not run) */
  fixes = true,
  trace?: CheckTrace,
): Pending[] {
  const pending: Pending[] = [];
  // fixes and suggestions are text edits of this file, computed from its parsed node ranges (one editor per file)
  let editor: YamlEditor | undefined;
  const editorOf = (): YamlEditor => (editor ??= new YamlEditor(l.file.parse.source.text, isJsonName(l.file.absPath)));
  // the fixer of the object being checked (a fixer finds its object's document once, for every report on it); dropped
  // when the checks move on to the next object, so that it dies young instead of living as long as the file's checks
  let fixerObj: ManifestObject<Obj> | undefined;
  let fixer: ObjectFixer | undefined;
  const fixerFor = (obj: ManifestObject<Obj>): ObjectFixer => {
    if (fixerObj !== obj || !fixer) {
      fixerObj = obj;
      fixer = objectFixer(editorOf(), obj);
    }
    return fixer;
  };
  const fixerOf = fixes ? fixerFor : undefined;
  // per-rule contexts (the engine sets the current object and options before each check), those of the run's
  // earlier files pointed at this file's findings; the incremental cache's, which read through per-rule facades, per file
  const pool = trace ? newPool(defaultNamespace, settings) : poolOf(counters, index, defaultNamespace, settings);
  const ctxFor = (rule: AnyRule): RuleCtx => {
    let c = pool.byRule.get(rule);
    if (!c)
      pool.byRule.set(
        rule,
        (c = new RuleCtx(rule, trace ? trace.indexFor(rule, index) : index, defaultNamespace, settings, pending, counters, fixerOf, trace)),
      );
    return c;
  };
  const contextLists = pool.lists;
  let lastDoc = -1;
  for (const obj of l.objects) {
    fixerObj = undefined;
    fixer = undefined;
    // the editor's parsed document is dropped once the checks move on to another document (memory)
    if (obj.docIndex !== lastDoc) {
      editor?.release();
      lastDoc = obj.docIndex;
    }
    // an object of a rendered chart or kustomization takes the settings of the source file it came from
    const settingsFor = resolver.resolve(l.render?.objectFile(obj) ?? l.file.absPath, obj);
    const list = applicableRules(checkRules, settingsFor, obj);
    // the contexts of a list's rules, in list order: one lookup per object rather than one per object and rule
    let found = contextLists.get(list);
    if (!found) contextLists.set(list, (found = []));
    const ctxs = found;
    for (let i = 0; i < list.length; i++) {
      const { rule, s } = list[i]!;
      const ctx = (ctxs[i] ??= ctxFor(rule));
      if (ctx.pending !== pending) ctx.retarget(pending, fixerOf);
      // without the incremental cache, no closure per object and rule (hundreds of thousands in a large run)
      if (trace) trace.pair(l, obj, rule, pending, counters, () => checkOne(rule, ctx, obj, s, l, pending, internalErrors));
      else checkOne(rule, ctx, obj, s, l, pending, internalErrors);
    }
  }
  return pending;
}

/** One rule on one object; a rule that throws becomes an internal-error finding on the object. */
function checkOne(
  rule: AnyRule,
  ctx: RuleCtx,
  obj: ManifestObject<Obj>,
  s: RuleSetting,
  l: LoadedFile,
  pending: Pending[],
  internalErrors: string[],
): void {
  ctx.obj = obj;
  ctx.options = s.options ?? EMPTY_OPTS;
  try {
    timingOn ? timedCheck(rule, obj, ctx) : rule.check!(obj, ctx);
  } catch (e) {
    // the incremental cache found a stored file changed under it: the run starts afresh
    if (e instanceof Error && e.name === 'IncrementalRestart') throw e;
    const msg = `rule ${rule.meta.id} failed on ${obj.displayName}: ${(e as Error)?.message ?? String(e)}`;
    const internalError = `${l.file.path}: ${msg}`;
    internalErrors.push(internalError);
    pending.push({
      ruleId: rule.meta.id,
      message: `internal error: ${msg}`,
      internalError,
      range: obj.rangeOf([]).range,
      severity: 'error',
      obj,
      fatal: true,
    });
  }
}

/** The enabled rules for objects of a kind under a settings map, in registry order; memoised per map and kind. */
const applicableCache = new WeakMap<AnyRule[], WeakMap<Map<string, RuleSetting>, Map<string, { rule: AnyRule; s: RuleSetting }[]>>>();
function applicableRules(
  checkRules: AnyRule[],
  settingsFor: Map<string, RuleSetting>,
  obj: ManifestObject<Obj>,
): { rule: AnyRule; s: RuleSetting }[] {
  let bySettings = applicableCache.get(checkRules);
  if (!bySettings) applicableCache.set(checkRules, (bySettings = new WeakMap()));
  let byKind = bySettings.get(settingsFor);
  if (!byKind) bySettings.set(settingsFor, (byKind = new Map()));
  // every kind group is decided by the API group and kind alone
  const key = `${obj.group}/${obj.kind}`;
  let list = byKind.get(key);
  if (!list) {
    list = [];
    for (const rule of checkRules) {
      const s = settingsFor.get(rule.meta.id)!;
      if (s.severity === 'off') continue;
      if (rule.meta.appliesTo ? !appliesTo(rule.meta.appliesTo, obj) : rule.meta.kinds && !rule.meta.kinds.includes(obj.kind)) continue;
      list.push({ rule, s });
    }
    byKind.set(key, list);
  }
  return list;
}
