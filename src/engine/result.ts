/**
 * ESLint's LintResult/LintMessage, with k8s-gold's extra fields: the shape each file's Findings take at the
 * edge (finding.ts, `toLintResult`), for `--format json`, ESLint formatters and the public `lint()`. The
 * suppression and object types are shared with Finding.
 */
import type { Severity } from './rule.js';

export interface Suppression {
  kind: 'inSource' | 'external';
  justification: string;
  /** where the suppression was written: annotation, comment or config */
  source: 'annotation' | 'comment' | 'file-comment';
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** 0-based index of the document in its file */
  document: number;
}

export interface LintMessage {
  ruleId: string;
  /** ESLint's numeric severity: 2 error, 1 warning or info */
  severity: 1 | 2;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** k8s-gold's own severity (info is reported as ESLint severity 1) */
  level: Severity;
  /** JSON Pointer of the field, from the object root (or the document root) */
  path?: string;
  /** false when the field is missing and the position is its nearest ancestor's */
  exact?: boolean;
  object?: ObjectRef;
  suppressions?: Suppression[];
  fatal?: boolean;
  /** for a finding in a rendered Helm chart or kustomization: its position in the rendered output (the position above is in the source) */
  rendered?: { file: string; line: number; column: number; endLine: number; endColumn: number };
  nodeType: null;
  /** a safe fix (ESLint's shape): replace text[range[0], range[1]) of the file (offsets without a BOM) with `text` */
  fix?: FixEdit;
  /** edits a person may choose (ESLint's shape) */
  suggestions?: LintSuggestion[];
}

export interface FixEdit {
  range: [number, number];
  text: string;
}

export interface LintSuggestion {
  messageId?: string;
  desc: string;
  fix: FixEdit;
}

/**
 * What is kept beside a message made at the edge (not in it, so that the JSON stays ESLint's shape): its
 * message id and, for an internal error, the run's internal error, for a caller of the public `lint()`
 * (`messageIdOf`) and for `fileFindings`. The Finding the message was made from serves as its record
 * (`toLintMessage`), so that no second object is made per finding.
 */
export interface Beside {
  messageId?: string;
  internalError?: string;
}

const BESIDE = new WeakMap<LintMessage, Beside>();

/**
 * What a finding is: a rule's finding about the input, or an internal error (a rule that crashed on an
 * object, reported where it crashed so that the file is known not to be fully linted). Kept beside the
 * message, as the message id is, so that the JSON output stays ESLint's shape.
 */
export type FindingKind = 'rule' | 'internal-error';

export function findingKind(m: LintMessage): FindingKind {
  return BESIDE.get(m)?.internalError !== undefined ? 'internal-error' : 'rule';
}

/** For an internal-error finding, the run's internal error it reports (an entry of `LintRun.internalErrors`). */
export function internalErrorOf(m: LintMessage): string | undefined {
  return BESIDE.get(m)?.internalError;
}

/**
 * The `messageId` a finding was reported with (for rule tests, as ESLint's RuleTester checks it).
 * Kept beside the message, not in it, so that every output format stays as it is.
 */
export function messageIdOf(m: LintMessage): string | undefined {
  return BESIDE.get(m)?.messageId;
}

/**
 * Keeps `record` beside `m` as its message id and internal error (the record is kept, not copied: the
 * caller gives one that is not changed afterwards, or whose changes `besideOf`'s reader checks for).
 */
export function setBeside(m: LintMessage, record: Beside): void {
  BESIDE.set(m, record);
}

/** The record kept beside a message (for `fromLintMessage`, the Finding it was made from), if any. */
export function besideOf(m: LintMessage): Beside | undefined {
  return BESIDE.get(m);
}

export interface LintResult {
  filePath: string;
  messages: LintMessage[];
  suppressedMessages: LintMessage[];
  errorCount: number;
  warningCount: number;
  infoCount: number;
  fatalErrorCount: number;
  /** findings (errors / warnings and infos) that carry a fix */
  fixableErrorCount: number;
  fixableWarningCount: number;
  usedDeprecatedRules: [];
  /** number of Kubernetes objects read from the file */
  objectCount: number;
  /** set when the file was not linted (a Helm template, unreadable) */
  skipped?: string;
  /** with --fix: the fixed text (ESLint's `output`) */
  output?: string;
  /** the file's text, for formatters that show code (only with --format json and --include-source) */
  source?: string;
}

export interface RunSummary {
  files: number;
  objects: number;
  errors: number;
  warnings: number;
  infos: number;
  suppressed: number;
  skipped: number;
  /** custom resources that had no schema to validate against */
  notValidated: number;
}

export function countResult(r: LintResult): void {
  r.errorCount = 0;
  r.warningCount = 0;
  r.infoCount = 0;
  r.fatalErrorCount = 0;
  r.fixableErrorCount = 0;
  r.fixableWarningCount = 0;
  for (const m of r.messages) {
    if (m.fix) {
      if (m.level === 'error') r.fixableErrorCount++;
      else r.fixableWarningCount++;
    }
    if (m.level === 'error') r.errorCount++;
    else if (m.level === 'warning') r.warningCount++;
    else r.infoCount++;
    if (m.fatal) r.fatalErrorCount++;
  }
}

export function compareMessages(a: LintMessage, b: LintMessage): number {
  return (
    a.line - b.line ||
    a.column - b.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}
