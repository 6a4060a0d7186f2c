/**
 * The programmatic API (package main): lint, the rule API and registry, the
 * CLI entry point and the built-in formatters.
 */
export { lint, lintFindings, UsageError, type LintOptions, type LintRun, type FindingsRun } from './engine/linter.js';
export { RuleRegistry } from './engine/registry.js';
export {
  createRule,
  defineRule,
  type Rule,
  type RuleMeta,
  type RuleContext,
  type Severity,
  type MessageSpec,
  type TypedReport,
  type TypedRuleContext,
} from './engine/rule.js';
export { appliesTo, KIND_GROUPS } from './engine/applies.js';
// the helper kit built-in rules use, public for plugins
export { ManifestObject, isObj, asArray, asString, asNumber, own, type Obj } from './model/object.js';
export { ObjectIndex, isClusterScoped } from './model/index.js';
export {
  containers,
  podTemplate,
  podLabels,
  isWorkload,
  specReplicas,
  containerAtPath,
  WORKLOAD_KINDS,
  DEFAULT_CONTAINER_KINDS,
  type ContainerRef,
  type ContainerKind,
  type PodTemplate,
} from './model/workload.js';
export { parseQuantity, compareQuantity, addQuantity, quantityToNumber, describeQuantity, type Quantity } from './util/quantity.js';
export { selectorMatches, mapSelectorMatches, compileSelector, validateSelector } from './util/selector.js';
export type { LintMessage, LintResult, RunSummary, Suppression, ObjectRef } from './engine/result.js';
// k8s-gold's own result type: lintFindings() gives each file's Findings; lint() ESLint's LintResult made from
// them (toLintResult); fileFindings(result) gives back the Findings of a LintResult (for an ESLint-style formatter)
export {
  fileFindings,
  toLintResult,
  type Finding,
  type FileFindings,
  type FindingKind,
  type RelatedLocation,
} from './engine/finding.js';
export { loadConfig, ConfigError } from './config/config.js';
export { run, version, type CliIO } from './cli.js';
export { loadFormatter, resolveFormatter, FORMATS } from './report/index.js';
export type { FormatContext, Formatter, FindingsFormatter } from './report/types.js';
// fixes: the edit helpers, applying fixes to a text, and --fix's passes
export { YamlEditor, applyEdits, mergeEdits, type TextEdit, type FixValue } from './fix/edits.js';
export { applyFixes } from './fix/apply.js';
export { lintAndFix, MAX_FIX_PASSES, type FixRun, type FixedFile } from './fix/run.js';
export type { Fixer, FixFunction, SuggestionDescriptor } from './engine/rule.js';
export type { FixEdit, LintSuggestion } from './engine/result.js';
