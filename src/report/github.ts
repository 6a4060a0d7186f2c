/**
 * GitHub Actions workflow commands (annotations), escaped as @actions/core
 * does: data escapes % CR LF; properties also escape : and ,.
 * Paths are relative to the repository root ($GITHUB_WORKSPACE), which is
 * what GitHub needs to attach an annotation to a file in a pull request.
 */
import * as path from 'node:path';
import type { FileFindings } from '../engine/finding.js';
import { repoRoot } from './sarif.js';
import type { FormatContext } from './types.js';

export function escapeData(s: string): string {
  if (!/[%\r\n]/.test(s)) return s;
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The file path as GitHub wants it: relative to the repository root, `/`-separated. */
export function repoPath(filePath: string, ctx: Pick<FormatContext, 'cwd' | 'env'>): string {
  const root = repoRoot(ctx.cwd, ctx.env);
  const abs = path.resolve(ctx.cwd, filePath);
  const rel = path.relative(root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return filePath.split(path.sep).join('/');
  return rel.split(path.sep).join('/');
}

export function github(files: FileFindings[], ctx: FormatContext): string {
  const pieces: string[] = [];
  writeGithub(files, ctx, (s) => pieces.push(s));
  return pieces.join('');
}

/** The annotations written a file at a time (the same bytes as `github()`), never whole in memory. */
export function writeGithub(files: FileFindings[], ctx: FormatContext, write: (s: string) => void): void {
  // the title property of each rule's annotations, escaped once
  const titles = new Map<string, string>();
  for (const r of files) {
    if (r.findings.length === 0) continue;
    const fileProp = `file=${escapeProperty(repoPath(r.filePath, ctx))}`;
    const out: string[] = [];
    for (const m of r.findings) {
      const cmd = m.severity === 'error' ? 'error' : m.severity === 'warning' ? 'warning' : 'notice';
      const { line, column, endLine, endColumn } = m.range;
      let title = titles.get(m.ruleId);
      if (title === undefined) titles.set(m.ruleId, (title = `title=${escapeProperty(`k8s-gold ${m.ruleId}`)}`));
      // GitHub honours columns only on single-line ranges
      const cols = endLine <= line ? `,col=${column},endColumn=${Math.max(endColumn, column)}` : '';
      out.push(`::${cmd} ${fileProp},line=${line},endLine=${Math.max(endLine, line)}${cols},${title}::${escapeData(m.message)}`);
    }
    out.push('');
    write(out.join('\n'));
  }
}
