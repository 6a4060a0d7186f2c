import type { RuleRegistry } from '../engine/registry.js';
import type { LintResult, RunSummary } from '../engine/result.js';
import type { FileFindings } from '../engine/finding.js';

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
  /** the linted text of each input by its reported path (no BOM), for formatters that place fixes by line */
  sources?: { get(path: string): string | undefined };
  /** ESLint formatters' context: rule metadata by id (docs.url, docs.description, type) */
  rulesMeta?: Record<string, { type: string; docs: { description: string; url: string } }>;
}

/** A formatter of ESLint's shape: reads each file's LintResult, as `--format json` prints them. */
export type Formatter = (results: LintResult[], ctx: FormatContext) => string;
/** A plug-in formatter (ESLint style) may also be async. */
export type AnyFormatter = (results: LintResult[], ctx: FormatContext) => string | Promise<string>;
/** A built-in formatter that reads each file's Findings (stylish, sarif, github, junit). */
export type FindingsFormatter = (files: FileFindings[], ctx: FormatContext) => string;
/** A built-in formatter that writes its output in pieces (sarif, github, junit; stylish through writeStylish): the same bytes as its formatter, without holding them. */
export type StreamFormatter = (files: FileFindings[], ctx: FormatContext, write: (chunk: string) => void) => void;
