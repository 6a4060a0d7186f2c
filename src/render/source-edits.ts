/**
 * Fixes of rendered objects as suggestions on the source the user edits.
 *
 * A rendered Helm chart or kustomize build is never written back. A fix or
 * suggestion a rule computed on the rendered text becomes a suggestion on the
 * source file only where the mapping is exact:
 * - Helm: the edit lies on one rendered line that the template wrote itself
 *   (the line's own marker, in a document the marker guard trusts), and the
 *   template line holds the edited text literally: the same text from its
 *   indentation up to the end of the edit (for an insertion after or before the
 *   line, the whole line). The edit is moved to the template line; inserted
 *   lines are re-indented by the difference between the template's and the
 *   rendered indentation. Text written by an action (`{{ .Values.x }}`,
 *   `toYaml`, `include`) never matches, so it gets no suggestion.
 * - Kustomize: the source file is plain YAML, so the rule is run on it as it
 *   stands and its own edit is taken, when the finding is the same (rule,
 *   message id, field path, the object the rendered one came from) and the
 *   field's value (or, for a missing field, its nearest existing parent) is the
 *   same in the source and in the render (no patch, transformer or generator
 *   changed it).
 */
import * as fs from 'node:fs';
import type { FixEdit, LintSuggestion } from '../engine/result.js';
import type { Finding } from '../engine/finding.js';
import type { SourceText } from '../parse/source.js';

const texts = new Map<string, string | null>();

/** Forgets the source texts read (called at the start of each run). */
export function resetSourceTexts(): void {
  texts.clear();
}

/** A source file's text as the engine reads it (no BOM), or undefined. */
export function sourceText(abs: string): string | undefined {
  let t = texts.get(abs);
  if (t === undefined) {
    try {
      t = fs.readFileSync(abs, 'utf8');
      if (t.startsWith('\uFEFF')) t = t.slice(1);
    } catch {
      t = null;
    }
    texts.set(abs, t);
  }
  return t ?? undefined;
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/** Re-indents the lines after each newline of `text` by `delta` columns, with the file's line ending; undefined if a line would lose indentation it does not have. */
function reindent(text: string, delta: number, eol: string): string | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '') continue;
    if (delta >= 0) lines[i] = ' '.repeat(delta) + l;
    else if (/^ *$/.test(l.slice(0, -delta))) lines[i] = l.slice(-delta);
    else return undefined;
  }
  return lines.join(eol);
}

/**
 * A rendered-text edit moved onto the template line that wrote it literally,
 * or undefined where the mapping is not exact.
 */
export function helmSourceEdit(
  rendered: SourceText,
  ownLine: (line: number) => { abs: string; line: number } | undefined,
  e: FixEdit,
): { abs: string; fix: FixEdit } | undefined {
  // the replaced text may be empty (an insertion); a template action in the new text would be executed by helm
  if (e.text.includes('{{')) return undefined;
  const a = rendered.position(e.range[0]);
  const b = rendered.position(e.range[1]);
  if (a.line !== b.line) return undefined;
  const R = rendered.lineText(a.line);
  const own = ownLine(a.line);
  if (!own) return undefined;
  const text = sourceText(own.abs);
  if (text === undefined) return undefined;
  const starts = lineStarts(text);
  const start = starts[own.line - 1];
  if (start === undefined) return undefined;
  const end = own.line < starts.length ? starts[own.line]! - 1 : text.length;
  const S = text.slice(start, end).replace(/\r$/, '');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indR = R.search(/\S/);
  const indS = S.search(/\S/);
  if (indR < 0 || indS < 0) return undefined;
  const colA = a.column - 1;
  const colB = b.column - 1;
  const delta = indS - indR;
  const moved = reindent(e.text, delta, eol);
  if (moved === undefined) return undefined;
  if (colA === colB && (colA === R.length || (colA === 0 && /\n$/.test(e.text)))) {
    // a line inserted after (or before) the rendered line: the template line must be the same line
    if (S.slice(indS) !== R.slice(indR)) return undefined;
    const at = colA === 0 ? start : start + S.length;
    // an insertion before the line starts at column 0: its first line is indented as the rendered one was
    const first = colA === 0 ? reindent(`\n${e.text}`, delta, eol)?.slice(eol.length) : moved;
    if (first === undefined) return undefined;
    return { abs: own.abs, fix: { range: [at, at], text: first } };
  }
  if (colA < indR || colB > R.length) return undefined;
  // the template writes the text up to the end of the edit literally
  if (!S.slice(indS).startsWith(R.slice(indR, colB))) return undefined;
  return { abs: own.abs, fix: { range: [start + indS + (colA - indR), start + indS + (colB - indR)], text: moved } };
}

/** The suggestions a rendered finding's fix and suggestions become, given a way to move one edit. */
export function movedSuggestions(m: Finding, move: (e: FixEdit) => FixEdit | undefined): LintSuggestion[] {
  const out: LintSuggestion[] = [];
  if (m.fix) {
    const f = move(m.fix);
    if (f) out.push({ desc: `Fix ${m.ruleId} in the source (rendered output is never fixed automatically)`, fix: f });
  }
  for (const s of m.suggestions ?? []) {
    const f = move(s.fix);
    if (f) out.push(s.messageId !== undefined ? { messageId: s.messageId, desc: s.desc, fix: f } : { desc: s.desc, fix: f });
  }
  return out;
}

/** Whether two JSON-like values are equal at `path` or, where the path ends early in `b`, at the deepest parent both have. */
export function sameAtPath(a: unknown, b: unknown, path: readonly (string | number)[]): boolean {
  let x = a;
  let y = b;
  for (const k of path) {
    const hasY = y !== null && typeof y === 'object' && Object.prototype.hasOwnProperty.call(y, k);
    const hasX = x !== null && typeof x === 'object' && Object.prototype.hasOwnProperty.call(x, k);
    if (!hasY && !hasX) break;
    if (hasY !== hasX) return false;
    x = (x as Record<string | number, unknown>)[k];
    y = (y as Record<string | number, unknown>)[k];
  }
  return deepEqual(x, y);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}
