/**
 * Rendering a Helm chart with `helm template`, and mapping every line of the
 * output back to the template line that wrote it.
 *
 * Files: helm's `# Source: <chart name>/templates/x.yaml` comments (the prefix
 * is the name in Chart.yaml, not the directory name).
 * Lines: the guarded marker technique. A copy of the chart gets a marker
 * comment (`#k8sgold@<file>:<line>`) on every template line that is a key or a
 * list item outside block scalars and actions; both copies are rendered, and
 * the markers are trusted for a document only when both renders of it parse
 * to identical objects. A rendered line then maps to the marker on its line,
 * else to the nearest marker above it (lines written by `include` or `toYaml`
 * map to the including line). Documents the guard rejects map to their
 * template's `kind:` line.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { HelmProfileConfig } from '../config/config.js';
import { parseText, type ParseOutput } from '../parse/parse.js';
import type { Span } from '../parse/source.js';
import { run, type Command, type ExecResult, type Job } from './exec.js';

/** A render profile as the config declares it, named, with its values files made absolute. */
export type HelmProfile = Omit<HelmProfileConfig, 'name'> & { name: string };

export interface HelmOptions {
  command: Command;
  dependencyUpdate?: boolean;
}

/** A place in a source file. */
export interface SourcePlace {
  abs: string;
  line: number;
  column: number;
  endColumn: number;
  /** the values the line was written from, when an action (toYaml, include) wrote it from `.Values.<path>` */
  values?: string;
  /** for a packaged chart (`abs` is the .tgz): `<chart>/templates/x.yaml:line:column` inside the archive */
  inPackage?: string;
}

export interface RenderFailure {
  ok: false;
  place: SourcePlace;
  message: string;
}

export interface HelmRendered {
  ok: true;
  text: string;
  chartName: string;
  /** builds the line map from the parse of `text` */
  mapper(parse: ParseOutput): HelmLineMap;
}

export interface HelmLineMap {
  /** the template place that wrote a rendered line (1-based) */
  place(line: number): SourcePlace;
  /** the template file of a rendered line (its `# Source:`), or undefined before the first one */
  sourceOf(line: number): string | undefined;
  /** how many documents were mapped to lines (markers trusted) and how many to their template's kind line */
  stats: { lines: number; fallback: number };
  /**
   * The template line that wrote a rendered line itself: the line's own marker
   * in a trusted document (not the nearest marker above, as for lines written
   * by actions), or undefined.
   */
  ownLine(line: number): { abs: string; line: number } | undefined;
}

const MARK = '#k8sgold@';
const TRAILING_MARK = /\s#k8sgold@(\d+):(\d+)(?=\s|$)/;
const LINE_MARK = /^\s*#k8sgold@(\d+):(\d+)\s*$/;
const SOURCE_RE = /^# Source: (.+?)\s*$/;

export function chartName(chartDir: string): { ok: true; name: string } | RenderFailure {
  const file = fs.existsSync(path.join(chartDir, 'Chart.yaml')) ? path.join(chartDir, 'Chart.yaml') : path.join(chartDir, 'Chart.yml');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, place: { abs: file, line: 1, column: 1, endColumn: 1 }, message: `cannot read ${path.basename(file)}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
  const m = /^name:\s*["']?([^"'#\s]+)/m.exec(text);
  if (!m) return { ok: false, place: { abs: file, line: 1, column: 1, endColumn: 1 }, message: `${path.basename(file)} has no name; helm cannot render the chart` };
  return { ok: true, name: m[1]! };
}

function templateArgs(chartPath: string, p: HelmProfile): string[] {
  const args = ['template', p.releaseName ?? 'release-name', chartPath];
  for (const v of p.values ?? []) args.push('--values', v);
  for (const s of p.set ?? []) args.push('--set', s);
  if (p.namespace) args.push('--namespace', p.namespace);
  if (p.kubeVersion) args.push('--kube-version', p.kubeVersion);
  for (const a of p.apiVersions ?? []) args.push('--api-versions', a);
  if (p.skipTests) args.push('--skip-tests');
  if (p.includeCrds) args.push('--include-crds');
  return args;
}

export function renderChart(chartDir: string, profile: HelmProfile, opts: HelmOptions): HelmRendered | RenderFailure {
  const p = prepareChart(chartDir, profile, opts);
  if ('ok' in p) return p;
  return p.finish(p.jobs.map((j) => run(j.cmd, j.args, j.cwd)));
}

/** A render prepared to run with others: its commands, then what makes the result of their outputs (and removes the marked copy). */
export interface PreparedRender<T> {
  jobs: Job[];
  finish(results: ExecResult[]): T | RenderFailure;
}

/**
 * The two helm runs of a chart and profile (the chart, and its copy with line
 * markers), to run with other renders; finish() maps their outputs.
 */
export function prepareChart(chartDir: string, profile: HelmProfile, opts: HelmOptions): PreparedRender<HelmRendered> | RenderFailure {
  const named = chartName(chartDir);
  if (!named.ok) return named;
  const name = named.name;
  const chartFile = fs.existsSync(path.join(chartDir, 'Chart.yaml')) ? path.join(chartDir, 'Chart.yaml') : path.join(chartDir, 'Chart.yml');
  const args = templateArgs(chartDir, profile);
  if (opts.dependencyUpdate) args.push('--dependency-update');
  const jobs: Job[] = [{ cmd: opts.command, args, cwd: chartDir }];
  // the marked copy; its render is read only to map lines
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-gold-chart-'));
  const copy = path.join(tmp, path.basename(chartDir));
  const files: string[] = [];
  try {
    fs.cpSync(chartDir, copy, { recursive: true, dereference: true, filter: (src) => path.basename(src) !== '.git' });
    for (const t of templateFiles(copy)) {
      const idx = files.length;
      files.push(path.join(chartDir, path.relative(copy, t)));
      fs.writeFileSync(t, markTemplate(fs.readFileSync(t, 'utf8'), idx));
    }
    jobs.push({ cmd: opts.command, args: templateArgs(copy, profile), cwd: copy });
  } catch {
    // no marked render: findings map to their template's kind: line
  }
  return {
    jobs,
    finish: ([r, m]) => {
      fs.rmSync(tmp, { recursive: true, force: true });
      if (r!.startError) {
        return {
          ok: false,
          place: { abs: chartFile, line: 1, column: 1, endColumn: 1 },
          message: `cannot run ${opts.command.join(' ')} (${r!.startError}), so this chart was not rendered or linted; install helm (k8s-gold does not download it) or set helm.command in the config`,
        };
      }
      if (!r!.ok) return helmFailure(r!.stderr, name, chartDir, chartFile);
      const text = r!.stdout;
      const marked = m?.ok ? m.stdout : undefined;
      return { ok: true, text, chartName: name, mapper: (parse) => buildLineMap(parse, marked, files, name, chartDir, chartFile) };
    },
  };
}

/** Template files that get markers: YAML files under templates/ of the chart and its unpacked sub-charts. */
function templateFiles(chart: string): string[] {
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
      else if (inTemplates && /\.ya?ml$/i.test(e.name)) out.push(p);
    }
  };
  walk(chart, false);
  return out;
}

const PURE_ACTION = /^(\{\{.*?\}\}\s*)+$/;
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
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.replace(/\r$/, '');
    const n = i + 1;
    const trimmed = line.trim();
    const indent = line.length - line.trimStart().length;
    const opens = (line.match(/\{\{/g) ?? []).length;
    const closes = (line.match(/\}\}/g) ?? []).length;
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
    if (comment === -1 || trimsNext || /^\{\{-/.test(trimmed)) {
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

function helmFailure(stderr: string, name: string, chartDir: string, chartFile: string): RenderFailure {
  const message = stderr
    .split('\n')
    // helm 4's log lines (`level=INFO msg="found symbolic link in path…"`) are not the error
    .filter((l) => !/^Use --debug flag/.test(l.trim()) && !/^(?:time=\S+\s+)?level=(?:DEBUG|INFO|WARN)\s/.test(l.trim()))
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/^Error: /, '')
    .trim();
  const place: SourcePlace = { abs: chartFile, line: 1, column: 1, endColumn: 1 };
  // template file and position: demo/templates/x.yaml:6:15, or "YAML parse error on demo/templates/x.yaml: ... line 5"
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const tm = new RegExp(`(?:^|[\\s("'])${esc}/((?:charts/[^/\\s]+/)*templates/[^\\s:()"']+)(?::(\\d+))?(?::(\\d+))?`).exec(message);
  if (tm) {
    const abs = path.join(chartDir, tm[1]!);
    if (fs.existsSync(abs)) {
      place.abs = abs;
      let line = tm[2] ? Number(tm[2]) : undefined;
      const col = tm[3] ? Number(tm[3]) : undefined;
      if (line === undefined) {
        const yl = /yaml: line (\d+)/.exec(message);
        if (yl) line = Number(yl[1]);
      }
      place.line = line ?? 1;
      place.column = col ?? 1;
      place.endColumn = place.column;
    }
  } else {
    const dep = /missing in charts\/ directory: ([^\s,]+)/.exec(message);
    if (dep) {
      const lines = readLines(chartFile);
      const i = lines.findIndex((l) => new RegExp(`^\\s*(-\\s+)?name:\\s*["']?${dep[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*$`).test(l));
      if (i >= 0) {
        place.line = i + 1;
        place.column = lines[i]!.search(/\S/) + 1;
        place.endColumn = lines[i]!.length + 1;
      }
    }
  }
  return { ok: false, place, message: message || 'helm template failed with no message' };
}

const fileLines = new Map<string, string[]>();

/** Forgets the template texts read (called at the start of each run). */
export function resetHelmCaches(): void {
  fileLines.clear();
  preloaded.clear();
}
const preloaded = new Set<string>();
/** Reads every file under `dir` into the line cache, so that its places map after `dir` is removed (an unpacked .tgz). */
export function preloadLines(dir: string): void {
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const abs = path.join(e.parentPath, e.name);
    readLines(abs);
    preloaded.add(abs);
  }
}
function readLines(abs: string): string[] {
  let l = fileLines.get(abs);
  if (!l) {
    try {
      l = fs.readFileSync(abs, 'utf8').split('\n').map((x) => x.replace(/\r$/, ''));
    } catch {
      l = [];
    }
    fileLines.set(abs, l);
  }
  return l;
}

const VALUES_REF = /\.Values((?:\.[A-Za-z_][\w-]*)+)/g;

/**
 * The `.Values` path that the action writing lines below a marked template line
 * reads: the action lines right after a `key:` line (or the marked line itself
 * when its action writes several lines), e.g. `{{- toYaml .Values.resources | nindent 12 }}`,
 * or `toYaml .` inside `{{- with .Values.x }}` written just above. Only one path,
 * else none: the message never names a path the template may not read.
 */
function valuesPath(abs: string, line: number, afterKey: boolean): string | undefined {
  const lines = readLines(abs);
  const acts: string[] = [];
  if (!afterKey) acts.push(lines[line - 1] ?? '');
  for (let i = line; afterKey && i < lines.length && PURE_ACTION.test(lines[i]!.trim()); i++) acts.push(lines[i]!);
  const paths = new Set<string>();
  for (const a of acts) {
    if (!/\b(toYaml|toJson|toPrettyJson|include|tpl|template)\b/.test(a)) continue;
    for (const m of a.matchAll(VALUES_REF)) paths.add(`.Values${m[1]}`);
    if (/\b(toYaml|toJson|toPrettyJson)\s+\.\s*[|)}]/.test(a)) {
      // `toYaml .` in a `with .Values.x` block that opens just above the marked line
      const w = /^\s*\{\{-?\s*with\s+\.Values((?:\.[A-Za-z_][\w-]*)+)\s*-?\}\}\s*$/.exec(lines[line - 2] ?? '');
      if (w) paths.add(`.Values${w[1]}`);
      else return undefined;
    }
  }
  return paths.size === 1 ? [...paths][0] : undefined;
}

function placeOnLine(abs: string, line: number): SourcePlace {
  const text = readLines(abs)[line - 1] ?? '';
  const first = text.search(/\S/);
  return { abs, line, column: first >= 0 ? first + 1 : 1, endColumn: Math.max(text.trimEnd().length + 1, first + 2) };
}

/** The template's `kind:` line: the one that reads as the rendered object's (`kind: Deployment`), else the first. */
function kindLine(abs: string, rendered?: string): SourcePlace {
  const lines = readLines(abs);
  const same = rendered === undefined ? -1 : lines.findIndex((l) => l.trimEnd() === rendered);
  const i = same >= 0 ? same : lines.findIndex((l) => /^kind:/.test(l));
  return placeOnLine(abs, i >= 0 ? i + 1 : 1);
}

const DIGEST = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * The plain and the marked render of a document are the same object, except for digests of
 * templates (`checksum/config: {{ include ".../configmap.yaml" . | sha256sum }}`), which differ
 * because the marked template differs.
 */
function sameButDigests(a: unknown, b: unknown): boolean {
  if (isDeepStrictEqual(a, b)) return true;
  if (typeof a === 'string' && typeof b === 'string') return DIGEST.test(a) && DIGEST.test(b) && a.length === b.length;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameButDigests(x, b[i]));
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) || Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameButDigests((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function spanLine(parse: ParseOutput, s: Span): number {
  return parse.source.position(s.ks >= 0 ? s.ks : s.vs).line;
}

function buildLineMap(parse: ParseOutput, marked: string | undefined, files: string[], name: string, chartDir: string, chartFile: string): HelmLineMap {
  const src = parse.source;
  const n = src.lineCount();
  // `# Source:` segments
  const segOf: (string | undefined)[] = new Array(n + 2);
  let cur: string | undefined;
  for (let l = 1; l <= n; l++) {
    const m = SOURCE_RE.exec(src.lineText(l));
    if (m) {
      const rel = m[1]!.startsWith(name + '/') ? m[1]!.slice(name.length + 1) : m[1]!;
      const abs = path.join(chartDir, rel);
      cur = preloaded.has(abs) || fs.existsSync(abs) ? abs : chartFile;
    } else if (src.lineText(l) === '---') {
      cur = undefined;
    }
    segOf[l] = cur;
  }
  const direct = new Map<number, SourcePlace>();
  const own = new Map<number, { abs: string; line: number }>();
  let fallback = 0;
  let mapped = 0;
  const mparse = marked !== undefined ? parseText(marked) : undefined;
  const mdocs = mparse?.documents ?? [];
  const mlines = marked?.split('\n') ?? [];
  const markerFor = (ml: number): SourcePlace | undefined => {
    for (let l = ml; l >= 1; l--) {
      const t = mlines[l - 1] ?? '';
      const trailing = TRAILING_MARK.exec(t);
      const m = trailing ?? LINE_MARK.exec(t);
      if (m) {
        const abs = files[Number(m[1])];
        if (!abs) return undefined;
        const p = placeOnLine(abs, Number(m[2]));
        // what the action lines after a marked key (or the marked line's own action) write comes from the values
        const v = valuesPath(abs, Number(m[2]), Boolean(trailing));
        return v ? { ...p, values: v } : p;
      }
      if (SOURCE_RE.test(t) || t === '---') return undefined;
    }
    return undefined;
  };
  parse.documents.forEach((doc, i) => {
    if (!doc.ok || doc.empty) return;
    const md = mdocs[i];
    const trusted = mparse !== undefined && md !== undefined && md.ok && mdocs.length === parse.documents.length && sameButDigests(doc.value, md.value);
    const pairs: [number, number][] = [];
    if (trusted) {
      const seen = new Set<object>();
      const ta = parse.spans;
      const tb = mparse!.spans;
      const walk = (a: unknown, na: number, b: unknown, nb: number): void => {
        if (a === null || typeof a !== 'object' || b === null || typeof b !== 'object' || na < 0 || nb < 0 || seen.has(a)) return;
        seen.add(a);
        if (Array.isArray(a) && Array.isArray(b)) {
          const ib = tb.children(nb);
          ta.children(na).forEach((c, k) => {
            if (ib[k] !== undefined) pairs.push([spanLine(parse, ta.span(c)), spanLine(mparse!, tb.span(ib[k]!))]);
            walk(a[k], c, b[k], ib[k] ?? -1);
          });
        } else if (!Array.isArray(a) && !Array.isArray(b)) {
          for (const c of ta.children(na)) {
            const k = ta.key(c)!;
            const cb = tb.child(nb, k);
            if (cb >= 0) pairs.push([spanLine(parse, ta.span(c)), spanLine(mparse!, tb.span(cb))]);
            walk((a as Record<string, unknown>)[k], c, (b as Record<string, unknown>)[k], cb);
          }
        }
      };
      walk(doc.value, doc.node, md!.value, md!.node);
      pairs.push([spanLine(parse, doc.rootSpan), spanLine(mparse!, md!.rootSpan)]);
    }
    let any = false;
    for (const [la, lb] of pairs) {
      const t = TRAILING_MARK.exec(mlines[lb - 1] ?? '');
      const abs = t ? files[Number(t[1])] : undefined;
      if (abs && !own.has(la)) own.set(la, { abs, line: Number(t![2]) });
      if (direct.has(la)) continue;
      const p = markerFor(lb);
      if (p) {
        direct.set(la, p);
        any = true;
      }
    }
    if (any) mapped++;
    else fallback++;
  });
  /** the rendered `kind:` line of the document that holds a line */
  const renderedKind = (line: number): string | undefined => {
    for (let l = line; l >= 1 && src.lineText(l) !== '---'; l--) if (/^kind:/.test(src.lineText(l))) return src.lineText(l).trimEnd();
    for (let l = line + 1; l <= n && src.lineText(l) !== '---'; l++) if (/^kind:/.test(src.lineText(l))) return src.lineText(l).trimEnd();
    return undefined;
  };
  const cache = new Map<number, SourcePlace>();
  const place = (line: number): SourcePlace => {
    const hit = cache.get(line);
    if (hit) return hit;
    const seg = segOf[line];
    let res: SourcePlace | undefined = direct.get(line);
    if (!res && seg) {
      const t = src.lineText(line).trim();
      if (t.startsWith('#') && !SOURCE_RE.test(t)) {
        // a comment passes through helm verbatim: find it in the template
        const i = readLines(seg).findIndex((x) => x.trim() === t);
        if (i >= 0) res = placeOnLine(seg, i + 1);
      }
      for (let l = line - 1; !res && l >= 1 && segOf[l] === seg; l--) res = direct.get(l);
      if (!res) {
        for (let l = line + 1; !res && l <= n && segOf[l] === seg; l++) res = direct.get(l);
      }
    }
    res ??= seg ? kindLine(seg, renderedKind(line)) : placeOnLine(chartFile, 1);
    cache.set(line, res);
    return res;
  };
  return { place, sourceOf: (line) => segOf[line], stats: { lines: mapped, fallback }, ownLine: (line) => own.get(line) };
}
