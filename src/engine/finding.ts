/**
 * k8s-gold's own result type: a Finding per problem, grouped per file (FileFindings). ESLint's
 * LintResult/LintMessage is produced from it at the edge (`toLintResult`, `toLintMessage`), for `--format
 * json`, plug-in (ESLint) formatters and the public `lint()`, which promises that shape (README,
 * "Programmatic use"); facts that ESLint's shape has no field for (the message id, whether a finding is an
 * internal error, a rendered finding's place in the rendered output) are fields here, not strings.
 *
 * The engine's stages produce and transform Findings: load and check, the render errors, the suppression
 * stage (a pure pass, Findings in and out), the file stage's FileFindings (sorted by place), the render
 * remap (render/remap.ts: rendered findings moved into their source files' FileFindings), the cache and
 * the incremental state (which store them), and `lintFindings`' run. stylish, github, junit, SARIF, the
 * step summary, `--fix` and the language server read FileFindings directly. `fileFindings` gives back the
 * Findings of a LintResult (for a caller that holds ESLint's shape): the Finding each message was made
 * from is kept beside it (`setBeside`), so that the round trip loses nothing while the message is unchanged.
 */
import type { Range } from '../parse/source.js';
import {
  compareMessages,
  countResult,
  findingKind,
  internalErrorOf,
  messageIdOf,
  besideOf,
  setBeside,
  type Beside,
  type FixEdit,
  type LintMessage,
  type LintResult,
  type LintSuggestion,
  type ObjectRef,
  type Suppression,
} from './result.js';
import type { Severity } from './rule.js';
import { messageOf } from './lint-message.js';

/**
 * What a finding is: a rule's finding about the input; `not-linted`, a file or document that could not be
 * linted (unreadable, a syntax error, a chart that does not render); an internal error (a rule that crashed
 * on an object: the file is known not to be fully linted).
 */
export type FindingKind = 'rule' | 'not-linted' | 'internal-error';

/** Another place that belongs to a finding: for a rendered chart or kustomization, the position in the rendered output. */
export interface RelatedLocation {
  file: string;
  range: Range;
  /** what the place is (`rendered`) */
  role: 'rendered';
}

export interface Finding {
  kind: FindingKind;
  ruleId: string;
  /** the rule's `meta.messages` id the message was made from (absent for plugins' inline messages and internal errors) */
  messageId?: string;
  message: string;
  severity: Severity;
  range: Range;
  /** JSON Pointer of the field, from the object root (or the document root) */
  path?: string;
  /** false when the field is missing and the range is its nearest ancestor's */
  exact?: boolean;
  object?: ObjectRef;
  /** a safe fix: replace text[range[0], range[1]) of the file (offsets without a BOM) with `text` */
  fix?: FixEdit;
  suggestions?: LintSuggestion[];
  related?: RelatedLocation[];
  /** set on a suppressed finding: what suppressed it */
  suppressions?: Suppression[];
  /**
   * set on a rendered finding (a chart's, a kustomization's) that a comment in its source file suppresses:
   * the render remap found the suppression there (a render drops comments), not the suppression stage
   */
  suppressedInSource?: true;
  /** for an internal error: the run's internal error it reports (an entry of `LintRun.internalErrors`) */
  internalError?: string;
}

/**
 * One file's findings: the engine's result for a file (the file stage makes it, the render remap moves
 * rendered findings into their source files' containers, the cache stores it, the reporters read it).
 */
export interface FileFindings {
  /** the reported path */
  filePath: string;
  /** the reported findings, by place, rule and message (`compareFindings`) */
  findings: Finding[];
  /** the suppressed findings, in the same order */
  suppressed: Finding[];
  /** number of Kubernetes objects read from the file */
  objectCount: number;
  /** set when the file was not linted (not a manifest, a kustomize patch) */
  skipped?: string;
}

/** The order of a file's findings (and of its LintResult's messages): place, rule, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.line - b.range.line ||
    a.range.column - b.range.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/**
 * ESLint's LintMessage of a finding (the edge). Its fields keep the order the JSON output has always had;
 * the message id and the internal error are kept beside the message (`messageIdOf`, `internalErrorOf`).
 */
export function toLintMessage(f: Finding): LintMessage {
  return lintMessageOf(f, true);
}

/** The LintMessage of a finding; `beside`: with the Finding kept beside it (not for a message only printed). */
function lintMessageOf(f: Finding, beside: boolean): LintMessage {
  const r = f.related?.find((x) => x.role === 'rendered');
  if (!r) {
    const m = messageOf(f, f.suggestions, f.suppressions);
    if (beside) setBeside(m, f);
    return m;
  }
  // a finding the render remap moved to its source: the rendered place, then the suggestions the remap
  // made on the source, then a suppression found in the source file (the order these were always added in)
  const early = f.suppressedInSource ? undefined : f.suppressions;
  const m = messageOf(f, undefined, early);
  m.rendered = { file: r.file, line: r.range.line, column: r.range.column, endLine: r.range.endLine, endColumn: r.range.endColumn };
  if (f.suggestions) m.suggestions = f.suggestions;
  if (f.suppressions && !early) m.suppressions = f.suppressions;
  if (beside) setBeside(m, f);
  return m;
}

/** The finding an ESLint-shaped message stands for (for results that stages not yet on Findings produce). */
export function fromLintMessage(m: LintMessage): Finding {
  // the Finding the message was made from, when it still says what the message says (no copy per reporter)
  const kept = besideOf(m);
  if (kept !== undefined && isFinding(kept) && describes(kept, m)) return kept;
  const internal = findingKind(m) === 'internal-error';
  const f: Finding = {
    kind: internal ? 'internal-error' : m.fatal ? 'not-linted' : 'rule',
    ruleId: m.ruleId,
    message: m.message,
    severity: m.level,
    range: { line: m.line, column: m.column, endLine: m.endLine, endColumn: m.endColumn },
  };
  const id = messageIdOf(m);
  if (id !== undefined) f.messageId = id;
  if (m.path !== undefined) f.path = m.path;
  if (m.exact !== undefined) f.exact = m.exact;
  if (m.object) f.object = m.object;
  if (m.fix) f.fix = m.fix;
  if (m.suggestions) f.suggestions = m.suggestions;
  if (m.suppressions) f.suppressions = m.suppressions;
  if (m.rendered) {
    const { file, ...range } = m.rendered;
    f.related = [{ file, range, role: 'rendered' }];
  }
  if (internal) f.internalError = internalErrorOf(m);
  return f;
}

function isFinding(b: Beside): b is Finding {
  return (b as Partial<Finding>).range !== undefined;
}

/**
 * Whether `f` is the Finding `fromLintMessage` would make of `m`: the same values, and the same objects
 * for what is shared (fix, suggestions, object, suppressions). A message changed after it was made (or a
 * copy of one) no longer matches, and is converted afresh.
 */
function describes(f: Finding, m: LintMessage): boolean {
  const r = f.range;
  return (
    f.ruleId === m.ruleId &&
    f.message === m.message &&
    f.severity === m.level &&
    r.line === m.line &&
    r.column === m.column &&
    r.endLine === m.endLine &&
    r.endColumn === m.endColumn &&
    f.kind === (f.internalError !== undefined ? 'internal-error' : m.fatal ? 'not-linted' : 'rule') &&
    f.path === m.path &&
    f.exact === m.exact &&
    f.object === m.object &&
    f.fix === m.fix &&
    f.suggestions === m.suggestions &&
    f.suppressions === m.suppressions &&
    f.related === undefined &&
    m.rendered === undefined
  );
}

/** A file's Findings from its LintResult (ESLint's shape: the public `lint()`'s, a plug-in formatter's input). */
export function fileFindings(r: LintResult): FileFindings {
  const out: FileFindings = {
    filePath: r.filePath,
    findings: r.messages.map(fromLintMessage),
    suppressed: r.suppressedMessages.map(fromLintMessage),
    objectCount: r.objectCount,
  };
  if (r.skipped !== undefined) out.skipped = r.skipped;
  return out;
}

/**
 * ESLint's LintResult of a file's Findings (the edge): its messages sorted by place, rule and message, and
 * counted; the fields in the order the JSON output has always had.
 */
export function toLintResult(file: FileFindings): LintResult {
  return lintResultOf(file, true);
}

/**
 * The LintResult of a file's Findings made only to be printed (`--format json`): no Finding is kept beside its
 * messages (an entry per finding in a weak map, that no one would read).
 */
export function toPrintedLintResult(file: FileFindings): LintResult {
  return lintResultOf(file, false);
}

function lintResultOf(file: FileFindings, beside: boolean): LintResult {
  const messages: LintMessage[] = new Array(file.findings.length);
  for (let i = 0; i < messages.length; i++) messages[i] = lintMessageOf(file.findings[i]!, beside);
  const suppressedMessages: LintMessage[] = new Array(file.suppressed.length);
  for (let i = 0; i < suppressedMessages.length; i++) suppressedMessages[i] = lintMessageOf(file.suppressed[i]!, beside);
  const r: LintResult = {
    filePath: file.filePath,
    messages,
    suppressedMessages,
    errorCount: 0,
    warningCount: 0,
    infoCount: 0,
    fatalErrorCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    usedDeprecatedRules: [],
    objectCount: file.objectCount,
  };
  if (file.skipped !== undefined) r.skipped = file.skipped;
  r.messages.sort(compareMessages);
  r.suppressedMessages.sort(compareMessages);
  countResult(r);
  return r;
}
