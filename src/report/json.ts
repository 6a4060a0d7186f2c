/** ESLint's LintResult[] JSON, with k8s-gold's extra fields: the edge where each file's Findings become ESLint's shape. */
import type { LintResult } from '../engine/result.js';
import type { FormatContext } from './types.js';

export function json(results: LintResult[], ctx: FormatContext): string {
  const parts: string[] = [];
  writeJson(results, ctx, (s) => parts.push(s));
  return parts.join('');
}

/** The same bytes as `JSON.stringify(results) + "\n"`, written one result at a time. */
export function writeJson(results: LintResult[], _ctx: FormatContext, write: (chunk: string) => void): void {
  writeJsonOf(results, (r) => r, write);
}

/**
 * The JSON of `items` made into LintResults one at a time (`toResult`, e.g. `toLintResult` of each file's
 * Findings): the same bytes as `JSON.stringify(items.map(toResult)) + "\n"`, without holding every LintResult.
 */
export function writeJsonOf<T>(items: readonly T[], toResult: (item: T) => LintResult, write: (chunk: string) => void): void {
  if (items.length === 0) {
    write('[]\n');
    return;
  }
  for (let i = 0; i < items.length; i++) {
    // a result is an object, so it serialises to a string (JSON.stringify of an array writes undefined as null)
    write((i === 0 ? '[' : ',') + (JSON.stringify(toResult(items[i]!)) ?? 'null'));
  }
  write(']\n');
}
