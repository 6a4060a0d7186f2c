import type { RuleRegistry } from '../engine/registry.js';
import type { LintResult, RunSummary } from '../engine/result.js';

export interface FormatContext {
  cwd: string;
  registry: RuleRegistry;
  summary: RunSummary;
  color: boolean;
  notes: string[];
  version: string;
  env: NodeJS.ProcessEnv;
  /** k8s-gold's own failures (SARIF: executionSuccessful false) */
  internalErrors?: string[];
  /** ESLint formatters' context: rule metadata by id (docs.url, docs.description, type) */
  rulesMeta?: Record<string, { type: string; docs: { description: string; url: string } }>;
}

export type Formatter = (results: LintResult[], ctx: FormatContext) => string;
/** A plug-in formatter (ESLint style) may also be async. */
export type AnyFormatter = (results: LintResult[], ctx: FormatContext) => string | Promise<string>;
