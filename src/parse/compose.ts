/** compose(): the yaml package's parser and composer run over a text, each document walked into go-yaml values. */
import type { CST, Document, Node as YNode } from 'yaml';
import type { ParsedDocument, ParseOptions, ParseOutput, SyntaxProblem } from './document.js';
import type { Span } from './source.js';
import { TapeWriter } from './tape.js';
import { DocAbort, Walker } from './walk.js';
import { friendly } from './yaml-messages.js';
import { isScalar, Y } from './yaml-package.js';

const DEFAULT_MAX_EXPANDED = 1_000_000;
const DEFAULT_MAX_DEPTH = 500;

/**
 * Deepest collection nesting of one CST document, counted without recursion,
 * stopping as soon as it passes `limit`: the offset of the first collection
 * past the limit, or -1. The composer recurses once per level
 * and a stack overflow inside it can abort the whole process (V8 may run out
 * of memory compiling a regular expression at the stack limit), so documents
 * nested deeper than the limit are never handed to it.
 */
export function cstTooDeep(doc: CST.Document, limit: number): number {
  const stack: [CST.Token | null | undefined, number][] = [[doc.value, 0]];
  while (stack.length) {
    const [tok, depth] = stack.pop()!;
    if (!tok) continue;
    if (tok.type === 'block-map' || tok.type === 'block-seq' || tok.type === 'flow-collection') {
      if (depth > limit) return tok.offset;
      for (const it of tok.items as { key?: CST.Token | null; value?: CST.Token }[]) {
        if (it.key) stack.push([it.key, depth + 1]);
        if (it.value) stack.push([it.value, depth + 1]);
      }
    }
  }
  return -1;
}
export interface DocProblem extends SyntaxProblem {
  /** index of the document, -1 outside any */
  doc: number;
  /** reported by the yaml package's parser (not by k8s-gold's own checks) */
  yaml: boolean;
}

export interface Composed {
  documents: ParsedDocument[];
  problems: DocProblem[];
  /** start and end offset of each document */
  docRanges: [number, number][];
  spans: ParseOutput['spans'];
  /** empty implicit keys of block mappings, by document: text the yaml package reads and go-yaml may reject */
  emptyKeys: { doc: number; offset: number }[];
}

/**
 * The yaml package's reading of `text`, walked into go-yaml values; `original`: the text the offsets
 * point into (`text` is a same-length rewrite of it when `overrides` are given: see Walker).
 */
export function compose(text: string, opts: ParseOptions, original: string, overrides?: Map<number, string>): Composed {
  const tape = new TapeWriter(original);
  const documents: ParsedDocument[] = [];
  const problems: DocProblem[] = [];
  const docRanges: [number, number][] = [];
  const emptyKeys: Composed['emptyKeys'] = [];
  const maxExpanded = opts.maxExpandedNodes ?? DEFAULT_MAX_EXPANDED;
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;

  const { Composer, Parser } = Y();
  const composer = new Composer({ schema: 'failsafe', uniqueKeys: false, merge: false, strict: true, prettyErrors: false });
  const parser = new Parser();
  let index = 0;
  let prevEnd = 0;
  /** indexes of documents too deeply nested to compose */
  const tooDeep = new Map<number, number>();
  const handle = (doc: Document.Parsed): void => {
    const docErrors = doc.errors.filter((e) => e.code !== 'TAG_RESOLVE_FAILED');
    const contents = doc.contents as YNode | null;
    const r = doc.range ?? [0, 0, 0];
    const rootSpan: Span = contents?.range
      ? { ks: -1, ke: -1, vs: contents.range[0], ve: contents.range[1] }
      : { ks: -1, ke: -1, vs: r[0], ve: r[0] };
    const pd: ParsedDocument = {
      index: index++,
      value: null,
      ok: docErrors.length === 0,
      rootSpan,
      ambiguities: [],
      duplicateKeys: [],
      empty:
        contents == null ||
        (isScalar(contents) && (contents as { value: unknown }).value === '' && (contents as { type?: string }).type === 'PLAIN'),
      node: tape.open(-1, -1),
    };
    docRanges[pd.index] = [Math.min(prevEnd, r[0]), Math.max(r[2], r[0])];
    prevEnd = Math.max(prevEnd, r[2]);
    const deepAt = tooDeep.get(pd.index);
    if (deepAt !== undefined) {
      pd.ok = false;
      pd.empty = false;
      problems.push({
        message: `nesting deeper than ${maxDepth} levels; not linted`,
        code: 'TOO_DEEP',
        start: deepAt,
        end: deepAt + 1,
        doc: pd.index,
        yaml: false,
      });
    }
    for (const e of docErrors) {
      problems.push({ message: friendly(e.code, e.message), code: e.code, start: e.pos[0], end: e.pos[1], doc: pd.index, yaml: true });
    }
    if (pd.ok && !pd.empty) {
      const open = tape.depth;
      const w = new Walker(tape, maxExpanded, maxDepth, opts.core12, overrides);
      try {
        const [v] = w.node(contents, 0);
        pd.value = v;
        pd.ambiguities = w.ambiguities;
        pd.duplicateKeys = w.duplicateKeys;
        for (const offset of w.emptyKeys) emptyKeys.push({ doc: pd.index, offset });
      } catch (e) {
        if (e instanceof DocAbort) {
          problems.push({ message: e.message, code: e.code, start: e.start, end: e.end, doc: pd.index, yaml: false });
        } else if (e instanceof RangeError) {
          problems.push({
            message: 'document nested too deeply to read; not linted',
            code: 'TOO_DEEP',
            start: rootSpan.vs,
            end: rootSpan.vs,
            doc: pd.index,
            yaml: false,
          });
        } else {
          throw e;
        }
        pd.ok = false;
        pd.value = null;
        // the nodes written before the walk stopped
        tape.truncate(pd.node + 1, open);
      }
    }
    tape.close(pd.node, rootSpan.vs, rootSpan.ve);
    documents.push(pd);
  };
  try {
    let docTokens = 0;
    for (const tok of parser.parse(text)) {
      if (tok.type === 'document') {
        const deepAt = cstTooDeep(tok, maxDepth);
        if (deepAt >= 0) {
          tooDeep.set(docTokens, deepAt);
          tok.value = undefined;
        }
        docTokens++;
      }
      for (const doc of composer.next(tok)) handle(doc as Document.Parsed);
    }
    for (const doc of composer.end(true, text.length)) handle(doc as Document.Parsed);
  } catch (e) {
    if (e instanceof RangeError) {
      problems.push({ message: 'input nested too deeply to parse; not linted', code: 'TOO_DEEP', start: 0, end: 0, doc: -1, yaml: false });
    } else {
      throw e;
    }
  }
  return { documents, problems, docRanges, spans: tape.finish(documents.map((d) => d.value)), emptyKeys };
}
