/** The line map of a rendered chart: each rendered line back to its template (or values) file and line, from the marks. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseText, type ParseOutput } from '../parse/parse.js';
import type { Span } from '../parse/source.js';
import type { HelmLineMap, SourcePlace } from './helm.js';
import { LINE_MARK, PURE_ACTION, SOURCE_RE, TRAILING_MARK } from './helm-mark.js';
import { chartPath } from './helm-deps.js';

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
export function readLines(abs: string): string[] {
  let l = fileLines.get(abs);
  if (!l) {
    try {
      l = fs
        .readFileSync(abs, 'utf8')
        .split('\n')
        .map((x) => x.replace(/\r$/, ''));
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
export function kindLine(abs: string, rendered?: string): SourcePlace {
  const lines = readLines(abs);
  const same = rendered === undefined ? -1 : lines.findIndex((l) => l.trimEnd() === rendered);
  const i = same >= 0 ? same : lines.findIndex((l) => /^kind:/.test(l));
  return placeOnLine(abs, i >= 0 ? i + 1 : 1);
}

/**
 * The plain and the marked render of a document are the same object except for scalars that differ
 * between two renders: digests of templates (`checksum/config: {{ include ".../configmap.yaml" . | sha256sum }}`,
 * which differ because the marked template differs) and random values (`{{ randAlphaNum 5 }}`, `uuidv4`,
 * `now`). Lines are paired by key path, so the two documents must have the same shape: the same keys and
 * list lengths everywhere, and a mapping, a list or a scalar at the same places.
 */
function sameShape(a: unknown, b: unknown): boolean {
  const oa = a !== null && typeof a === 'object';
  const ob = b !== null && typeof b === 'object';
  if (!oa || !ob) return !oa && !ob;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameShape(x, b[i]));
  }
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length &&
    ka.every(
      (k) => Object.prototype.hasOwnProperty.call(b, k) && sameShape((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

function spanLine(parse: ParseOutput, s: Span): number {
  return parse.source.position(s.ks >= 0 ? s.ks : s.vs).line;
}

export function buildLineMap(
  parse: ParseOutput,
  marked: string | undefined,
  files: string[],
  name: string,
  chartDir: string,
  chartFile: string,
  redirect?: Map<string, string>,
  /** where a template that is no file of the chart is reported, if it is in a packaged subchart (helm-subchart.ts) */
  packaged?: (rel: string) => ((renderedKind?: string) => SourcePlace) | undefined,
): HelmLineMap {
  const src = parse.source;
  const n = src.lineCount();
  // `# Source:` segments
  const segOf: (string | undefined)[] = new Array(n + 2);
  // the lines of a packaged subchart's template: placed by its archive (segOf keeps Chart.yaml as their file)
  const pkgOf: (((renderedKind?: string) => SourcePlace) | undefined)[] = new Array(n + 2);
  let cur: string | undefined;
  let pkg: ((renderedKind?: string) => SourcePlace) | undefined;
  for (let l = 1; l <= n; l++) {
    const m = SOURCE_RE.exec(src.lineText(l));
    if (m) {
      const rel = m[1]!.startsWith(name + '/') ? m[1]!.slice(name.length + 1) : m[1]!;
      const abs = chartPath(chartDir, rel, redirect);
      const exists = preloaded.has(abs) || fs.existsSync(abs);
      cur = exists ? abs : chartFile;
      pkg = exists ? undefined : packaged?.(rel);
    } else if (src.lineText(l) === '---') {
      cur = undefined;
      pkg = undefined;
    }
    segOf[l] = cur;
    pkgOf[l] = pkg;
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
    const trusted =
      mparse !== undefined && md !== undefined && md.ok && mdocs.length === parse.documents.length && sameShape(doc.value, md.value);
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
    if (!res && pkgOf[line]) res = pkgOf[line]!(renderedKind(line));
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
