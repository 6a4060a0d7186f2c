/**
 * Suppressions that carry reasons:
 * - comments: `# k8s-gold-ignore <rule-id>[, <rule-id>] -- <reason>` at the
 *   end of a line (that line) or alone on a line (the next line with
 *   content); `# k8s-gold-ignore-file <rule-id>... -- <reason>` (whole file);
 * - object annotations: `ignore.k8s-gold.dev/<rule-id>: "<reason>"`, or
 *   `"containers=app,sidecar -- <reason>"` to narrow it to named containers.
 */
import type { SourceText } from '../parse/source.js';

export const ANNOTATION_PREFIX = 'ignore.k8s-gold.dev/';

export interface CommentSuppression {
  kind: 'line' | 'file';
  /** rule ids; empty means every rule */
  rules: string[];
  reason: string;
  /** 1-based line of the comment */
  line: number;
  column: number;
  endColumn: number;
  /** line the suppression applies to (for kind line) */
  target: number;
  /** rule ids that suppressed at least one finding */
  used: Set<string>;
}

const COMMENT_RE = /(?:^|\s)#\s*k8s-gold-ignore(-file)?(?=\s|$)(.*)$/;

export function parseCommentSuppressions(src: SourceText): CommentSuppression[] {
  const text = src.text;
  if (text.indexOf('k8s-gold-ignore') === -1) return [];
  const out: CommentSuppression[] = [];
  const n = src.lineCount();
  for (let line = 1; line <= n; line++) {
    const lt = src.lineText(line);
    if (lt.indexOf('k8s-gold-ignore') === -1) continue;
    const m = COMMENT_RE.exec(lt);
    if (!m) continue;
    const hashCol = lt.indexOf('#', m.index) + 1;
    const rest = m[2] ?? '';
    const sep = rest.indexOf('--');
    const idsPart = sep >= 0 ? rest.slice(0, sep) : rest;
    const reason = sep >= 0 ? rest.slice(sep + 2).trim() : '';
    const rules = idsPart
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const isFile = Boolean(m[1]);
    const before = lt.slice(0, m.index).trim();
    let target = line;
    if (!isFile && before === '') {
      // alone on its line: applies to the next line with content that is not a comment
      target = line + 1;
      while (target <= n) {
        const t = src.lineText(target).trim();
        if (t !== '' && !t.startsWith('#')) break;
        target++;
      }
    }
    out.push({ kind: isFile ? 'file' : 'line', rules, reason, line, column: hashCol, endColumn: lt.length + 1, target, used: new Set() });
  }
  return out;
}

export interface AnnotationSuppression {
  ruleId: string;
  reason: string;
  containers?: string[];
  /** annotation key, for positions */
  key: string;
  used: boolean;
}

export function parseAnnotationSuppressions(annotations: Record<string, unknown>): AnnotationSuppression[] {
  const out: AnnotationSuppression[] = [];
  for (const key of Object.keys(annotations)) {
    if (!key.startsWith(ANNOTATION_PREFIX)) continue;
    const ruleId = key.slice(ANNOTATION_PREFIX.length);
    const raw = annotations[key];
    let value = typeof raw === 'string' ? raw.trim() : raw === null || raw === undefined ? '' : String(raw);
    let containers: string[] | undefined;
    const m = /^containers\s*=\s*([^\s]+)\s*(?:--\s*|$)/.exec(value);
    if (m) {
      containers = m[1]!.split(',').map((s) => s.trim()).filter(Boolean);
      value = value.slice(m[0].length).trim();
    }
    out.push({ ruleId, reason: value, containers, key, used: false });
  }
  return out;
}

export function commentMatches(s: CommentSuppression, ruleId: string, line: number): boolean {
  if (s.rules.length > 0 && !s.rules.includes(ruleId)) return false;
  return s.kind === 'file' || s.target === line;
}
