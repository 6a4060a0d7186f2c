// YamlEditor's documents: parsed on demand (one alone when its region is known), their style, lines and columns, the node at a path.
import type { Document, Node as YNode, Pair } from 'yaml';
import { SourceText, type Path } from '../parse/source.js';
import { findPair, shiftRanges, type Style, Y } from './edit-text.js';

const PARSE_OPTIONS = { schema: 'failsafe', uniqueKeys: false, keepSourceTokens: false } as const;

/** What {@link YamlEditor} edits: the text, its documents parsed when needed, and where things lie in it. */
export class YamlDocuments {
  private docs: Document.Parsed[] | undefined;
  /** where each document's content lies, when the caller knows (only that document is parsed then) */
  private readonly regions = new Map<number, [number, number]>();
  private readonly parsed = new Map<number, Document.Parsed | null>();
  private readonly styles = new WeakMap<Document.Parsed, Style>();
  /** the document the current edit is in */
  private cur: Document.Parsed | undefined;
  constructor(
    readonly text: string,
    protected readonly json = false,
  ) {}

  /**
   * Declares where document `index` lies (its content's start and end offsets, as the engine read them), so
   * that an edit parses that document alone: large multi-document files (installs with their CRDs) cost
   * only the documents that get a fix.
   */
  region(index: number, start: number, end: number): void {
    if (!this.regions.has(index)) this.regions.set(index, [start, Math.max(start, end)]);
  }

  /**
   * Drops the parsed documents (the engine calls it when it moves on to the next document of the file): a
   * document's AST is many times its text, and kept for the whole file it outlives the young generation and
   * piles up as old-generation garbage. A later edit parses its document again.
   */
  release(): void {
    this.docs = undefined;
    this.parsed.clear();
    this.cur = undefined;
  }

  private documents(): Document.Parsed[] {
    this.docs ??= Y().parseAllDocuments(this.text, PARSE_OPTIONS) as Document.Parsed[];
    if (!Array.isArray(this.docs)) this.docs = [];
    return this.docs;
  }

  protected doc(index: number): Document.Parsed | undefined {
    let d: Document.Parsed | null | undefined;
    const region = this.regions.get(index);
    if (region) {
      d = this.parsed.get(index);
      if (d === undefined) {
        // the document's own lines, from a line start (columns stay those of the file), then every range shifted
        const start = this.lineStart(region[0]);
        const end = this.lineEnd(this.contentEnd(region[0], region[1]));
        const docs = Y().parseAllDocuments(this.text.slice(start, end), PARSE_OPTIONS) as Document.Parsed[];
        d = Array.isArray(docs) && docs.length === 1 ? docs[0]! : null;
        if (d && start > 0) shiftRanges(d, start);
        this.parsed.set(index, d);
      }
    } else d = this.documents()[index];
    if (!d || d.errors.length > 0) return undefined;
    this.cur = d;
    return d;
  }

  protected getStyle(): Style {
    const d = this.cur;
    const cached = d && this.styles.get(d);
    if (cached) return cached;
    const nl = this.text.includes('\r\n') ? '\r\n' : '\n';
    let step = 0;
    let seqIndent = -1;
    const Yy = Y();
    for (const doc of d ? [d] : []) {
      Yy.visit(doc, {
        Pair: (_k, pair) => {
          const p = pair as Pair<YNode, YNode>;
          if (!p.key || !p.value || !Yy.isNode(p.key) || !p.key.range) return;
          const kc = this.column(p.key.range[0]);
          if (Yy.isMap(p.value) && !p.value.flow && p.value.items.length && step === 0) {
            const first = p.value.items[0]!.key as YNode | null;
            if (first?.range && this.lineOf(first.range[0]) > this.lineOf(p.key.range[0])) step = this.column(first.range[0]) - kc;
          }
          if (
            Yy.isSeq(p.value) &&
            !p.value.flow &&
            p.value.range &&
            seqIndent < 0 &&
            this.lineOf(p.value.range[0]) > this.lineOf(p.key.range[0])
          ) {
            seqIndent = this.column(p.value.range[0]) - kc;
          }
          return undefined;
        },
      });
    }
    const style = { nl, step: step > 0 ? step : 2, seqIndent: seqIndent >= 0 ? seqIndent : 2, json: this.json };
    if (d) this.styles.set(d, style);
    return style;
  }

  protected lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  protected column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  private lines: SourceText | undefined;
  /** 0-based line of an offset */
  protected lineOf(offset: number): number {
    return (this.lines ??= new SourceText(this.text)).position(offset).line - 1;
  }

  /** Offset of the end of the line holding `offset` (before its line break). */
  protected lineEnd(offset: number): number {
    const i = this.text.indexOf('\n', offset);
    if (i === -1) return this.text.length;
    return i > 0 && this.text[i - 1] === '\r' ? i - 1 : i;
  }

  /** The last non-blank offset before `end` (content end of a node whose range ends after its line break). */
  protected contentEnd(start: number, end: number): number {
    let e = end;
    while (e > start && /\s/.test(this.text[e - 1]!)) e--;
    return e;
  }

  /** The node at a path (no alias, no merge key), or undefined; `null` for a key with no value node. */
  nodeAt(docIndex: number, path: Path): YNode | null | undefined {
    const d = this.doc(docIndex);
    if (!d) return undefined;
    const Yy = Y();
    let cur: YNode | null = d.contents as YNode | null;
    for (const seg of path) {
      if (cur === null || Yy.isAlias(cur)) return undefined;
      if (Yy.isMap(cur)) {
        const pair = findPair(cur, String(seg));
        if (!pair) return undefined;
        cur = (pair.value as YNode | null) ?? null;
      } else if (Yy.isSeq(cur)) {
        if (typeof seg !== 'number') return undefined;
        const item = cur.items[seg] as YNode | undefined;
        if (item === undefined) return undefined;
        cur = item;
      } else return undefined;
    }
    if (cur && Yy.isAlias(cur)) return undefined;
    return cur;
  }
}
