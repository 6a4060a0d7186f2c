/**
 * k8s-gold's own result type: a Finding per problem, grouped per file. ESLint's LintResult/LintMessage is
 * produced from it at the edge (`toLintMessage`), for `--format json`, ESLint formatters and the `lint()`
 * API that promises that shape; facts that ESLint's shape has no field for (the message id, whether a
 * finding is an internal error) are fields here, not strings or side tables.
 *
 * Where the engine stands (issue #9): the load and check stages' findings, the render errors and the
 * suppression stage (a pure pass, Findings in and out) are Findings; stylish, github, junit, SARIF, the step
 * summary, `--fix` and the language server read Findings (through `fileFindings`, which gives back the
 * Finding each message was made from, kept beside it, so a finding is not copied per reporter). Still LintResult: each
 * file's result after the suppression stage (`lintFile`), because the render remap (render/index.ts) and the
 * cache (cache.ts, incremental.ts) keep that shape, and so `LintRun.results`, which the public `lint()`
 * returns as ESLint's shape (README, "Programmatic use").
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
  /** for an internal error: the run's internal error it reports (an entry of `LintRun.internalErrors`) */
  internalError?: string;
}

/** One file's findings. */
export interface FileFindings {
  filePath: string;
  findings: Finding[];
  suppressed: Finding[];
  objectCount: number;
  /** set when the file was not linted (a Helm template, unreadable, a kustomize patch) */
  skipped?: string;
}

/**
 * ESLint's LintMessage of a finding (the edge). Its fields keep the order the JSON output has always had;
 * the message id and the internal error are kept beside the message (`messageIdOf`, `internalErrorOf`).
 */
export function toLintMessage(f: Finding): LintMessage {
  if (DIRECTIVE_RULES.has(f.ruleId) && f.kind === 'rule' && !f.object && !f.fix && !f.suggestions && !f.suppressions && !f.related)
    return directiveMessage(f);
  const m: LintMessage = {
    ruleId: f.ruleId,
    severity: f.severity === 'error' ? 2 : 1,
    level: f.severity,
    message: f.message,
    line: f.range.line,
    column: f.range.column,
    endLine: f.range.endLine,
    endColumn: f.range.endColumn,
    nodeType: null,
  };
  if (f.path !== undefined) m.path = f.path;
  if (f.exact !== undefined) m.exact = f.exact;
  if (f.kind !== 'rule') m.fatal = true;
  if (f.fix) m.fix = f.fix;
  if (f.suggestions?.length) m.suggestions = f.suggestions;
  if (f.object) m.object = f.object;
  if (f.suppressions) m.suppressions = f.suppressions;
  const r = f.related?.find((x) => x.role === 'rendered');
  if (r) m.rendered = { file: r.file, ...r.range };
  // the finding itself is kept beside its message, as its message id and internal error; `fromLintMessage` gives it back
  setBeside(m, f);
  return m;
}

/**
 * The rules of the suppression stage's own findings (about a suppression comment or annotation): their
 * JSON messages have always listed the position first, and keep that field order.
 */
const DIRECTIVE_RULES: ReadonlySet<string> = new Set(['suppression-reason', 'unused-suppression']);

function directiveMessage(f: Finding): LintMessage {
  const m: LintMessage = {
    line: f.range.line,
    column: f.range.column,
    endLine: f.range.endLine,
    endColumn: f.range.endColumn,
    nodeType: null,
    severity: f.severity === 'error' ? 2 : 1,
    level: f.severity,
    ...(f.path !== undefined ? { path: f.path } : {}),
    ruleId: f.ruleId,
    message: f.message,
  };
  setBeside(m, f);
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

/** A file's Findings from its LintResult. */
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
  const r: LintResult = {
    filePath: file.filePath,
    messages: file.findings.map(toLintMessage),
    suppressedMessages: file.suppressed.map(toLintMessage),
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
