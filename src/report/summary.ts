/** A Markdown summary of all findings for $GITHUB_STEP_SUMMARY. */
import type { LintResult } from '../engine/result.js';
import type { FormatContext } from './types.js';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function stepSummary(results: LintResult[], ctx: FormatContext): string {
  const s = ctx.summary;
  const out: string[] = [];
  out.push('## k8s-gold');
  out.push('');
  out.push(`${s.files} files, ${s.objects} objects: **${s.errors} errors**, **${s.warnings} warnings**, ${s.infos} info, ${s.suppressed} suppressed.`);
  out.push('');
  const rows: string[] = [];
  const server = ctx.env.GITHUB_SERVER_URL;
  const repo = ctx.env.GITHUB_REPOSITORY;
  const sha = ctx.env.GITHUB_SHA;
  for (const r of results) {
    for (const m of r.messages) {
      const loc = `${r.filePath}:${m.line}`;
      const link = server && repo && sha ? `[${cell(loc)}](${server}/${repo}/blob/${sha}/${encodeURI(r.filePath)}#L${m.line})` : `\`${cell(loc)}\``;
      rows.push(`| ${m.level} | ${link} | \`${m.ruleId}\` | ${cell(m.message)} |`);
    }
  }
  if (rows.length) {
    out.push('| Severity | Location | Rule | Message |');
    out.push('| --- | --- | --- | --- |');
    out.push(...rows);
  } else {
    out.push('No findings.');
  }
  out.push('');
  return out.join('\n') + '\n';
}
