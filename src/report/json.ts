/** ESLint's LintResult[] JSON, with k8s-gold's extra fields. */
import type { LintResult } from '../engine/result.js';
import type { FormatContext } from './types.js';

export function json(results: LintResult[], _ctx: FormatContext): string {
  return JSON.stringify(results) + '\n';
}
