/**
 * The programmatic API (package main): lint, the rule API and registry, the
 * CLI entry point and the built-in formatters.
 */
export { lint, UsageError, type LintOptions, type LintRun } from './engine/linter.js';
export { RuleRegistry } from './engine/registry.js';
export { createRule, type Rule, type RuleMeta, type RuleContext, type Severity } from './engine/rule.js';
export type { LintMessage, LintResult, RunSummary, Suppression, ObjectRef } from './engine/result.js';
export { loadConfig, ConfigError } from './config/config.js';
export { run, version, type CliIO } from './cli.js';
export { loadFormatter, resolveFormatter, FORMATS } from './report/index.js';
export type { FormatContext, Formatter } from './report/types.js';
