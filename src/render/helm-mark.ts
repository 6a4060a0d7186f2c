/**
 * Marking a chart's templates before `helm template`: each template line that emits output
 * gets a comment naming its file and line, which the rendered output carries through.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const MARK = '#k8sgold@';
export const TRAILING_MARK = /\s#k8sgold@(\d+):(\d+)(?=\s|$)/;
export const LINE_MARK = /^\s*#k8sgold@(\d+):(\d+)\s*$/;
export const SOURCE_RE = /^# Source: (.+?)\s*$/;

export const PURE_ACTION = /^(\{\{.*?\}\}\s*)+$/;
const KEY_OR_ITEM = /^(-(\s|$)|[A-Za-z0-9_./"'$-][^:#]*?:(\s|$))/;
const BLOCK_HEADER = /:\s*[|>][-+0-9]*\s*$|^(-\s+)+[|>][-+0-9]*\s*$/;
/** actions whose output may span lines: the marker goes on a comment line above */
const MULTILINE_ACTION = /\{\{[^}]*\b(include|toYaml|toJson|toPrettyJson|indent|nindent|tpl|template)\b/;

/**
 * Appends a marker to every template line that is a key or a list item outside
 * block scalars and actions, or puts it on a comment line above when the line's
 * action may write several lines.
 */
export function markTemplate(text: string, fileIdx: number): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let actionDepth = 0;
  let inComment = false;
  let block: number | undefined;
  let prevTrims = false;
  const scan: ActionScan = { inAction: false, raw: false, comment: false };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.replace(/\r$/, '');
    const n = i + 1;
    const trimmed = line.trim();
    const indent = line.length - line.trimStart().length;
    const { opens, closes } = delimiters(line, scan);
    const wasInside = actionDepth > 0 || inComment;
    if (line.includes('{{/*') && !line.includes('*/}}')) inComment = true;
    else if (inComment && line.includes('*/')) inComment = false;
    actionDepth = Math.max(0, actionDepth + opens - closes);
    const trimsNext = /-\s*\}\}\s*$/.test(trimmed);
    const skip = (): void => {
      out.push(raw);
      prevTrims = trimsNext;
    };
    if (wasInside || actionDepth > 0 || inComment || opens !== closes) {
      skip();
      continue;
    }
    if (block !== undefined) {
      if (trimmed === '' || indent > block || PURE_ACTION.test(trimmed)) {
        skip();
        continue;
      }
      block = undefined;
    }
    if (trimmed === '' || PURE_ACTION.test(trimmed) || !KEY_OR_ITEM.test(trimmed)) {
      skip();
      continue;
    }
    if (BLOCK_HEADER.test(trimmed)) {
      // content is indented more than the node that holds the scalar: the key after `- ` items, or the innermost sequence of `- |`
      const items = /^(?:-\s+)*/.exec(trimmed)![0];
      block = indent + (/^(?:-\s+)+[|>]/.test(trimmed) ? items.replace(/-\s+$/, '').length : items.length);
    }
    const comment = commentStart(line);
    if (comment === -1 || trimsNext || /^\{\{-/.test(trimmed) || (comment === undefined && continuesBelow(lines, i, indent, trimmed))) {
      skip();
      continue;
    }
    if (MULTILINE_ACTION.test(line)) {
      if (!prevTrims) out.push(`${' '.repeat(indent)}${MARK}${fileIdx}:${n}`);
      out.push(raw);
    } else if (comment !== undefined) {
      // before the line's own comment, which then continues the marker comment
      out.push(`${line.slice(0, comment)} ${MARK}${fileIdx}:${n}${line.slice(comment)}` + (raw.endsWith('\r') ? '\r' : ''));
    } else {
      out.push(line + ` ${MARK}${fileIdx}:${n}` + (raw.endsWith('\r') ? '\r' : ''));
    }
    prevTrims = false;
  }
  return out.join('\n');
}

/** Where a scan of a template stands at the end of a line: in an action, in a raw string of one, in a comment. */
interface ActionScan {
  inAction: boolean;
  raw: boolean;
  comment: boolean;
}

/**
 * The `{{` that open actions and the `}}` that close them on a line, the strings and comments inside actions
 * skipped (`{{ printf "{\"a\":{\"b\":1}}" }}` closes once, at its end); `scan` carries what goes on to the next
 * line (an action, a raw string or a comment that spans lines) and is updated.
 */
function delimiters(line: string, scan: ActionScan): { opens: number; closes: number } {
  let opens = 0;
  let closes = 0;
  for (let i = 0; i < line.length; ) {
    if (!scan.inAction) {
      const at = line.indexOf('{{', i);
      if (at < 0) break;
      opens++;
      scan.inAction = true;
      i = at + 2;
      const c = /^-?\s*\/\*/.exec(line.slice(i, i + 8));
      if (c) {
        scan.comment = true;
        i += c[0].length;
      }
      continue;
    }
    if (scan.comment) {
      const end = line.indexOf('*/', i);
      if (end < 0) break;
      scan.comment = false;
      i = end + 2;
      continue;
    }
    if (scan.raw) {
      const end = line.indexOf('`', i);
      if (end < 0) break;
      scan.raw = false;
      i = end + 1;
      continue;
    }
    const c = line[i]!;
    if (c === '`') scan.raw = true;
    else if (c === '"' || c === "'") {
      // a string or a character constant ends on its line
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += line[j] === '\\' ? 2 : 1;
      i = j + 1;
      continue;
    } else if (line.startsWith('}}', i)) {
      closes++;
      scan.inAction = false;
      i += 2;
      continue;
    }
    i++;
  }
  return { opens, closes };
}

/**
 * Whether the line's plain scalar value goes on over the next lines (`description: The Schema for the\n    API.`, as
 * controller-gen writes CRD descriptions): a marker comment would end the scalar there and break the YAML.
 */
function continuesBelow(lines: string[], i: number, indent: number, trimmed: string): boolean {
  const dashes = /^(?:-\s+)*/.exec(trimmed)![0];
  const rest = trimmed.slice(dashes.length);
  const kv = /^[^\s#][^#]*?:\s+(\S.*)$/.exec(rest);
  const value = kv ? kv[1]! : dashes && !/^[^\s#][^#]*?:$/.test(rest) ? rest : '';
  if (value === '' || /^["'[{|>&*!%@`]/.test(value)) return false;
  const parent = kv ? indent + dashes.length : indent;
  for (let j = i + 1; j < lines.length; j++) {
    const next = lines[j]!.replace(/\r$/, '');
    if (next.trim() === '') continue;
    return next.length - next.trimStart().length > parent;
  }
  return false;
}

/**
 * Where a line's YAML comment starts (the whitespace before its `#`): undefined when it has none, -1 when
 * that is unclear (a `#` inside an action, or quotes that do not close).
 */
function commentStart(line: string): number | undefined {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (line.startsWith('{{', i)) {
      const end = line.indexOf('}}', i);
      if (end < 0) return -1;
      if (line.slice(i, end).includes('#')) return -1;
      i = end + 1;
      continue;
    }
    if (quote) {
      if (c === quote) {
        if (quote === "'" && line[i + 1] === "'") i++;
        else quote = undefined;
      } else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if ((c === '"' || c === "'") && (i === 0 || /[\s:\-[{,]/.test(line[i - 1]!))) quote = c;
    else if (c === '#' && i > 0 && /\s/.test(line[i - 1]!)) {
      let j = i;
      while (j > 0 && /\s/.test(line[j - 1]!)) j--;
      return j;
    }
  }
  return quote ? -1 : undefined;
}

const RANDOM = /\b(randAlphaNum|randAlpha|randNumeric|randAscii)\s+(\d+)\b|\buuidv4\b/g;

/** Whether a template calls a random function that derandomize() replaces. */
export function hasRandom(text: string): boolean {
  RANDOM.lastIndex = 0;
  return RANDOM.test(text);
}

/**
 * The template with its random values made fixed (`randAlphaNum 5` → `(repeat 5 "x")`, `uuidv4` → a fixed UUID), so
 * that a chart's test pod named `…-{{ randAlphaNum 5 | lower }}` (podinfo) gets the same name in every run: output and
 * SARIF fingerprints, which name the object, stay the same from run to run. Lines and their count do not change.
 */
export function derandomize(text: string): string {
  return text.replace(RANDOM, (_m, fn: string | undefined, n: string | undefined) =>
    fn === undefined ? '"00000000-0000-4000-8000-000000000000"' : `(repeat ${n} "${fn === 'randNumeric' ? '0' : 'x'}")`,
  );
}

/**
 * The template files of a chart and of its unpacked sub-charts (files under a `templates/` beside a Chart.yaml), in
 * name order: by default the YAML and `.tpl` files that get markers; `names` widens the set (the lookup scan also
 * reads `.txt` and `.json` templates).
 */
export function templateFiles(chart: string, names: RegExp = /\.(ya?ml|tpl)$/i): string[] {
  const out: string[] = [];
  const walk = (dir: string, inTemplates: boolean): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, inTemplates || (e.name === 'templates' && fs.existsSync(path.join(dir, 'Chart.yaml'))));
      else if (inTemplates && names.test(e.name)) out.push(p);
    }
  };
  walk(chart, false);
  return out;
}
