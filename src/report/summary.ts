/**
 * A Markdown summary of all findings for $GITHUB_STEP_SUMMARY: GitHub shows
 * only about ten error and ten warning annotations per step, the summary
 * shows the rest. Counts per severity and per rule, then one row per finding
 * with a link to the line, until the size budget (GitHub's limit for a
 * step's summary is 1 MiB; other steps may add to it) is used up.
 */
import type { FileFindings, Finding } from '../engine/finding.js';
import { helpUri } from '../engine/rule.js';
import { repoPath } from './github.js';
import type { FormatContext } from './types.js';

/** Bytes of Markdown we write at most (half of GitHub's 1 MiB per step). */
export const SUMMARY_BUDGET = 512 * 1024;

function cell(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const ICON = { error: '🔴 error', warning: '🟡 warning', info: '🔵 info' } as const;
const RANK = { error: 0, warning: 1, info: 2 } as const;

export function stepSummary(files: FileFindings[], ctx: FormatContext, budget = SUMMARY_BUDGET): string {
  const s = ctx.summary;
  const head: string[] = [];
  head.push('## k8s-gold');
  head.push('');
  head.push(
    `${s.files} files, ${s.objects} objects: **${s.errors} errors**, **${s.warnings} warnings**, ${s.infos} info, ${s.suppressed} suppressed${s.skipped ? `, ${s.skipped} skipped` : ''}.`,
  );
  head.push('');

  const all: { file: string; m: Finding }[] = [];
  for (const r of files) for (const m of r.findings) all.push({ file: repoPath(r.filePath, ctx), m });
  if (!all.length) {
    head.push('No findings.', '');
    return head.join('\n') + '\n';
  }
  // counts per rule
  const perRule = new Map<string, { error: number; warning: number; info: number }>();
  for (const { m } of all) {
    const c = perRule.get(m.ruleId) ?? { error: 0, warning: 0, info: 0 };
    c[m.severity]++;
    perRule.set(m.ruleId, c);
  }
  head.push('| Rule | Errors | Warnings | Info |', '| --- | ---: | ---: | ---: |');
  for (const [id, c] of [...perRule].sort(
    (a, b) => b[1].error - a[1].error || b[1].warning - a[1].warning || b[1].info - a[1].info || (a[0] < b[0] ? -1 : 1),
  )) {
    const rule = ctx.registry.get(id);
    const name = rule ? `[\`${id}\`](${helpUri(rule.meta)})` : `\`${cell(id)}\``;
    head.push(`| ${name} | ${c.error} | ${c.warning} | ${c.info} |`);
  }
  head.push('');

  // findings, most severe first
  all.sort(
    (a, b) =>
      RANK[a.m.severity] - RANK[b.m.severity] ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.m.range.line - b.m.range.line ||
      a.m.range.column - b.m.range.column,
  );
  const server = ctx.env.GITHUB_SERVER_URL;
  const repo = ctx.env.GITHUB_REPOSITORY;
  const sha = ctx.env.GITHUB_SHA;
  const table = ['| Severity | Location | Rule | Message |', '| --- | --- | --- | --- |'];
  let size = Buffer.byteLength(head.join('\n') + table.join('\n')) + 400;
  let shown = 0;
  for (const { file, m } of all) {
    const loc = `${file}:${m.range.line}:${m.range.column}`;
    const link =
      server && repo && sha
        ? `[${cell(loc)}](${server}/${repo}/blob/${sha}/${file.split('/').map(encodeURIComponent).join('/')}#L${m.range.line})`
        : `\`${cell(loc)}\``;
    const msg = m.message.length > 1000 ? m.message.slice(0, 1000) + '…' : m.message;
    const row = `| ${ICON[m.severity]} | ${link} | \`${cell(m.ruleId)}\` | ${cell(msg)} |`;
    const bytes = Buffer.byteLength(row) + 1;
    if (size + bytes > budget) break;
    size += bytes;
    table.push(row);
    shown++;
  }
  const out = [...head, ...table, ''];
  if (shown < all.length)
    out.push(
      `_${all.length - shown} more findings not shown (the summary's size is limited); run k8s-gold locally or see the uploaded SARIF for all of them._`,
      '',
    );
  return out.join('\n') + '\n';
}
