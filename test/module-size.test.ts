/**
 * No module in src/ and rules/ above MAX_LINES lines but the fast reader
 * (src/parse/fast.ts, exempt by issue #9). A larger module is split by
 * responsibility into siblings, re-exported from its old path where other
 * code imports it. Tests (*.test.ts) and declaration files are not modules of
 * the program and are not counted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './helpers';

export const MAX_LINES = 300;

/** Exempt for good (issue #9): the fast reader. */
const EXEMPT = ['src/parse/fast.ts'];

function sources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.ts$/.test(e.name) && !/\.(test|d)\.ts$/.test(e.name)) out.push(p);
  }
  return out;
}

/** The number of lines of a text (a last line without a newline counts). */
export function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** The files (relative paths) over `max` lines, sorted, with their line counts. */
export function oversized(files: Record<string, string>, max: number): { file: string; lines: number }[] {
  return Object.entries(files)
    .map(([file, text]) => ({ file, lines: lineCount(text) }))
    .filter((f) => f.lines > max)
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function moduleTexts(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of [...sources(path.join(ROOT, 'src')), ...sources(path.join(ROOT, 'rules'))]) {
    files[path.relative(ROOT, f).split(path.sep).join('/')] = fs.readFileSync(f, 'utf8');
  }
  return files;
}

test(`no module in src/ and rules/ above ${MAX_LINES} lines but the fast reader`, () => {
  const files = moduleTexts();
  expect(Object.keys(files).length).toBeGreaterThan(100);
  const allowed = new Set(EXEMPT);
  expect(oversized(files, MAX_LINES).filter((f) => !allowed.has(f.file))).toEqual([]);
});

test('the exempt fast reader exists and is still over the limit (else its exemption goes)', () => {
  const over = new Set(oversized(moduleTexts(), MAX_LINES).map((f) => f.file));
  expect(EXEMPT.filter((f) => !over.has(f))).toEqual([]);
});

test('the count: lines with or without a final newline; a file at the limit passes, one line more fails', () => {
  expect(lineCount('')).toBe(0);
  expect(lineCount('a\n')).toBe(1);
  expect(lineCount('a\nb')).toBe(2);
  expect(lineCount('a\n\nb\n')).toBe(3);
  const at = 'x\n'.repeat(MAX_LINES);
  expect(oversized({ 'src/a.ts': at, 'src/b.ts': at + 'y\n', 'src/c.ts': at + 'y' }, MAX_LINES)).toEqual([
    { file: 'src/b.ts', lines: MAX_LINES + 1 },
    { file: 'src/c.ts', lines: MAX_LINES + 1 },
  ]);
});
