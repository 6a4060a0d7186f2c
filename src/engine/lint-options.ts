/** What the engine is given (LintOptions) and what it returns (LintRun). */
import type { LoadedConfig } from '../config/config.js';
import type { RuleRegistry } from './registry.js';
import type { LoadedFile } from './load.js';
import type { SeverityOrOff } from './rule.js';
import type { LintResult, RunSummary } from './result.js';
import type { FileFindings } from './finding.js';

/** A usage error found while linting (a path that does not exist, inputs with nothing to lint): exit 2. */
export class UsageError extends Error {}

export interface LintOptions {
  cwd: string;
  inputs: string[];
  /** text of `-` (stdin), when it is among the inputs; bytes are decoded strictly (invalid UTF-8 is reported, never replaced) */
  stdin?: { text: string | Buffer; filename?: string };
  /** extra paths read into the cross-object index but not reported on */
  context?: string[];
  config: LoadedConfig;
  cliRules?: Record<string, SeverityOrOff>;
  ignorePatterns?: string[];
  maxFileSize?: number;
  registry: RuleRegistry;
  /** validates rule options; throws ConfigError */
  validateOptions?: (ruleId: string, options: Record<string, unknown>, where: string) => void;
  // --- schema validation (schema branch)
  /** files or directories with CustomResourceDefinitions (--crd), read like --context */
  crds?: string[];
  /** target cluster version (--kubernetes-version), over the config's kubernetesVersion */
  kubernetesVersion?: string;
  // --- rendering (render branch)
  /** --values files for every chart (relative to cwd) */
  helmValues?: string[];
  /** --set values for every chart */
  helmSet?: string[];
  /** --helm-dependency-update: let helm fetch chart dependencies */
  helmDependencyUpdate?: boolean;
  /** a directory or glob among the inputs that holds no file to lint is not an error (ESLint's --no-error-on-unmatched-pattern) */
  allowUnmatched?: boolean;
  /** --show-rendered: report findings of charts and kustomizations at their rendered positions */
  showRendered?: boolean;
  // --- fixes and the language server (fix branch)
  /** texts to lint instead of the files' contents, by absolute path (`--fix` passes, the language server's open documents) */
  overrides?: ReadonlyMap<string, string>;
  /** context files already read, reused while their size and mtime are unchanged (the language server keeps it warm) */
  contextCache?: Map<string, { mtimeMs: number; size: number; loaded: LoadedFile }>;
  /**
   * compute the text edits of fixes and suggestions (default true); a run whose output shows none of them
   * (stylish, github, junit) skips the YAML editing parse they need
   */
  fixes?: boolean;
  /**
   * each file's result as soon as it is linted, in the run's order, where the engine knows that order before the
   * lint (stream.ts); the run's results then hold each file's head alone (its counts, no findings), and `streamed` is set
   */
  stream?: (r: FileFindings) => void;
  /** the per-file incremental cache of `--cache` (incremental.ts): unchanged files are replayed, not re-read */
  incremental?: import('./incremental.js').Incremental;
  /** the discovery of `inputs` (same cwd, config and ignore patterns) when the caller made it already: `--cache` discovers to hash the inputs */
  discovery?: import('../load/discover.js').Discovery;
}

/** A lint run as the engine makes it: each file's Findings (`lintFindings`). */
export interface FindingsRun {
  results: FileFindings[];
  summary: RunSummary;
  /** rule crashes (internal errors): the run exits 2 */
  internalErrors: string[];
  notes: string[];
  /** the text each reported input was linted with (no BOM), by its reported path; fixes' offsets are into it */
  sources?: Map<string, { abs: string; text: string }>;
  /** the files' results were handed to `LintOptions.stream` as they were linted: `results` holds their heads */
  streamed?: true;
}

/** A lint run with ESLint's LintResult for each file: the public `lint()`'s shape (made at that edge). */
export interface LintRun extends Omit<FindingsRun, 'results'> {
  results: LintResult[];
}
