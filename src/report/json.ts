/** ESLint's LintResult[] JSON, with k8s-gold's extra fields. */
import type { LintResult } from '../engine/result.js';
import type { FormatContext } from './types.js';

export function json(results: LintResult[], ctx: FormatContext): string {
  const parts: string[] = [];
  writeJson(results, ctx, (s) => parts.push(s));
  return parts.join('');
}

/** The same bytes as `JSON.stringify(results) + "\n"`, written one result at a time. */
export function writeJson(results: LintResult[], _ctx: FormatContext, write: (chunk: string) => void): void {
  if (results.length === 0) {
    write('[]\n');
    return;
  }
  for (let i = 0; i < results.length; i++) {
    // a result is an object, so it serialises to a string (JSON.stringify of an array writes undefined as null)
    write((i === 0 ? '[' : ',') + (JSON.stringify(results[i]) ?? 'null'));
  }
  write(']\n');
}
