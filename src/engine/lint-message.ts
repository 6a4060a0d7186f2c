/**
 * The LintMessage of a Finding (ESLint's shape, at the edge: `toLintMessage` in finding.ts), its fields in the
 * order the JSON output has always had.
 */
import type { Finding } from './finding.js';
import type { LintMessage, LintSuggestion, Suppression } from './result.js';

/** The message of a finding without its rendered place, with the given suggestions and suppressions. */
export function messageOf(f: Finding, suggestions: LintSuggestion[] | undefined, suppressions: Suppression[] | undefined): LintMessage {
  if (DIRECTIVE_RULES.has(f.ruleId) && f.kind === 'rule' && !f.object && !f.fix && !suggestions && !suppressions)
    return directiveMessage(f);
  // a rule's finding with a path, a place and an object, no fix: one literal with every field, in the order they
  // are added below (one object per message, no property array grown as the fields are added)
  if (f.kind === 'rule' && f.path !== undefined && f.exact !== undefined && !f.fix && !suggestions?.length && f.object && !suppressions)
    return {
      ruleId: f.ruleId,
      severity: f.severity === 'error' ? 2 : 1,
      level: f.severity,
      message: f.message,
      line: f.range.line,
      column: f.range.column,
      endLine: f.range.endLine,
      endColumn: f.range.endColumn,
      nodeType: null,
      path: f.path,
      exact: f.exact,
      object: f.object,
    };
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
  if (suggestions?.length) m.suggestions = suggestions;
  if (f.object) m.object = f.object;
  if (suppressions) m.suppressions = suppressions;
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
  return m;
}
