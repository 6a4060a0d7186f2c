/**
 * Suppressions that carry reasons:
 * - comments: `# k8s-gold-ignore <rule-id>[, <rule-id>] -- <reason>` at the
 *   end of a line (that line) or alone on a line (the next line with
 *   content); `# k8s-gold-ignore-file <rule-id>... -- <reason>` (whole file);
 * - object annotations: `ignore.k8s-gold.dev/<rule-id>: "<reason>"`, or
 *   `"containers=app,sidecar -- <reason>"` to narrow it to named containers.
 */
import type { ManifestObject, Obj } from '../model/object.js';
import { containerAtPath } from '../model/workload.js';
import { toPointer, type Path, type SourceText } from '../parse/source.js';
import type { Suppression } from './result.js';
import type { Finding } from './finding.js';
import { ruleMessage, type AnyRule, type ReportDescriptor, type SeverityOrOff } from './rule.js';
import suppressionReason from '../../rules/suppression-reason/index.js';
import unusedSuppression from '../../rules/unused-suppression/index.js';

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
      containers = m[1]!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      value = value.slice(m[0].length).trim();
    }
    out.push({ ruleId, reason: value, containers, key, used: false });
  }
  return out;
}

/**
 * Whether a file may hold a suppression (a comment that names k8s-gold-ignore, an object annotation with the
 * prefix): without one, the suppression stage passes the findings through as they are, and a caller may skip it.
 */
export function maySuppress(src: SourceText, objects: readonly ManifestObject<Obj>[]): boolean {
  if (src.text.indexOf('k8s-gold-ignore') !== -1) return true;
  for (const o of objects) for (const key in o.annotations) if (key.startsWith(ANNOTATION_PREFIX)) return true;
  return false;
}

/** Whether a comment suppresses a finding of `ruleId` (or of `groupId`, the rule that covers an instance id) on `line`. */
export function commentMatches(s: CommentSuppression, ruleId: string, line: number, groupId = ruleId): boolean {
  if (s.rules.length > 0 && !s.rules.includes(ruleId) && !s.rules.includes(groupId)) return false;
  return s.kind === 'file' || s.target === line;
}

/** A finding of one file, with the object it is about (for annotation suppressions). */
export interface LocatedFinding {
  finding: Finding;
  obj?: ManifestObject<Obj>;
  /** path from the object root, for container-narrowed suppressions */
  objPath?: Path;
}

export interface SuppressionInput {
  source: SourceText;
  objects: readonly ManifestObject<Obj>[];
  /** the file's findings, in the order they were reported, with their severities resolved */
  findings: readonly LocatedFinding[];
  isRule(id: string): boolean;
  /** the rule id that also covers a finding's id: itself, or for an instance id (vap/<policy>) its rule's id */
  groupOf?(id: string): string;
  /** a rule's configured severity for the file */
  fileSeverity(id: string): SeverityOrOff | undefined;
  /** a rule's configured severity for one object of the file (overrides may match objects) */
  objectSeverity(obj: ManifestObject<Obj>, id: string): SeverityOrOff | undefined;
  /**
   * Whether a file-level comment on one line covers a finding on another: always in a source file; in
   * the output of helm template only within the template the comment is written in
   */
  fileCommentCovers?(commentLine: number, findingLine: number): boolean;
}

export interface SuppressionOutput {
  /** findings not suppressed, then the suppression-reason and unused-suppression findings */
  findings: Finding[];
  /** suppressed findings, each a copy with its `suppressions` */
  suppressed: Finding[];
}

/**
 * The suppression stage, as ESLint's apply-disable-directives: a pure function of one file's findings,
 * its text and its objects' annotations. It splits the findings into reported and suppressed, and emits
 * suppression-reason (a suppression without a reason) and unused-suppression (one that suppressed nothing,
 * or names an unknown rule). The input is not changed.
 */
export function applySuppressions(input: SuppressionInput): SuppressionOutput {
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  const comments = parseCommentSuppressions(input.source);
  const annotationSupp = new Map<ManifestObject<Obj>, AnnotationSuppression[]>();
  for (const obj of input.objects) {
    const a = parseAnnotationSuppressions(obj.annotations);
    if (a.length) annotationSupp.set(obj, a);
  }

  // most files have no suppression at all: every finding is reported as it is
  const none = comments.length === 0 && annotationSupp.size === 0;
  for (const { finding: f, obj, objPath } of input.findings) {
    if (none) {
      findings.push(f);
      continue;
    }
    const sups: Suppression[] = [];
    const group = input.groupOf ? input.groupOf(f.ruleId) : f.ruleId;
    const line = f.range.line;
    for (const c of comments) {
      if (
        commentMatches(c, f.ruleId, line, group) &&
        (c.kind !== 'file' || !input.fileCommentCovers || input.fileCommentCovers(c.line, line))
      ) {
        c.used.add(f.ruleId);
        c.used.add(group);
        sups.push({ kind: 'inSource', justification: c.reason, source: c.kind === 'file' ? 'file-comment' : 'comment' });
      }
    }
    if (obj) {
      const anns = annotationSupp.get(obj);
      if (anns) {
        const container = objPath ? containerAtPath(obj, objPath) : undefined;
        for (const a of anns) {
          if (a.ruleId !== f.ruleId && a.ruleId !== group) continue;
          if (a.containers && (!container || !a.containers.includes(container))) continue;
          a.used = true;
          sups.push({ kind: 'inSource', justification: a.reason, source: 'annotation' });
        }
      }
    }
    if (sups.length) suppressed.push({ ...f, suppressions: sups });
    else findings.push(f);
  }

  // suppressions without a reason, and unused suppressions: reported at the configured severity of those rules
  type At = Finding['range'] & { path?: string };
  const emit = (rule: AnyRule, at: At, messageId: string, data?: ReportDescriptor['data']): void => {
    const level = input.fileSeverity(rule.meta.id);
    if (!level || level === 'off') return;
    const { path, ...range } = at;
    const f: Finding = {
      kind: 'rule',
      ruleId: rule.meta.id,
      messageId,
      message: ruleMessage(rule, messageId, data),
      severity: level,
      range,
    };
    if (path !== undefined) f.path = path;
    findings.push(f);
  };
  for (const c of comments) {
    const at: At = { line: c.line, column: c.column, endLine: c.line, endColumn: c.endColumn };
    if (!c.reason) emit(suppressionReason, at, 'comment');
    for (const u of c.rules.filter((r) => !input.isRule(r))) emit(unusedSuppression, at, 'unknownRule', { rule: u });
    if (c.rules.length === 0 && c.used.size === 0) emit(unusedSuppression, at, 'unusedAny');
    for (const r of c.rules.filter((x) => input.isRule(x))) {
      if (c.used.has(r) || input.fileSeverity(r) === 'off') continue;
      emit(unusedSuppression, at, c.kind === 'file' ? 'unusedInFile' : 'unusedOnLine', { rule: r });
    }
  }
  for (const [obj, anns] of annotationSupp) {
    for (const a of anns) {
      const keyPath = ['metadata', 'annotations', a.key];
      const r = obj.rangeOf(keyPath).range;
      const at: At = {
        line: r.line,
        column: r.column,
        endLine: r.endLine,
        endColumn: r.endColumn,
        path: toPointer([...obj.basePath, ...keyPath]),
      };
      if (!a.reason) emit(suppressionReason, at, a.containers ? 'narrowedAnnotation' : 'annotation', { key: a.key });
      if (!input.isRule(a.ruleId)) {
        emit(unusedSuppression, at, 'annotationUnknownRule', { key: a.key, rule: a.ruleId });
      } else if (!a.used && input.objectSeverity(obj, a.ruleId) !== 'off') {
        const data = { object: obj.displayName, rule: a.ruleId, containers: a.containers?.join(', ') };
        emit(unusedSuppression, at, a.containers ? 'annotationUnusedInContainers' : 'annotationUnused', data);
      }
    }
  }
  return { findings, suppressed };
}
