import type { RuleRegistry } from '../engine/registry.js';
import type { LintResult, RunSummary } from '../engine/result.js';

export interface FormatContext {
  cwd: string;
  registry: RuleRegistry;
  summary: RunSummary;
  color: boolean;
  notes: string[];
  version: string;
  /** rule ids that ran (enabled somewhere), for SARIF rule metadata */
  env: NodeJS.ProcessEnv;
}

export type Formatter = (results: LintResult[], ctx: FormatContext) => string;
