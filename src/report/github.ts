/**
 * GitHub Actions workflow commands (annotations), escaped as @actions/core
 * does: data escapes % CR LF; properties also escape : and ,.
 */
import type { LintResult } from '../engine/result.js';
import type { FormatContext } from './types.js';

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function github(results: LintResult[], _ctx: FormatContext): string {
  const out: string[] = [];
  for (const r of results) {
    for (const m of r.messages) {
      const cmd = m.level === 'error' ? 'error' : m.level === 'warning' ? 'warning' : 'notice';
      const props = [
        `file=${escapeProperty(r.filePath)}`,
        `line=${m.line}`,
        `endLine=${m.endLine}`,
        `col=${m.column}`,
        `endColumn=${m.endColumn}`,
        `title=${escapeProperty(`k8s-gold ${m.ruleId}`)}`,
      ];
      out.push(`::${cmd} ${props.join(',')}::${escapeData(m.message)}`);
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}
