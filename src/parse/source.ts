/** Offsets to 1-based line/column, computed once per file. */

export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type PathSeg = string | number;
export type Path = readonly PathSeg[];

/** A node's offsets: key start/end (-1 for sequence items and roots) and value start/end. */
export interface Span {
  ks: number;
  ke: number;
  vs: number;
  ve: number;
}

export class SourceText {
  private lineStarts: number[] | undefined;
  constructor(readonly text: string) {}

  private starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const t = this.text;
      let i = t.indexOf('\n');
      while (i !== -1) {
        starts.push(i + 1);
        i = t.indexOf('\n', i + 1);
      }
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  /** 1-based line and column (column counted in UTF-16 code units, like editors and GitHub). */
  position(offset: number): { line: number; column: number } {
    const starts = this.starts();
    if (offset < 0) offset = 0;
    if (offset > this.text.length) offset = this.text.length;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  range(start: number, end: number): Range {
    const a = this.position(start);
    const b = this.position(Math.max(start, end));
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  lineCount(): number {
    return this.starts().length;
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.starts();
    const s = starts[line - 1];
    if (s === undefined) return '';
    const e = line < starts.length ? starts[line]! - 1 : this.text.length;
    let out = this.text.slice(s, e);
    if (out.endsWith('\r')) out = out.slice(0, -1);
    return out;
  }
}

/** JSON Pointer (RFC 6901) for a path. */
export function toPointer(path: Path, more?: Path): string {
  const n = path.length + (more?.length ?? 0);
  if (n === 0) return '';
  // joined, not concatenated: one flat string (a pointer is kept in every finding; a chain of `+` keeps each piece)
  const parts = new Array<string>(n + 1);
  parts[0] = '';
  let i = 1;
  for (const seg of path) parts[i++] = pointerSegment(seg);
  if (more) for (const seg of more) parts[i++] = pointerSegment(seg);
  return parts.join('/');
}

function pointerSegment(seg: PathSeg): string {
  const s = String(seg);
  return s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s;
}

/** Dotted path for messages: spec.template.spec.containers[0].image */
export function toDotted(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
