/** The default terminal format, grouped by file, like ESLint's stylish. */
import type { LintResult } from '../engine/result.js';
import { fileFindings } from '../engine/finding.js';
import type { FormatContext } from './types.js';

const codes = {
  red: [31, 39],
  yellow: [33, 39],
  blue: [34, 39],
  dim: [2, 22],
  bold: [1, 22],
  underline: [4, 24],
  green: [32, 39],
} as const;

export function colorizer(enabled: boolean) {
  return (c: keyof typeof codes, s: string): string => (enabled ? `\u001b[${codes[c][0]}m${s}\u001b[${codes[c][1]}m` : s);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A message on one line: each line break, with the white space around it, becomes a space (the test first: most messages have none). */
function oneLine(message: string): string {
  return message.includes('\n') ? message.replace(/\s*\n\s*/g, ' ') : message;
}

export function stylish(results: LintResult[], ctx: FormatContext): string {
  const [bulk, summary] = stylishParts(results, ctx);
  return bulk + summary;
}

/**
 * The stylish output in two parts, printed one after the other: the findings
 * and notes, and the summary line. The summary's ✔/✖ are not Latin-1, and one
 * such character makes V8 store a whole string with two bytes per character:
 * kept apart, the bulk stays one byte per character (unless a message needs
 * more), half the memory and a faster write.
 */
export function stylishParts(results: LintResult[], ctx: FormatContext): [bulk: string, summary: string] {
  const c = colorizer(ctx.color);
  const out: string[] = [];
  for (const r of results.map(fileFindings)) {
    if (r.findings.length === 0) continue;
    out.push(c('underline', r.filePath));
    const rows = r.findings.map((m) => {
      const sev = m.severity === 'error' ? c('red', 'error') : m.severity === 'warning' ? c('yellow', 'warning') : c('blue', 'info');
      return {
        loc: `${r.filePath}:${m.range.line}:${m.range.column}`,
        sev,
        sevLen: m.severity.length,
        msg: oneLine(m.message),
        rule: m.ruleId,
      };
    });
    const locW = Math.max(...rows.map((x) => x.loc.length));
    const sevW = Math.max(...rows.map((x) => x.sevLen));
    for (const row of rows) {
      out.push(`  ${c('dim', row.loc.padEnd(locW))}  ${row.sev}${' '.repeat(sevW - row.sevLen)}  ${row.msg}  ${c('dim', row.rule)}`);
    }
    out.push('');
  }
  for (const n of ctx.notes) out.push(c('dim', `note: ${n}`));
  const s = ctx.summary;
  const problems = s.errors + s.warnings;
  const parts = [plural(s.files, 'file'), plural(s.objects, 'object'), plural(s.errors, 'error'), plural(s.warnings, 'warning')];
  if (s.infos) parts.push(`${s.infos} info`);
  parts.push(`${s.suppressed} suppressed`);
  if (s.skipped) parts.push(`${s.skipped} skipped`);
  if (s.notValidated) parts.push(`${s.notValidated} not validated (no schema)`);
  const line = `${problems === 0 ? '✔' : '✖'} ${parts.join(', ')}`;
  const summary = problems === 0 ? c('green', line) : s.errors ? c('bold', c('red', line)) : c('bold', c('yellow', line));
  return [out.length ? out.join('\n') + '\n' : '', summary + '\n'];
}
