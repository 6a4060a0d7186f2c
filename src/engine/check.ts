/**
 * The check stage: every rule that applies to an object (by `appliesTo` and the configuration for its file
 * and object) runs on it with the object index; reports become findings with the reported path (the
 * locate stage, locate.ts, turns it into a range). A rule that throws becomes an internal-error finding
 * on the object, and the run goes on.
 */
import type { RuleConfigResolver, RuleSetting } from '../config/config.js';
import type { ObjectIndex } from '../model/index.js';
import type { ManifestObject, Obj } from '../model/object.js';
import { sharedText, toPointer, type Path } from '../parse/source.js';
import { appliesTo } from './applies.js';
import { isJsonName, type LoadedFile, type Pending } from './load.js';
import type { FixEdit, LintSuggestion } from './result.js';
import {
  formatMessage,
  messageSeverity,
  messageText,
  type AnyRule,
  type ReportDescriptor,
  type RuleContext,
  type Severity,
} from './rule.js';
import { objectFixer, type ObjectFixer } from '../fix/fixer.js';
import { YamlEditor } from '../fix/edits.js';
import { timedCheck, timingOn } from './timing.js';

const EMPTY_OPTS = {};
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
  // per-rule contexts, reused across the objects of the file (the engine sets the current object and
  // options before each check); the rules that apply to a kind under one settings map are computed once
  const contexts = new Map<AnyRule, RuleCtx>();
  // fixes and suggestions are text edits of this file, computed from its parsed node ranges (one editor per file)
  let editor: YamlEditor | undefined;
  const editorOf = (): YamlEditor => (editor ??= new YamlEditor(l.file.parse.source.text, isJsonName(l.file.absPath)));
  const ctxFor = (rule: AnyRule): RuleCtx => {
    let c = contexts.get(rule);
    if (!c)
      contexts.set(
        rule,
        (c = new RuleCtx(
          rule,
          trace ? trace.indexFor(rule, index) : index,
          defaultNamespace,
          settings,
          pending,
          counters,
          fixes ? editorOf : undefined,
          trace,
        )),
      );
    return c;
  };
  const contextLists = new Map<{ rule: AnyRule; s: RuleSetting }[], RuleCtx[]>();
  let lastDoc = -1;
  for (const obj of l.objects) {
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
      // without the incremental cache, no closure per object and rule (hundreds of thousands in a large run)
      if (trace)
        trace.pair(l, obj, rule, pending, counters, () => checkOne(rule, (ctxs[i] ??= ctxFor(rule)), obj, s, l, pending, internalErrors));
      else checkOne(rule, (ctxs[i] ??= ctxFor(rule)), obj, s, l, pending, internalErrors);
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

/**
 * A report as a pending finding, with its fields in the order the incremental cache stores them: built field
 * by field, with no spread of a throw-away object per finding (with every rule on, tens of thousands).
 */
function pendingOf(
  fix: FixEdit | undefined,
  suggestions: LintSuggestion[] | undefined,
  ruleId: string,
  message: string,
  messageId: string | undefined,
  severity: Severity | undefined,
  obj: ManifestObject<Obj>,
  path: Path,
  valueOnly: boolean | undefined,
): Pending {
  // the common report (no fix, no suggestion, the key's range): one literal, its fields in the same order
  if (!fix && !suggestions && !valueOnly)
    return { ruleId, message, messageId, severity, path: toPointer(obj.basePath, path), obj, objPath: path };
  const p = {} as Pending;
  if (fix) p.fix = fix;
  if (suggestions) p.suggestions = suggestions;
  p.ruleId = ruleId;
  p.message = message;
  p.messageId = messageId;
  p.severity = severity;
  p.path = toPointer(obj.basePath, path);
  p.obj = obj;
  p.objPath = path;
  if (valueOnly) p.valueOnly = true;
  return p;
}

/**
 * A rule's message by id (an own property of `meta.messages`), as its text and severity: kept per messages object
 * in a Map, so that a report finds its message with one lookup (the messages objects of the rules all have
 * different shapes, and a property lookup by a computed name on them is slow).
 */
const messageTables = new WeakMap<object, Map<string, { text: string; severity: Severity | undefined }>>();
function messageOf(rule: AnyRule, id: string): { text: string; severity: Severity | undefined } | undefined {
  const messages = rule.meta.messages;
  if (!messages) return undefined;
  let table = messageTables.get(messages);
  if (!table) messageTables.set(messages, (table = new Map()));
  let m = table.get(id);
  if (m === undefined) {
    const spec = Object.prototype.hasOwnProperty.call(messages, id) ? messages[id] : undefined;
    if (spec === undefined) return undefined;
    table.set(id, (m = { text: messageText(spec), severity: messageSeverity(spec) }));
  }
  return m;
}

/** One fixer per object and file editor (a fixer finds its object's document once), for the fixes and suggestions of every report on it. */
const fixers = new WeakMap<() => YamlEditor, WeakMap<ManifestObject<Obj>, ObjectFixer>>();
function fixerOf(editorOf: () => YamlEditor, obj: ManifestObject<Obj>): ObjectFixer {
  let byObj = fixers.get(editorOf);
  if (!byObj) fixers.set(editorOf, (byObj = new WeakMap()));
  let f = byObj.get(obj);
  if (!f) byObj.set(obj, (f = objectFixer(editorOf(), obj)));
  return f;
}

/** The context of one rule in one file; `obj` and `options` are set by the engine before each check. */
class RuleCtx implements RuleContext<Record<string, unknown>> {
  obj!: ManifestObject<Obj>;
  options: Record<string, unknown> = EMPTY_OPTS;
  readonly report: (d: ReportDescriptor) => void;
  readonly notValidated: () => void;
  readonly wantsFixes: boolean;
  constructor(
    rule: AnyRule,
    readonly index: ObjectIndex,
    readonly defaultNamespace: string,
    readonly settings: Record<string, unknown>,
    pending: Pending[],
    counters: Counters,
    editorOf: (() => YamlEditor) | undefined,
    trace: CheckTrace | undefined,
  ) {
    this.wantsFixes = editorOf !== undefined;
    this.report = (d: ReportDescriptor): void => {
      const obj = this.obj;
      let template: string;
      let severity = d.severity;
      if (d.messageId !== undefined) {
        const spec = messageOf(rule, d.messageId);
        if (spec === undefined) throw new Error(`reported unknown messageId "${d.messageId}"`);
        template = spec.text;
        severity ??= spec.severity;
      } else {
        // built-in rules (ids without a plugin prefix) must name a message: the contract is enforced, not advised
        if (!rule.meta.id.includes('/'))
          throw new Error('reported without a messageId; declare meta.messages and report a messageId with data');
        template = d.message ?? rule.meta.description;
        // plugins and policies written against the old API: still run, with a deprecation note
        if (d.message !== undefined) counters.inlineMessages.add(rule.meta.id);
      }
      const message = formatMessage(template, d.data);
      let ruleId = rule.meta.id;
      if (d.instance !== undefined) {
        if (!rule.meta.instanceIds) throw new Error('reported an instance but its meta has no `instanceIds`');
        if (d.instance === '') throw new Error('reported an empty instance name');
        ruleId = `${rule.meta.instanceIds.prefix}/${d.instance}`;
      }
      let fix: FixEdit | undefined;
      let suggestions: LintSuggestion[] | undefined;
      // a fix is built from the file's text (whether one can be made, and its offsets)
      if ((d.fix || d.suggest) && editorOf) trace?.sourceRead();
      if (d.fix) {
        if (!rule.meta.fixable) throw new Error('reported a fix but its meta has no `fixable: true`');
        if (editorOf) fix = fixerOf(editorOf, obj).build(d.fix);
      }
      if (d.suggest) {
        if (!rule.meta.hasSuggestions) throw new Error('reported suggestions but its meta has no `hasSuggestions: true`');
      }
      if (d.suggest && editorOf) {
        for (const sg of d.suggest) {
          let desc: string;
          if (sg.messageId !== undefined) {
            const spec =
              rule.meta.messages && Object.prototype.hasOwnProperty.call(rule.meta.messages, sg.messageId)
                ? rule.meta.messages[sg.messageId]
                : undefined;
            if (spec === undefined) throw new Error(`suggested with unknown messageId "${sg.messageId}"`);
            desc = sharedText(formatMessage(messageText(spec), sg.data));
          } else if (sg.desc !== undefined) desc = sharedText(formatMessage(sg.desc, sg.data));
          else throw new Error('a suggestion needs a messageId');
          const e = fixerOf(editorOf, obj).build(sg.fix);
          if (e) (suggestions ??= []).push(sg.messageId !== undefined ? { messageId: sg.messageId, desc, fix: e } : { desc, fix: e });
        }
      }
      pending.push(pendingOf(fix, suggestions, ruleId, message, d.messageId, severity, obj, d.path, d.valueOnly));
    };
    this.notValidated = (): void => {
      counters.notValidated++;
    };
  }
}
