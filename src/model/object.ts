/**
 * The manifest model: every Kubernetes object read from the input, with its
 * identity, its plain data (typed by kubernetes-models' interfaces for
 * built-in kinds) and the means to turn a JSON path into a source range.
 */
import type { ParseOutput, ParsedDocument } from '../parse/parse.js';
import { locate, type Located } from '../parse/parse.js';
import type { Path, PathSeg, Range, Span } from '../parse/source.js';

export type Obj = Record<string, unknown>;

export interface SourceFile {
  /** path as given/discovered, relative to cwd when possible, with forward slashes */
  path: string;
  /** absolute path (or `<stdin>`) */
  absPath: string;
  parse: ParseOutput;
}

/** The file users edit for an object: its source for a rendered chart or kustomization, else its file. */
export function sourcePath(o: ManifestObject<unknown>): string {
  return o.origin?.path ?? o.file.path;
}

export class ManifestObject<T = Obj> {
  readonly apiVersion: string;
  readonly kind: string;
  readonly group: string;
  readonly version: string;
  readonly name: string;
  /** metadata.namespace as written, or undefined */
  readonly declaredNamespace: string | undefined;
  /** effective namespace: the declared one, else the default namespace */
  namespace: string;
  /**
   * Set on objects no file holds but a generator creates (kustomize's
   * configMapGenerator/secretGenerator): they are indexed for lookups, never
   * linted; their location is the generator entry. `keysKnown` is false when
   * a source of keys could not be read.
   */
  generated?: { by: 'kustomize'; keysKnown: boolean };
  /** for an object of a rendered chart or kustomization: the source file and line users edit (messages that name the object use it) */
  origin?: { path: string; line: number };
  /** for an object of a rendered chart or kustomization: the name of that render (renders of other profiles and overlays are alternatives) */
  render?: string;

  // declared, not defined as fields: a subclass may serve them from its prototype (the incremental cache's stand-ins, whose value and parse are read lazily)
  declare readonly doc: ParsedDocument;
  declare readonly data: T;

  constructor(
    readonly file: SourceFile,
    doc: ParsedDocument,
    /** path of this object inside its document: [] or ['items', i] */
    readonly basePath: PathSeg[],
    data: T,
    defaultNamespace: string,
  ) {
    (this as { doc: ParsedDocument }).doc = doc;
    (this as { data: T }).data = data;
    const d = data as unknown as Obj;
    this.apiVersion = typeof d.apiVersion === 'string' ? d.apiVersion : '';
    this.kind = typeof d.kind === 'string' ? d.kind : '';
    const slash = this.apiVersion.lastIndexOf('/');
    this.group = slash >= 0 ? this.apiVersion.slice(0, slash) : '';
    this.version = slash >= 0 ? this.apiVersion.slice(slash + 1) : this.apiVersion;
    const meta = isObj(d.metadata) ? d.metadata : undefined;
    this.name =
      meta && (typeof meta.name === 'string' || typeof meta.name === 'number')
        ? String(meta.name)
        : meta && typeof meta.generateName === 'string'
          ? `${meta.generateName}*`
          : '';
    this.declaredNamespace = meta && typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
    this.namespace = this.declaredNamespace ?? defaultNamespace;
  }

  get metadata(): Obj | undefined {
    const m = (this.data as unknown as Obj).metadata;
    return isObj(m) ? m : undefined;
  }

  get labels(): Record<string, unknown> {
    const l = this.metadata?.labels;
    return isObj(l) ? l : {};
  }

  get annotations(): Record<string, unknown> {
    const a = this.metadata?.annotations;
    return isObj(a) ? a : {};
  }

  /** the index of this object's document in its file (a stand-in of the incremental cache knows it without a parse) */
  get docIndex(): number {
    return this.doc.index;
  }

  /** `Kind/name` or `Kind/namespace/name` for messages */
  get displayName(): string {
    return this.declaredNamespace ? `${this.kind}/${this.declaredNamespace}/${this.name}` : `${this.kind}/${this.name}`;
  }

  /** Deepest existing node on the path (relative to this object), as a span: `locate` of src/parse/tape.ts. */
  locate(path: Path): Located {
    const tape = this.file.parse.spans;
    const root = this.node();
    if (root < 0) return locate(tape, this.data, root, path);
    // the walk resumes after the segments this path shares with the last one located on this object (an
    // object's findings come one after another and share long prefixes: spec.template.spec.containers[0])
    // (the arrays keep their length: shortening an array is a call into the runtime, three per finding)
    const t = (this.trail ??= { length: 0, segs: [], nodes: [root], values: [this.data] });
    let depth = 0;
    const shared = Math.min(path.length, t.length);
    while (depth < shared && t.segs[depth] === path[depth]) depth++;
    let node = t.nodes[depth]!;
    let cur = t.values[depth];
    for (; depth < path.length; depth++) {
      if (cur === null || typeof cur !== 'object') break;
      const seg = path[depth]!;
      let next: number;
      if (Array.isArray(cur)) {
        if (typeof seg !== 'number' || seg < 0 || !Number.isInteger(seg)) break;
        next = tape.item(node, seg);
      } else next = tape.child(node, String(seg));
      if (next < 0) break;
      node = next;
      cur = (cur as Record<string, unknown>)[seg as string];
      t.segs[depth] = seg;
      t.nodes[depth + 1] = node;
      t.values[depth + 1] = cur;
    }
    t.length = depth;
    return { span: tape.span(node), depth, exact: depth === path.length, value: cur, node };
  }

  /** the last path `locate` walked on this object (its first `length` segments): the tape node and value after each of its segments */
  private trail: { length: number; segs: PathSeg[]; nodes: number[]; values: unknown[] } | undefined;

  private tapeNode = -1;

  /** the object's own range, kept by `settle()` for when its file's positions are released */
  private settled: { range: Range; exact: boolean } | undefined;

  /**
   * Keeps the object's own range (the line that messages about other objects name, see nearness.ts), so that
   * its file's positions can be released once the file is linted (engine/file-stage.ts `releasePositions`).
   */
  settle(): void {
    this.settled ??= this.rangeOf([]);
    // the walk's trail is for locating in the tape, which is gone now (about 600 bytes an object, kept to the end of the run)
    this.trail = undefined;
  }

  /** this object's node in its file's span tape */
  private node(): number {
    if (this.basePath.length === 0) return this.doc.node;
    if (this.tapeNode < 0) this.tapeNode = locate(this.file.parse.spans, this.doc.value, this.doc.node, this.basePath).node;
    return this.tapeNode;
  }

  /**
   * The source range to report for a path. The rules for a path that exists:
   * a scalar is reported from its key to the end of its value; a mapping or
   * sequence at its key only; a sequence item that is a mapping at its `name`
   * entry (or its first key). A missing path falls back to the nearest
   * existing ancestor, reported the same way.
   */
  rangeOf(path: Path, valueOnly = false): { range: Range; exact: boolean } {
    if (this.settled && path.length === 0 && !valueOnly) return { range: { ...this.settled.range }, exact: this.settled.exact };
    const loc = this.locate(path);
    const span = valueOnly && loc.exact ? { ks: -1, ke: -1, vs: loc.span.vs, ve: loc.span.ve } : loc.span;
    return { range: spanRange(this.file, this, path, span, loc.value, loc.node, loc.depth), exact: loc.exact };
  }
}

/** `node`: the tape node of `value` (see src/parse/tape.ts), reached by the first `depth` segments of `path` (default: all) */
export function spanRange(
  file: SourceFile,
  obj: ManifestObject<unknown> | undefined,
  path: Path,
  span: Span,
  value: unknown,
  node: number,
  depth = path.length,
): Range {
  const src = file.parse.source;
  const tape = file.parse.spans;
  const isCollection = value !== null && typeof value === 'object';
  if (span.ks >= 0) {
    if (isCollection) return src.range(span.ks, span.ke);
    return src.range(span.ks, Math.max(span.ve, span.ke));
  }
  if (isCollection && !Array.isArray(value) && depth > 0 && typeof path[depth - 1] === 'number') {
    // a sequence item that is a mapping: its `name` entry, else its first entry
    if (node >= 0) {
      const name = tape.child(node, 'name');
      const nameSpan = name >= 0 ? tape.span(name) : undefined;
      if (nameSpan && nameSpan.ks >= 0) return src.range(nameSpan.ks, nameSpan.ve);
      const first = tape.first(node);
      const firstSpan = first >= 0 ? tape.span(first) : undefined;
      if (firstSpan && firstSpan.ks >= 0) return src.range(firstSpan.ks, firstSpan.ke);
    }
  }
  if (isCollection && depth === 0 && obj) {
    // the object itself: point at `kind:` (or the first key)
    if (node >= 0) {
      let k = tape.child(node, 'kind');
      if (k < 0) k = tape.first(node);
      const ks = k >= 0 ? tape.span(k) : undefined;
      if (ks && ks.ks >= 0) return src.range(ks.ks, ks.ve);
    }
  }
  if (isCollection) {
    // a multi-line value: its first line only
    const start = src.position(span.vs);
    const lineEnd = src.lineText(start.line).length + 1;
    const end = src.position(span.ve);
    return end.line === start.line
      ? { line: start.line, column: start.column, endLine: end.line, endColumn: end.column }
      : { line: start.line, column: start.column, endLine: start.line, endColumn: lineEnd };
  }
  return src.range(span.vs, span.ve);
}

/** What the name of a chart's render holds (`charts/web[helm template]`, `…[helm template:prod]`; render/index.ts). */
export const HELM_RENDER_MARK = '[helm template';

/** Whether an object comes from a Helm chart rendered with its values (not a kustomization, not a plain file). */
export function isHelmRendered(o: ManifestObject<unknown>): boolean {
  return o.render?.includes(HELM_RENDER_MARK) === true;
}

export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function asNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function own(o: unknown, key: string): unknown {
  return isObj(o) && Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}
