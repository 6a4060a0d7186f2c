/** The default terminal format, grouped by file, like ESLint's stylish. */
import type { FileFindings } from '../engine/finding.js';
import type { FormatContext } from './types.js';
import { plural } from '../util/strings.js';

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

/** A message on one line: each line break, with the white space around it, becomes a space (the test first: most messages have none). */
function oneLine(message: string): string {
  return message.includes('\n') ? message.replace(/\s*\n\s*/g, ' ') : message;
}

/** The length of a line or column number as printed (counted without making the string). */
function digits(n: number): number {
  if (!(Number.isInteger(n) && n >= 0 && n < 1e15)) return String(n).length;
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/** A coloured severity word followed by the spaces that fill its column. */
function padded(coloured: string, len: number, width: number): string {
  return width > len ? coloured + ' '.repeat(width - len) : coloured;
}

export function stylish(files: FileFindings[], ctx: FormatContext): string {
  const [bulk, summary] = stylishParts(files, ctx);
  return bulk + summary;
}

/**
 * The stylish output in two parts, printed one after the other: the findings
 * and notes, and the summary line. The summary's ✔/✖ are not Latin-1, and one
 * such character makes V8 store a whole string with two bytes per character:
 * kept apart, the bulk stays one byte per character (unless a message needs
 * more), half the memory and a faster write.
 */
export function stylishParts(files: FileFindings[], ctx: FormatContext): [bulk: string, summary: string] {
  const pieces: string[] = [];
  const summary = writeStylish(files, ctx, (s) => pieces.push(s));
  return [pieces.join(''), summary];
}

/**
 * The stylish output written in pieces (a file's findings, then the notes; each piece one byte per character
 * unless a message needs more), never whole in memory; returns the summary line, the caller's to write last.
 */
export function writeStylish(files: FileFindings[], ctx: FormatContext, write: (s: string) => void): string {
  const file = stylishFiles(ctx.color);
  for (const r of files) {
    const text = file(r);
    if (text !== undefined) write(text);
  }
  return stylishEnd(ctx, write);
}

/**
 * The stylish text of one file at a time (undefined for a file without findings): the same text whatever
 * files come before or after it, so that a run can print each file's as soon as it is linted.
 */
export function stylishFiles(color: boolean): (r: FileFindings) => string | undefined {
  const c = colorizer(color);
  // the severity words, coloured and padded, made once per run rather than once per finding
  const sevText = { error: c('red', 'error'), warning: c('yellow', 'warning'), info: c('blue', 'info') };
  const dimOpen = color ? '\u001b[2m' : '';
  const dimClose = color ? '\u001b[22m' : '';
  // a rule's id as its row ends it (dimmed), made once per rule
  const tails = new Map<string, string>();
  return (r) => {
    const findings = r.findings;
    if (findings.length === 0) return undefined;
    // the column widths first (one pass, no row objects), then the rows added to the file's text one by one
    let locW = 0;
    let sevW = 0;
    const pathLen = r.filePath.length + 2;
    for (const m of findings) {
      const w = pathLen + digits(m.range.line) + digits(m.range.column);
      if (w > locW) locW = w;
      if (m.severity.length > sevW) sevW = m.severity.length;
    }
    // each severity word padded to its column, then the gap before the message
    const sevCol = {
      error: `  ${padded(sevText.error, 5, sevW)}  `,
      warning: `  ${padded(sevText.warning, 7, sevW)}  `,
      info: `  ${padded(sevText.info, 4, sevW)}  `,
    };
    const head = `\n  ${dimOpen}${r.filePath}:`;
    const spaces = ' '.repeat(locW);
    let text = c('underline', r.filePath);
    for (const m of findings) {
      const { line, column } = m.range;
      let tail = tails.get(m.ruleId);
      if (tail === undefined) tails.set(m.ruleId, (tail = `  ${dimOpen}${m.ruleId}${dimClose}`));
      text += head;
      text += line;
      text += ':';
      text += column;
      const pad = locW - (pathLen + digits(line) + digits(column));
      if (pad > 0) text += spaces.slice(0, pad);
      text += dimClose;
      text += sevCol[m.severity];
      text += oneLine(m.message);
      text += tail;
    }
    return text + '\n\n';
  };
}

/** The end of the stylish output: the notes (written), and the summary line (returned, the caller's to write last). */
export function stylishEnd(ctx: FormatContext, write: (s: string) => void): string {
  const c = colorizer(ctx.color);
  const notes = ctx.notes.map((n) => `${c('dim', `note: ${n}`)}\n`);
  if (notes.length) write(notes.join(''));
  const s = ctx.summary;
  const problems = s.errors + s.warnings;
  const parts = [plural(s.files, 'file'), plural(s.objects, 'object'), plural(s.errors, 'error'), plural(s.warnings, 'warning')];
  if (s.infos) parts.push(`${s.infos} info`);
  parts.push(`${s.suppressed} suppressed`);
  if (s.skipped) parts.push(`${s.skipped} skipped`);
  if (s.notValidated) parts.push(`${s.notValidated} not validated (no schema)`);
  // no object at all: nothing was checked, which is not a pass (the note above says so)
  const line = `${problems ? '✖' : s.objects === 0 && s.files > 0 ? '⚠' : '✔'} ${parts.join(', ')}`;
  const summary =
    problems === 0 && (s.objects > 0 || s.files === 0)
      ? c('green', line)
      : s.errors
        ? c('bold', c('red', line))
        : c('bold', c('yellow', line));
  return summary + '\n';
}
