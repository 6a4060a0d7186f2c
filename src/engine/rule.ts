/**
 * The rule API. A rule is metadata plus a check that reports JSON paths,
 * never line numbers; the engine turns paths into source ranges.
 */
import { flat, type Path } from '../parse/source.js';
import type { ObjectIndex } from '../model/index.js';
import type { ManifestObject, Obj } from '../model/object.js';
import type { FixValue, TextEdit } from '../fix/edits.js';

export type Severity = 'error' | 'warning' | 'info';
export type Preset = 'recommended' | 'pss-baseline' | 'pss-restricted';
export const PRESETS = ['recommended', 'pss-baseline', 'pss-restricted', 'all'] as const;
export type PeerTool = 'kube-linter' | 'polaris' | 'kube-score' | 'checkov' | 'kubescape';
export type SeverityOrOff = Severity | 'off';

export interface RuleMeta<O extends object = Record<string, unknown>> {
  /** kebab-case id, stable: users write it in configs and suppressions */
  id: string;
  severity: Severity;
  /** e.g. reliability, security, correctness, syntax, schema, efficiency */
  category: string;
  /** one line: what the rule checks */
  description: string;
  /** why it matters and which production failure it prevents (Markdown) */
  rationale: string;
  /** how to fix it (Markdown) */
  remediation: string;
  /** documentation URL; defaults to the generated docs page */
  helpUri?: string;
  tags: string[];
  /** JSON Schema of the options object (validated once, when the config loads; a rule never re-checks its options) */
  schema?: Record<string, unknown>;
  /** @deprecated old name of `schema` */
  optionsSchema?: Record<string, unknown>;
  defaultOptions: O;
  /** `messageId` → template with `{{name}}` placeholders, optionally with the message's own severity */
  messages?: Record<string, MessageSpec>;
  /**
   * Objects this rule looks at, matched by the engine: `group/Kind` (`apps/Deployment`, `core/Pod`,
   * `*\/Ingress`) or a named group (`PodSpecHolder`, `Workload`, `Scalable`, `RBAC`, … see src/engine/applies.ts).
   * Neither this nor `kinds`: every object.
   */
  appliesTo?: readonly string[];
  /** @deprecated kind names only (any group); use `appliesTo` */
  kinds?: string[];
  /**
   * The rule reports for things its users define (each ValidatingAdmissionPolicy), each under its own rule id
   * `<prefix>/<name>` (a report names it with `instance`): that id is configured (`rules:`, `overrides`,
   * `--rule`) and suppressed on its own, while the rule's id still covers every instance. Instance ids take a
   * severity, not options, and cannot turn on what the rule's own setting turns off.
   */
  instanceIds?: { prefix: string; of: string };
  /** Rules reported by the engine itself (syntax, suppressions) have no check. */
  engine?: boolean;
  /** For docs: a before/after example, when fixtures do not say it better. */
  example?: { before: string; after: string };
  /**
   * Presets that turn the rule on (`extends:` in the config; default `recommended`).
   * Every rule is in `all`. Absent: `recommended`. A rule in no active preset is off unless configured.
   */
  presets?: readonly Preset[];
  /** The same check in peer tools, each id spelled as that tool names it (for docs and migration pages). */
  equivalents?: Partial<Record<PeerTool, readonly string[]>>;
  /** SARIF precision: very-high | high | medium | low */
  precision?: 'very-high' | 'high' | 'medium' | 'low';
  /** SARIF security-severity (0.1–10) for rules tagged `security` */
  securitySeverity?: number;
  /**
   * The rule attaches safe fixes to some reports (`--fix` applies them): a fix
   * changes only what the rule asks for. `--fix-type` selects rules by category or tag.
   */
  fixable?: true;
  /** The rule attaches suggestions (edits a person chooses from; never applied by `--fix`). */
  hasSuggestions?: true;
}

/**
 * Builds the text edits of a fix, by paths from the object root; every
 * method returns null when it cannot edit safely (an alias, a merge key, a
 * syntax error), and a fix with a null edit is dropped.
 */
export interface Fixer {
  /** make the field at `path` hold `value`: replace its scalar, or add it (and missing mappings) at the right indentation */
  set(path: Path, value: FixValue): TextEdit | null;
  /** append an item to the sequence at `path` (creating it when missing) */
  append(path: Path, item: FixValue): TextEdit | null;
  /** replace the source text of the scalar at `path` (quotes included) */
  replaceText(path: Path, text: string): TextEdit | null;
  /** replace the whole value at `path` (a mapping keeps its block style and column) */
  replaceValue(path: Path, value: FixValue): TextEdit | null;
  /** remove the item at `path` from a block sequence (its whole lines) */
  removeItem(path: Path): TextEdit | null;
  /** replace the source text of the mapping key that ends `path` */
  replaceKey(path: Path, text: string): TextEdit | null;
}

export type FixFunction = (fixer: Fixer) => TextEdit | null | readonly (TextEdit | null)[];

export interface SuggestionDescriptor {
  /** a `meta.messages` id describing the edit (e.g. "Pin the image to a digest") */
  messageId?: string;
  /** @deprecated inline prose; name a `messageId` */
  desc?: string;
  data?: Record<string, string | number | boolean | undefined>;
  fix: FixFunction;
}

/**
 * A message template with `{{name}}` placeholders. A message may carry its own severity
 * (a rule's error and warning variants); it holds while the rule runs at its default
 * severity: once a user configures a severity for the rule, every finding takes that one.
 */
export type MessageSpec = string | { text: string; severity?: Severity };

export function messageText(m: MessageSpec): string {
  return typeof m === 'string' ? m : m.text;
}

export function messageSeverity(m: MessageSpec): Severity | undefined {
  return typeof m === 'string' ? undefined : m.severity;
}

export interface ReportDescriptor {
  /** path from the object root */
  path: Path;
  /** @deprecated inline prose; name a `messageId` of `meta.messages` instead */
  message?: string;
  messageId?: string;
  data?: Record<string, string | number | boolean | undefined>;
  /** overrides the configured severity for this finding (e.g. error vs warning variants) */
  severity?: Severity;
  /** the instance the finding is about (needs `meta.instanceIds`): reported under the rule id `<prefix>/<instance>` */
  instance?: string;
  /** report the value's own range rather than its key's (e.g. for a scalar's spelling) */
  valueOnly?: boolean;
  /** a safe fix (needs `meta.fixable`) */
  fix?: FixFunction;
  /** suggested edits (need `meta.hasSuggestions`) */
  suggest?: SuggestionDescriptor[];
}

export interface RuleContext<O extends object = Record<string, unknown>> {
  readonly options: O;
  readonly index: ObjectIndex;
  /** the configured default namespace */
  readonly defaultNamespace: string;
  /** settings shared by all rules (from config), e.g. kubernetesVersion */
  readonly settings: Readonly<Record<string, unknown>>;
  report(d: ReportDescriptor): void;
  /** Counts the object as "not validated" in the run summary (no schema known for it). */
  notValidated?(): void;
  /**
   * false when the run shows no fixes or suggestions (stylish, github, junit output): a rule may then skip
   * work it does only to build them; the engine ignores `fix` and `suggest` anyway
   */
  readonly wantsFixes?: boolean;
}

export interface Rule<O extends object = Record<string, unknown>> {
  meta: RuleMeta<O>;
  /** Called once per object whose kind matches `meta.kinds` (or every object). */
  check?(obj: ManifestObject<Obj>, ctx: RuleContext<O>): void;
}

/** A typed rule constructor, as typescript-eslint's createRule. @deprecated use defineRule */
export function createRule<O extends object>(rule: Rule<O>): Rule<O> {
  return rule;
}

/** What a rule defined with `defineRule` reports: a path and a message id with its data. */
export interface TypedReport<M extends string> {
  /** path from the object root */
  path: Path;
  messageId: M;
  data?: Record<string, string | number | boolean | undefined>;
  /** report the value's own range rather than its key's (e.g. for a scalar's spelling) */
  valueOnly?: boolean;
  /** the instance the finding is about (needs `meta.instanceIds`): reported under the rule id `<prefix>/<instance>` */
  instance?: string;
  /** a safe fix (needs `meta.fixable`) */
  fix?: FixFunction;
  /** suggested edits, each described by a message id (need `meta.hasSuggestions`) */
  /** suggestions named by a message id of the rule, or (older helpers) described inline; the engine checks the ids */
  suggest?: (Omit<SuggestionDescriptor, 'messageId' | 'desc'> & { messageId: M })[] | SuggestionDescriptor[];
}

export interface TypedRuleContext<O extends object, M extends string> extends Omit<RuleContext<O>, 'report'> {
  report(d: TypedReport<M>): void;
}

export interface RuleDefinition<O extends object, M extends string> {
  meta: Omit<RuleMeta<O>, 'messages' | 'kinds' | 'optionsSchema'> & { messages: Record<M, MessageSpec> };
  check(obj: ManifestObject<Obj>, ctx: TypedRuleContext<O, M>): void;
}

/**
 * Defines a rule (the rule contract, as typescript-eslint's RuleCreator): every report names
 * one of `meta.messages` by id, with data for its placeholders; the options the rule receives
 * were validated against `meta.schema` and merged over `meta.defaultOptions` when the config
 * loaded; `meta.appliesTo` says which objects the engine calls `check` with.
 */
export function defineRule<O extends object = Record<string, never>, M extends string = string>(rule: RuleDefinition<O, M>): Rule<O> {
  return rule as unknown as Rule<O>;
}

/** The options schema of a rule (`schema`, or the older `optionsSchema`). */
export function optionsSchemaOf(meta: RuleMeta<object>): Record<string, unknown> | undefined {
  return meta.schema ?? meta.optionsSchema;
}

// eslint-style loose alias used by the registry
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any>;

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/**
 * A template split at its placeholders, once: [text, name, placeholder, text, name, placeholder, …, text].
 * Rules report tens of thousands of findings from a few hundred templates; the split is kept per template
 * (up to TEMPLATE_CACHE_MAX of them: inline messages of plugins may be made per finding).
 */
type CompiledTemplate = string[];
const compiledTemplates = new Map<string, CompiledTemplate>();
const TEMPLATE_CACHE_MAX = 4096;

function compileTemplate(template: string): CompiledTemplate {
  let c = compiledTemplates.get(template);
  if (c) return c;
  c = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    c.push(template.slice(last, m.index), m[1]!, m[0]);
    last = m.index + m[0].length;
  }
  c.push(template.slice(last));
  if (compiledTemplates.size < TEMPLATE_CACHE_MAX) compiledTemplates.set(template, c);
  return c;
}

/**
 * The template with each `{{name}}` replaced by `String(data[name])`; a placeholder without data stays as written.
 * The pieces are added up and the message stored flat (`flat`): a message is kept until the report is written, and
 * as a tree of its pieces it would be more for the garbage collector to trace, and copied again when printed.
 */
export function formatMessage(template: string, data: ReportDescriptor['data']): string {
  if (!data) return template;
  const c = compileTemplate(template);
  if (c.length === 1) return template;
  let s = c[0]!;
  for (let i = 1; i < c.length; i += 3) {
    const v = data[c[i]!];
    s += v === undefined ? c[i + 1]! : String(v);
    s += c[i + 2]!;
  }
  return flat(s);
}

/**
 * The text of one of a rule's messages: the engine rules (yaml-syntax, unused-suppression, helm-render, …) report
 * through it, as a check reports through `ctx.report`, so that their messages are declared in their meta, listed
 * in the docs and known by id. An id the rule does not declare is a bug in k8s-gold: it throws.
 */
export function ruleMessage(
  rule: { meta: Pick<RuleMeta<object>, 'id' | 'messages'> },
  messageId: string,
  data?: ReportDescriptor['data'],
): string {
  const spec =
    rule.meta.messages && Object.prototype.hasOwnProperty.call(rule.meta.messages, messageId) ? rule.meta.messages[messageId] : undefined;
  if (spec === undefined) throw new Error(`rule ${rule.meta.id} has no message "${messageId}"`);
  return formatMessage(messageText(spec), data);
}

export const DOCS_BASE = 'https://github.com/k8s-gold/k8s-gold/blob/main/docs/rules/';

export function helpUri(meta: RuleMeta<object>): string {
  return meta.helpUri ?? `${DOCS_BASE}${meta.id}.md`;
}
