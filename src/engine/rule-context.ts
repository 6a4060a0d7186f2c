/**
 * A rule's context in the check stage (src/engine/check.ts): what `report` makes of a report (its message,
 * fix and suggestions, a pending finding in the file's list), and the contexts' pool, one per run and index.
 */
import type { RuleSetting } from '../config/config.js';
import type { ObjectIndex } from '../model/index.js';
import type { ManifestObject, Obj } from '../model/object.js';
import { sharedText, toPointer, type Path } from '../parse/source.js';
import type { Pending } from './load.js';
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
import type { ObjectFixer } from '../fix/fixer.js';
import type { CheckTrace, Counters } from './check-trace.js';

export const EMPTY_OPTS = {};

/**
 * A run's rule contexts for one index, and the contexts of each list of applicable rules, in list order. Made
 * once per run rather than once per file: a file's contexts (a hundred, each with its report closure) lived
 * as long as its checks and were promoted by the scavenges that fell in them, then piled up as old-generation
 * garbage (about 10 MB in a 20,000-resource run).
 */
export interface ContextPool {
  defaultNamespace: string;
  settings: Record<string, unknown>;
  byRule: Map<AnyRule, RuleCtx>;
  lists: Map<{ rule: AnyRule; s: RuleSetting }[], RuleCtx[]>;
}
const pools = new WeakMap<Counters, WeakMap<ObjectIndex, ContextPool>>();
export function newPool(defaultNamespace: string, settings: Record<string, unknown>): ContextPool {
  return { defaultNamespace, settings, byRule: new Map(), lists: new Map() };
}
export function poolOf(counters: Counters, index: ObjectIndex, defaultNamespace: string, settings: Record<string, unknown>): ContextPool {
  let byIndex = pools.get(counters);
  if (!byIndex) pools.set(counters, (byIndex = new WeakMap()));
  let pool = byIndex.get(index);
  if (!pool || pool.defaultNamespace !== defaultNamespace || pool.settings !== settings)
    byIndex.set(index, (pool = newPool(defaultNamespace, settings)));
  return pool;
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

type MessageTable = Map<string, { text: string; severity: Severity | undefined }>;
/**
 * A rule's messages by id (own properties of `meta.messages`), as their text and severity: kept per messages object
 * in a Map, so that a report finds its message with one lookup (the messages objects of the rules all have
 * different shapes, and a property lookup by a computed name on them is slow). A rule's context holds its table.
 */
const messageTables = new WeakMap<object, MessageTable>();
function messageTableOf(rule: AnyRule): MessageTable | undefined {
  const messages = rule.meta.messages;
  if (!messages) return undefined;
  let table = messageTables.get(messages);
  if (!table) messageTables.set(messages, (table = new Map()));
  return table;
}
/** A message of the rule by id, through its table (undefined: the rule declares no such message). */
function messageOf(
  rule: AnyRule,
  table: MessageTable | undefined,
  id: string,
): { text: string; severity: Severity | undefined } | undefined {
  if (!table) return undefined;
  let m = table.get(id);
  if (m === undefined) {
    const messages = rule.meta.messages!;
    const spec = Object.prototype.hasOwnProperty.call(messages, id) ? messages[id] : undefined;
    if (spec === undefined) return undefined;
    table.set(id, (m = { text: messageText(spec), severity: messageSeverity(spec) }));
  }
  return m;
}

/** The context of one rule in one file; `obj` and `options` are set by the engine before each check. */
export class RuleCtx implements RuleContext<Record<string, unknown>> {
  obj!: ManifestObject<Obj>;
  options: Record<string, unknown> = EMPTY_OPTS;
  readonly report: (d: ReportDescriptor) => void;
  readonly notValidated: () => void;
  wantsFixes: boolean;
  /** the findings of the file being checked, and its objects' fixers (undefined: no fixes) */
  pending: Pending[];
  private fixerOf: ((obj: ManifestObject<Obj>) => ObjectFixer) | undefined;
  constructor(
    rule: AnyRule,
    readonly index: ObjectIndex,
    readonly defaultNamespace: string,
    readonly settings: Record<string, unknown>,
    pending: Pending[],
    counters: Counters,
    fixerOf: ((obj: ManifestObject<Obj>) => ObjectFixer) | undefined,
    /** the incremental cache's view of the checks (its contexts are made per file) */
    trace?: CheckTrace,
  ) {
    this.pending = pending;
    this.fixerOf = fixerOf;
    this.wantsFixes = fixerOf !== undefined;
    const messages = messageTableOf(rule);
    this.report = (d: ReportDescriptor): void => {
      const obj = this.obj;
      const fixerOf = this.fixerOf;
      let template: string;
      let severity = d.severity;
      if (d.messageId !== undefined) {
        const spec = messageOf(rule, messages, d.messageId);
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
      if ((d.fix || d.suggest) && fixerOf) trace?.sourceRead();
      if (d.fix) {
        if (!rule.meta.fixable) throw new Error('reported a fix but its meta has no `fixable: true`');
        if (fixerOf) fix = fixerOf(obj).build(d.fix);
      }
      if (d.suggest) {
        if (!rule.meta.hasSuggestions) throw new Error('reported suggestions but its meta has no `hasSuggestions: true`');
      }
      if (d.suggest && fixerOf) {
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
          const e = fixerOf(obj).build(sg.fix);
          if (e) (suggestions ??= []).push(sg.messageId !== undefined ? { messageId: sg.messageId, desc, fix: e } : { desc, fix: e });
        }
      }
      this.pending.push(pendingOf(fix, suggestions, ruleId, message, d.messageId, severity, obj, d.path, d.valueOnly));
    };
    this.notValidated = (): void => {
      counters.notValidated++;
    };
  }

  /** The context checks another file: its findings and its objects' fixers. */
  retarget(pending: Pending[], fixerOf: ((obj: ManifestObject<Obj>) => ObjectFixer) | undefined): void {
    this.pending = pending;
    this.fixerOf = fixerOf;
    this.wantsFixes = fixerOf !== undefined;
  }
}
